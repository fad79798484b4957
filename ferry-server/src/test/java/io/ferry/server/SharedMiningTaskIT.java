package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.server.TestServer.Reply;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code kind: cdc} task with {@code sharedMining: true} in the server, its mining log named by a
 * PostgreSQL data source: MariaDB with binlog ({@link BinlogMariaDb}) through the mining log into a
 * database of the PostgreSQL service, exact; the log's password stays out of the API and the run's
 * log.
 */
@Timeout(240)
class SharedMiningTaskIT {
  static final String LOG_PASSWORD = "log-s3cret-" + System.nanoTime();
  static TestServer server;
  static AlertsIT.SmtpListener smtp;
  static BinlogMariaDb mariadb;
  static final String SOURCE = TestDatabases.newName("sm_src");
  static final String TARGET = TestDatabases.newName("sm_dst");
  static final String STORE = TestDatabases.newName("sm_log");

  @BeforeAll
  static void start() throws Exception {
    mariadb = BinlogMariaDb.shared();
    try (Connection c = source("");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + SOURCE);
      s.execute("USE " + SOURCE);
      s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), qty INT)");
      s.execute("CREATE TABLE notes (id INT PRIMARY KEY, name VARCHAR(40), qty INT)");
      s.execute("INSERT INTO notes SELECT id, name, qty FROM items WHERE id <= 20");
      for (int i = 1; i <= 50; i++) {
        s.execute("INSERT INTO items VALUES (" + i + ", 'item" + i + "', " + i + ")");
      }
    }
    TestDatabases.createPostgres(TARGET);
    TestDatabases.createPostgres(STORE);
    smtp = new AlertsIT.SmtpListener();
    server =
        new TestServer(
            "--ferry.alerts.check-interval=300ms",
            "--ferry.monitoring.mining-sample-interval=300ms",
            "--ferry.alerts.mail-from=ferry@example.org",
            "--spring.mail.host=127.0.0.1",
            "--spring.mail.port=" + smtp.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (smtp != null) {
      smtp.close();
    }
    try (Connection c = source("");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + SOURCE);
    }
    TestDatabases.dropPostgres(TARGET);
    TestDatabases.dropPostgres(STORE);
  }

  private static Connection source(String database) throws SQLException {
    return DriverManager.getConnection(
        mariadb.jdbcUrl(database), mariadb.user(), mariadb.password());
  }

  private static long dataSource(String alias, String connector, Map<String, Object> options) {
    Reply r =
        server.post(
            "/api/datasources", Map.of("alias", alias, "connector", connector, "options", options));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  @Test
  void aSharedMiningTaskReadsTheLogOfAPostgresDataSourceAndEndsExact() throws Exception {
    dataSource(
        "sm-maria",
        "mysql",
        Map.of(
            "host", mariadb.host(),
            "port", mariadb.port(),
            "user", mariadb.user(),
            "database", SOURCE));
    dataSource(
        "sm-pg",
        "postgresql",
        Map.of("host", "127.0.0.1", "port", 5432, "user", "postgres", "database", TARGET));
    // The service trusts local connections: the password is carried, never checked.
    long log =
        dataSource(
            "sm-log",
            "postgresql",
            Map.of(
                "host",
                "127.0.0.1",
                "port",
                5432,
                "user",
                "postgres",
                "password",
                LOG_PASSWORD,
                "database",
                STORE));

    // A secret written in the script's mining log is refused, naming the option.
    Reply inline =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "sm-inline",
                "mode",
                "script",
                "script",
                script(
                    "{connector: postgresql, host: 127.0.0.1, user: postgres, password: x,"
                        + " database: "
                        + STORE
                        + ", table: t}")));
    assertThat(inline.status()).as(inline.toString()).isEqualTo(400);
    assertThat(inline.body()).contains("cdc.miningLog.password");
    // An unknown data source is named too.
    Reply unknown =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "sm-unknown",
                "mode",
                "script",
                "script",
                script("{datasource: no-such-store, table: t}")));
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
    assertThat(unknown.body()).contains("cdc.miningLog.datasource", "no-such-store");

    Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "sm-items",
                "mode",
                "script",
                "script",
                script("{datasource: sm-log, table: mining_items}")));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    long taskId = task.json().get("id").asLong();
    // The data source is in use: it cannot be deleted under the task.
    assertThat(server.delete("/api/datasources/" + log).status()).isEqualTo(409);

    Reply started = server.post("/api/tasks/" + taskId + "/runs", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long run = started.json().get("id").asLong();
    JsonNode streaming =
        await(run, r -> r.path("changes").path("phase").asText().equals("STREAMING"));
    assertThat(streaming.get("state").asText()).isEqualTo("RUNNING");
    // The task started the data source's mining run on this node.
    JsonNode list = server.get("/api/mining").json();
    assertThat(list).as(list.toString()).hasSize(1);
    long mining = list.get(0).get("id").asLong();
    assertThat(list.get(0).get("name").asText()).isEqualTo("sm-maria-mining");
    assertThat(list.get(0).get("source").asText()).isEqualTo("sm-maria");
    assertThat(list.get(0).get("miningLog").asText()).isEqualTo("sm-log mining_items");
    assertThat(list.get(0).get("state").asText()).isEqualTo("RUNNING");
    assertThat(list.get(0).get("tables").toString()).contains(SOURCE + ".items");
    change("INSERT INTO items VALUES (1000, 'new', 7)");
    change("UPDATE items SET qty = qty + 100 WHERE id <= 10");
    change("DELETE FROM items WHERE id > 45");
    change("UPDATE items SET id = 2000 WHERE id = 1");
    awaitEqual();
    JsonNode caught = await(run, r -> r.at("/changes/position").asText().contains("#"));
    assertThat(caught.at("/changes/position").asText()).startsWith("mining log #");
    JsonNode mined = server.get("/api/mining/" + mining).json();
    assertThat(mined.get("eventsAppended").asLong()).as(mined.toString()).isPositive();
    assertThat(mined.get("position").asText()).isNotBlank();
    assertThat(mined.get("head").asLong()).isPositive();
    // Its monitor figures: events by table, the log's size in its store, the retention.
    assertThat(mined.at("/tableEvents/" + SOURCE + ".items").asLong())
        .as(mined.toString())
        .isPositive();
    assertThat(mined.get("storeBytes").asLong()).as(mined.toString()).isPositive();
    assertThat(mined.get("retentionHours").asLong()).isEqualTo(72);

    // The server keeps its history: samples whose counts are the events in its log.
    String byTable = " FROM mining_items WHERE tbl = '" + SOURCE + ".items'";
    long logged = count(STORE, "SELECT COUNT(*)" + byTable);
    assertThat(count(STORE, "SELECT COUNT(*)" + byTable + " AND op <> 'SCHEMA'"))
        .as(
            "1 insert, 10 updates, 6 deletes (46 to 50, 1000), 1 key change; logged: %s",
            ops(byTable))
        .isEqualTo(18);
    JsonNode sample =
        awaitSample(mining, s -> s.at("/tableEvents/" + SOURCE + ".items").asLong() == logged);
    assertThat(sample.get("eventsAppended").asLong()).as(sample.toString()).isEqualTo(logged);
    assertThat(sample.get("head").asLong()).isGreaterThanOrEqualTo(logged);
    assertThat(sample.get("node").asText()).isNotBlank();
    assertThat(sample.get("lagMillis").isNumber()).as(sample.toString()).isTrue();
    assertThat(sample.has("appendedPerSecond") && sample.has("readPerSecond")).isTrue();
    JsonNode history = server.get("/api/mining/" + mining + "/history").json();
    assertThat(history.size()).as(history.toString()).isGreaterThan(1);
    for (int i = 1; i < history.size(); i++) {
      assertThat(java.time.Instant.parse(history.get(i).get("at").asText()))
          .as("oldest first")
          .isAfterOrEqualTo(java.time.Instant.parse(history.get(i - 1).get("at").asText()));
      assertThat(history.get(i).get("eventsAppended").asLong())
          .isGreaterThanOrEqualTo(history.get(i - 1).get("eventsAppended").asLong());
    }
    String firstAt = history.get(0).get("at").asText();
    JsonNode window =
        server
            .get("/api/mining/" + mining + "/history?from=2000-01-01T00:00:00Z&to=" + firstAt)
            .json();
    assertThat(window).as("a window that ends at the first sample").hasSize(1);
    JsonNode before =
        server.get("/api/mining/" + mining + "/history?to=2000-01-01T00:00:00Z").json();
    assertThat(before).as("a window before it ran").isEmpty();
    Reply badFrom = server.get("/api/mining/" + mining + "/history?from=yesterday");
    assertThat(badFrom.status()).as(badFrom.toString()).isEqualTo(400);
    assertThat(badFrom.body()).contains("from", "ISO-8601");
    Reply reversed =
        server.get(
            "/api/mining/" + mining + "/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z");
    assertThat(reversed.status()).as(reversed.toString()).isEqualTo(400);
    assertThat(reversed.body()).contains("from");
    assertThat(server.get("/api/mining/999/history").status()).isEqualTo(404);
    assertThat(server.call("GET", "/api/mining/" + mining + "/history", null, null, null).status())
        .as("without credentials")
        .isEqualTo(401);
    assertThat(
            server
                .call("GET", "/api/mining/" + mining + "/history", null, "admin", "wrong-password")
                .status())
        .as("with a wrong password")
        .isEqualTo(401);

    // A viewer reads the list but changes nothing.
    Reply viewer =
        server.post(
            "/api/users",
            Map.of("username", "sm-viewer", "password", "viewer-pass-3", "role", "viewer"));
    assertThat(viewer.status()).as(viewer.toString()).isEqualTo(201);
    assertThat(server.call("GET", "/api/mining", null, "sm-viewer", "viewer-pass-3").status())
        .isEqualTo(200);
    Reply viewerHistory =
        server.call(
            "GET", "/api/mining/" + mining + "/history", null, "sm-viewer", "viewer-pass-3");
    assertThat(viewerHistory.status()).as(viewerHistory.toString()).isEqualTo(200);
    assertThat(viewerHistory.json().size()).as("a viewer reads the history").isPositive();
    for (String action : List.of("stop", "start")) {
      assertThat(
              server
                  .call(
                      "POST",
                      "/api/mining/" + mining + "/" + action,
                      null,
                      "sm-viewer",
                      "viewer-pass-3")
                  .status())
          .as(action)
          .isEqualTo(403);
    }
    assertThat(
            server
                .call(
                    "PUT",
                    "/api/mining/" + mining,
                    Map.of("name", "viewer's"),
                    "sm-viewer",
                    "viewer-pass-3")
                .status())
        .isEqualTo(403);
    assertThat(server.get("/api/mining/" + mining).json().get("state").asText())
        .isEqualTo("RUNNING");
    Reply editRunning = server.put("/api/mining/" + mining, Map.of("name", "renamed"));
    assertThat(editRunning.status()).as(editRunning.toString()).isEqualTo(409);
    assertThat(editRunning.body()).contains("stop it");

    // Per-table stop and resume: the preview names the task that reads the table, a viewer may
    // not stop it; stopped, the task waits; resumed from where it stopped, the task ends exact.
    String items = SOURCE + ".items";
    JsonNode tables = server.get("/api/mining/" + mining + "/tables").json();
    assertThat(tables).as(tables.toString()).hasSize(1);
    assertThat(tables.get(0).get("table").asText()).isEqualTo(items);
    assertThat(tables.get(0).get("state").asText()).isEqualTo("CAPTURING");
    assertThat(tables.get(0).get("events").asLong()).isPositive();
    assertThat(tables.get(0).at("/tasks/0/name").asText()).isEqualTo("sm-items");
    JsonNode stopPreview =
        server.get("/api/mining/" + mining + "/tables/stop-preview?table=" + items).json();
    assertThat(stopPreview.at("/tasks/0/id").asLong()).as(stopPreview.toString()).isEqualTo(taskId);
    Reply unknownTable =
        server.post("/api/mining/" + mining + "/tables/stop", Map.of("table", SOURCE + ".nope"));
    assertThat(unknownTable.status()).as(unknownTable.toString()).isEqualTo(400);
    assertThat(unknownTable.body()).contains("table", SOURCE + ".nope");
    assertThat(
            server
                .call(
                    "POST",
                    "/api/mining/" + mining + "/tables/stop",
                    Map.of("table", items),
                    "sm-viewer",
                    "viewer-pass-3")
                .status())
        .isEqualTo(403);
    Reply tableStop = server.post("/api/mining/" + mining + "/tables/stop", Map.of("table", items));
    assertThat(tableStop.status()).as(tableStop.toString()).isEqualTo(200);
    awaitTable(mining, "STOPPED");
    change("UPDATE items SET qty = qty + 5 WHERE id <= 20");
    Thread.sleep(1500);
    assertThat(equal()).as("the table's task waits while the table is stopped").isFalse();
    assertThat(server.get("/api/runs/" + run).json().get("state").asText()).isEqualTo("RUNNING");
    JsonNode resumePreview =
        server.get("/api/mining/" + mining + "/tables/resume-preview?table=" + items).json();
    assertThat(resumePreview.get("fromStop").asBoolean()).as(resumePreview.toString()).isTrue();
    assertThat(resumePreview.get("message").asText()).contains("no change is lost");
    Reply tableResume =
        server.post("/api/mining/" + mining + "/tables/resume", Map.of("table", items));
    assertThat(tableResume.status()).as(tableResume.toString()).isEqualTo(200);
    awaitTable(mining, "CAPTURING");
    awaitEqual();

    // Alerts on mining runs, by e-mail: a rule on the mining runs, never on a task.
    Reply mail =
        server.post(
            "/api/alert-channels",
            Map.of("name", "sm-mail", "kind", "email", "config", Map.of("to", "ops@example.org")));
    assertThat(mail.status()).as(mail.toString()).isEqualTo(201);
    long channel = mail.json().get("id").asLong();
    Reply onTask =
        server.post(
            "/api/alert-rules",
            Map.of("name", "sm-stop-task", "kind", "mining-stopped", "taskId", taskId));
    assertThat(onTask.status()).as(onTask.toString()).isEqualTo(400);
    assertThat(onTask.body()).contains("taskId");
    for (Map<String, Object> rule :
        List.<Map<String, Object>>of(
            Map.of(
                "name",
                "sm-stopped",
                "kind",
                "mining-stopped",
                "repeatMinutes",
                0,
                "channels",
                List.of(channel)),
            Map.of(
                "name",
                "sm-lag",
                "kind",
                "mining-lag-above",
                "threshold",
                3600,
                "repeatMinutes",
                0,
                "channels",
                List.of(channel)))) {
      Reply r = server.post("/api/alert-rules", rule);
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
    Thread.sleep(1000); // checked a few times: nothing fires while it runs within the lag
    assertThat(smtp.mails).as("no alert while the mining run runs").isEmpty();

    // Stopped, the mining run appends nothing: the task waits, then continues exactly.
    Reply stopped = server.post("/api/mining/" + mining + "/stop", null);
    assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
    assertThat(stopped.json().get("state").asText()).isEqualTo("STOPPED");
    change("INSERT INTO items VALUES (1001, 'while mining stopped', 1)");
    Thread.sleep(1500);
    assertThat(equal()).as("nothing arrives while mining is stopped").isFalse();
    assertThat(server.get("/api/runs/" + run).json().get("state").asText()).isEqualTo("RUNNING");
    AlertsIT.SmtpListener.Mail firing = smtp.mails.poll(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(firing).as("the stop's alert e-mail").isNotNull();
    assertThat(firing.to()).containsExactly("ops@example.org");
    assertThat(firing.data())
        .contains("Subject: [Ferry] FIRING: sm-stopped (sm-maria-mining)")
        .contains("is stopped: its tasks wait");
    assertThat(server.post("/api/mining/" + mining + "/stop", null).status())
        .as("stopping a stopped run")
        .isEqualTo(200);
    // Edited while stopped: its name and retention, which hold from its next start.
    Reply badRetention = server.put("/api/mining/" + mining, Map.of("retentionHours", 0));
    assertThat(badRetention.status()).as(badRetention.toString()).isEqualTo(400);
    assertThat(badRetention.body()).contains("retentionHours");
    Reply badName = server.put("/api/mining/" + mining, Map.of("name", " "));
    assertThat(badName.status()).as(badName.toString()).isEqualTo(400);
    assertThat(badName.body()).contains("name");
    Reply badThreads = server.put("/api/mining/" + mining, Map.of("writeThreads", 17));
    assertThat(badThreads.status()).as(badThreads.toString()).isEqualTo(400);
    assertThat(badThreads.body()).contains("writeThreads");
    Reply edited =
        server.put(
            "/api/mining/" + mining,
            Map.of(
                "name",
                "maria-items",
                "retentionHours",
                48,
                "writeThreads",
                3,
                "fillUpdates",
                true));
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(edited.json().get("writeThreads").asInt()).isEqualTo(3);
    assertThat(edited.json().get("fillUpdates").asBoolean()).isTrue();
    assertThat(edited.json().get("name").asText()).isEqualTo("maria-items");
    assertThat(edited.json().get("retentionHours").asLong()).isEqualTo(48);
    // Paused and resumed, the task reuses the mining run, and leaves it stopped.
    assertThat(server.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("PAUSED"));
    change("UPDATE items SET name = 'edited' WHERE id BETWEEN 2 AND 5");
    assertThat(server.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("RUNNING"));
    JsonNode after = server.get("/api/mining").json();
    assertThat(after).hasSize(1);
    assertThat(after.get(0).get("state").asText()).isEqualTo("STOPPED");
    assertThat(after.get(0).get("name").asText())
        .as("the task's resume kept the edit")
        .isEqualTo("maria-items");
    Thread.sleep(1000);
    assertThat(equal()).as("nothing arrives while mining is stopped").isFalse();
    Reply again = server.post("/api/mining/" + mining + "/start", null);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    AlertsIT.SmtpListener.Mail recovered =
        smtp.mails.poll(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(recovered).as("the recovery's e-mail").isNotNull();
    // Renamed while stopped: the incident carries the name it had when it opened or the new one.
    assertThat(recovered.data()).contains("Subject: [Ferry] RECOVERED: sm-stopped (");
    assertThat(smtp.mails).as("the lag rule never fired").isEmpty();
    assertThat(server.post("/api/mining/" + mining + "/start", null).status())
        .as("a running mining run does not start twice")
        .isEqualTo(409);
    awaitEqual();
    JsonNode restarted = server.get("/api/mining/" + mining).json();
    assertThat(restarted.get("name").asText()).isEqualTo("maria-items");
    assertThat(restarted.get("retentionHours").asLong()).isEqualTo(48);
    assertThat(restarted.get("writeThreads").asInt())
        .as("the task's resume and the start kept the writing settings")
        .isEqualTo(3);
    assertThat(restarted.get("fillUpdates").asBoolean()).isTrue();
    assertThat(server.get("/api/mining/999").status()).isEqualTo(404);
    assertThat(server.put("/api/mining/999", Map.of("name", "x")).status()).isEqualTo(404);

    // A second task on another table of the source: the same mining run captures it too.
    Reply second =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "sm-notes",
                "mode",
                "script",
                "script",
                script("{datasource: sm-log, table: mining_items}").replace("[items]", "[notes]")));
    assertThat(second.status()).as(second.toString()).isEqualTo(201);
    Reply started2 = server.post("/api/tasks/" + second.json().get("id").asLong() + "/runs", null);
    assertThat(started2.status()).as(started2.toString()).isEqualTo(202);
    long run2 = started2.json().get("id").asLong();
    await(run2, r -> r.path("changes").path("phase").asText().equals("STREAMING"));
    change("UPDATE notes SET qty = qty * 2 WHERE id > 10");
    change("INSERT INTO items VALUES (1002, 'both', 2)");
    awaitEqual("notes");
    awaitEqual();
    JsonNode shared = server.get("/api/mining").json();
    assertThat(shared).as(shared.toString()).hasSize(1);
    assertThat(shared.get(0).get("tables").toString()).contains(SOURCE + ".notes");
    assertThat(server.post("/api/runs/" + run2 + "/stop", null).status()).isEqualTo(202);
    await(run2, r -> r.get("state").asText().equals("STOPPED"));

    assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("STOPPED"));
    assertThat(server.post("/api/mining/" + mining + "/stop", null).status()).isEqualTo(200);
    // The data source's secret was laid in only for the run.
    for (String path :
        List.of(
            "/api/tasks/" + taskId,
            "/api/runs/" + run,
            "/api/runs/" + run + "/log",
            "/api/datasources/" + log)) {
      assertThat(server.get(path).body()).as(path).doesNotContain(LOG_PASSWORD);
    }
  }

  private static String script(String miningLog) {
    return """
        kind: cdc
        source:
          datasource: sm-maria
          tables: [items]
        sink:
          datasource: sm-pg
          table: "${table}"
          createTable: true
        cdc:
          startup: initial
          sharedMining: true
          miningLog: %s
        settings:
          flushInterval: 200ms
          progressInterval: 200ms
        """
        .formatted(miningLog);
  }

  /** The newest sample of the mining run's history once one meets the condition. */
  private static JsonNode awaitSample(long mining, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode history = server.get("/api/mining/" + mining + "/history").json();
      JsonNode last = history.isEmpty() ? null : history.get(history.size() - 1);
      if (last != null && condition.test(last)) {
        return last;
      }
      assertThat(System.nanoTime()).as("a sample: %s", last).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static String ops(String from) throws SQLException {
    try (Connection c = TestDatabases.postgres(STORE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT op, COUNT(*)" + from + " GROUP BY op ORDER BY op")) {
      StringBuilder ops = new StringBuilder();
      while (rs.next()) {
        ops.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
      }
      return ops.toString();
    }
  }

  private static long count(String database, String sql) throws SQLException {
    try (Connection c = TestDatabases.postgres(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void awaitTable(long mining, String state) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (true) {
      JsonNode tables = server.get("/api/mining/" + mining + "/tables").json();
      if (tables.get(0).get("state").asText().equals(state)) {
        return;
      }
      assertThat(System.nanoTime()).as("table %s: %s", state, tables).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static void change(String sql) throws SQLException {
    try (Connection c = source(SOURCE);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Map<Long, String> rows(Connection c, String table) throws SQLException {
    Map<Long, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, qty FROM " + table)) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getString(2) + "|" + rs.getString(3));
      }
    }
    return rows;
  }

  private static boolean equal() {
    return equal("items");
  }

  private static boolean equal(String table) {
    try (Connection src = source(SOURCE);
        Connection dst = TestDatabases.postgres(TARGET)) {
      return rows(src, table).equals(rows(dst, table));
    } catch (SQLException notYet) {
      return false; // the target table is not created yet
    }
  }

  private static void awaitEqual() throws InterruptedException {
    awaitEqual("items");
  }

  private static void awaitEqual(String table) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!equal(table)) {
      assertThat(System.nanoTime()).as("the target equals the source").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static JsonNode await(long run, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (condition.test(last)) {
        return last;
      }
      String state = last.get("state").asText();
      if (state.equals("FAILED") || state.equals("SUCCEEDED")) {
        throw new AssertionError("run " + run + " ended: " + last);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never got there: " + last);
  }
}
