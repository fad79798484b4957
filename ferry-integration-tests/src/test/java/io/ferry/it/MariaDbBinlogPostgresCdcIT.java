package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.engine.ChangeProgress;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kind: cdc} job end to end: a MariaDB with binlog (its own server, {@link BinlogMariaDb})
 * into the PostgreSQL service. A change generator runs inserts, updates (also of the key), deletes
 * and transactions across both tables while the snapshot reads and after it; once the run caught
 * up, the target equals the source row for row. Then the state directory as a kill -9 would leave
 * it is resumed while the generator goes on, and the target converges again.
 */
@Timeout(120)
class MariaDbBinlogPostgresCdcIT {
  private static BinlogMariaDb server;
  private static TestDatabases.Postgres target;
  private static final String DB = "cdc_shop";

  @TempDir Path dir;

  @BeforeAll
  static void servers() throws Exception {
    server = BinlogMariaDb.shared();
    target = new TestDatabases.Postgres();
    try (Connection c = source(null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB);
      s.execute("CREATE DATABASE " + DB);
    }
  }

  @AfterAll
  static void drop() throws Exception {
    try (Connection c = source(null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB);
    }
    target.close();
  }

  private static Connection source(String database) throws SQLException {
    return DriverManager.getConnection(
        server.jdbcUrl(database == null ? "" : database), server.user(), server.password());
  }

  private static String job() {
    return """
        name: cdc-e2e
        kind: cdc
        source:
          connector: mysql
          host: %s
          port: %d
          user: %s
          password: "%s"
          database: %s
          tables: [orders, customers]
        sink:
          connector: postgresql
          %s
          table: "${table}"
          createTable: true
        cdc:
          startup: initial
        settings:
          channels: 2
          flushInterval: 200ms
          progressInterval: 100ms
        """
        .formatted(
            server.host(),
            server.port(),
            server.user(),
            server.password(),
            DB,
            target.options().replace(", ", "\n  "));
  }

  /** Writes random changes to the source until stopped. */
  private static final class Generator implements Runnable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final Random random = new Random(2026);
    volatile int transactions;
    long nextId = 100_000;

    @Override
    public void run() {
      try (Connection c = source(DB);
          Statement s = c.createStatement()) {
        while (running.get()) {
          step(c, s);
          transactions++;
          Thread.sleep(2);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private void step(Connection c, Statement s) throws SQLException {
      String table = random.nextBoolean() ? "orders" : "customers";
      long id = random.nextInt(2_000);
      switch (random.nextInt(6)) {
        case 0 ->
            s.execute("INSERT IGNORE INTO " + table + " VALUES (" + (nextId++) + ", 'new', 1)");
        case 1 ->
            s.execute(
                "UPDATE "
                    + table
                    + " SET name = 'u"
                    + random.nextInt(999)
                    + "', qty = qty + 1"
                    + " WHERE id = "
                    + id);
        case 2 -> s.execute("DELETE FROM " + table + " WHERE id = " + id);
        case 3 ->
            s.execute("UPDATE IGNORE " + table + " SET id = " + (nextId++) + " WHERE id = " + id);
        default -> {
          c.setAutoCommit(false);
          s.execute("UPDATE orders SET qty = qty * 2 WHERE id = " + id);
          s.execute("INSERT IGNORE INTO customers VALUES (" + (nextId++) + ", 'tx', 0)");
          s.execute("DELETE FROM customers WHERE id = " + random.nextInt(2_000));
          c.commit();
          c.setAutoCommit(true);
        }
      }
    }
  }

  private static Map<Long, String> rows(Connection c, String table) throws SQLException {
    Map<Long, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, qty FROM " + table)) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getString(2) + "|" + rs.getLong(3));
      }
    }
    return rows;
  }

  private static boolean equal() {
    try (Connection src = source(DB);
        Connection dst = target.connect()) {
      for (String t : List.of("orders", "customers")) {
        if (!rows(src, t).equals(rows(dst, t))) {
          return false;
        }
      }
      return true;
    } catch (SQLException e) {
      return false; // the target tables are not created yet
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static boolean streaming(JobRun run) {
    ChangeProgress c = run.progress().changes();
    return c != null && c.phase() == ChangeProgress.Phase.STREAMING;
  }

  private static void copyState(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        String name = f.getFileName().toString();
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else if (!name.equals("lock") && !name.endsWith(".tmp")) {
          Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void changesDuringAndAfterTheSnapshotConvergeAndAKilledRunResumesExactly() throws Exception {
    try (Connection c = source(DB);
        Statement s = c.createStatement()) {
      for (String t : List.of("orders", "customers")) {
        s.execute("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, name VARCHAR(40), qty BIGINT)");
        StringBuilder insert = new StringBuilder("INSERT INTO " + t + " VALUES ");
        for (int i = 0; i < 2_000; i++) {
          insert
              .append(i == 0 ? "" : ",")
              .append("(")
              .append(i)
              .append(", 'r")
              .append(i)
              .append("', ")
              .append(i % 7)
              .append(")");
        }
        s.execute(insert.toString());
      }
    }
    Path state = dir.resolve("state");
    Path killed = dir.resolve("killed");
    JobSpec spec = JobSpecLoader.parse(job(), false, null, "cdc-e2e", Map.of());
    Engine engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);

    Generator generator = new Generator();
    Thread writes = new Thread(generator, "cdc-generator");
    writes.start(); // changes while the snapshot reads
    JobRun run = engine.start(spec);
    await(() -> streaming(run) || run.state().isFinal(), "the snapshot ends");
    assertThat(run.state()).as("run: %s", run.progress()).isEqualTo(RunState.RUNNING);
    Thread.sleep(1_000); // and after it
    generator.running.set(false);
    writes.join();
    assertThat(generator.transactions).isGreaterThan(20);
    await(MariaDbBinlogPostgresCdcIT::equal, "the target equals the source");
    ChangeProgress progress = run.progress().changes();
    assertThat(progress.changesApplied()).isPositive();

    // kill -9 here: the state directory as it is now; the run goes on and writes past it.
    copyState(state, killed);
    Generator more = new Generator();
    more.nextId = 500_000;
    Thread writes2 = new Thread(more, "cdc-generator-2");
    writes2.start();
    Thread.sleep(700);
    run.pause();
    assertThat(run.await().state()).isEqualTo(RunState.PAUSED);

    Engine after = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), killed);
    assertThat(after.runOf(run.runKey()).orElseThrow().state()).isEqualTo(RunState.PAUSED);
    JobRun resumed = after.resume(run.runKey(), spec, Map.of());
    Thread.sleep(700);
    more.running.set(false);
    writes2.join();
    await(MariaDbBinlogPostgresCdcIT::equal, "the resumed run converges");
    resumed.pause();
    assertThat(resumed.await().state()).isEqualTo(RunState.PAUSED);
    try (Connection dst = target.connect()) {
      assertThat(rows(dst, "orders")).hasSizeGreaterThan(1_000);
    }
  }
}
