package io.ferry.connector.oracle;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared sink suite on an Oracle database: the sink creates each table (createTable, the
 * dialect's DDL) and writes it with batched statements (array DML); rows are read back with plain
 * JDBC.
 *
 * <p>Oracle stores an empty string as NULL: the suite expects NULL where it wrote {@code ""}
 * ({@link ConnectorBehavior#EMPTY_STRING_IS_NULL}).
 */
abstract class OracleSinkSuite extends SinkTestSuite {
  protected abstract OracleTestDatabase database();

  @Override
  protected Connector connector() {
    return database().connector();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = database().options(target.name());
    options.put("createTable", true);
    options.put("keys", "id");
    options.put("batchSize", 64);
    database().createdByConnector(target.name());
    return options;
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) throws Exception {
    return database().read(target.name(), target.schema());
  }

  /** Oracle stores an empty string as NULL. */
  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.EMPTY_STRING_IS_NULL
        || behavior == ConnectorBehavior.SINK_FENCES_COMMITS
        || behavior.byDefault();
  }

  @AfterEach
  void dropTables() throws Exception {
    database().dropAll();
  }
}
