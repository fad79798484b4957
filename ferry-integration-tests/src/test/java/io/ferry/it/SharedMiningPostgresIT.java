package io.ferry.it;

import static io.ferry.it.CdcRuns.await;
import static io.ferry.it.CdcRuns.end;
import static io.ferry.it.CdcRuns.streaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.LogicalPostgres;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.MiningRun;
import io.ferry.engine.RunState;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.MiningLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared mining with a PostgreSQL source (docs/shared-mining.md): the testkit's logical-decoding
 * cluster ({@link LogicalPostgres}) read through one replication slot for three cdc jobs, and the
 * mining of one table stopped inside a large transaction and resumed from its stop; the mining log
 * is a table of the PostgreSQL service, the targets its databases, and every target ends equal to
 * its source tables. {@link SharedMiningIT} does the same with a MariaDB source.
 */
@Timeout(240)
class SharedMiningPostgresIT {
  private static final LogicalPostgres PG = LogicalPostgres.get();
  private static final String DB =
      "pgmining_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private static TestDatabases.Postgres store;

  @TempDir Path dir;

  @BeforeAll
  static void databases() throws Exception {
    store = new TestDatabases.Postgres();
    try (Connection c = source("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DB);
    }
  }

  @AfterAll
  static void drop() throws Exception {
    if (store != null) {
      store.close();
    }
    try (Connection c = source("postgres");
        Statement s = c.createStatement()) {
      // The slots of the mining runs, stopped by now: they would hold the cluster's WAL.
      s.execute(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
              + DB
              + "' AND NOT active");
      s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
    }
  }

  private static Connection source(String database) throws SQLException {
    return DriverManager.getConnection(PG.url(database), PG.user(), "");
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = source(DB);
        Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  /** Tables of one layout, each with 200 rows. */
  private static void createTables(String... tables) throws SQLException {
    for (String t : tables) {
      sql(
          "CREATE TABLE "
              + t
              + " (id BIGINT PRIMARY KEY, name VARCHAR(40), qty BIGINT, price NUMERIC(12,4),"
              + " at TIMESTAMP(6), data BYTEA)",
          "INSERT INTO "
              + t
              + " SELECT g, 'r' || g, g % 7, g + 0.0125, TIMESTAMP '2026-12-07 06:00:00' + g *"
              + " INTERVAL '1 microsecond', '\\x00ff'::bytea FROM generate_series(1, 200) g");
    }
  }

  /** A cdc job with shared mining on {@code tables}, through {@code slot}'s mining log. */
  private static String job(
      String name, List<String> tables, TestDatabases.Postgres target, String slot) {
    return """
        name: %s
        kind: cdc
        source:
          connector: postgresql
          host: 127.0.0.1
          port: %d
          user: postgres
          database: %s
          tables: [%s]
          slot: %s
          publication: %s
        sink:
          connector: postgresql
          %s
          table: "${table}"
          createTable: true
        cdc:
          startup: initial
          sharedMining: true
          miningLog: {connector: postgresql, host: 127.0.0.1, port: 5432, database: %s, user: postgres, table: %s}
        settings:
          channels: 2
          flushInterval: 200ms
          progressInterval: 100ms
        """
        .formatted(
            name,
            PG.port(),
            DB,
            String.join(", ", tables.stream().map(t -> "public." + t).toList()),
            slot,
            slot,
            target.options().replace(", ", "\n  "),
            store.name,
            slot + "_log");
  }

  private static JobSpec spec(String yaml, String name) {
    return JobSpecLoader.parse(yaml, false, null, name, Map.of());
  }

  private MiningRun mining(JobSpec job, String name) {
    MiningRun.Spec base = MiningRun.forJob(job, name, Duration.ofDays(1));
    return MiningRun.start(
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
        new MiningRun.Spec(
            base.name(),
            base.source(),
            base.miningLog(),
            base.retention(),
            Duration.ofMillis(200),
            Duration.ofSeconds(30),
            base.zone()),
        LocalFiles.unrestricted(),
        dir.resolve("mining-" + name));
  }

  private Engine engine() {
    return new Engine(
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir.resolve("state"));
  }

  /**
   * Replication slots of the source database but those named {@code except} (another test's, kept
   * after its mining run stopped), and those of them a replication connection reads now.
   */
  private static int[] slots(List<String> except) throws SQLException {
    try (Connection c = source("postgres");
        PreparedStatement p =
            c.prepareStatement(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE active_pid IN (SELECT pid FROM"
                    + " pg_stat_replication)) FROM pg_replication_slots WHERE database = ? AND"
                    + " slot_name <> ALL (?)")) {
      p.setString(1, DB);
      p.setArray(2, c.createArrayOf("text", except.toArray()));
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return new int[] {rs.getInt(1), rs.getInt(2)};
      }
    }
  }

  /** The replication slots of the source database now. */
  private static List<String> slotNames() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = source("postgres");
        PreparedStatement p =
            c.prepareStatement("SELECT slot_name FROM pg_replication_slots WHERE database = ?")) {
      p.setString(1, DB);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  private static Map<Long, String> rows(Connection c, String table) throws SQLException {
    Map<Long, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, name, qty, price::text, at::text, encode(data, 'hex') FROM " + table)) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 2; i <= 6; i++) {
          row.append(rs.getString(i)).append('|');
        }
        rows.put(rs.getLong(1), row.toString());
      }
    }
    return rows;
  }

  private static boolean equal(TestDatabases.Postgres target, List<String> tables) {
    try (Connection src = source(DB);
        Connection dst = target.connect()) {
      for (String t : tables) {
        if (!rows(src, t).equals(rows(dst, t))) {
          return false;
        }
      }
      return true;
    } catch (SQLException e) {
      return false; // the target tables are not created yet
    }
  }

  /** Where a target differs from its source: the first few keys, with both rows. */
  private static String diff(TestDatabases.Postgres target, List<String> tables) {
    StringBuilder out = new StringBuilder();
    try (Connection src = source(DB);
        Connection dst = target.connect()) {
      for (String t : tables) {
        Map<Long, String> a = rows(src, t);
        Map<Long, String> b = rows(dst, t);
        java.util.Set<Long> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        int shown = 0;
        for (Long k : keys) {
          if (!java.util.Objects.equals(a.get(k), b.get(k)) && shown++ < 5) {
            out.append(t).append(' ').append(k).append(": source ").append(a.get(k));
            out.append(", target ").append(b.get(k)).append("; ");
          }
        }
      }
    } catch (SQLException e) {
      out.append(e.getMessage());
    }
    return out.toString();
  }

  /** Random inserts, updates, deletes, key changes and transactions over tables, until stopped. */
  private static final class Generator implements Runnable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<String> tables;
    final Random random = new Random(19);
    volatile int transactions;
    volatile Throwable failure;
    long nextId = 100_000;

    Generator(List<String> tables) {
      this.tables = tables;
    }

    Thread start() {
      Thread t = new Thread(this, "pg-mining-generator");
      t.start();
      return t;
    }

    @Override
    public void run() {
      try (Connection c = source(DB);
          Statement s = c.createStatement()) {
        while (running.get()) {
          String table = tables.get(random.nextInt(tables.size()));
          long id = 1 + random.nextInt(250);
          switch (random.nextInt(5)) {
            case 0 ->
                s.execute(
                    "INSERT INTO "
                        + table
                        + " VALUES ("
                        + (nextId++)
                        + ", 'new', 1, 99999999.9999, clock_timestamp(), '\\x01') ON CONFLICT DO"
                        + " NOTHING");
            case 1 ->
                s.execute(
                    "UPDATE "
                        + table
                        + " SET name = 'u"
                        + random.nextInt(999)
                        + "', qty = qty + 1, price = price + 0.0001, at = clock_timestamp(),"
                        + " data = '\\x"
                        + String.format("%02x", random.nextInt(256))
                        + "' WHERE id = "
                        + id);
            case 2 -> s.execute("DELETE FROM " + table + " WHERE id = " + id);
            case 3 ->
                s.execute("UPDATE " + table + " SET id = " + (nextId++) + " WHERE id = " + id);
            default -> {
              c.setAutoCommit(false);
              for (String t : tables) {
                s.execute("UPDATE " + t + " SET qty = qty * 2, name = NULL WHERE id = " + id);
                s.execute(
                    "INSERT INTO "
                        + t
                        + " VALUES ("
                        + (nextId++)
                        + ", 'tx', 0, 0, NULL, NULL) ON CONFLICT DO NOTHING");
              }
              c.commit();
              c.setAutoCommit(true);
            }
          }
          transactions++;
          Thread.sleep(2);
        }
      } catch (Throwable e) {
        failure = e;
      }
    }
  }

  @Test
  void threeCdcJobsShareOneReplicationSlotAndEndExact() throws Exception {
    createTables("orders", "customers", "items");
    List<List<String>> tables =
        List.of(List.of("orders", "customers"), List.of("orders"), List.of("customers", "items"));
    List<TestDatabases.Postgres> targets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      targets.add(new TestDatabases.Postgres());
    }
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      specs.add(spec(job("pg-shared-" + i, tables.get(i), targets.get(i), "mine_three"), "s" + i));
    }
    List<String> others = slotNames();
    MiningRun mining = mining(specs.get(0), "pg-three");
    Engine engine = engine();
    List<JobRun> runs = new ArrayList<>();
    Generator generator = new Generator(List.of("orders", "customers", "items"));
    Thread writes = generator.start(); // changes while the snapshots read
    try {
      runs.add(engine.start(specs.get(0)));
      runs.add(engine.start(specs.get(1)));
      await(
          () -> runs.stream().allMatch(CdcRuns::streaming),
          "the first two snapshots",
          Duration.ofSeconds(90));
      // A third job on a table nobody read yet: the mining run adds it to its one slot.
      runs.add(engine.start(specs.get(2)));
      await(
          () -> runs.stream().allMatch(CdcRuns::streaming),
          "the third snapshot",
          Duration.ofSeconds(90));
      assertThat(mining.status().tables())
          .containsExactlyInAnyOrder(
              new TableRef("public", "orders"),
              new TableRef("public", "customers"),
              new TableRef("public", "items"));
      int mostSlots = 0;
      int mostReading = 0;
      for (int i = 0; i < 20; i++) {
        int[] now = slots(others);
        mostSlots = Math.max(mostSlots, now[0]);
        mostReading = Math.max(mostReading, now[1]);
        Thread.sleep(50);
      }
      assertThat(mostSlots).as("replication slots on the source database").isEqualTo(1);
      assertThat(mostReading).as("replication connections reading them").isEqualTo(1);
      generator.running.set(false);
      writes.join();
      assertThat(generator.failure).isNull();
      assertThat(generator.transactions).isGreaterThan(50);
      for (int i = 0; i < 3; i++) {
        int n = i;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!equal(targets.get(n), tables.get(n))) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "target "
                    + n
                    + " differs: "
                    + diff(targets.get(n), tables.get(n))
                    + runs.get(n).progress());
          }
          Thread.sleep(100);
        }
      }
      for (JobRun run : runs) {
        assertThat(run.state())
            .as("run %s: %s", run.runKey(), run.progress())
            .isEqualTo(RunState.RUNNING);
        assertThat(run.progress().changes().position().description()).startsWith("mining log #");
      }
      assertThat(slots(others)[0]).isEqualTo(1);
      assertThat(mining.status().state()).isEqualTo(MiningRun.State.RUNNING);
    } finally {
      generator.running.set(false);
      writes.join();
      for (JobRun run : runs) {
        end(run);
      }
      end(mining);
      for (TestDatabases.Postgres t : targets) {
        t.close();
      }
    }
  }

  /** The events of a table in a mining log, and how many distinct source positions they have. */
  private static long[] logged(String log, TableRef table) throws SQLException {
    try (Connection c = store.connect();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT COUNT(*), COUNT(DISTINCT source_position) FROM "
                    + log
                    + " WHERE tbl = ?")) {
      p.setString(1, table.toString());
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  @Test
  void aTableStoppedInsideALargeTransactionResumesFromItsStopExactly() throws Exception {
    createTables("stop_t", "stop_u");
    TableRef t = new TableRef("public", "stop_t");
    TableRef u = new TableRef("public", "stop_u");
    List<String> both = List.of("stop_t", "stop_u");
    TestDatabases.Postgres target = new TestDatabases.Postgres();
    JobSpec spec = spec(job("pg-stop", both, target, "mine_stop"), "pg-stop");
    MiningRun mining = mining(spec, "pg-stop");
    MiningRun.Spec asked = MiningRun.forJob(spec, "pg-stop", Duration.ofDays(1));
    JobRun run = engine().start(spec);
    try {
      await(() -> streaming(run), "the snapshot", Duration.ofSeconds(90));
      await(() -> equal(target, both), "the target equals the source", Duration.ofSeconds(60));
      long before = logged("mine_stop_log", t)[0];

      // A large transaction: 40,000 rows of T around changes of U, appended over many appends.
      int big = 40_000;
      sql(
          "BEGIN",
          "INSERT INTO stop_t SELECT g, 'big', g % 5, g, NULL, NULL FROM generate_series(1000,"
              + " 20999) g",
          "UPDATE stop_u SET qty = qty + 100 WHERE id <= 50",
          "INSERT INTO stop_t SELECT g, 'big2', g % 3, g, NULL, '\\x01' FROM"
              + " generate_series(200000, 219999) g",
          "UPDATE stop_u SET name = 'in-tx' WHERE id > 150",
          "COMMIT");
      // Stopped while the mining run appends the transaction: the stop lands inside it.
      await(
          () -> {
            try {
              return logged("mine_stop_log", t)[0] > before;
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          },
          "the mining run inside the large transaction",
          Duration.ofSeconds(60));
      MiningRun.askStopped(
          ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
          asked,
          LocalFiles.unrestricted(),
          dir.resolve("ask"),
          t,
          true);
      await(() -> mining.status().stopped().containsKey(t), "T stopped", Duration.ofSeconds(60));
      MiningLog.Stop stop = mining.status().stopped().get(t);
      long atStop = logged("mine_stop_log", t)[0];
      assertThat(atStop - before)
          .as("the stop (%s) lies inside the transaction", stop.at().description())
          .isBetween(1L, big - 1L);
      assertThat(mining.status().tables()).containsExactly(u);

      // Changes of both while T is stopped: U's reach the target, T's wait.
      sql(
          "UPDATE stop_t SET qty = qty + 1 WHERE id <= 100",
          "DELETE FROM stop_t WHERE id BETWEEN 101 AND 150",
          "INSERT INTO stop_t SELECT g, 'late', 1, 1, NULL, NULL FROM generate_series(500, 509) g",
          "UPDATE stop_u SET qty = qty * 3 WHERE id <= 20");
      await(
          () -> equal(target, List.of("stop_u")),
          "U goes on while T is stopped",
          Duration.ofSeconds(60));
      assertThat(logged("mine_stop_log", t)[0]).as("nothing of T appended").isEqualTo(atStop);
      assertThat(equal(target, List.of("stop_t"))).as("T's readers wait").isFalse();
      assertThat(run.state()).isEqualTo(RunState.RUNNING);

      MiningRun.ResumePreview preview =
          MiningRun.previewResume(
              ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
              asked,
              LocalFiles.unrestricted(),
              dir.resolve("ask"),
              t);
      assertThat(preview.fromStop()).as(preview.message()).isTrue();
      assertThat(preview.stoppedAt()).isEqualTo(stop.at().description());

      MiningRun.askStopped(
          ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
          asked,
          LocalFiles.unrestricted(),
          dir.resolve("ask"),
          t,
          false);
      await(() -> mining.status().stopped().isEmpty(), "T resumed", Duration.ofSeconds(120));
      assertThat(mining.status().tables()).containsExactlyInAnyOrder(t, u);
      sql("UPDATE stop_t SET name = 'after' WHERE id <= 10"); // and T streams on
      await(() -> equal(target, both), "the target equals the source", Duration.ofSeconds(120));
      assertThat(run.state()).isEqualTo(RunState.RUNNING);

      // Every change of T is in the log once: 40,000 + 100 + 50 + 10 + 10 since the snapshot.
      long[] counted = logged("mine_stop_log", t);
      assertThat(counted[0] - before).isEqualTo(big + 100 + 50 + 10 + 10);
      assertThat(counted[1]).as("distinct source positions").isEqualTo(counted[0]);
    } finally {
      end(run);
      end(mining);
      target.close();
    }
  }
}
