package io.ferry.connector.mysql;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared sink suite writing with LOAD DATA LOCAL INFILE into tables the sink creates; read back
 * with plain JDBC.
 */
class MySqlSinkSuiteIT extends SinkTestSuite {
  static MariaDb db;

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

  /** Extra options of the variant: none for the bulk path. */
  protected Map<String, Object> variantOptions() {
    return Map.of();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = db.options();
    options.put("table", tableOf(target));
    options.put("createTable", true);
    options.put("keys", List.of("id"));
    options.putAll(variantOptions());
    return options;
  }

  private String tableOf(SinkTarget target) {
    return "sink_"
        + target.name()
        + "_"
        + Integer.toHexString(context().workDirectory().hashCode());
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) throws Exception {
    return db.readAll(tableOf(target), target.schema());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return switch (behavior) {
      case KEEPS_TIMESTAMP_TZ_OFFSET -> false;
      case SINK_FENCES_COMMITS -> true;
      default -> behavior.byDefault();
    };
  }
}
