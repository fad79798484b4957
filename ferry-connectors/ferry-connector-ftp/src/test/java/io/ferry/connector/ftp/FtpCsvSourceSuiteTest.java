package io.ferry.connector.ftp;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared source suite over FTP: plain csv files, resumed with REST offsets. */
class FtpCsvSourceSuiteTest extends SourceTestSuite {
  private static TestServers.Ftp server;

  @BeforeAll
  static void start() {
    server = new TestServers.Ftp();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  protected Connector connector() {
    return new FtpConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    return RemoteFixtures.dataset(
        request, server.options(), Map.of("format", "csv"), "csv", 3, context());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SOURCE_PRESERVES_ORDER || behavior.byDefault();
  }
}
