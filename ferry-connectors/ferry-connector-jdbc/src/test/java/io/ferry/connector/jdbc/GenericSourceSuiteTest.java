package io.ferry.connector.jdbc;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.Map;

/** The shared source suite: the generic jdbc connector reading H2 tables keyed by id. */
class GenericSourceSuiteTest extends SourceTestSuite {
  private final H2Database database = new H2Database("source-suite");

  @Override
  protected Connector connector() {
    return new GenericJdbcConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) throws Exception {
    database.create(request.name(), request.schema(), "id");
    database.insert(request.name(), request.schema(), request.rows());
    Map<String, Object> options = database.options(request.name());
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, request.rows());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SOURCE_PRESERVES_ORDER || behavior.byDefault();
  }

  @Override
  protected boolean supportsType(DataType type) {
    return H2Types.supported(type);
  }
}
