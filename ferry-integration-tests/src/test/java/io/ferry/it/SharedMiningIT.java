package io.ferry.it;

import static io.ferry.it.CdcRuns.await;
import static io.ferry.it.CdcRuns.end;
import static io.ferry.it.CdcRuns.streaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.MiningRun;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Connector;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.MiningLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * Shared change-log mining end to end (docs/shared-mining.md): a MariaDB with binlog of this test's
 * own (so that its binlog readers can be counted), a mining log in a table of the PostgreSQL
 * service, cdc jobs with {@code sharedMining: true} into PostgreSQL databases. Changes run while
 * the snapshots read and after; every target ends equal to its source tables.
 */
@Timeout(300)
class SharedMiningIT {
  private static BinlogMariaDb server;
  private static TestDatabases.Postgres store;
  private static final String DB =
      "mining_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private static final List<String> TABLES = List.of("orders", "customers", "items");

  @TempDir Path dir;

  @BeforeAll
  static void servers() throws Exception {
    server = BinlogMariaDb.start(Path.of("target"));
    store = new TestDatabases.Postgres();
    try (Connection c = source(null);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DB);
    }
    try (Connection c = source(DB);
        Statement s = c.createStatement()) {
      for (String t : TABLES) {
        s.execute(
            "CREATE TABLE "
                + t
                + " (id BIGINT PRIMARY KEY, name VARCHAR(40), qty BIGINT, price DECIMAL(12,4),"
                + " at DATETIME(6), data VARBINARY(16))");
        StringBuilder insert = new StringBuilder("INSERT INTO " + t + " VALUES ");
        for (int i = 0; i < 1_000; i++) {
          insert
              .append(i == 0 ? "" : ",")
              .append("(")
              .append(i)
              .append(", 'r")
              .append(i)
              .append("', ")
              .append(i % 7)
              .append(", ")
              .append(i)
              .append(".0125, '2026-12-07 06:00:00.")
              .append(String.format(Locale.ROOT, "%06d", i))
              .append("', x'00ff")
              .append(String.format(Locale.ROOT, "%04x", i))
              .append("')");
        }
        s.execute(insert.toString());
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Connection source(String database) throws SQLException {
    return DriverManager.getConnection(
        server.jdbcUrl(database == null ? "" : database), server.user(), server.password());
  }

  private static String job(
      String name, List<String> tables, TestDatabases.Postgres target, String log) {
    return mongoOrJdbcJob(
        name,
        tables,
        target,
        "{connector: postgresql, host: 127.0.0.1, port: 5432, database: "
            + store.name
            + ", user: postgres, table: "
            + log
            + "}");
  }

  private static String mongoOrJdbcJob(
      String name, List<String> tables, TestDatabases.Postgres target, String miningLog) {
    return """
        name: %s
        kind: cdc
        source:
          connector: mysql
          host: %s
          port: %d
          user: %s
          password: "%s"
          database: %s
          tables: [%s]
        sink:
          connector: postgresql
          %s
          table: "${table}"
          createTable: true
        cdc:
          startup: initial
          sharedMining: true
          miningLog: %s
        settings:
          channels: 2
          flushInterval: 200ms
          progressInterval: 100ms
        """
        .formatted(
            name,
            server.host(),
            server.port(),
            server.user(),
            server.password(),
            DB,
            String.join(", ", tables),
            target.options().replace(", ", "\n  "),
            miningLog);
  }

  /** Writes random changes to some tables until stopped. */
  private static final class Generator implements Runnable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<String> tables;
    final Random random;
    volatile int transactions;
    volatile Throwable failure;
    long nextId;

    Generator(List<String> tables, long seed, long firstId) {
      this.tables = tables;
      this.random = new Random(seed);
      this.nextId = firstId;
    }

    Thread start() {
      Thread t = new Thread(this, "mining-generator");
      t.start();
      return t;
    }

    @Override
    public void run() {
      try (Connection c = source(DB);
          Statement s = c.createStatement()) {
        while (running.get()) {
          step(c, s);
          transactions++;
          Thread.sleep(2);
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    private void step(Connection c, Statement s) throws SQLException {
      String table = tables.get(random.nextInt(tables.size()));
      long id = random.nextInt(1_200);
      switch (random.nextInt(6)) {
        case 0 ->
            s.execute(
                "INSERT IGNORE INTO "
                    + table
                    + " VALUES ("
                    + (nextId++)
                    + ", 'new', 1, 9999999.9999, NOW(6), x'01')");
        case 1 ->
            s.execute(
                "UPDATE "
                    + table
                    + " SET name = 'u"
                    + random.nextInt(999)
                    + "', qty = qty + 1, price = price + 0.0001, at = NOW(6),"
                    + " data = x'"
                    + HexFormat.of().formatHex(new byte[] {(byte) random.nextInt(), 0})
                    + "' WHERE id = "
                    + id);
        case 2 -> s.execute("DELETE FROM " + table + " WHERE id = " + id);
        case 3 ->
            s.execute("UPDATE IGNORE " + table + " SET id = " + (nextId++) + " WHERE id = " + id);
        default -> {
          c.setAutoCommit(false);
          for (String t : tables) {
            s.execute("UPDATE " + t + " SET qty = qty * 2, name = NULL WHERE id = " + id);
            s.execute(
                "INSERT IGNORE INTO " + t + " VALUES (" + (nextId++) + ", 'tx', 0, 0, NULL, NULL)");
          }
          c.commit();
          c.setAutoCommit(true);
        }
      }
    }
  }

  private static Map<Long, String> rows(Connection c, String table) throws SQLException {
    Map<Long, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, qty, price, at, data FROM " + table)) {
      while (rs.next()) {
        byte[] data = rs.getBytes(6);
        rows.put(
            rs.getLong(1),
            rs.getString(2)
                + "|"
                + rs.getLong(3)
                + "|"
                + (rs.getBigDecimal(4) == null ? null : rs.getBigDecimal(4).toPlainString())
                + "|"
                + rs.getObject(5, LocalDateTime.class)
                + "|"
                + (data == null ? null : HexFormat.of().formatHex(data)));
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

  private Engine engine(Path state) {
    return new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
  }

  private MiningRun mining(String table, Duration retention) {
    return MiningRun.start(
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
        MiningMain.spec(server.port(), DB, store.name, table, retention),
        LocalFiles.unrestricted(),
        dir.resolve("mining-" + table));
  }

  @Test
  void threeCdcJobsShareOneBinlogReaderAndEndExact() throws Exception {
    List<TestDatabases.Postgres> targets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      targets.add(new TestDatabases.Postgres());
    }
    List<List<String>> tables =
        List.of(List.of("orders", "customers"), List.of("orders"), List.of("customers", "items"));
    Engine engine = engine(dir.resolve("state"));
    MiningRun mining = mining("mining_three", Duration.ofDays(3));
    List<JobRun> runs = new ArrayList<>();
    Generator generator = new Generator(TABLES, 19, 100_000);
    Thread writes = generator.start(); // changes while the snapshots read
    try {
      for (int i = 0; i < 2; i++) {
        runs.add(
            engine.start(
                JobSpecLoader.parse(
                    job("shared-" + i, tables.get(i), targets.get(i), "mining_three"),
                    false,
                    null,
                    "shared-" + i,
                    Map.of())));
      }
      await(() -> runs.stream().allMatch(CdcRuns::streaming), "the first two snapshots");
      // A third job on a table nobody read yet: the mining run adds it without stopping the others.
      runs.add(
          engine.start(
              JobSpecLoader.parse(
                  job("shared-2", tables.get(2), targets.get(2), "mining_three"),
                  false,
                  null,
                  "shared-2",
                  Map.of())));
      await(() -> runs.stream().allMatch(CdcRuns::streaming), "the third snapshot");
      assertThat(mining.status().tables())
          .containsExactlyInAnyOrder(
              new TableRef(DB, "orders"), new TableRef(DB, "customers"), new TableRef(DB, "items"));
      // While all three stream and the changes go on: one binlog reader on the source, never more.
      int most = 0;
      for (int i = 0; i < 20; i++) {
        most = Math.max(most, server.binlogReaders());
        Thread.sleep(50);
      }
      assertThat(most).as("binlog readers on the source while three jobs stream").isEqualTo(1);
      generator.running.set(false);
      writes.join();
      assertThat(generator.failure).isNull();
      assertThat(generator.transactions).isGreaterThan(50);
      for (int i = 0; i < 3; i++) {
        int n = i;
        await(() -> equal(targets.get(n), tables.get(n)), "target " + n + " equals its source");
      }
      for (JobRun run : runs) {
        assertThat(run.state())
            .as("run %s: %s", run.runKey(), run.progress())
            .isEqualTo(RunState.RUNNING);
        assertThat(run.progress().changes().changesApplied()).isPositive();
        assertThat(run.progress().changes().position().description()).startsWith("mining log #");
      }
      assertThat(server.binlogReaders()).isEqualTo(1);
      assertThat(mining.status().eventsAppended()).isPositive();
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
    // A reader's thread on the server ends when the server next writes to it: make it write.
    await(
        () -> {
          try (Connection c = source(DB);
              Statement s = c.createStatement()) {
            s.execute("UPDATE orders SET qty = qty WHERE id = -1");
            s.execute("FLUSH BINARY LOGS");
            return server.binlogReaders() == 0;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        "no binlog reader once the mining run stopped",
        Duration.ofSeconds(20));
  }

  @Test
  void aMiningLogStoreDownForAWhileLosesNothing() throws Exception {
    TestDatabases.Postgres target = new TestDatabases.Postgres();
    Engine engine = engine(dir.resolve("state"));
    List<String> tables = List.of("orders");
    try (CuttableProxy proxy = new CuttableProxy(5432)) {
      MiningRun mining =
          MiningRun.start(
              ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
              MiningMain.spec(
                  server.port(), DB, proxy.port(), store.name, "mining_down", Duration.ofDays(3)),
              LocalFiles.unrestricted(),
              dir.resolve("mining-down"));
      String log =
          "{connector: postgresql, host: 127.0.0.1, port: "
              + proxy.port()
              + ", database: "
              + store.name
              + ", user: postgres, table: mining_down}";
      // No retry of its own: the task must wait for the store, not spend retries on it.
      String job =
          mongoOrJdbcJob("down", tables, target, log)
              .replace("  channels: 2\n", "  channels: 2\n  maxRetries: 0\n");
      assertThat(job).contains("maxRetries: 0");
      JobRun run = engine.start(JobSpecLoader.parse(job, false, null, "down", Map.of()));
      Generator generator = new Generator(tables, 23, 300_000);
      Thread writes = generator.start();
      try {
        await(() -> streaming(run), "the snapshot");
        int before = generator.transactions;
        await(() -> generator.transactions > before + 20, "changes while the store is up");
        // The store goes away for a few seconds while the source keeps changing.
        proxy.cut();
        long cutNanos = System.nanoTime();
        int cutAt = generator.transactions;
        await(() -> generator.transactions > cutAt + 100, "changes while the store is down");
        // The store's own retries (a few seconds) are spent before the mining run says so.
        await(
            () -> mining.status().failure() != null,
            "the mining run's failure while its store is down",
            Duration.ofSeconds(60));
        // Longer than the store's own retries (1 + 2 + 4 s) of the task's reads: the task waits.
        Thread.sleep(Math.max(0, 9_000 - (System.nanoTime() - cutNanos) / 1_000_000));
        assertThat(run.state())
            .as("the task waits: %s", run.progress())
            .isEqualTo(RunState.RUNNING);
        proxy.restore();
        int back = generator.transactions;
        await(() -> generator.transactions > back + 50, "changes once the store is back");
        generator.running.set(false);
        writes.join();
        assertThat(generator.failure).isNull();
        await(() -> equal(target, tables), "the target equals its source", Duration.ofSeconds(150));
        assertThat(run.state()).as("the job: %s", run.progress()).isEqualTo(RunState.RUNNING);
        assertThat(mining.status().state()).isEqualTo(MiningRun.State.RUNNING);
        // Each change once in the log: as many events as the binlog rows of the table's changes
        // cannot be counted here, but a duplicate append would make the target differ or the
        // log's sequence skip; the log's positions are checked to be distinct.
        try (Connection c = store.connect();
            Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT COUNT(*), COUNT(DISTINCT source_position) FROM mining_down"
                        + " WHERE op <> 'SCHEMA'")) {
          rs.next();
          assertThat(rs.getLong(2)).as("distinct source positions").isEqualTo(rs.getLong(1));
        }
      } finally {
        generator.running.set(false);
        writes.join();
        end(run);
        end(mining);
        target.close();
      }
    }
  }

  @Test
  void anOffsetOlderThanTheRetentionFailsTheRunAndANewSnapshotRecovers() throws Exception {
    TestDatabases.Postgres target = new TestDatabases.Postgres();
    Engine engine = engine(dir.resolve("state"));
    MiningRun mining = mining("mining_retention", Duration.ofSeconds(1));
    JobSpec spec =
        JobSpecLoader.parse(
            job("retained", List.of("items"), target, "mining_retention"),
            false,
            null,
            "retained",
            Map.of());
    try {
      JobRun run = engine.start(spec);
      await(() -> streaming(run), "the snapshot");
      try (Connection c = source(DB);
          Statement s = c.createStatement()) {
        s.execute("UPDATE items SET qty = qty + 1000 WHERE id < 50");
      }
      await(() -> equal(target, List.of("items")), "the target equals the source");
      run.pause();
      assertThat(run.await().state()).isEqualTo(RunState.PAUSED);

      // Changes while the run is paused, then the retention purges them from the log.
      try (Connection c = source(DB);
          Statement s = c.createStatement()) {
        s.execute("UPDATE items SET qty = qty + 1 WHERE id < 100");
      }
      await(
          () ->
              purgedTo("mining_retention") >= head("mining_retention")
                  && head("mining_retention") > 0,
          "the purge");

      JobRun resumed = engine.resume(run.runKey(), spec, Map.of());
      RunResult result = resumed.await();
      assertThat(result.state()).isEqualTo(RunState.FAILED);
      assertThat(result.failure().code()).isEqualTo(MiningLog.OFFSET_EXPIRED);
      assertThat(result.failure().getMessage())
          .contains("is older than what")
          .contains("were purged by its retention")
          .contains("Start the job again as a new run (a new snapshot)");
      assertThat(equal(target, List.of("items")))
          .as("no change was applied past the gap")
          .isFalse();

      // A new run takes a new snapshot and is exact again.
      JobRun again = engine.start(spec);
      await(() -> streaming(again), "the new snapshot");
      await(() -> equal(target, List.of("items")), "the new run converges");
      end(again);
    } finally {
      end(mining);
      target.close();
    }
  }

  @Test
  void aMongoDbMiningLogServesAJobExactly() throws Exception {
    de.bwaldvogel.mongo.MongoServer mongo =
        new de.bwaldvogel.mongo.MongoServer(new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    java.net.InetSocketAddress address = mongo.getLocalAddress();
    String uri = "mongodb://127.0.0.1:" + address.getPort();
    TestDatabases.Postgres target = new TestDatabases.Postgres();
    Map<String, Object> logOptions = new LinkedHashMap<>();
    logOptions.put("uri", uri);
    logOptions.put("database", "ferry");
    logOptions.put("collection", "mining_shop");
    MiningRun.Spec base =
        MiningMain.spec(server.port(), DB, store.name, "unused", Duration.ofDays(1));
    MiningRun mining =
        MiningRun.start(
            ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
            new MiningRun.Spec(
                "mongo",
                base.source(),
                new JobSpec.ConnectorSpec("miningLog", "mongodb", logOptions),
                Duration.ofDays(1),
                Duration.ofMillis(200),
                Duration.ofSeconds(30),
                null),
            LocalFiles.unrestricted(),
            dir.resolve("mining-mongo"));
    Engine engine = engine(dir.resolve("state"));
    Generator generator = new Generator(List.of("orders", "items"), 42, 700_000);
    Thread writes = generator.start();
    JobRun run = null;
    try {
      JobSpec spec =
          JobSpecLoader.parse(
              mongoOrJdbcJob(
                  "mongo-log",
                  List.of("orders", "items"),
                  target,
                  "{connector: mongodb, uri: \""
                      + uri
                      + "\", database: ferry, collection: mining_shop}"),
              false,
              null,
              "mongo-log",
              Map.of());
      run = engine.start(spec);
      JobRun started = run;
      await(() -> streaming(started), "the snapshot");
      Thread.sleep(1_000);
      generator.running.set(false);
      writes.join();
      assertThat(generator.failure).isNull();
      await(() -> equal(target, List.of("orders", "items")), "the target equals the source");
      assertThat(run.progress().changes().changesApplied()).isPositive();
      assertThat(mining.status().eventsAppended()).isPositive();

      // kill -9 of the reading run: its state directory as it is now; it goes on past it.
      Path killed = dir.resolve("killed");
      copyState(dir.resolve("state"), killed);
      Generator more = new Generator(List.of("orders", "items"), 43, 800_000);
      Thread writes2 = more.start();
      Thread.sleep(700);
      run.pause();
      assertThat(run.await().state()).isEqualTo(RunState.PAUSED);
      JobRun resumed = engine(killed).resume(run.runKey(), spec, Map.of());
      run = resumed;
      Thread.sleep(700);
      more.running.set(false);
      writes2.join();
      assertThat(more.failure).isNull();
      await(() -> equal(target, List.of("orders", "items")), "the resumed run converges");
      assertThat(resumed.state()).isEqualTo(RunState.RUNNING);
    } finally {
      generator.running.set(false);
      writes.join();
      if (run != null) {
        end(run);
      }
      end(mining);
      target.close();
      mongo.shutdownNow();
    }
  }

  @Test
  void aSourceWithoutBinlogFailsItsMiningRunNamingTheSetting() throws Exception {
    // The machine's MariaDB service runs without a binlog.
    try (TestDatabases.MariaDb plain = new TestDatabases.MariaDb()) {
      plain.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      try (MiningLog log = openLog("mining_nobinlog")) {
        log.prepare();
        log.request(List.of(new TableRef(plain.name, "t")));
      }
      MiningRun.Spec base =
          MiningMain.spec(3306, plain.name, store.name, "mining_nobinlog", Duration.ofDays(1));
      MiningRun mining =
          MiningRun.start(
              ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
              base,
              LocalFiles.unrestricted(),
              dir.resolve("mining-nobinlog"));
      assertThat(mining.await(Duration.ofSeconds(60))).isTrue();
      MiningRun.Status status = mining.status();
      assertThat(status.state()).isEqualTo(MiningRun.State.FAILED);
      assertThat(status.failure().getMessage()).contains("cannot be mined").contains("log_bin");
    }
  }

  private static void copyState(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        String name = f.getFileName().toString();
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else if (!name.equals("lock") && !name.endsWith(".tmp")) {
          Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static long head(String log) {
    return stateColumn(log, "head");
  }

  private static long purgedTo(String log) {
    return stateColumn(log, "purged_to");
  }

  private static long stateColumn(String log, String column) {
    try (Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + log + "_state")) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      return -1;
    }
  }

  private Process miningProcess(String table, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            MiningMain.class.getName(),
            String.valueOf(server.port()),
            DB,
            store.name,
            table,
            dir.resolve("mining-process").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    await(
        () -> {
          try {
            return Files.readString(log, StandardCharsets.UTF_8).contains("mining") || !p.isAlive();
          } catch (java.io.IOException e) {
            return false;
          }
        },
        "the mining process starts",
        Duration.ofSeconds(60));
    assertThat(p.isAlive()).as("mining process: %s", Files.readString(log)).isTrue();
    return p;
  }

  @Test
  void aMiningRunKilledWithSigkillResumesWithoutLossOrDuplicate() throws Exception {
    String table = "journal";
    try (Connection c = source(DB);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + table
              + " (id BIGINT PRIMARY KEY, name VARCHAR(40), qty BIGINT, price DECIMAL(12,4),"
              + " at DATETIME(6), data VARBINARY(16))");
    }
    TestDatabases.Postgres target = new TestDatabases.Postgres();
    Engine engine = engine(dir.resolve("state"));
    Path processLog = Path.of("target", "mining-kill-" + DB + ".log").toAbsolutePath();
    Files.deleteIfExists(processLog);
    JobRun run =
        engine.start(
            JobSpecLoader.parse(
                job("killed", List.of(table), target, "mining_kill"),
                false,
                null,
                "killed",
                Map.of()));
    Process first = miningProcess("mining_kill", processLog);
    Process second = null;
    Generator generator = new Generator(List.of(table), 7, 1);
    Thread writes = null;
    try {
      await(() -> streaming(run), "the (empty) snapshot");
      // The table was empty and captured before its first row: the log alone must rebuild it.
      writes = generator.start();
      Thread.sleep(1_500);
      first.destroyForcibly(); // SIGKILL, mid-stream
      first.waitFor();
      int atKill = generator.transactions;
      Thread.sleep(800); // changes while no mining run is alive: the cdc run waits
      assertThat(run.state()).isEqualTo(RunState.RUNNING);
      second = miningProcess("mining_kill", processLog);
      Thread.sleep(1_000);
      generator.running.set(false);
      writes.join();
      assertThat(generator.failure).isNull();
      assertThat(generator.transactions).isGreaterThan(atKill);
      await(() -> equal(target, List.of(table)), "the reading run converges");

      // The log itself: replayed strictly from empty (an insert of a present key, an update or a
      // delete of an absent one fail), it rebuilds the table exactly: no event lost or doubled.
      Map<Object, Object[]> replayed = new LinkedHashMap<>();
      try (MiningLog log = openLog("mining_kill")) {
        long after = 0;
        long seen = 0;
        TableRef ref = new TableRef(DB, table);
        while (true) {
          MiningLog.Batch batch = log.read(after, List.of(ref), 500);
          for (MiningLog.Entry e : batch.events()) {
            assertThat(e.seq()).isGreaterThan(after);
            ChangeEvent.RowChange r = (ChangeEvent.RowChange) e.event();
            Object before = r.before() == null ? null : r.before()[0];
            Object after2 = r.after() == null ? null : r.after()[0];
            switch (r.kind()) {
              case INSERT ->
                  assertThat(replayed.put(after2, r.after())).as("insert #%d", e.seq()).isNull();
              case DELETE ->
                  assertThat(replayed.remove(before)).as("delete #%d", e.seq()).isNotNull();
              case UPDATE -> {
                assertThat(replayed.remove(before)).as("update #%d", e.seq()).isNotNull();
                assertThat(replayed.put(after2, r.after())).as("update #%d", e.seq()).isNull();
              }
            }
            seen++;
            after = e.seq();
          }
          if (batch.scannedTo() == after && batch.events().isEmpty()) {
            break;
          }
          after = batch.scannedTo();
        }
        assertThat(seen).isGreaterThan(100);
      }
      Map<Long, String> expected;
      try (Connection src = source(DB)) {
        expected = rows(src, table);
      }
      assertThat(replayed.keySet())
          .containsExactlyInAnyOrderElementsOf(new ArrayList<Object>(expected.keySet()));
      for (Object[] row : replayed.values()) {
        String[] parts = expected.get((Long) row[0]).split("\\|", -1);
        assertThat(String.valueOf(row[1])).isEqualTo(parts[0]);
        assertThat(String.valueOf(row[2])).isEqualTo(parts[1]);
      }
    } finally {
      generator.running.set(false);
      if (writes != null) {
        writes.join();
      }
      end(run);
      first.destroyForcibly().waitFor();
      if (second != null) {
        second.destroyForcibly().waitFor();
      }
      target.close();
    }
  }

  // ---- writeThreads and fillUpdates ----------------------------------------------------------

  private MiningRun mining(String table, int writeThreads, boolean fillUpdates) {
    return MiningRun.start(
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
        MiningMain.spec(server.port(), DB, store.name, table, Duration.ofDays(3))
            .withWriting(writeThreads, fillUpdates),
        LocalFiles.unrestricted(),
        dir.resolve("mining-" + table));
  }

  /** The events of a table in a mining log, decoded, in the log's order. */
  private static List<ChangeEvent> logEvents(String log, TableRef table) throws SQLException {
    List<ChangeEvent> events = new ArrayList<>();
    try (Connection c = store.connect();
        java.sql.PreparedStatement p =
            c.prepareStatement("SELECT event FROM " + log + " WHERE tbl = ? ORDER BY seq")) {
      p.setString(1, table.toString());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          events.add(io.ferry.connector.support.ChangeEventJson.decode(rs.getString(1)));
        }
      }
    }
    return events;
  }

  @Test
  void aMiningRunWithFourWriteThreadsAppendsInSourceOrderExactly() throws Exception {
    createTables("threads_t");
    TableRef t = new TableRef(DB, "threads_t");
    TestDatabases.Postgres target = new TestDatabases.Postgres();
    Engine engine = engine(dir.resolve("state"));
    MiningRun mining = mining("mining_threads", 4, false);
    JobRun run = null;
    try {
      run =
          engine.start(
              JobSpecLoader.parse(
                  job("threads", List.of("threads_t"), target, "mining_threads"),
                  false,
                  null,
                  "threads",
                  Map.of()));
      JobRun started = run;
      await(() -> streaming(started), "the snapshot");
      // 3,000 inserts, each its own transaction, in ascending id; then big transactions of
      // updates: many encoding chunks per append, so an append out of order would show.
      try (Connection c = source(DB);
          java.sql.PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO threads_t VALUES (?, 'w', ?, 1.5, NOW(6), x'0102')")) {
        for (int i = 1; i <= 3_000; i++) {
          insert.setLong(1, 10_000 + i);
          insert.setLong(2, i);
          insert.executeUpdate();
        }
      }
      sql(
          "UPDATE threads_t SET qty = qty + 1 WHERE id > 10000",
          "UPDATE threads_t SET name = CONCAT('n', id) WHERE id <= 200",
          "DELETE FROM threads_t WHERE id % 5 = 0");
      await(() -> equal(target, List.of("threads_t")), "the target equals its source");
      List<ChangeEvent> events = logEvents("mining_threads", t);
      List<Long> inserted = new ArrayList<>();
      for (ChangeEvent e : events) {
        if (e instanceof ChangeEvent.RowChange r && r.kind() == ChangeEvent.Kind.INSERT) {
          inserted.add(((Number) r.after()[0]).longValue());
        }
      }
      List<Long> expected = new ArrayList<>();
      for (int i = 1; i <= 3_000; i++) {
        expected.add(10_000L + i);
      }
      assertThat(inserted)
          .as("the inserts in the log, in the source's order, once")
          .isEqualTo(expected);
      // 3,000 inserts, 3,000 + 200 updates, 640 deletes: each once.
      assertThat(events).hasSize(3_000 + 3_200 + 640);
      assertThat(logged("mining_threads", t)[1]).isEqualTo(events.size());
      assertThat(mining.status().state()).isEqualTo(MiningRun.State.RUNNING);
    } finally {
      if (run != null) {
        end(run);
      }
      end(mining);
      target.close();
    }
  }

  @Test
  void fillUpdatesCompletesTheUpdatesOfAMinimalBinlogRowImage() throws Exception {
    sql(
        "CREATE TABLE fill_t (id BIGINT PRIMARY KEY, name VARCHAR(40), qty BIGINT, note TEXT)",
        "INSERT INTO fill_t SELECT seq, CONCAT('r', seq), seq, REPEAT('x', seq) FROM"
            + " seq_1_to_100");
    TableRef t = new TableRef(DB, "fill_t");
    MiningRun mining = mining("mining_fill", 2, true);
    try {
      // The mining run captures the table once it is asked for.
      try (MiningLog log =
          MiningRun.openLog(
              ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
              MiningMain.spec(server.port(), DB, store.name, "mining_fill", Duration.ofDays(3)),
              LocalFiles.unrestricted(),
              dir.resolve("ask-fill"))) {
        log.request(List.of(t));
        await(() -> log.state().tables().getOrDefault(t, -1L) >= 0, "the table captured");
      }
      try (Connection c = source(DB);
          Statement s = c.createStatement()) {
        s.execute("SET SESSION binlog_row_image = 'MINIMAL'");
        s.execute("UPDATE fill_t SET qty = qty + 1000 WHERE id <= 10");
        // Deleted before the mining run can look it up: appended as captured, and counted.
        c.setAutoCommit(false);
        s.execute("UPDATE fill_t SET qty = -1 WHERE id = 50");
        s.execute("DELETE FROM fill_t WHERE id = 50");
        c.commit();
      }
      await(
          () -> {
            try {
              return logEvents("mining_fill", t).size() >= 12;
            } catch (SQLException e) {
              return false; // the log is not created yet
            }
          },
          "the changes in the log");
      List<ChangeEvent> events = logEvents("mining_fill", t);
      assertThat(events).hasSize(12);
      for (ChangeEvent e : events.subList(0, 10)) {
        ChangeEvent.RowChange r = (ChangeEvent.RowChange) e;
        long id = ((Number) r.after()[0]).longValue();
        assertThat(r.kind()).isEqualTo(ChangeEvent.Kind.UPDATE);
        assertThat(r.after())
            .as("the update of row %d, complete", id)
            .containsExactly(id, "r" + id, id + 1000, "x".repeat((int) id));
      }
      ChangeEvent.RowChange gone = (ChangeEvent.RowChange) events.get(10);
      assertThat(gone.after()[2]).isEqualTo(-1L);
      assertThat(gone.after()[1])
          .as("a row deleted since stays as captured")
          .isSameAs(ChangeEvent.UNCHANGED);
      assertThat(events.get(11))
          .isInstanceOfSatisfying(
              ChangeEvent.RowChange.class,
              r -> assertThat(r.kind()).isEqualTo(ChangeEvent.Kind.DELETE));
      assertThat(mining.status().updatesFilled()).isEqualTo(10);
      assertThat(mining.status().updatesNotFilled()).isEqualTo(1);
    } finally {
      end(mining);
    }
  }

  // ---- per-table stop and resume -------------------------------------------------------------

  /** Two tables of the source's layout, each with 200 rows. */
  private static void createTables(String... tables) throws SQLException {
    try (Connection c = source(DB);
        Statement s = c.createStatement()) {
      for (String t : tables) {
        s.execute(
            "CREATE TABLE "
                + t
                + " (id BIGINT PRIMARY KEY, name VARCHAR(40), qty BIGINT, price DECIMAL(12,4),"
                + " at DATETIME(6), data VARBINARY(16))");
        s.execute(
            "INSERT INTO "
                + t
                + " SELECT seq, CONCAT('r', seq), seq % 7, seq + 0.0125, NOW(6), x'00ff' FROM"
                + " seq_1_to_200");
      }
    }
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = source(DB);
        Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  /** The events of a table in a mining log, and how many distinct source positions they have. */
  private static long[] logged(String log, TableRef table) throws SQLException {
    try (Connection c = store.connect();
        java.sql.PreparedStatement p =
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

  private void askStopped(String log, TableRef table, boolean stop) {
    MiningRun.askStopped(
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
        MiningMain.spec(server.port(), DB, store.name, log, Duration.ofDays(3)),
        LocalFiles.unrestricted(),
        dir.resolve("ask-" + log),
        table,
        stop);
  }

  private MiningRun.ResumePreview preview(String log, TableRef table) {
    return MiningRun.previewResume(
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
        MiningMain.spec(server.port(), DB, store.name, log, Duration.ofDays(3)),
        LocalFiles.unrestricted(),
        dir.resolve("ask-" + log),
        table);
  }

  @Test
  void aTableStoppedDuringABigTransactionResumesFromItsStopWithoutLossOrDuplicate()
      throws Exception {
    createTables("stop_t", "stop_u");
    TableRef t = new TableRef(DB, "stop_t");
    TableRef u = new TableRef(DB, "stop_u");
    List<String> both = List.of("stop_t", "stop_u");
    TestDatabases.Postgres target = new TestDatabases.Postgres();
    Engine engine = engine(dir.resolve("state"));
    MiningRun mining = mining("mining_stop", Duration.ofDays(3));
    JobSpec spec =
        JobSpecLoader.parse(
            job("stop-t", both, target, "mining_stop"), false, null, "stop-t", Map.of());
    JobRun run = engine.start(spec);
    try {
      await(() -> streaming(run), "the snapshot");
      await(() -> equal(target, both), "the target equals the source");
      long before = logged("mining_stop", t)[0];

      // A big transaction: 60,000 rows of T around changes of U, read over many appends.
      sql(
          "SET SESSION autocommit = 0",
          "INSERT INTO stop_t SELECT seq, 'big', seq % 5, seq, NOW(6), NULL FROM"
              + " seq_1000_to_30999",
          "UPDATE stop_u SET qty = qty + 100 WHERE id <= 50",
          "INSERT INTO stop_t SELECT seq, 'big2', seq % 3, seq, NOW(6), x'01' FROM"
              + " seq_200000_to_229999",
          "UPDATE stop_u SET name = 'in-tx' WHERE id > 150",
          "COMMIT");
      // Stopped while the mining run reads it (it appends the group's rows 5,000 at a time): the
      // stop lands inside the transaction.
      await(
          () -> mining.status().minedTo().description().contains(" rows"),
          "the mining run inside the big transaction",
          Duration.ofSeconds(60));
      askStopped("mining_stop", t, true);
      await(() -> mining.status().stopped().containsKey(t), "T stopped", Duration.ofSeconds(60));
      MiningLog.Stop stop = mining.status().stopped().get(t);
      assertThat(stop.at().description())
          .as("the stop lies inside the big transaction (rows of its group)")
          .contains(" rows");
      assertThat(mining.status().tables()).containsExactly(u);

      // Changes of both while T is stopped: U's reach the target, T's wait.
      sql(
          "UPDATE stop_t SET qty = qty + 1 WHERE id <= 100",
          "DELETE FROM stop_t WHERE id BETWEEN 101 AND 150",
          "INSERT INTO stop_t SELECT seq, 'late', 1, 1, NOW(6), NULL FROM seq_500_to_509",
          "UPDATE stop_u SET qty = qty * 3 WHERE id <= 20");
      await(() -> equal(target, List.of("stop_u")), "U goes on while T is stopped");
      Thread.sleep(1_500);
      assertThat(equal(target, List.of("stop_t"))).as("T's readers wait").isFalse();
      assertThat(run.state()).isEqualTo(RunState.RUNNING);

      MiningRun.ResumePreview preview = preview("mining_stop", t);
      assertThat(preview.fromStop()).isTrue();
      assertThat(preview.stoppedAt()).isEqualTo(stop.at().description());
      assertThat(preview.message()).contains("no change is lost");

      askStopped("mining_stop", t, false);
      await(() -> mining.status().stopped().isEmpty(), "T resumed", Duration.ofSeconds(150));
      assertThat(mining.status().tables()).containsExactlyInAnyOrder(t, u);
      sql("UPDATE stop_t SET name = 'after' WHERE id <= 10"); // and T streams on
      await(() -> equal(target, both), "the target equals the source", Duration.ofSeconds(120));
      assertThat(run.state()).isEqualTo(RunState.RUNNING);

      // Every change of T is in the log once: 60,000 + 100 + 50 + 10 + 10 since the snapshot.
      long[] counted = logged("mining_stop", t);
      assertThat(counted[0] - before).isEqualTo(60_000 + 100 + 50 + 10 + 10);
      assertThat(counted[1]).as("distinct source positions").isEqualTo(counted[0]);
    } finally {
      end(run);
      end(mining);
      target.close();
    }
  }

  @Test
  void aResumeWhoseStopThePurgedBinlogLostFailsTheTablesReadersWithAClearMessage()
      throws Exception {
    createTables("lost_t", "lost_u");
    TableRef t = new TableRef(DB, "lost_t");
    TestDatabases.Postgres target = new TestDatabases.Postgres();
    TestDatabases.Postgres otherTarget = new TestDatabases.Postgres();
    Engine engine = engine(dir.resolve("state"));
    MiningRun mining = mining("mining_lost", Duration.ofDays(3));
    JobRun run =
        engine.start(
            JobSpecLoader.parse(
                job("lost-t", List.of("lost_t"), target, "mining_lost"),
                false,
                null,
                "lost-t",
                Map.of()));
    JobRun other =
        engine.start(
            JobSpecLoader.parse(
                job("lost-u", List.of("lost_u"), otherTarget, "mining_lost"),
                false,
                null,
                "lost-u",
                Map.of()));
    try {
      await(() -> streaming(run) && streaming(other), "the snapshots");
      askStopped("mining_lost", t, true);
      await(() -> mining.status().stopped().containsKey(t), "T stopped", Duration.ofSeconds(60));
      sql("UPDATE lost_t SET qty = qty + 1 WHERE id <= 30", "FLUSH BINARY LOGS");
      String current;
      try (Connection c = source(null);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
        rs.next();
        current = rs.getString(1);
      }
      // A file a binlog reader still reads is kept: purge until the mining run has moved on.
      await(
          () -> {
            try (Connection c = source(null);
                Statement s = c.createStatement()) {
              s.execute("PURGE BINARY LOGS TO '" + current + "'");
              try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
                return rs.next() && rs.getString(1).equals(current);
              }
            } catch (SQLException e) {
              return false;
            }
          },
          "the binlog purged up to " + current,
          Duration.ofSeconds(30));

      MiningRun.ResumePreview preview = preview("mining_lost", t);
      assertThat(preview.fromStop()).isFalse();
      assertThat(preview.message())
          .contains("no longer holds")
          .contains("mining.offset-expired")
          .contains("new snapshot");

      askStopped("mining_lost", t, false);
      RunResult result = run.await();
      assertThat(result.state()).isEqualTo(RunState.FAILED);
      assertThat(result.failure().code()).isEqualTo(MiningLog.OFFSET_EXPIRED);
      assertThat(result.failure().getMessage())
          .contains("captures " + t + " again only from #")
          .contains("lost its changes since the table was stopped")
          .contains("a new snapshot");
      // The other table's task goes on exactly.
      sql("UPDATE lost_u SET qty = qty + 7 WHERE id <= 40");
      await(() -> equal(otherTarget, List.of("lost_u")), "the other task goes on");
      assertThat(other.state()).isEqualTo(RunState.RUNNING);
      assertThat(mining.status().stopped()).isEmpty();

      // A new run of the failed task takes a new snapshot and is exact again.
      JobRun again =
          engine.start(
              JobSpecLoader.parse(
                  job("lost-t", List.of("lost_t"), target, "mining_lost"),
                  false,
                  null,
                  "lost-t",
                  Map.of()));
      await(() -> streaming(again), "the new snapshot");
      sql("UPDATE lost_t SET name = 'again' WHERE id <= 5");
      await(() -> equal(target, List.of("lost_t")), "the new run converges");
      end(again);
    } finally {
      end(run);
      end(other);
      end(mining);
      target.close();
      otherTarget.close();
    }
  }

  private record Context(
      String jobName,
      String runKey,
      ZoneId zone,
      Path workDirectory,
      DirtyRowSink dirtyRows,
      LocalFiles localFiles)
      implements ConnectorContext {}

  private MiningLog openLog(String table) {
    Connector c =
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()).connector("postgresql");
    var role = c.miningLog().orElseThrow();
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("host", "127.0.0.1");
    raw.put("port", 5432);
    raw.put("database", store.name);
    raw.put("user", "postgres");
    raw.put("table", table);
    return role.create(
        role.options().parse(raw),
        new Context("t", "t", ZoneId.of("UTC"), dir, r -> {}, LocalFiles.unrestricted()));
  }
}
