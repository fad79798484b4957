package io.ferry.connector.mongodb;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared sink suite in insert mode: the server's ObjectIds, resume through discard. */
class MongoSinkSuiteTest extends SinkTestSuite {
  static MongoTestServer server;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Connector connector() {
    return new MongoConnector();
  }

  /** A collection per test: the target's name and the test's run key. */
  protected String collection(SinkTarget target) {
    return target.name() + "_" + Integer.toHexString(context().runKey().hashCode());
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = new HashMap<>(server.options());
    options.put("collection", collection(target));
    options.put("batchSize", 128);
    return options;
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) {
    return MongoFixtures.read(server, collection(target), target.schema(), context());
  }

  @Override
  protected boolean supportsType(DataType type) {
    return MongoFixtures.supportsType(type);
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.KEEPS_TIMESTAMP_TZ_OFFSET ? false : behavior.byDefault();
  }
}
