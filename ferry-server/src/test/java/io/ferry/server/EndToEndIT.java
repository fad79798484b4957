package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * MariaDB to PostgreSQL through the server's API: two data sources, a wizard task, a run paused and
 * resumed on more channels, the server restarted during the run (it stays paused), and once more as
 * if it had crashed (it continues by itself), to the end with its progress over the WebSocket, and
 * the target read back row by row.
 */
class EndToEndIT {
  private static final int ROWS = 20_000;

  private String mariadb;
  private String postgres;
  private TestServer server;

  @BeforeEach
  void databases() throws Exception {
    mariadb = TestDatabases.newName("ferry_e2e");
    postgres = TestDatabases.newName("ferry_e2e");
    TestDatabases.createMariadb(mariadb);
    TestDatabases.createPostgres(postgres);
    try (Connection c = TestDatabases.mariadb(mariadb);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
              + " amount DECIMAL(12,2), created DATETIME)");
      s.execute(
          "INSERT INTO orders SELECT seq, CONCAT('customer-', seq % 97),"
              + " CASE WHEN seq % 10 = 0 THEN NULL ELSE seq / 7 END,"
              + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE FROM seq_1_to_"
              + ROWS);
    }
    try (Connection c = TestDatabases.postgres(postgres);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
              + " amount NUMERIC(12,2), created TIMESTAMP)");
    }
  }

  @AfterEach
  void drop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestDatabases.dropMariadb(mariadb);
    TestDatabases.dropPostgres(postgres);
  }

  @Test
  void mariadbToPostgresPausedResumedAcrossRestartsWithLiveProgress() throws Exception {
    server = new TestServer();
    long source = dataSource("maria", "mysql", TestDatabases.MARIADB + mariadb, "root");
    long target = dataSource("pg", "postgresql", TestDatabases.POSTGRES + postgres, "postgres");
    for (long ds : List.of(source, target)) {
      JsonNode test = server.post("/api/datasources/" + ds + "/test", null).json();
      assertThat(test.get("ok").asBoolean()).as(test.toString()).isTrue();
    }
    Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name", "orders-to-pg",
                "mode", "wizard",
                "wizard",
                    Map.of(
                        "source", Map.of("datasourceId", source, "table", "orders"),
                        "target",
                            Map.of(
                                "datasourceId", target, "table", "orders", "writeMode", "insert"),
                        "settings",
                            Map.of(
                                "channels", 2,
                                "recordsPerSecond", 1000,
                                "flushInterval", "500ms"))));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    long taskId = task.json().get("id").asLong();

    long run = server.post("/api/tasks/" + taskId + "/runs", null).json().get("id").asLong();
    awaitWritten(run, 2_000);
    assertThat(server.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
    JsonNode paused = awaitState(run, "PAUSED");
    long atPause = targetCount();
    assertThat(atPause).isLessThan(ROWS);
    assertThat(paused.get("recordsWritten").asLong()).isPositive();
    Thread.sleep(300);
    assertThat(targetCount()).as("nothing moves while paused").isEqualTo(atPause);

    // the rest of the run on three channels instead of two
    assertThat(
            server
                .post("/api/runs/" + run + "/resume", Map.of("settings", Map.of("channels", 3)))
                .status())
        .isEqualTo(202);
    awaitState(run, "RUNNING");
    awaitTarget(atPause + 2_000);

    // A restart during the run: the server pauses it on the way down, and it stays resumable.
    server.restart();
    JsonNode afterRestart = server.get("/api/runs/" + run).json();
    assertThat(afterRestart.get("state").asText()).as(afterRestart.toString()).isEqualTo("PAUSED");

    // As if the server had died while the run executed: the row still says RUNNING. The server
    // continues such a run from its checkpoint by itself when it starts again.
    server
        .bean(JdbcClient.class)
        .sql("UPDATE ferry_task_run SET state = 'RUNNING' WHERE id = ?")
        .param(run)
        .update();
    server.restart();
    try (TestServer.Socket socket = server.socket("?runId=" + run)) {
      List<JsonNode> progress = new ArrayList<>();
      List<JsonNode> serverFigures = new ArrayList<>();
      JsonNode last = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode m = socket.messages.poll(1, TimeUnit.SECONDS);
        if (m != null && m.get("type").asText().equals("server")) {
          serverFigures.add(m);
        }
        if (m == null || !m.get("type").asText().equals("progress")) {
          continue;
        }
        progress.add(m);
        last = m;
        if (m.get("state").asText().equals("SUCCEEDED") && m.has("splits")) {
          break;
        }
      }
      assertThat(last).isNotNull();
      assertThat(last.get("state").asText()).as(last.toString()).isEqualTo("SUCCEEDED");
      assertThat(last.get("percent").asDouble()).isEqualTo(100.0);
      assertThat(progress.stream().filter(m -> m.get("state").asText().equals("RUNNING")))
          .as("progress while running")
          .isNotEmpty();
      JsonNode running =
          progress.stream()
              .filter(m -> m.get("state").asText().equals("RUNNING") && m.has("splits"))
              .findFirst()
              .orElseThrow();
      for (String field :
          List.of(
              "recordsRead",
              "recordsWritten",
              "bytesWritten",
              "recordsPerSecond",
              "mbPerSecond",
              "percent",
              "etaMillis",
              "dirtyRecords",
              "cpuTimeMillis")) {
        assertThat(running.has(field)).as(field).isTrue();
      }
      assertThat(running.get("splits").size()).isEqualTo(8);
      assertThat(serverFigures).isNotEmpty();
      assertThat(serverFigures.get(0).get("heapUsed").asLong()).isPositive();
    }

    JsonNode ended = awaitState(run, "SUCCEEDED");
    assertThat(ended.get("dirtyRecords").asLong()).isZero();
    assertThat(rows(TestDatabases.postgres(postgres)))
        .isEqualTo(rows(TestDatabases.mariadb(mariadb)));
    JsonNode history = server.get("/api/tasks/" + taskId + "/runs").json().get("items");
    assertThat(history.size()).isEqualTo(1);
    String log = server.admin("GET", "/api/runs/" + run + "/log/download", null).body();
    assertThat(log)
        .contains(
            "pause requested by admin",
            "resumed",
            "the server stopped while the run was RUNNING; node",
            "continues it from the checkpoint",
            "SUCCEEDED");
    assertThat(server.get("/api/audit").json().findValuesAsText("action"))
        .contains("start", "pause", "resume");
  }

  private long dataSource(String alias, String connector, String url, String user) {
    Reply r =
        server.post(
            "/api/datasources",
            Map.of(
                "alias", alias,
                "connector", connector,
                "options", Map.of("url", url, "user", user, "password", "")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private JsonNode awaitState(long run, String state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (last.get("state").asText().equals(state)) {
        return last;
      }
      assertThat(last.get("state").asText()).as(last.toString()).isNotIn("FAILED", "STOPPED");
      Thread.sleep(50);
    }
    throw new AssertionError("run " + run + " never became " + state + ": " + last);
  }

  private void awaitWritten(long run, long rows) throws Exception {
    awaitState(run, "RUNNING");
    awaitTarget(rows);
  }

  private void awaitTarget(long rows) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (targetCount() < rows) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the target never held " + rows + " rows");
      }
      Thread.sleep(50);
    }
  }

  private long targetCount() throws Exception {
    try (Connection c = TestDatabases.postgres(postgres);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every row, in key order, as text: what must be equal on both sides. */
  private static List<String> rows(Connection connection) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = connection;
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id, customer, amount, created FROM orders ORDER BY id")) {
      while (rs.next()) {
        rows.add(
            rs.getLong(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getBigDecimal(3)
                + "|"
                + rs.getObject(4, java.time.LocalDateTime.class));
      }
    }
    assertThat(rows).hasSize(ROWS);
    return rows;
  }
}
