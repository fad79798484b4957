package io.ferry.connector.file;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import java.util.Map;

/** The shared source suite on gzip csv files: one split per file, resume by skipping bytes. */
class CsvGzipSourceSuiteTest extends SourceTestSuite {
  @Override
  protected Connector connector() {
    return new FileConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    return FileSuiteFixtures.dataset(request, "csv.gz", Map.of("format", "csv"), context());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return switch (behavior) {
      case SOURCE_PRESERVES_ORDER -> true;
      case SOURCE_SPLITS_LARGE_DATA -> false; // gzip has no random access
      default -> behavior.byDefault();
    };
  }
}
