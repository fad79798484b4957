package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.server.ClusteredSchedulerIT.ChildNode;
import io.ferry.server.TestServer.Reply;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19 §8, "kill -9 of the server while mining and while tasks read": a server node in a JVM of
 * its own holds the mining run of a MariaDB source with binlog ({@link BinlogMariaDb}) and runs two
 * shared-mining cdc tasks reading its mining log (a PostgreSQL table) into PostgreSQL, while a
 * generator changes the source. The node is killed (SIGKILL), the source changes on while it is
 * down, and the node starts again on the same metadata database: the mining run and both runs
 * continue by themselves (docs/scheduling.md, "A node that dies"; docs/shared-mining.md, "In the
 * server"), and end exact — the targets equal to the source in every row and value, every change in
 * the mining log once, and each task's applied counts (kept with its checkpoint) equal to the
 * changes of its table: the jdbc sink only upserts, so a change applied twice would not show in the
 * target.
 */
@Timeout(300)
class SharedMiningKillIT {
  private static final String NODE = "node-h19";
  private static final List<String> TABLES = List.of("items", "notes");
  private static final String LOG_TABLE = "mining_kill";

  private final String source = TestDatabases.newName("smk_h19_src");
  private final String target = TestDatabases.newName("smk_h19_dst");
  private final String store = TestDatabases.newName("smk_h19_log");
  private final String meta = TestDatabases.newName("smk_h19_meta");
  private BinlogMariaDb mariadb;

  @Test
  void aKilledNodeRestartsItsMiningRunAndItsTasksAndEndsExact() throws Exception {
    mariadb = BinlogMariaDb.shared();
    try (Connection c = source("");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + source + " CHARACTER SET utf8mb4");
      s.execute("USE " + source);
      for (String t : TABLES) {
        s.execute(
            "CREATE TABLE "
                + t
                + " (id BIGINT PRIMARY KEY, name VARCHAR(60) NOT NULL, qty INT,"
                + " price DECIMAL(14,4), at DATETIME(6), note TEXT)");
        s.execute(
            "INSERT INTO "
                + t
                + " SELECT seq, CONCAT('行-', seq), seq, seq / 7, TIMESTAMP '2026-01-01 00:00:00'"
                + " + INTERVAL seq SECOND, NULL FROM seq_1_to_100");
      }
    }
    for (String db : List.of(target, store, meta)) {
      TestDatabases.createPostgres(db);
    }
    Generator generator = new Generator();
    ChildNode node = ChildNode.start(meta, NODE);
    try {
      node.awaitHealthy();
      Reply maria =
          node.call(
              "POST",
              "/api/datasources",
              Map.of(
                  "alias",
                  "smk-maria",
                  "connector",
                  "mysql",
                  "options",
                  Map.of(
                      "host", mariadb.host(),
                      "port", mariadb.port(),
                      "user", mariadb.user(),
                      "database", source)));
      assertThat(maria.status()).as(maria.toString()).isEqualTo(201);
      node.dataSource("smk-pg", "postgresql", TestDatabases.POSTGRES + target, "postgres");
      node.dataSource("smk-log", "postgresql", TestDatabases.POSTGRES + store, "postgres");
      Map<String, Long> runs = new TreeMap<>();
      for (String t : TABLES) {
        long task = node.task("smk-" + t, script(t));
        Reply started = node.call("POST", "/api/tasks/" + task + "/runs", null);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        runs.put(t, started.json().get("id").asLong());
      }
      Map<String, JsonNode> before = new TreeMap<>();
      for (String t : TABLES) {
        before.put(t, awaitRun(node, runs.get(t), r -> phase(r).equals("STREAMING")));
      }
      JsonNode mining = awaitMining(node, m -> m.get("tables").size() == 2);
      assertThat(mining.get("node").asText()).isEqualTo(NODE);

      // Killed while the mining run appends and both tasks apply what it appended.
      Thread writes = generator.start();
      for (String t : TABLES) {
        awaitRun(node, runs.get(t), r -> r.at("/changes/changesApplied").asLong() >= 50);
      }
      awaitMining(node, m -> m.get("eventsAppended").asLong() >= 200);
      int atKill = generator.statements;
      node.kill();
      awaitReaders(0);
      long headAtKill = head();

      // The source changes on while the node is down and while it starts again; the node continues
      // the mining run and both runs by itself, each run from its checkpoint.
      node = ChildNode.start(meta, NODE);
      node.awaitHealthy();
      assertThat(generator.statements).isGreaterThan(atKill);
      ChildNode restarted = node;
      JsonNode back =
          awaitMining(
              node,
              m ->
                  m.get("state").asText().equals("RUNNING") && m.get("head").asLong() > headAtKill);
      assertThat(back.get("id").asLong()).isEqualTo(mining.get("id").asLong());
      assertThat(back.get("node").asText()).isEqualTo(NODE);
      for (String t : TABLES) {
        String log =
            await(
                "the log of run " + runs.get(t),
                () ->
                    restarted
                        .call("GET", "/api/runs/" + runs.get(t) + "/log/download", null)
                        .body(),
                l -> l.contains("resumed " + before.get(t).get("runKey").asText()));
        assertThat(log)
            .contains(
                "the server stopped while the run was RUNNING; node "
                    + NODE
                    + " continues it from the checkpoint");
        JsonNode run = restarted.call("GET", "/api/runs/" + runs.get(t), null).json();
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("RUNNING");
        assertThat(run.get("node").asText()).isEqualTo(NODE);
      }
      int atRestart = generator.statements;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (generator.statements < atRestart + 200 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      generator.running.set(false);
      writes.join();
      assertThat(generator.failure).isNull();
      assertThat(generator.statements).isGreaterThan(atRestart);

      for (String t : TABLES) {
        awaitEqual(t);
      }
      for (String t : TABLES) {
        long[] made = generator.counts.get(t);
        // Every change in the mining log once: across the kill, nothing appended twice or skipped.
        assertThat(logged(t))
            .as("events of %s in the mining log, by op", t)
            .isEqualTo(Map.of("INSERT", made[0], "UPDATE", made[1], "DELETE", made[2]));
        // Each task applied each change once, by the counts its checkpoints keep.
        JsonNode applied =
            awaitRun(
                node,
                runs.get(t),
                r ->
                    made[0] + made[1] + made[2]
                        == applied(r, t).stream().mapToLong(Long::longValue).sum());
        assertThat(applied(applied, t))
            .as("inserts, updates and deletes %s applied", t)
            .containsExactly(made[0], made[1], made[2]);
      }
      assertThat(node.call("GET", "/api/mining", null).json()).hasSize(1);
      awaitReaders(1);
      long[] positions = positions();
      assertThat(positions[1]).as("distinct source positions in the log").isEqualTo(positions[0]);
    } finally {
      generator.running.set(false);
      node.close();
      try (Connection c = source("");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + source);
      }
      for (String db : List.of(target, store, meta)) {
        TestDatabases.dropPostgres(db);
      }
    }
  }

  private static String script(String table) {
    return """
        kind: cdc
        source:
          datasource: smk-maria
          tables: [%s]
        sink:
          datasource: smk-pg
          table: "${table}"
          createTable: true
        cdc:
          startup: initial
          sharedMining: true
          miningLog: {datasource: smk-log, table: %s}
        settings:
          flushInterval: 300ms
          progressInterval: 200ms
        """
        .formatted(table, LOG_TABLE);
  }

  /**
   * Single-row inserts, updates (some of the key) and deletes on both tables, now and then a few in
   * one transaction, counted by table and op as committed.
   */
  private final class Generator implements Runnable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final Map<String, long[]> counts = new TreeMap<>();
    volatile int statements;
    volatile Throwable failure;
    private final Random random = new Random(19);
    private final Map<String, Long> next = new TreeMap<>();

    Thread start() {
      for (String t : TABLES) {
        counts.put(t, new long[3]);
        next.put(t, 101L);
      }
      Thread thread = new Thread(this, "smk-generator");
      thread.start();
      return thread;
    }

    @Override
    public void run() {
      try (Connection c = source(source);
          Statement s = c.createStatement()) {
        while (running.get()) {
          if (random.nextInt(20) == 0) {
            c.setAutoCommit(false);
            Map<String, long[]> pending = new TreeMap<>();
            for (int i = 2 + random.nextInt(5); i > 0; i--) {
              change(s, pending);
            }
            c.commit();
            c.setAutoCommit(true);
            pending.forEach((t, n) -> add(counts.get(t), n));
          } else {
            Map<String, long[]> done = new TreeMap<>();
            change(s, done);
            done.forEach((t, n) -> add(counts.get(t), n));
          }
          statements++;
          Thread.sleep(8);
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    private void change(Statement s, Map<String, long[]> done) throws SQLException {
      String t = TABLES.get(random.nextInt(TABLES.size()));
      long[] n = done.computeIfAbsent(t, k -> new long[3]);
      long id = 1 + random.nextInt(next.get(t).intValue());
      int op = random.nextInt(100);
      if (op < 45) {
        long key = next.merge(t, 1L, Long::sum) - 1;
        n[0] +=
            s.executeUpdate(
                "INSERT INTO "
                    + t
                    + " VALUES ("
                    + key
                    + ", 'n-"
                    + key
                    + "-é', "
                    + random.nextInt(1000)
                    + ", "
                    + (random.nextInt(5) == 0 ? "NULL" : random.nextInt(1_000_000) / 1000.0)
                    + ", NOW(6), "
                    + (random.nextBoolean() ? "NULL" : "'note " + key + "'")
                    + ")");
      } else if (op < 80) {
        n[1] +=
            s.executeUpdate(
                "UPDATE "
                    + t
                    + " SET qty = IFNULL(qty, 0) + 1, price = "
                    + (random.nextInt(5) == 0 ? "NULL" : random.nextInt(1_000_000) / 10000.0)
                    + ", at = NOW(6), note = CONCAT(IFNULL(note, ''), 'u') WHERE id = "
                    + id);
      } else if (op < 85) {
        // A key change: the target deletes the old key and writes the new one.
        long key = next.merge(t, 1L, Long::sum) - 1;
        n[1] += s.executeUpdate("UPDATE " + t + " SET id = " + key + " WHERE id = " + id);
      } else {
        n[2] += s.executeUpdate("DELETE FROM " + t + " WHERE id = " + id);
      }
    }

    private static void add(long[] into, long[] n) {
      for (int i = 0; i < 3; i++) {
        into[i] += n[i];
      }
    }
  }

  private static String phase(JsonNode run) {
    return run.path("changes").path("phase").asText();
  }

  /** A run's inserts, updates and deletes of a table, over all its attempts. */
  private List<Long> applied(JsonNode run, String table) {
    for (JsonNode t : run.path("changes").path("tables")) {
      if (t.get("table").asText().equals(source + "." + table)) {
        return List.of(
            t.get("inserts").asLong(), t.get("updates").asLong(), t.get("deletes").asLong());
      }
    }
    return List.of();
  }

  private static JsonNode awaitRun(ChildNode node, long run, Predicate<JsonNode> condition)
      throws InterruptedException {
    return await(
        "run " + run,
        () -> node.call("GET", "/api/runs/" + run, null).json(),
        r -> {
          assertThat(r.get("state").asText()).as(r.toString()).isNotIn("FAILED", "STOPPED");
          return condition.test(r);
        });
  }

  private static JsonNode awaitMining(ChildNode node, Predicate<JsonNode> condition)
      throws InterruptedException {
    return await(
            "the mining runs",
            () -> node.call("GET", "/api/mining", null).json(),
            l -> l.size() == 1 && condition.test(l.get(0)))
        .get(0);
  }

  private static <T> T await(String what, Supplier<T> read, Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = read.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(what + " never got there: " + last);
  }

  private Connection source(String database) throws SQLException {
    return DriverManager.getConnection(
        mariadb.jdbcUrl(database), mariadb.user(), mariadb.password());
  }

  private void awaitReaders(int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (mariadb.binlogReaders() != expected) {
      assertThat(System.nanoTime())
          .as("binlog readers: %d, expected %d", mariadb.binlogReaders(), expected)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The mining log's events of a table, counted by op. */
  private Map<String, Long> logged(String table) throws SQLException {
    Map<String, Long> ops = new TreeMap<>();
    try (Connection c = TestDatabases.postgres(store);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT op, COUNT(*) FROM "
                    + LOG_TABLE
                    + " WHERE tbl = '"
                    + source
                    + "."
                    + table
                    + "' GROUP BY op")) {
      while (rs.next()) {
        ops.put(rs.getString(1), rs.getLong(2));
      }
    }
    return ops;
  }

  /** The mining log's head: its last event's number. */
  private long head() throws SQLException {
    try (Connection c = TestDatabases.postgres(store);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + LOG_TABLE)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The mining log's row events and how many distinct source positions they have. */
  private long[] positions() throws SQLException {
    try (Connection c = TestDatabases.postgres(store);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*), COUNT(DISTINCT source_position) FROM "
                    + LOG_TABLE
                    + " WHERE op <> 'SCHEMA'")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  /** Every row of a table, in key order, every value as text. */
  private static List<String> rows(Connection connection, String table) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = connection;
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, name, qty, price, at, note FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        BigDecimal price = rs.getBigDecimal(4);
        rows.add(
            rs.getLong(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getObject(3)
                + "|"
                + (price == null ? null : price.toPlainString())
                + "|"
                + rs.getObject(5, LocalDateTime.class)
                + "|"
                + rs.getString(6));
      }
    }
    return rows;
  }

  private void awaitEqual(String table) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    List<String> want = rows(source(source), table);
    List<String> got = List.of();
    while (System.nanoTime() < deadline) {
      got = rows(TestDatabases.postgres(target), table);
      if (want.equals(got)) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(got).as("%s: the target equals the source", table).isEqualTo(want);
  }
}
