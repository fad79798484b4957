package io.ferry.connector.ftp;

import io.ferry.spi.Connector;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class FtpBehaviorTest extends RemoteBehaviorTest {
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
  Connector connector() {
    return new FtpConnector();
  }

  @Override
  Map<String, Object> connection() {
    return server.options();
  }
}
