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
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mining runs in the metadata store (docs/shared-mining.md#in-the-server): two nodes of one
 * PostgreSQL metadata store run two shared-mining tasks of one MariaDB source with one binlog
 * reader between them; either node lists, stops and starts the mining run; when the node holding it
 * leaves, the other takes it over; after a restart of the whole cluster the run is listed and
 * mining again before any task continues; the targets end equal to the source.
 */
@Timeout(240)
class SharedMiningClusterIT {
  private static final String SECRET_KEY = "ZmVycnktY2x1c3Rlci10ZXN0LWtleS0zMi1ieXRlcyE=";
  private static final String SOURCE = TestDatabases.newName("smc_h19_src");
  private static final String TARGET = TestDatabases.newName("smc_h19_dst");
  private static final String STORE = TestDatabases.newName("smc_h19_log");
  private static final String META = TestDatabases.newName("smc_h19_meta");
  private static BinlogMariaDb mariadb;

  private static String[] args(String node) {
    return new String[] {
      "--spring.datasource.url=" + TestDatabases.POSTGRES + META,
      "--spring.datasource.username=postgres",
      "--ferry.secret.key=" + SECRET_KEY,
      "--ferry.node-id=" + node
    };
  }

  @Test
  void twoNodesShareOneMiningRunThatSurvivesTheirStopsAndRestarts() throws Exception {
    mariadb = BinlogMariaDb.shared();
    try (Connection c = source("");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + SOURCE);
      s.execute("USE " + SOURCE);
      for (String t : new String[] {"items", "notes"}) {
        s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, name VARCHAR(40), qty INT)");
        for (int i = 1; i <= 30; i++) {
          s.execute("INSERT INTO " + t + " VALUES (" + i + ", '" + t + i + "', " + i + ")");
        }
      }
    }
    TestDatabases.createPostgres(TARGET);
    TestDatabases.createPostgres(STORE);
    TestDatabases.createPostgres(META);
    TestServer a = new TestServer(args("node-a"));
    TestServer b = new TestServer(args("node-b"));
    try {
      dataSource(
          a,
          "smc-maria",
          "mysql",
          Map.of(
              "host", mariadb.host(),
              "port", mariadb.port(),
              "user", mariadb.user(),
              "database", SOURCE));
      dataSource(
          a,
          "smc-pg",
          "postgresql",
          Map.of("host", "127.0.0.1", "port", 5432, "user", "postgres", "database", TARGET));
      dataSource(
          a,
          "smc-log",
          "postgresql",
          Map.of("host", "127.0.0.1", "port", 5432, "user", "postgres", "database", STORE));
      long items = task(a, "smc-items", "items");
      long notes = task(a, "smc-notes", "notes");

      // A task of the source on each node, started together while the source data source's row
      // is locked: both nodes wait for the claim; then one creates the mining run, the other finds
      // it held by a live node and starts none; its task reads the same log. One binlog reader.
      long runA;
      long runB;
      try (Connection lock = TestDatabases.postgres(META)) {
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          s.execute("SELECT id FROM ferry_datasource WHERE alias = 'smc-maria' FOR UPDATE");
        }
        runA = launch(a, items);
        runB = launch(b, notes);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (waitingForLocks() < 2) {
          assertThat(System.nanoTime()).as("both nodes wait for the claim").isLessThan(deadline);
          Thread.sleep(100);
        }
        try (Statement s = lock.createStatement();
            ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ferry_mining_run")) {
          rs.next();
          assertThat(rs.getInt(1)).as("nothing claimed meanwhile").isZero();
        }
        assertThat(mariadb.binlogReaders()).isZero();
        lock.rollback();
      }
      for (long run : new long[] {runA, runB}) {
        awaitRun(a, run, r -> r.path("changes").path("phase").asText().equals("STREAMING"));
      }
      assertThat(a.get("/api/runs/" + runB).json().get("node").asText()).isEqualTo("node-b");
      JsonNode listed = awaitMining(b, m -> m.get("tables").size() == 2);
      assertThat(mariadb.binlogReaders()).as("one binlog reader for the two nodes").isEqualTo(1);
      String holder = listed.get("node").asText();
      assertThat(holder).isIn("node-a", "node-b");
      if (holder.equals("node-b")) {
        // The rest of the test wants it on node a: started there, node b lets it go.
        assertThat(b.post("/api/mining/" + listed.get("id").asLong() + "/stop", null).status())
            .isEqualTo(200);
        assertThat(a.post("/api/mining/" + listed.get("id").asLong() + "/start", null).status())
            .isEqualTo(200);
        listed = awaitMining(b, m -> m.get("node").asText().equals("node-a"));
      }
      assertThat(listed.get("node").asText()).isEqualTo("node-a");
      assertThat(listed.get("state").asText()).isEqualTo("RUNNING");
      assertThat(listed.get("name").asText()).isEqualTo("smc-maria-mining");
      long mining = listed.get("id").asLong();
      assertThat(a.get("/api/mining").json()).hasSize(1);
      change("UPDATE items SET qty = qty + 1 WHERE id <= 10");
      change("INSERT INTO notes VALUES (100, 'new', 1)");
      awaitEqual("items");
      awaitEqual("notes");
      assertThat(mariadb.binlogReaders()).as("one binlog reader for the cluster").isEqualTo(1);
      // Node b's list shows node a's figures, written to the row.
      JsonNode figures = awaitMining(b, m -> m.get("eventsAppended").asLong() >= 11);
      assertThat(figures.get("head").asLong()).isPositive();
      assertThat(figures.get("position").asText()).isNotBlank();

      // Stopped from node b: node a stops it; the tasks wait.
      Reply stopped = b.post("/api/mining/" + mining + "/stop", null);
      assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
      assertThat(stopped.json().get("state").asText()).isEqualTo("STOPPED");
      awaitReaders(0);
      change("INSERT INTO items VALUES (200, 'while stopped', 2)");
      Thread.sleep(1500);
      assertThat(equal("items")).as("nothing arrives while mining is stopped").isFalse();
      // Started from node b: it runs there now, node a lets it go.
      Reply started = b.post("/api/mining/" + mining + "/start", null);
      assertThat(started.status()).as(started.toString()).isEqualTo(200);
      assertThat(started.json().get("node").asText()).isEqualTo("node-b");
      assertThat(a.post("/api/mining/" + mining + "/start", null).status())
          .as("a running mining run does not start twice, from any node")
          .isEqualTo(409);
      awaitEqual("items");
      awaitReaders(1);

      // Node b leaves: node a takes the mining run over at once; b's task waits paused.
      b.stop();
      JsonNode taken = awaitMining(a, m -> m.get("node").asText().equals("node-a"));
      assertThat(taken.get("id").asLong()).isEqualTo(mining);
      assertThat(taken.get("state").asText()).isEqualTo("RUNNING");
      change("DELETE FROM items WHERE id > 25");
      awaitEqual("items");
      awaitReaders(1);
      assertThat(a.post("/api/runs/" + runB + "/resume", null).status()).isEqualTo(202);
      awaitRun(a, runB, r -> r.get("state").asText().equals("RUNNING"));
      change("UPDATE notes SET name = 'taken over' WHERE id < 5");
      awaitEqual("notes");

      // The whole cluster restarts: the mining run is listed and mining before any task continues.
      a.stop();
      change("INSERT INTO items VALUES (300, 'while down', 3)");
      change("UPDATE notes SET qty = 0");
      a.start();
      // Released by node a's shutdown (RUNNING, no node) until the restarted node claims it again.
      JsonNode back =
          awaitMining(
              a,
              m ->
                  m.get("state").asText().equals("RUNNING")
                      && m.get("node").asText().equals("node-a"));
      assertThat(back.get("id").asLong()).isEqualTo(mining);
      assertThat(back.get("node").asText()).isEqualTo("node-a");
      awaitReaders(1);
      for (long run : new long[] {runA, runB}) {
        assertThat(a.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
      }
      awaitEqual("items");
      awaitEqual("notes");
      assertThat(mariadb.binlogReaders()).isEqualTo(1);
      for (long run : new long[] {runA, runB}) {
        assertThat(a.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
        awaitRun(a, run, r -> r.get("state").asText().equals("STOPPED"));
      }
      assertThat(a.post("/api/mining/" + mining + "/stop", null).status()).isEqualTo(200);
      awaitReaders(0);
    } finally {
      b.close();
      a.close();
      try (Connection c = source("");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + SOURCE);
      }
      TestDatabases.dropPostgres(TARGET);
      TestDatabases.dropPostgres(STORE);
      TestDatabases.dropPostgres(META);
    }
  }

  private static void dataSource(
      TestServer server, String alias, String connector, Map<String, Object> options) {
    Reply r =
        server.post(
            "/api/datasources", Map.of("alias", alias, "connector", connector, "options", options));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private static long task(TestServer server, String name, String table) {
    String script =
        """
        kind: cdc
        source:
          datasource: smc-maria
          tables: [%s]
        sink:
          datasource: smc-pg
          table: "${table}"
          createTable: true
        cdc:
          startup: initial
          sharedMining: true
          miningLog: {datasource: smc-log, table: mining_smc}
        settings:
          flushInterval: 200ms
          progressInterval: 200ms
        """
            .formatted(table);
    Reply r = server.post("/api/tasks", Map.of("name", name, "mode", "script", "script", script));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static long launch(TestServer server, long task) {
    Reply started = server.post("/api/tasks/" + task + "/runs", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return started.json().get("id").asLong();
  }

  /** Sessions of the metadata database waiting for a lock. */
  private static int waitingForLocks() throws SQLException {
    try (Connection c = TestDatabases.postgres(META);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '"
                    + META
                    + "' AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static JsonNode awaitMining(TestServer server, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/mining").json();
      if (last.size() == 1 && condition.test(last.get(0))) {
        return last.get(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the mining runs never got there: " + last);
  }

  private static JsonNode awaitRun(TestServer server, long run, Predicate<JsonNode> condition)
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

  private static Connection source(String database) throws SQLException {
    return DriverManager.getConnection(
        mariadb.jdbcUrl(database), mariadb.user(), mariadb.password());
  }

  private static void change(String sql) throws SQLException {
    try (Connection c = source(SOURCE);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void awaitReaders(int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (mariadb.binlogReaders() != expected) {
      assertThat(System.nanoTime())
          .as("binlog readers: %d, expected %d", mariadb.binlogReaders(), expected)
          .isLessThan(deadline);
      Thread.sleep(100);
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

  private static boolean equal(String table) {
    try (Connection src = source(SOURCE);
        Connection dst = TestDatabases.postgres(TARGET)) {
      return rows(src, table).equals(rows(dst, table));
    } catch (SQLException notYet) {
      return false;
    }
  }

  private static void awaitEqual(String table) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!equal(table)) {
      assertThat(System.nanoTime())
          .as("%s: the target equals the source", table)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
