package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two server nodes on one PostgreSQL metadata store: Quartz's clustered job store fires each
 * planned time on one node, each instance runs once, and a run is controlled from either node. A
 * node in a JVM of its own is killed (SIGKILL) or frozen (SIGSTOP) mid-run: the other continues its
 * runs from their checkpoints without a person, and a frozen node that comes back writes no more.
 */
class ClusteredSchedulerIT {

  /** The nodes of a cluster share the key of the secrets they store (base64 of 32 bytes). */
  private static final String SECRET_KEY = "ZmVycnktY2x1c3Rlci10ZXN0LWtleS0zMi1ieXRlcyE=";

  static List<String> args(String db, String node) {
    return List.of(
        "--spring.datasource.url=" + TestDatabases.POSTGRES + db,
        "--spring.datasource.username=postgres",
        "--ferry.secret.key=" + SECRET_KEY,
        "--ferry.node-id=" + node,
        "--ferry.max-concurrent-runs=8",
        "--ferry.cpu-cores=16",
        "--ferry.memory-mb=4096");
  }

  @Test
  void twoNodesFireEachInstanceOnceAndControlEachOthersRuns() throws Exception {
    String db = TestDatabases.newName("ferry_cluster");
    TestDatabases.createPostgres(db);
    try (TestServer a = new TestServer(args(db, "node-a").toArray(String[]::new));
        TestServer b = new TestServer(args(db, "node-b").toArray(String[]::new))) {
      Reply task =
          a.post(
              "/api/tasks",
              Map.of(
                  "name", "every-second",
                  "mode", "script",
                  "script",
                      "source: {connector: datagen, rows: 50}\nsink: {connector: blackhole}\n"));
      long id = task.json().get("id").asLong();
      Reply set =
          b.put(
              "/api/tasks/" + id + "/schedule",
              Map.of(
                  "type", "periodic",
                  "cycle", "cron",
                  "cron", "* * * * * ?",
                  "cpuCores", 1,
                  "memoryMb", 64));
      assertThat(set.status()).as(set.toString()).isEqualTo(200);
      assertThat(b.post("/api/tasks/" + id + "/online", null).status()).isEqualTo(200);
      // Until eight seconds have fired (not a fixed 10 s: a start of the schedule that is late on
      // a loaded machine still gets its eight).
      awaitInstances(a, id, l -> l.size() >= 8);
      assertThat(a.post("/api/tasks/" + id + "/offline", null).status()).isEqualTo(200);

      List<JsonNode> instances = settled(a, id);
      assertThat(instances).hasSizeGreaterThanOrEqualTo(6);
      // Every second between the first and the last planned time: one instance, no gap.
      List<Instant> planned =
          instances.stream().map(i -> Instant.parse(i.get("plannedTime").asText())).toList();
      for (int k = 1; k < planned.size(); k++) {
        assertThat(Duration.between(planned.get(k - 1), planned.get(k)))
            .as("planned times %s", planned)
            .isEqualTo(Duration.ofSeconds(1));
      }
      // Each instance ran; only the last may have fired as the task went offline, before it
      // started (seen on a loaded machine): it is skipped, saying so, and has no run.
      List<JsonNode> ran = instances;
      JsonNode last = instances.get(instances.size() - 1);
      if (last.get("state").asText().equals("SKIPPED")) {
        assertThat(last.get("message").asText())
            .isEqualTo("the task went offline before the instance started");
        assertThat(last.get("runId").isNull()).as(last.toString()).isTrue();
        ran = instances.subList(0, instances.size() - 1);
      }
      assertThat(ran).hasSizeGreaterThanOrEqualTo(6);
      assertThat(ran).allMatch(i -> i.get("state").asText().equals("SUCCEEDED"));
      // One run per instance that ran, whichever node ran it.
      JsonNode runs = b.get("/api/runs?taskId=" + id + "&size=500").json();
      assertThat(runs.get("total").asInt()).isEqualTo(ran.size());
      assertThat(runs.get("items").findValuesAsText("instanceId"))
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(
              ran.stream().map(i -> i.get("id").asText()).toList());

      // A run executing on node a is paused, resumed and stopped through node b and back.
      String slow =
          "source: {connector: datagen, rows: 1000000, rowsPerSecond: 500, batchSize: 50}\n"
              + "sink: {connector: blackhole}\nsettings: {channels: 1}\n";
      long run =
          a.post("/api/runs", Map.of("name", "slow", "script", slow)).json().get("id").asLong();
      await(a, run, "RUNNING");
      assertThat(a.get("/api/runs/" + run).json().get("node").asText()).isEqualTo("node-a");
      assertThat(b.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
      await(b, run, "PAUSED");
      assertThat(b.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
      await(b, run, "RUNNING");
      assertThat(b.get("/api/runs/" + run).json().get("node").asText()).isEqualTo("node-b");
      assertThat(a.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
      JsonNode stopped = await(a, run, "STOPPED");
      assertThat(stopped.get("recordsWritten").asLong()).isPositive();
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }

  // ---- a node that dies, a node that comes back ------------------------------------------

  static final int ROWS = 1500;

  /** A MariaDB table of {@link #ROWS} orders. */
  static void orders(String mariadb) throws Exception {
    TestDatabases.createMariadb(mariadb);
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
  }

  /** Every row of an orders table, in key order, as text. */
  static List<String> rows(Connection connection, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = connection;
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id, customer, amount, created FROM " + table + " ORDER BY id")) {
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
    return rows;
  }

  /** A copy of the orders, paced (40 rows/s: 37 s for all) so that a node can die mid-run. */
  static String copy(String table) {
    return copy(table, 40);
  }

  /**
   * A copy of the orders at {@code rowsPerSecond}: slow enough that a node can die (or freeze)
   * mid-run, where the test waits for the run's progress before it does.
   */
  static String copy(String table, int rowsPerSecond) {
    return "source: {datasource: maria, table: orders, batchSize: 20}\n"
        + "sink: {datasource: pg, table: \""
        + table
        + "\", createTable: true, writeMode: insert}\n"
        + "settings: {channels: 2, recordsPerSecond: "
        + rowsPerSecond
        + ", flushInterval: 1s}\n";
  }

  @Test
  void scheduledRunsOfAKilledNodeContinueOnTheSurvivorFromTheirCheckpoints() throws Exception {
    String meta = TestDatabases.newName("ferry_cluster");
    String source = TestDatabases.newName("ferry_src");
    String target = TestDatabases.newName("ferry_dst");
    TestDatabases.createPostgres(meta);
    TestDatabases.createPostgres(target);
    orders(source);
    try (ChildNode dead = ChildNode.start(meta, "node-dead")) {
      dead.awaitHealthy();
      dead.dataSource("maria", "mysql", TestDatabases.MARIADB + source, "root");
      dead.dataSource("pg", "postgresql", TestDatabases.POSTGRES + target, "postgres");
      // Two copies into a table of their own per cycle, and a print that cannot continue an
      // earlier attempt (the console sink is not resumable) but may be retried from scratch. The
      // print is paced like the copies (20 rows/s in each of its 2 splits: about 37 s), so that
      // it still runs when the survivor has started, also on a loaded machine.
      Map<Long, String> copies = new LinkedHashMap<>();
      for (String name : List.of("copy1", "copy2")) {
        copies.put(dead.task(name, copy(name + "_${cyctime}")), name);
      }
      long print =
          dead.task(
              "print",
              "source: {connector: datagen, rows: "
                  + ROWS
                  + ", rowsPerSecond: 20, batchSize: 20}\n"
                  + "sink: {connector: console, maxRows: 3}\n");
      List<Long> tasks = new ArrayList<>(copies.keySet());
      tasks.add(print);
      for (long task : tasks) {
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.putAll(
            Map.of(
                "type", "periodic",
                "cycle", "cron",
                "cron", "0/20 * * * * ?",
                "timeZone", "UTC",
                "timeoutMinutes", 3,
                "cpuCores", 1,
                "memoryMb", 64));
        if (task == print) {
          schedule.putAll(Map.of("idempotent", true, "retries", 1, "retryDelaySeconds", 1));
        }
        Reply set = dead.call("PUT", "/api/tasks/" + task + "/schedule", schedule);
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
      }
      assertThat(dead.call("POST", "/api/tasks/batch-online", Map.of("ids", tasks)).status())
          .isEqualTo(200);

      // The first cycle runs on node-dead alone: the survivor joins only then.
      Map<Long, JsonNode> first = new LinkedHashMap<>();
      for (long task : tasks) {
        first.put(task, dead.awaitFirstRun(task));
      }
      try (TestServer b = new TestServer(args(meta, "node-b").toArray(String[]::new))) {
        Map<Long, JsonNode> before = new LinkedHashMap<>();
        for (long task : tasks) {
          JsonNode run = b.get("/api/runs/" + first.get(task).get("runId").asLong()).json();
          assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("RUNNING");
          assertThat(run.get("node").asText()).isEqualTo("node-dead");
          assertThat(run.get("recordsWritten").asLong()).as(run.toString()).isLessThan(ROWS);
          before.put(task, run);
        }
        dead.kill();
        Instant killed = Instant.now();

        // No call to any run from here on: node-b continues them by itself. The tasks go offline
        // once they fired again after the death, so that the fires across it are counted below.
        for (long task : copies.keySet()) {
          awaitRun(
              b,
              before.get(task).get("id").asLong(),
              r -> r.get("node").asText().equals("node-b"),
              Duration.ofSeconds(60));
        }
        for (long task : tasks) {
          awaitInstances(b, task, l -> l.stream().anyMatch(i -> plannedAfter(i, killed)));
        }
        assertThat(b.post("/api/tasks/batch-offline", Map.of("ids", tasks)).status())
            .isEqualTo(200);
        // The print cannot continue: its run fails with the reason, and the instance's retry
        // runs it again from the start on node-b, even when the task went offline before the
        // retry: an instance that started finishes.
        JsonNode printed = awaitInstance(b, first.get(print).get("id").asLong(), "SUCCEEDED");
        for (long task : copies.keySet()) {
          long runId = before.get(task).get("id").asLong();
          JsonNode done = await(b, runId, "SUCCEEDED", Duration.ofSeconds(120));
          assertThat(done.get("node").asText()).isEqualTo("node-b");
          assertThat(done.get("recordsWritten").asLong()).isEqualTo(ROWS);
          assertThat(done.get("startedAt").asText())
              .as("a run's start is when it first started")
              .isEqualTo(before.get(task).get("startedAt").asText());
          String log = b.admin("GET", "/api/runs/" + runId + "/log/download", null).body();
          assertThat(log)
              .contains(
                  "node node-dead stopped (no heartbeat for 12 s) while the run was RUNNING;"
                      + " node node-b continues it from the checkpoint",
                  "resumed " + done.get("runKey").asText())
              .doesNotContain("resume requested");
          JsonNode instance = b.get("/api/instances/" + first.get(task).get("id").asLong()).json();
          assertThat(instance.get("state").asText()).isEqualTo("SUCCEEDED");
          assertThat(instance.get("node").asText()).isEqualTo("node-b");
          assertThat(instance.get("startedAt").asText()).isEqualTo(done.get("startedAt").asText());
        }
        assertThat(printed.get("attempt").asInt()).isEqualTo(2);
        assertThat(printed.get("node").asText()).isEqualTo("node-b");
        JsonNode failed = b.get("/api/runs/" + before.get(print).get("id").asLong()).json();
        assertThat(failed.get("state").asText()).isEqualTo("FAILED");
        assertThat(failed.get("node").asText()).isEqualTo("node-b");
        assertThat(failed.get("message").asText())
            .contains("cannot continue from the checkpoint", "console sink cannot continue");
        JsonNode retry = b.get("/api/runs/" + printed.get("runId").asLong()).json();
        assertThat(retry.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(retry.get("recordsWritten").asLong()).isEqualTo(ROWS);
        assertThat(Instant.parse(printed.get("startedAt").asText())).isAfter(killed);

        for (long task : tasks) {
          List<JsonNode> instances = settled(b, task, Duration.ofSeconds(120));
          List<JsonNode> fired =
              instances.stream().filter(i -> i.get("trigger").asText().equals("schedule")).toList();
          // Every 20 s from the first planned time to the last: one instance each, none lost
          // or doubled across the death of a node.
          for (int k = 1; k < fired.size(); k++) {
            assertThat(
                    Duration.between(
                        Instant.parse(fired.get(k - 1).get("plannedTime").asText()),
                        Instant.parse(fired.get(k).get("plannedTime").asText())))
                .as("planned times of task %s", task)
                .isEqualTo(Duration.ofSeconds(20));
          }
          for (int k = 0; k < fired.size(); k++) {
            JsonNode i = fired.get(k);
            if (k == fired.size() - 1 && i.get("state").asText().equals("SKIPPED")) {
              continue; // fired just before the task went offline
            }
            assertThat(i.get("state").asText()).as(i.toString()).isEqualTo("SUCCEEDED");
            JsonNode run = b.get("/api/runs/" + i.get("runId").asLong()).json();
            assertThat(i.get("node").asText()).as(i.toString()).isEqualTo(run.get("node").asText());
            assertThat(i.get("startedAt").asText())
                .as("an instance starts when its run starts")
                .isEqualTo(run.get("startedAt").asText());
            if (copies.containsKey(task)) {
              String table =
                  copies.get(task)
                      + "_"
                      + java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                          .withZone(java.time.ZoneOffset.UTC)
                          .format(Instant.parse(i.get("plannedTime").asText()));
              assertThat(rows(TestDatabases.postgres(target), table))
                  .as("table %s", table)
                  .hasSize(ROWS)
                  .isEqualTo(rows(TestDatabases.mariadb(source), "orders"));
            }
          }
        }
      }
    } finally {
      TestDatabases.dropPostgres(meta);
      TestDatabases.dropPostgres(target);
      TestDatabases.dropMariadb(source);
    }
  }

  @Test
  void aNodeThatComesBackAfterItsRunWasTakenOverWritesNoMore() throws Exception {
    String meta = TestDatabases.newName("ferry_cluster");
    String source = TestDatabases.newName("ferry_src");
    String target = TestDatabases.newName("ferry_dst");
    TestDatabases.createPostgres(meta);
    TestDatabases.createPostgres(target);
    orders(source);
    try (Connection c = TestDatabases.postgres(target);
        Statement s = c.createStatement()) {
      // No key: a row written twice would stay twice.
      s.execute(
          "CREATE TABLE fenced (id BIGINT NOT NULL, customer VARCHAR(40) NOT NULL,"
              + " amount NUMERIC(12,2), created TIMESTAMP)");
    }
    try (ChildNode dead = ChildNode.start(meta, "node-dead");
        TestServer b = new TestServer(args(meta, "node-b").toArray(String[]::new))) {
      dead.awaitHealthy();
      dead.dataSource("maria", "mysql", TestDatabases.MARIADB + source, "root");
      dead.dataSource("pg", "postgresql", TestDatabases.POSTGRES + target, "postgres");
      // A run a person paused on node-dead: it stays paused whatever happens to the node.
      long pausedByHand =
          dead.call(
                  "POST",
                  "/api/runs",
                  Map.of(
                      "name",
                      "held",
                      "script",
                      "source: {connector: datagen, rows: 100000, rowsPerSecond: 100}\n"
                          + "sink: {connector: blackhole}\n"))
              .json()
              .get("id")
              .asLong();
      await(b, pausedByHand, "RUNNING");
      assertThat(dead.call("POST", "/api/runs/" + pausedByHand + "/pause", null).status())
          .isEqualTo(202);
      String pausedMessage = await(b, pausedByHand, "PAUSED").get("message").asText();

      // 100 rows/s (15 s for all): the freeze at 200 rows, the takeover after two leases (12 s)
      // and 100 more rows on node-b leave some 11 s of the run for the thawed node to write into.
      Reply started =
          dead.call("POST", "/api/runs", Map.of("name", "fenced", "script", copy("fenced", 100)));
      assertThat(started.status()).as(started.toString()).isEqualTo(202);
      long run = started.json().get("id").asLong();
      awaitRun(b, run, r -> r.get("recordsWritten").asLong() >= 200, Duration.ofSeconds(60));

      // Frozen, not dead: its process keeps its connections and its run's threads.
      dead.freeze();
      JsonNode taken =
          awaitRun(
              b,
              run,
              r ->
                  r.get("node").asText().equals("node-b")
                      && r.get("state").asText().equals("RUNNING"),
              Duration.ofSeconds(60));
      long atTakeover = taken.get("recordsWritten").asLong();
      awaitRun(
          b,
          run,
          r -> r.get("recordsWritten").asLong() >= atTakeover + 100,
          Duration.ofSeconds(30));
      dead.thaw();

      JsonNode done = await(b, run, "SUCCEEDED", Duration.ofSeconds(90));
      assertThat(done.get("node").asText()).isEqualTo("node-b");
      assertThat(done.get("recordsWritten").asLong()).isEqualTo(ROWS);
      assertThat(rows(TestDatabases.postgres(target), "fenced"))
          .as("every row once: the node that came back wrote none after the takeover")
          .isEqualTo(rows(TestDatabases.mariadb(source), "orders"));
      // It noticed, let go of the run, and joined the cluster again.
      awaitLog(b, run, "node node-dead stopped its attempt");
      assertThat(dead.call("GET", "/actuator/health", null).status()).isEqualTo(200);
      JdbcClient db = b.bean(JdbcClient.class);
      assertThat(db.sql("SELECT node FROM ferry_node").query(String.class).list())
          .contains("node-dead", "node-b");
      JsonNode after = b.get("/api/runs/" + run).json();
      assertThat(after.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(after.get("node").asText()).isEqualTo("node-b");
      assertThat(rows(TestDatabases.postgres(target), "fenced")).hasSize(ROWS);

      JsonNode held = b.get("/api/runs/" + pausedByHand).json();
      assertThat(held.get("state").asText()).isEqualTo("PAUSED");
      assertThat(held.get("node").asText()).isEqualTo("node-dead");
      assertThat(held.get("message").asText()).isEqualTo(pausedMessage);
    } finally {
      TestDatabases.dropPostgres(meta);
      TestDatabases.dropPostgres(target);
      TestDatabases.dropMariadb(source);
    }
  }

  @Test
  void aCdcRunOfAKilledNodeContinuesOnTheSurvivorFromItsCheckpoint() throws Exception {
    String meta = TestDatabases.newName("ferry_cluster");
    String source = TestDatabases.newName("cdc_src");
    String target = TestDatabases.newName("cdc_dst");
    io.ferry.connector.testkit.BinlogMariaDb binlog =
        io.ferry.connector.testkit.BinlogMariaDb.shared();
    TestDatabases.createPostgres(meta);
    TestDatabases.createPostgres(target);
    java.util.function.Supplier<Connection> src =
        () -> {
          try {
            return java.sql.DriverManager.getConnection(
                binlog.jdbcUrl(source), binlog.user(), binlog.password());
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        };
    try (Connection c =
            java.sql.DriverManager.getConnection(
                binlog.jdbcUrl(""), binlog.user(), binlog.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + source);
      s.execute("USE " + source);
      s.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
              + " amount DECIMAL(12,2), created DATETIME)");
      s.execute(
          "INSERT INTO orders SELECT seq, CONCAT('customer-', seq % 97), seq / 7,"
              + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE FROM seq_1_to_200");
    }
    // Changes while the run streams: inserts, updates of a key range, deletes, a key change.
    java.util.function.IntConsumer changes =
        round -> {
          try (Connection c = src.get();
              Statement s = c.createStatement()) {
            int base = 1000 * round;
            s.execute(
                "INSERT INTO orders SELECT seq, 'new', seq, NULL FROM seq_"
                    + base
                    + "_to_"
                    + (base + 49));
            s.execute(
                "UPDATE orders SET amount = amount + "
                    + round
                    + " WHERE id BETWEEN "
                    + (round * 10)
                    + " AND "
                    + (round * 10 + 30));
            s.execute("DELETE FROM orders WHERE id % 50 = " + round);
            s.execute("UPDATE orders SET id = id + 100000 WHERE id = " + (base + 7));
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        };
    try (ChildNode dead = ChildNode.start(meta, "node-dead");
        TestServer b = new TestServer(args(meta, "node-b").toArray(String[]::new))) {
      dead.awaitHealthy();
      Reply maria =
          dead.call(
              "POST",
              "/api/datasources",
              Map.of(
                  "alias",
                  "binlog",
                  "connector",
                  "mysql",
                  "options",
                  Map.of(
                      "host", binlog.host(),
                      "port", binlog.port(),
                      "user", binlog.user(),
                      "database", source)));
      assertThat(maria.status()).as(maria.toString()).isEqualTo(201);
      dead.dataSource("pg", "postgresql", TestDatabases.POSTGRES + target, "postgres");
      Reply started =
          dead.call(
              "POST",
              "/api/runs",
              Map.of(
                  "name",
                  "cdc-takeover",
                  "script",
                  "kind: cdc\n"
                      + "source: {datasource: binlog, tables: [orders]}\n"
                      + "sink: {datasource: pg, table: \"${table}\", createTable: true}\n"
                      + "settings: {flushInterval: 200ms, progressInterval: 200ms}\n"));
      assertThat(started.status()).as(started.toString()).isEqualTo(202);
      long run = started.json().get("id").asLong();
      awaitRun(
          b,
          run,
          r -> r.path("changes").path("phase").asText().equals("STREAMING"),
          Duration.ofSeconds(60));
      changes.accept(1);
      awaitCdcEqual(src, target);
      JsonNode before = b.get("/api/runs/" + run).json();
      assertThat(before.get("node").asText()).isEqualTo("node-dead");
      String checkpointed = before.at("/changes/position").asText();
      assertThat(checkpointed).isNotBlank();

      // Changes the dead node may have read but not checkpointed, and changes after its death.
      changes.accept(2);
      dead.kill();
      changes.accept(3);
      JsonNode taken =
          awaitRun(
              b,
              run,
              r ->
                  r.get("node").asText().equals("node-b")
                      && r.get("state").asText().equals("RUNNING")
                      && r.path("changes").path("phase").asText().equals("STREAMING"),
              Duration.ofSeconds(60));
      assertThat(taken.get("runKey").asText()).isEqualTo(before.get("runKey").asText());
      awaitCdcEqual(src, target);
      changes.accept(4);
      awaitCdcEqual(src, target);
      String log = b.admin("GET", "/api/runs/" + run + "/log/download", null).body();
      assertThat(log)
          .contains(
              "node node-dead stopped",
              "node node-b continues it from the checkpoint",
              "resumed " + taken.get("runKey").asText());
      assertThat(b.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
      await(b, run, "STOPPED", Duration.ofSeconds(30));
    } finally {
      TestDatabases.dropPostgres(meta);
      TestDatabases.dropPostgres(target);
      try (Connection c =
              java.sql.DriverManager.getConnection(
                  binlog.jdbcUrl(""), binlog.user(), binlog.password());
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + source);
      }
    }
  }

  /** Waits until the cdc target's orders equal the source's, row for row. */
  private static void awaitCdcEqual(java.util.function.Supplier<Connection> source, String target)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> want = List.of();
    List<String> got = List.of();
    while (System.nanoTime() < deadline) {
      want = rows(source.get(), "orders");
      try {
        got = rows(TestDatabases.postgres(target), "orders");
      } catch (java.sql.SQLException notYet) {
        got = List.of(); // the table is created by the snapshot
      }
      if (want.equals(got)) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(got).as("the target equals the source").isEqualTo(want);
  }

  /** A server node in a JVM of its own, so that it can be killed or frozen mid-run. */
  /** A server node in a JVM of its own, killed (SIGKILL) or frozen (SIGSTOP) when a test says. */
  static final class ChildNode implements AutoCloseable {
    private final Process process;
    private final String base;
    private final java.nio.file.Path dir;

    private ChildNode(Process process, String base, java.nio.file.Path dir) {
      this.process = process;
      this.base = base;
      this.dir = dir;
    }

    static ChildNode start(String meta, String node, String... extra) throws Exception {
      int port;
      try (java.net.ServerSocket free =
          new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = free.getLocalPort();
      }
      java.nio.file.Path dir = java.nio.file.Path.of("target", node + "-" + meta).toAbsolutePath();
      java.nio.file.Files.createDirectories(dir);
      List<String> command =
          new ArrayList<>(
              List.of(
                  java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  // C1 only: no C2 compilations compete for the machine's cores while the node
                  // starts; its tests' runs are light.
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  FerryServer.class.getName(),
                  "--server.port=" + port,
                  "--ferry.data-dir=" + dir,
                  "--ferry.admin.password=" + TestServer.ADMIN_PASSWORD,
                  "--ferry.lease=PT6S"));
      command.addAll(args(meta, node));
      command.addAll(List.of(extra));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              // Appended: a node started again on the same data directory keeps the first log.
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
              .start();
      return new ChildNode(process, "http://127.0.0.1:" + port, dir);
    }

    void awaitHealthy() throws Exception {
      // A Spring Boot start takes a minute and more on a loaded machine.
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (System.nanoTime() < deadline) {
        assertThat(process.isAlive()).as("the child server exited; see %s", dir).isTrue();
        try {
          if (call("GET", "/actuator/health", null).status() == 200) {
            return;
          }
        } catch (RuntimeException notYet) {
          // not listening yet
        }
        Thread.sleep(250);
      }
      throw new AssertionError("the child server did not start in 180 s; see " + dir);
    }

    long dataSource(String alias, String connector, String url, String user) {
      Reply r =
          call(
              "POST",
              "/api/datasources",
              Map.of(
                  "alias", alias,
                  "connector", connector,
                  "options", Map.of("url", url, "user", user, "password", "")));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      return r.json().get("id").asLong();
    }

    long task(String name, String script) {
      Reply r =
          call("POST", "/api/tasks", Map.of("name", name, "mode", "script", "script", script));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      return r.json().get("id").asLong();
    }

    /** The task's first instance once its run has written rows here. */
    JsonNode awaitFirstRun(long task) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      JsonNode last = null;
      while (System.nanoTime() < deadline) {
        JsonNode items = call("GET", "/api/tasks/" + task + "/instances", null).json().get("items");
        last = items;
        if (items.size() > 0) {
          JsonNode instance = items.get(items.size() - 1);
          if (instance.hasNonNull("runId")) {
            JsonNode run = call("GET", "/api/runs/" + instance.get("runId").asLong(), null).json();
            if (run.get("state").asText().equals("RUNNING")
                && run.get("recordsWritten").asLong() > 0) {
              return instance;
            }
          }
        }
        Thread.sleep(200);
      }
      throw new AssertionError("task " + task + " never ran on the node: " + last);
    }

    Reply call(String method, String path, Object body) {
      return remote(base, method, path, body);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor();
    }

    void freeze() throws Exception {
      signal("STOP");
    }

    void thaw() throws Exception {
      signal("CONT");
    }

    private void signal(String name) throws Exception {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
      assertThat(kill.waitFor()).as("kill -%s", name).isZero();
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        kill();
      }
    }
  }

  static JsonNode awaitRun(
      TestServer server,
      long run,
      java.util.function.Predicate<JsonNode> condition,
      Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (condition.test(last)) {
        return last;
      }
      assertThat(last.get("state").asText()).as(last.toString()).isNotIn("FAILED", "STOPPED");
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never got there: " + last);
  }

  private static void awaitLog(TestServer server, long run, String line)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String log = "";
    while (System.nanoTime() < deadline) {
      log = server.admin("GET", "/api/runs/" + run + "/log/download", null).body();
      if (log.contains(line)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the log of run " + run + " never said '" + line + "':\n" + log);
  }

  private static boolean plannedAfter(JsonNode instance, Instant t) {
    return Instant.parse(instance.get("plannedTime").asText()).isAfter(t);
  }

  private static void awaitInstances(
      TestServer server, long task, java.util.function.Predicate<List<JsonNode>> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<JsonNode> instances = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      instances.clear();
      server.get("/api/tasks/" + task + "/instances").json().get("items").forEach(instances::add);
      if (condition.test(instances)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the instances of task " + task + " never got there: " + instances);
  }

  private static JsonNode awaitInstance(TestServer server, long instance, String state)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/instances/" + instance).json();
      if (last.get("state").asText().equals(state)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("instance " + instance + " never became " + state + ": " + last);
  }

  private static Reply remote(String base, String method, String path, Object body) {
    try {
      java.net.http.HttpRequest.Builder request =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
              .header(
                  "Authorization",
                  "Basic "
                      + java.util.Base64.getEncoder()
                          .encodeToString(("admin:" + TestServer.ADMIN_PASSWORD).getBytes()))
              .header("Content-Type", "application/json")
              .method(
                  method,
                  body == null
                      ? java.net.http.HttpRequest.BodyPublishers.noBody()
                      : java.net.http.HttpRequest.BodyPublishers.ofString(
                          TestServer.JSON.writeValueAsString(body)));
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonNode> settled(TestServer server, long task) throws InterruptedException {
    return settled(server, task, Duration.ofSeconds(30));
  }

  private static List<JsonNode> settled(TestServer server, long task, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> out = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      out.clear();
      server
          .get("/api/tasks/" + task + "/instances?size=500")
          .json()
          .get("items")
          .forEach(out::add);
      if (out.stream()
          .noneMatch(i -> List.of("WAITING", "RUNNING").contains(i.get("state").asText()))) {
        break;
      }
      Thread.sleep(200);
    }
    out.sort((x, y) -> x.get("plannedTime").asText().compareTo(y.get("plannedTime").asText()));
    return out;
  }

  static JsonNode await(TestServer server, long run, String state) throws InterruptedException {
    return await(server, run, state, Duration.ofSeconds(30));
  }

  static JsonNode await(TestServer server, long run, String state, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (last.get("state").asText().equals(state)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never became " + state + ": " + last);
  }
}
