package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server with {@code ferry.runs.isolation: process} (PostgreSQL metadata): its runs execute in
 * JVMs of their own, sized by their resources, with the run's progress, log, end and stop as for a
 * run in the server's JVM; the embedded H2 metadata database is refused for it, naming the setting.
 */
@Timeout(300)
class ProcessIsolationIT {
  private static final String SOURCE = TestDatabases.newName("h22b_iso_src");
  private static final String TARGET = TestDatabases.newName("h22b_iso_dst");
  private static final String META = TestDatabases.newName("h22b_iso_meta");
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    TestDatabases.createMariadb(SOURCE);
    TestDatabases.createPostgres(TARGET);
    TestDatabases.createPostgres(META);
    try (Connection c = TestDatabases.mariadb(SOURCE);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE src (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(12,2))");
      s.execute(
          "INSERT INTO src SELECT seq, CONCAT('name-', seq), (seq % 100000) / 7 FROM seq_1_to_30000");
    }
    try (Connection c = TestDatabases.postgres(TARGET);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE dst (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount NUMERIC(12,2))");
    }
    server =
        new TestServer(
            "--spring.datasource.url=" + TestDatabases.POSTGRES + META,
            "--spring.datasource.username=postgres",
            "--ferry.runs.isolation=process",
            "--ferry.runs.stop-grace=PT20S");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestDatabases.dropMariadb(SOURCE);
    TestDatabases.dropPostgres(TARGET);
    TestDatabases.dropPostgres(META);
  }

  @Test
  void aRunExecutesInItsOwnJvmAndCopiesExactly() throws Exception {
    String script =
        """
        source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: src}
        sink: {connector: postgresql, host: 127.0.0.1, port: 5432, user: postgres, database: %s, table: dst}
        settings: {channels: 8, verify: off}
        """
            .formatted(SOURCE, TARGET);
    long run = start("iso-copy", script);

    JsonNode ended = await(run, "SUCCEEDED");

    assertThat(ended.path("message").asText(null)).isNull();
    assertThat(sums("dst")).isEqualTo(sourceSums());
    String log = log(run);
    // A run no schedule fired has the default spec: 2 cores, 1024 MB; 8 channels become 2.
    assertThat(log).contains("with 1024 MB of heap, 2 cores and 2 channels");
    assertThat(log).contains("SUCCEEDED: 30000 rows read, 30000 written");
  }

  @Test
  void aStoppedRunsJvmEnds() throws Exception {
    long run =
        start(
            "iso-slow",
            "source: {connector: datagen, rows: 100000, rowsPerSecond: 200, batchSize: 10}\n"
                + "sink: {connector: blackhole}\nsettings: {channels: 1}\n");
    await(run, "RUNNING");
    long pid = childPid(run);
    Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
    assertThat(proc).as("the run's JVM is alive: " + log(run)).exists();
    String cmdline = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8);
    assertThat(List.of(cmdline.split("\0")))
        .contains("-Xmx1024m", "-XX:ActiveProcessorCount=2", "io.ferry.server.runs.ChildRunMain");

    assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);

    await(run, "STOPPED");
    ProcessHandle child = ProcessHandle.of(pid).orElse(null);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (child != null && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(child == null || !child.isAlive()).as("the run's JVM ended").isTrue();
  }

  @Test
  void aStopWhileTheRunsJvmStartsTheRunKillsIt() throws Exception {
    // A source that takes the connection and never answers: the run's JVM hangs in its start.
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      long run =
          start(
              "iso-hanging",
              "source: {connector: mysql, host: 127.0.0.1, port: "
                  + silent.getLocalPort()
                  + ", user: root, database: none, table: src}\n"
                  + "sink: {connector: blackhole}\n");
      long pid = startingPid(run);

      assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);

      JsonNode stopped = await(run, "STOPPED");
      assertThat(stopped.get("message").asText()).isEqualTo("stopped while it started");
      ProcessHandle child = ProcessHandle.of(pid).orElse(null);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (child != null && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(child == null || !child.isAlive()).as("the run's JVM was killed").isTrue();
    }
  }

  @Test
  void theEmbeddedMetadataDatabaseIsRefusedForProcessIsolation() {
    assertThatThrownBy(() -> new TestServer("--ferry.runs.isolation=process").close())
        .rootCause()
        .hasMessageContaining("ferry.runs.isolation is process")
        .hasMessageContaining("spring.datasource.url");
  }

  private static long start(String name, String script) {
    Reply started = server.post("/api/runs", Map.of("name", name, "script", script));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return started.json().get("id").asLong();
  }

  private static long childPid(long run) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Pattern executes = Pattern.compile("executes in process (\\d+)");
    while (true) {
      // The last: on a loaded machine a run may lose its claim and continue in a new process.
      Matcher m = executes.matcher(log(run));
      long pid = 0;
      while (m.find()) {
        pid = Long.parseLong(m.group(1));
      }
      if (pid != 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return pid;
      }
      assertThat(System.nanoTime()).as("the run's process in its log").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The process that starts the run, as its log names it. */
  private static long startingPid(long run) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Pattern starts = Pattern.compile("process (\\d+) starts the run");
    while (true) {
      Matcher m = starts.matcher(log(run));
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
      assertThat(System.nanoTime()).as("the run's process in its log").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String log(long run) {
    return server.admin("GET", "/api/runs/" + run + "/log/download", null).body();
  }

  private static JsonNode await(long run, String state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (last.get("state").asText().equals(state)) {
        return last;
      }
      assertThat(last.get("state").asText())
          .as(last + "\n" + log(run))
          .isNotIn(
              List.of("FAILED", "STOPPED", "SUCCEEDED").stream()
                  .filter(s -> !s.equals(state))
                  .toList());
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never became " + state + ": " + last);
  }

  private static List<String> sourceSums() throws Exception {
    try (Connection c = TestDatabases.mariadb(SOURCE)) {
      return sums(c, "src");
    }
  }

  private static List<String> sums(String table) throws Exception {
    try (Connection c = TestDatabases.postgres(TARGET)) {
      return sums(c, table);
    }
  }

  private static List<String> sums(Connection c, String table) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*), SUM(id), SUM(amount), SUM(LENGTH(name)) FROM " + table)) {
      rs.next();
      return List.of(
          rs.getString(1), rs.getString(2), rs.getBigDecimal(3).toPlainString(), rs.getString(4));
    }
  }
}
