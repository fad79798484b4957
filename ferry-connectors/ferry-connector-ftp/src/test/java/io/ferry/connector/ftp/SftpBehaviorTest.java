package io.ferry.connector.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.spi.Connector;
import io.ferry.spi.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SftpBehaviorTest extends RemoteBehaviorTest {
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
  Connector connector() {
    return new SftpConnector();
  }

  @Override
  Map<String, Object> connection() {
    return server.options();
  }

  @Test
  void refusesAnUnknownHostKeyUnlessCheckingIsOff() throws IOException {
    Path empty = Files.writeString(dir.resolve("known_hosts"), "");
    Map<String, Object> options = new HashMap<>();
    options.put("path", TestServers.remote(dir));
    options.put("columns", java.util.List.of("id int64"));
    options.put("header", false);
    options.put("knownHosts", empty.toString());
    try (Source source = source(options)) {
      assertThat(source.check())
          .singleElement()
          .satisfies(p -> assertThat(p.option()).isEqualTo("knownHosts"))
          .satisfies(p -> assertThat(p.message()).contains("host key"));
    }
    Files.writeString(dir.resolve("one.csv"), "1\n2\n");
    options.put("hostKeyChecking", "off");
    options.remove("knownHosts");
    try (Source source = source(options)) {
      assertThat(source.check()).isEmpty();
      assertThat(Rows.readSequentially(source, source.planner().plan(1))).hasSize(2);
    }
  }
}
