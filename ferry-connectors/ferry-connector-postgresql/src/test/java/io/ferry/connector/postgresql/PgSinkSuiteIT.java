package io.ferry.connector.postgresql;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared sink suite against a real PostgreSQL: COPY into tables the sink creates. */
class PgSinkSuiteIT extends SinkTestSuite {
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

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return switch (behavior) {
      case KEEPS_TIMESTAMP_TZ_OFFSET -> false;
      case SINK_FENCES_COMMITS -> true;
      default -> behavior.byDefault();
    };
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) throws Exception {
    try (Connection c = db.connect()) {
      PgFixtures.createTable(c, target.name(), target.schema(), true);
    }
    Map<String, Object> options = db.options();
    options.put("table", target.name());
    return options;
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) throws Exception {
    try (Connection c = db.connect()) {
      return PgFixtures.read(c, target.name(), target.schema());
    }
  }
}
