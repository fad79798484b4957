package io.ferry.connector.mongodb;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared source suite: each dataset is written with the sink (the row's id as _id, so _id order
 * is the dataset's order) and read back with declared columns.
 */
class MongoSourceSuiteTest extends SourceTestSuite {
  private static MongoTestServer server;
  private static final AtomicInteger COLLECTIONS = new AtomicInteger();

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

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    String collection = request.name() + "_" + COLLECTIONS.incrementAndGet();
    server.database().createCollection(collection);
    MongoFixtures.write(
        server,
        Map.of("collection", collection, "idColumns", List.of("id")),
        request.schema(),
        request.rows(),
        context());
    Map<String, Object> options = new HashMap<>(server.options());
    options.put("collection", collection);
    options.put("columns", MongoFixtures.columns(request.schema()));
    options.put("batchSize", request.batchSize());
    options.put("minSplitRows", 500);
    return SourceDataset.holding(options, request.rows());
  }

  @Override
  protected boolean supportsType(DataType type) {
    return MongoFixtures.supportsType(type);
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return switch (behavior) {
      case SOURCE_PRESERVES_ORDER -> true;
      case KEEPS_TIMESTAMP_TZ_OFFSET -> false;
      default -> behavior.byDefault();
    };
  }
}
