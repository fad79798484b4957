package io.ferry.connector.ftp;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared source suite over SFTP: gzip tsv files, resumed by skipping decompressed bytes. */
class SftpGzipSourceSuiteTest extends SourceTestSuite {
  private static TestServers.Sftp server;

  @BeforeAll
  static void start() {
    server = new TestServers.Sftp();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Override
  protected Connector connector() {
    return new SftpConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    return RemoteFixtures.dataset(
        request, server.options(), Map.of("format", "tsv"), "tsv.gz", 3, context());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SOURCE_PRESERVES_ORDER || behavior.byDefault();
  }
}
