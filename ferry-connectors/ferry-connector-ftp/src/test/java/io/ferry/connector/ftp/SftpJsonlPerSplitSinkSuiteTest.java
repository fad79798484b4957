package io.ferry.connector.ftp;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared sink suite over SFTP: one gzip JSON Lines file per split, renamed at commit. */
class SftpJsonlPerSplitSinkSuiteTest extends SinkTestSuite {
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
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    return RemoteFixtures.sinkOptions(
        target, server.options(), Map.of("format", "jsonl", "fileMode", "perSplit"), "jsonl.gz");
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) {
    return LocalFiles.read(
        target.directory().resolve(target.name() + "-*.jsonl.gz").toString(),
        Map.of("format", "jsonl"),
        target.schema(),
        context());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
  }
}
