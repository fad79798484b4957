package io.ferry.connector.hbase;

import io.ferry.connector.testkit.SinkTarget;
import java.util.Map;

/**
 * The shared sink suite again with discardOnResume (the resumed split's key range is deleted before
 * it is written again) and nulls: delete.
 */
class HBaseDiscardSinkSuiteTest extends HBaseSinkSuiteTest {
  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = super.sinkOptions(target);
    options.put("discardOnResume", true);
    options.put("nulls", "delete");
    return options;
  }
}
