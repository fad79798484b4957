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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared mining as the data source and the wizard set it up (docs/shared-mining.md): the switch on
 * a MariaDB data source with binlog ({@link BinlogMariaDb}) and its mining-log store (a PostgreSQL
 * data source), a wizard cdc task that reads the log by default, the figures its task reads, the
 * alert on a retention about to drop what a paused task still needs, and the edit of the mining
 * run's start time; the targets end equal to the source and the store's password never shows.
 */
@Timeout(240)
class SharedMiningSettingsIT {
  static final String LOG_PASSWORD = "log-s3cret-" + System.nanoTime();
  static TestServer server;
  static BinlogMariaDb mariadb;
  static final String SOURCE = TestDatabases.newName("sms_src");
  static final String TARGET = TestDatabases.newName("sms_dst");
  static final String STORE = TestDatabases.newName("sms_log");

  @BeforeAll
  static void start() throws Exception {
    mariadb = BinlogMariaDb.shared();
    try (Connection c = source("");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + SOURCE);
      s.execute("USE " + SOURCE);
      s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), qty INT)");
      for (int i = 1; i <= 30; i++) {
        s.execute("INSERT INTO items VALUES (" + i + ", 'item" + i + "', " + i + ")");
      }
    }
    TestDatabases.createPostgres(TARGET);
    TestDatabases.createPostgres(STORE);
    server = new TestServer("--ferry.alerts.check-interval=300ms");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    try (Connection c = source("");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + SOURCE);
    }
    TestDatabases.dropPostgres(TARGET);
    TestDatabases.dropPostgres(STORE);
  }

  @Test
  void theDataSourcesSwitchMakesWizardTasksShareOneMiningRun() throws Exception {
    Map<String, Object> mariaOptions =
        Map.of(
            "host", mariadb.host(),
            "port", mariadb.port(),
            "user", mariadb.user(),
            "database", SOURCE);
    long maria = dataSource("sms-maria", "mysql", mariaOptions);
    long pg =
        dataSource(
            "sms-pg",
            "postgresql",
            Map.of("host", "127.0.0.1", "port", 5432, "user", "postgres", "database", TARGET));
    // The service trusts local connections: the password is carried, never checked.
    dataSource(
        "sms-log",
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
    long gen = dataSource("sms-gen", "datagen", Map.of("rows", 10));

    // Saved with the switch off, as the form does, before any store was chosen: nothing set.
    Reply offFirst =
        server.put(
            "/api/datasources/" + maria,
            update("sms-maria", mariaOptions, Map.of("enabled", false)));
    assertThat(offFirst.status()).as(offFirst.toString()).isEqualTo(200);
    assertThat(offFirst.json().get("sharedMining").isNull()).as(offFirst.toString()).isTrue();
    // Switched on the first time without a store, or with a bad one: each problem names its field.
    assertInvalid(maria, mariaOptions, Map.of("enabled", true), "sharedMining.logDatasource");
    assertInvalid(
        maria,
        mariaOptions,
        Map.of("enabled", true, "logDatasource", "no-such-store", "logTable", "m"),
        "no-such-store");
    assertInvalid(
        maria,
        mariaOptions,
        Map.of("enabled", true, "logDatasource", "sms-gen", "logTable", "m"),
        "cannot keep a mining log");
    assertInvalid(
        maria,
        mariaOptions,
        Map.of("enabled", true, "logDatasource", "sms-log", "logTable", "bad-name"),
        "sharedMining.logTable");
    assertInvalid(
        maria,
        mariaOptions,
        Map.of("enabled", true, "logDatasource", "sms-log", "logTable", "m", "retentionHours", 0),
        "sharedMining.retentionHours");
    Reply noLog =
        server.put(
            "/api/datasources/" + gen,
            Map.of(
                "alias",
                "sms-gen",
                "connector",
                "datagen",
                "options",
                Map.of("rows", 10),
                "sharedMining",
                Map.of("enabled", true, "logDatasource", "sms-log", "logTable", "m")));
    assertThat(noLog.status()).as(noLog.toString()).isEqualTo(400);
    assertThat(noLog.body()).contains("sharedMining.enabled", "reads no change log");

    Map<String, Object> mining =
        Map.of(
            "enabled",
            true,
            "logDatasource",
            "sms-log",
            "logTable",
            "mining_wiz",
            "retentionHours",
            48);
    // Like every data-source edit: not for a viewer.
    Reply viewer =
        server.post(
            "/api/users",
            Map.of("username", "sms-viewer", "password", "viewer-pass-3", "role", "viewer"));
    assertThat(viewer.status()).as(viewer.toString()).isEqualTo(201);
    assertThat(
            server
                .call(
                    "PUT",
                    "/api/datasources/" + maria,
                    update("sms-maria", mariaOptions, mining),
                    "sms-viewer",
                    "viewer-pass-3")
                .status())
        .isEqualTo(403);
    Reply on = server.put("/api/datasources/" + maria, update("sms-maria", mariaOptions, mining));
    assertThat(on.status()).as(on.toString()).isEqualTo(200);
    assertThat(on.json().get("sharedMining").toString())
        .isEqualTo(
            "{\"enabled\":true,\"logDatasource\":\"sms-log\",\"logTable\":\"mining_wiz\","
                + "\"retentionHours\":48}");
    // An edit without the setting keeps it.
    Reply kept = server.put("/api/datasources/" + maria, update("sms-maria", mariaOptions, null));
    assertThat(kept.json().at("/sharedMining/enabled").asBoolean()).as(kept.toString()).isTrue();

    // The wizard's cdc task reads the source's mining log unless told not to.
    Reply off = server.post("/api/tasks", wizardTask("sms-off", maria, pg, "items_off", false));
    assertThat(off.status()).as(off.toString()).isEqualTo(201);
    assertThat(off.json().get("script").asText()).doesNotContain("sharedMining");
    Reply task = server.post("/api/tasks", wizardTask("sms-items", maria, pg, "items", null));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    String script = task.json().get("script").asText();
    assertThat(script).contains("sharedMining: true", "datasource: sms-log", "table: mining_wiz");
    Reply refused = server.post("/api/tasks", wizardTask("sms-pg-src", pg, pg, "x", true));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.body()).contains("wizard.sharedMining", "shared mining off");

    long run = startRun(task.json().get("id").asLong());
    await(run, r -> r.path("changes").path("phase").asText().equals("STREAMING"));
    JsonNode list = server.get("/api/mining").json();
    assertThat(list).as(list.toString()).hasSize(1);
    long miningId = list.get(0).get("id").asLong();
    assertThat(list.get(0).get("miningLog").asText()).isEqualTo("sms-log mining_wiz");
    assertThat(list.get(0).get("retentionHours").asLong())
        .as("the data source's retention")
        .isEqualTo(48);
    // The store is chosen once: its log holds the task's offsets now.
    Map<String, Object> moved = new HashMap<>(mining);
    moved.put("logTable", "elsewhere");
    Reply move = server.put("/api/datasources/" + maria, update("sms-maria", mariaOptions, moved));
    assertThat(move.status()).as(move.toString()).isEqualTo(409);
    assertThat(move.body()).contains("chosen once");

    // What the task reads from the log, beside what the mining run appends.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int next = 100;
    JsonNode figures = null;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < 20; i++, next++) {
        change("INSERT INTO items VALUES (" + next + ", 'r', 1)");
      }
      figures = server.get("/api/mining/" + miningId).json();
      if (figures.get("readPerSecond").asDouble() > 0) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(figures.get("readPerSecond").asDouble()).as(figures.toString()).isPositive();
    awaitEqual();

    // A paused task still needs the events after its offset: a retention that drops them within
    // the rule's hours fires; a rule with fewer hours does not.
    long channel =
        server
            .post("/api/alert-channels", Map.of("name", "sms-bell", "kind", "in-app"))
            .json()
            .get("id")
            .asLong();
    long near = rule("sms-near", 49, channel);
    long far = rule("sms-far", 47, channel);
    assertThat(server.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("PAUSED"));
    change("UPDATE items SET qty = qty + 1 WHERE id <= 5");
    JsonNode behind = awaitMining(miningId, m -> !m.path("neededBy").isNull());
    assertThat(behind.get("neededBy").asText()).isEqualTo("sms-items");
    Instant dropsAt = Instant.parse(behind.get("neededDropsAt").asText());
    assertThat(dropsAt)
        .isBetween(
            Instant.now().plus(47, ChronoUnit.HOURS), Instant.now().plus(48, ChronoUnit.HOURS));
    JsonNode firing = awaitNotice(near, "firing");
    assertThat(firing.get("body").asText()).contains("sms-items", "still needs");
    assertThat(server.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("RUNNING"));
    awaitEqual();
    awaitMining(miningId, m -> m.path("neededBy").isNull());
    awaitNotice(near, "recovered");
    assertThat(notices(far)).as("the 47-hour rule never fired").isEmpty();

    // The start time, edited while stopped: the run reads the source's log again from then.
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Thread.sleep(1100); // binlog times have whole seconds
    change("UPDATE items SET name = 'again' WHERE id <= 3");
    awaitEqual();
    Reply editRunning = server.put("/api/mining/" + miningId, Map.of("startAt", before.toString()));
    assertThat(editRunning.status()).as(editRunning.toString()).isEqualTo(409);
    assertThat(server.post("/api/mining/" + miningId + "/stop", null).status()).isEqualTo(200);
    Reply future =
        server.put(
            "/api/mining/" + miningId,
            Map.of("startAt", Instant.now().plusSeconds(3600).toString()));
    assertThat(future.status()).as(future.toString()).isEqualTo(400);
    assertThat(future.body()).contains("startAt", "future");
    Reply garbled = server.put("/api/mining/" + miningId, Map.of("startAt", "yesterday"));
    assertThat(garbled.status()).as(garbled.toString()).isEqualTo(400);
    assertThat(garbled.body()).contains("startAt");
    Reply gone =
        server.put(
            "/api/mining/" + miningId,
            Map.of("startAt", Instant.now().minus(30, ChronoUnit.DAYS).toString()));
    assertThat(gone.status()).as(gone.toString()).isEqualTo(400);
    assertThat(gone.body()).contains("startAt", "no longer holds");
    Reply edited = server.put("/api/mining/" + miningId, Map.of("startAt", before.toString()));
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(edited.json().get("startAt").asText()).isEqualTo(before.toString());
    long headBefore = edited.json().get("head").asLong();
    assertThat(server.post("/api/mining/" + miningId + "/start", null).status()).isEqualTo(200);
    // The 3 updates since then are appended again (the task applies them again, by key).
    JsonNode again = awaitMining(miningId, m -> m.get("head").asLong() >= headBefore + 3);
    assertThat(again.get("startAt").isNull()).as("applied once, then cleared").isTrue();
    change("INSERT INTO items VALUES (5000, 'after the restart', 5)");
    awaitEqual();

    assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("STOPPED"));
    assertThat(server.post("/api/mining/" + miningId + "/stop", null).status()).isEqualTo(200);
    for (String path :
        List.of("/api/datasources/" + maria, "/api/datasources?size=100", "/api/mining")) {
      assertThat(server.get(path).body()).as(path).doesNotContain(LOG_PASSWORD);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

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

  private static Map<String, Object> update(
      String alias, Map<String, Object> options, Map<String, Object> sharedMining) {
    Map<String, Object> body = new HashMap<>();
    body.put("alias", alias);
    body.put("connector", "mysql");
    body.put("options", options);
    if (sharedMining != null) {
      body.put("sharedMining", sharedMining);
    }
    return body;
  }

  private static void assertInvalid(
      long id, Map<String, Object> options, Map<String, Object> sharedMining, String expected) {
    Reply r = server.put("/api/datasources/" + id, update("sms-maria", options, sharedMining));
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.body()).contains(expected);
  }

  private static Map<String, Object> wizardTask(
      String name, long source, long target, String table, Boolean sharedMining) {
    Map<String, Object> wizard = new HashMap<>();
    wizard.put("source", Map.of("datasourceId", source, "table", SOURCE + ".items"));
    wizard.put(
        "target",
        Map.of(
            "datasourceId",
            target,
            "table",
            "public." + table,
            "options",
            Map.of("createTable", true)));
    wizard.put("syncMode", "full-incremental");
    wizard.put("settings", Map.of("flushInterval", "200ms", "progressInterval", "200ms"));
    if (sharedMining != null) {
      wizard.put("sharedMining", sharedMining);
    }
    return Map.of("name", name, "mode", "wizard", "wizard", wizard);
  }

  private static long startRun(long taskId) {
    Reply started = server.post("/api/tasks/" + taskId + "/runs", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return started.json().get("id").asLong();
  }

  private static long rule(String name, double hours, long channel) {
    Reply r =
        server.post(
            "/api/alert-rules",
            Map.of(
                "name",
                name,
                "kind",
                "mining-retention-near",
                "threshold",
                hours,
                "repeatMinutes",
                0,
                "channels",
                List.of(channel)));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static List<JsonNode> notices(long ruleId) {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (JsonNode n : server.get("/api/notices?size=100").json().get("items")) {
      if (n.get("ruleId").asLong() == ruleId) {
        out.add(n);
      }
    }
    return out;
  }

  private static JsonNode awaitNotice(long ruleId, String event) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode n : notices(ruleId)) {
        if (n.get("event").asText().equals(event)) {
          return n;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no " + event + " notice of rule " + ruleId);
  }

  private static JsonNode awaitMining(long id, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/mining/" + id).json();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("mining run " + id + " never got there: " + last);
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
    try (Connection src = source(SOURCE);
        Connection dst = TestDatabases.postgres(TARGET)) {
      return rows(src, "items").equals(rows(dst, "items"));
    } catch (SQLException notYet) {
      return false; // the target table is not created yet
    }
  }

  private static void awaitEqual() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!equal()) {
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
