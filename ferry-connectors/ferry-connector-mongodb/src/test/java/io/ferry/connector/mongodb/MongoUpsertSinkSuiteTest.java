package io.ferry.connector.mongodb;

import io.ferry.connector.testkit.SinkTarget;
import java.util.List;
import java.util.Map;

/** The shared sink suite in upsert mode, the id column as _id: resume overwrites by key. */
class MongoUpsertSinkSuiteTest extends MongoSinkSuiteTest {
  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = super.sinkOptions(target);
    options.put("writeMode", "upsert");
    options.put("idColumns", List.of("id"));
    return options;
  }
}
