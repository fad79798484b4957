package io.ferry.connector.jdbc;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.List;
import java.util.Map;

/**
 * The shared sink suite: the generic jdbc connector creating its H2 tables from the incoming schema
 * (createTable, standard SQL types) and writing them with batched inserts.
 */
class GenericSinkSuiteTest extends SinkTestSuite {
  private final H2Database database = new H2Database("sink-suite");

  @Override
  protected Connector connector() {
    return new GenericJdbcConnector();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = database.options(target.name());
    options.put("createTable", true);
    options.put("keys", "id");
    options.put("batchSize", 64);
    return options;
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) throws Exception {
    return database.read(target.name(), target.schema(), "id");
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SINK_FENCES_COMMITS || behavior.byDefault();
  }

  @Override
  protected boolean supportsType(DataType type) {
    return H2Types.supported(type);
  }
}
