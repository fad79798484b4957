package io.ferry.connector.postgresql;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared source suite against a real PostgreSQL. */
class PgSourceSuiteIT extends SourceTestSuite {
  private static PgTestDatabase db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = new PgTestDatabase();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  @Override
  protected Connector connector() {
    return new PostgresConnector();
  }

  /**
   * PostgreSQL has no 1-byte integer (smallint reads as int16), maps nor row types (jsonb reads as
   * json).
   */
  @Override
  protected boolean supportsType(DataType type) {
    return type.kind() != TypeKind.INT8
        && type.kind() != TypeKind.MAP
        && type.kind() != TypeKind.ROW;
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return switch (behavior) {
      case KEEPS_TIMESTAMP_TZ_OFFSET -> false;
      case SOURCE_PRESERVES_ORDER -> true;
      default -> behavior.byDefault();
    };
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) throws Exception {
    try (Connection c = db.connect()) {
      PgFixtures.createTable(c, request.name(), request.schema(), true);
      PgFixtures.insert(c, request.name(), request.schema(), request.rows());
    }
    Map<String, Object> options = db.options();
    options.put("table", request.name());
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, request.rows());
  }
}
