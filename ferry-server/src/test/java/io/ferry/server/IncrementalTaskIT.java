package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An incremental task in the server (docs/incremental.md): its committed cursor is kept in the
 * metadata store, shown on the task, set by hand by an operator (not a viewer) and reset; each run
 * reads the rows past it, and the target is read back.
 */
class IncrementalTaskIT {
  static TestServer server;
  static final String SOURCE = TestDatabases.newName("h23c_inc_src");
  static final String TARGET = TestDatabases.newName("h23c_inc_dst");

  @BeforeAll
  static void start() throws Exception {
    TestDatabases.createMariadb(SOURCE);
    TestDatabases.createPostgres(TARGET);
    try (Connection c = TestDatabases.mariadb(SOURCE);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40))");
      s.execute("INSERT INTO items SELECT seq, CONCAT('item', seq) FROM seq_1_to_30");
    }
    try (Connection c = TestDatabases.postgres(TARGET);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40))");
    }
    server = new TestServer();
    server.post(
        "/api/users", Map.of("username", "vic", "password", "viewer-pass-9", "role", "viewer"));
    server.post(
        "/api/users",
        Map.of("username", "opal", "password", "operator-pass-9", "role", "operator"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestDatabases.dropMariadb(SOURCE);
    TestDatabases.dropPostgres(TARGET);
  }

  private static void dataSource(String alias, String connector, String url, String user) {
    Reply r =
        server.post(
            "/api/datasources",
            Map.of(
                "alias",
                alias,
                "connector",
                connector,
                "options",
                Map.of("url", url, "user", user, "password", "")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private static JsonNode run(long taskId) throws InterruptedException {
    Reply started = server.post("/api/tasks/" + taskId + "/runs", null);
    assertThat(started.status()).as(started.toString()).isLessThan(300);
    long run = started.json().get("id").asLong();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      String state = last.get("state").asText();
      if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("STOPPED")) {
        assertThat(state).as(last.toString()).isEqualTo("SUCCEEDED");
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " did not end: " + last);
  }

  private static long targetCount() throws Exception {
    try (Connection c = TestDatabases.postgres(TARGET);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM items")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2));
      return rs.getLong(1);
    }
  }

  @Test
  void theCursorIsStoredShownEditedAndReset() throws Exception {
    dataSource("inc-maria", "mysql", TestDatabases.MARIADB + SOURCE, "root");
    dataSource("inc-pg", "postgresql", TestDatabases.POSTGRES + TARGET, "postgres");
    Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "items-incremental",
                "mode",
                "script",
                "script",
                """
                source: {datasource: inc-maria, table: items}
                sink: {datasource: inc-pg, table: items, writeMode: upsert}
                incremental: {cursor: id, lookBack: 2}
                """));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    long taskId = task.json().get("id").asLong();
    String cursor = "/api/tasks/" + taskId + "/cursor";

    JsonNode before = server.get(cursor).json();
    assertThat(before.get("value").isNull()).isTrue();
    assertThat(before.get("incremental").get("cursor").asText()).isEqualTo("id");
    assertThat(before.get("incremental").get("lookBack").asText()).isEqualTo("2");

    run(taskId);
    assertThat(targetCount()).isEqualTo(30);
    JsonNode first = server.get(cursor).json();
    assertThat(first.get("column").asText()).isEqualTo("id");
    assertThat(first.get("value").asText()).isEqualTo("30");
    assertThat(first.get("runKey").asText()).isNotEmpty();

    try (Connection c = TestDatabases.mariadb(SOURCE);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO items SELECT seq, CONCAT('item', seq) FROM seq_31_to_40");
    }
    JsonNode second = run(taskId);
    // 29 and 30 again (the look-back of 2), then 31..40.
    assertThat(second.get("recordsRead").asLong()).isEqualTo(12);
    assertThat(targetCount()).isEqualTo(40);
    assertThat(server.get(cursor).json().get("value").asText()).isEqualTo("40");

    // A viewer sees the cursor but may not change it; an operator may.
    assertThat(server.call("GET", cursor, null, "vic", "viewer-pass-9").status()).isEqualTo(200);
    assertThat(server.call("PUT", cursor, Map.of("value", "5"), "vic", "viewer-pass-9").status())
        .isEqualTo(403);
    assertThat(server.call("DELETE", cursor, null, "vic", "viewer-pass-9").status()).isEqualTo(403);
    Reply bad =
        server.call(
            "PUT", cursor, Map.of("value", "5; DROP TABLE items"), "opal", "operator-pass-9");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("not a cursor value");
    Reply set = server.call("PUT", cursor, Map.of("value", "35"), "opal", "operator-pass-9");
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().get("value").asText()).isEqualTo("35");
    assertThat(set.json().get("column").asText()).isEqualTo("id");
    assertThat(set.json().get("runKey").isNull()).isTrue();

    // Past 33 (35 less the look-back) up to 40: 34..40.
    assertThat(run(taskId).get("recordsRead").asLong()).isEqualTo(7);
    assertThat(server.get(cursor).json().get("value").asText()).isEqualTo("40");

    Reply reset = server.call("DELETE", cursor, null, "opal", "operator-pass-9");
    assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
    assertThat(reset.json().get("value").isNull()).isTrue();
    assertThat(run(taskId).get("recordsRead").asLong()).isEqualTo(40);
    assertThat(targetCount()).isEqualTo(40);

    assertThat(server.delete("/api/tasks/" + taskId).status()).isEqualTo(204);
    assertThat(server.get(cursor).status()).isEqualTo(404);
  }
}
