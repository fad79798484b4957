package io.ferry.connector.file;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import java.util.Map;

/** The shared source suite on tsv files cut into byte ranges. */
class TsvSourceSuiteTest extends SourceTestSuite {
  @Override
  protected Connector connector() {
    return new FileConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    return FileSuiteFixtures.dataset(
        request, "tsv", Map.of("format", "tsv", "splitSize", "16KB"), context());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SOURCE_PRESERVES_ORDER || behavior.byDefault();
  }
}
