package io.ferry.connector.mysql;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared source suite on MariaDB tables created with MySQL types and filled by plain JDBC. */
class MySqlSourceSuiteIT extends SourceTestSuite {
  private static MariaDb db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = MariaDb.create();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  @Override
  protected Connector connector() {
    return new MySqlConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) throws Exception {
    String table = "src_" + request.name() + "_" + System.nanoTime() % 1_000_000;
    db.createAndFill(table, request.schema(), request.rows());
    Map<String, Object> options = db.options();
    options.put("table", table);
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, request.rows());
  }

  /**
   * Nested values have no MySQL column of their own (they are written as json). JSON is read
   * through {@code table}: MariaDB's json (longtext + json_valid check) is recognised by the
   * dialect's refineColumns.
   */
  @Override
  protected boolean supportsType(DataType type) {
    return !type.kind().isNested();
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return switch (behavior) {
      case SOURCE_PRESERVES_ORDER -> true;
      // TIMESTAMP keeps instants: values come back at the session zone's offset.
      case KEEPS_TIMESTAMP_TZ_OFFSET -> false;
      default -> behavior.byDefault();
    };
  }
}
