package io.ferry.connector.ftp;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared sink suite over FTP: one merged csv file, joined from the splits' parts. */
class FtpCsvSinkSuiteTest extends SinkTestSuite {
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
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    return RemoteFixtures.sinkOptions(target, server.options(), Map.of("format", "csv"), "csv");
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) {
    return LocalFiles.read(
        target.directory().resolve(target.name() + ".csv").toString(),
        Map.of("format", "csv"),
        target.schema(),
        context());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
  }
}
