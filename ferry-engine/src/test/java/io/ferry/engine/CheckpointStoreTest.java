package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One contract for every checkpoint store: files for the command line, and the database store on
 * the three databases the server supports (H2 embedded, PostgreSQL and MariaDB on this machine).
 */
class CheckpointStoreTest {
  abstract static class Contract {
    abstract CheckpointStore store();

    /** A second process's view of the same store. */
    abstract CheckpointStore otherProcess();

    static Checkpoint checkpoint(String key, Instant savedAt) {
      return new Checkpoint(
          Checkpoint.VERSION,
          key,
          1,
          List.of(
              new Checkpoint.SplitCheckpoint(
                  "s0", new byte[] {0, -1}, SplitProgress.State.PENDING, null, null)),
          RowCounts.ZERO,
          Duration.ZERO,
          savedAt);
    }

    static RunRecord record(String key, Instant created, RunState state) {
      return new RunRecord(
          key,
          "job",
          Path.of("/jobs/job.yaml"),
          Map.of("day", "2024-01-01"),
          Map.of("channels", 2),
          "f1",
          state,
          created,
          created,
          10,
          9,
          1,
          4,
          2,
          null,
          1234,
          Duration.ofSeconds(17));
    }

    @Test
    void keepsCommittedCursorsByKeyAcrossProcesses() {
      String key = "task-" + UUID.randomUUID();
      assertThat(store().cursor(key)).isEmpty();
      Instant at = Instant.parse("2024-05-01T08:30:00Z");
      CursorState first =
          new CursorState(key, "updated_at", "TIMESTAMP", "2024-05-01T08:00:00", "r1", at);
      store().saveCursor(first);
      assertThat(otherProcess().cursor(key)).contains(first);
      CursorState next =
          new CursorState(key, "updated_at", "TIMESTAMP", "2024-05-02T00:00:00", "r2", at);
      otherProcess().saveCursor(next);
      assertThat(store().cursor(key)).contains(next);
      assertThat(store().cursors()).contains(next).doesNotContain(first);
      assertThat(store().deleteCursor(key)).isTrue();
      assertThat(otherProcess().cursor(key)).isEmpty();
      assertThat(otherProcess().deleteCursor(key)).isFalse();
    }

    @Test
    void keepsRunsNewestFirstAndTheirLatestState() {
      String a = "a-" + UUID.randomUUID();
      String b = "b-" + UUID.randomUUID();
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      store().save(record(a, t0, RunState.RUNNING));
      store().save(record(b, t0.plusSeconds(60), RunState.CREATED));
      store().save(record(a, t0, RunState.PAUSED).with(RunState.PAUSED, null, "connection lost"));

      RunRecord back = store().run(a).orElseThrow();
      assertThat(back.state()).isEqualTo(RunState.PAUSED);
      assertThat(back.message()).isEqualTo("connection lost");
      assertThat(back.params()).containsEntry("day", "2024-01-01");
      assertThat(back.settings()).containsEntry("channels", 2);
      assertThat(back.jobFile()).isEqualTo(Path.of("/jobs/job.yaml"));
      assertThat(back.bytesWritten()).isEqualTo(1234);
      assertThat(back.activeTime()).isEqualTo(Duration.ofSeconds(17));
      List<String> keys = store().runs().stream().map(RunRecord::runKey).toList();
      assertThat(keys.indexOf(b)).isLessThan(keys.indexOf(a));
      assertThat(store().run("missing-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void keepsTheLatestCheckpoint() {
      String key = "c-" + UUID.randomUUID();
      Checkpoint first =
          new Checkpoint(
              Checkpoint.VERSION,
              key,
              1,
              List.of(
                  new Checkpoint.SplitCheckpoint(
                      "s0", new byte[] {0, -1}, SplitProgress.State.PENDING, null, null)),
              RowCounts.ZERO,
              Duration.ZERO,
              Instant.parse("2026-01-01T00:00:00Z"));
      store().save(first);
      Checkpoint second =
          new Checkpoint(
              Checkpoint.VERSION,
              key,
              1,
              List.of(
                  new Checkpoint.SplitCheckpoint(
                      "s0",
                      new byte[] {0, -1},
                      SplitProgress.State.DONE,
                      new Position(1, new byte[] {7}, "id=7"),
                      new RowCounts(9, 7, 900, 700, 1, 0, 0, 1))),
              new RowCounts(9, 7, 900, 700, 1, 0, 0, 1),
              Duration.ofMillis(2500),
              Instant.parse("2026-01-01T00:00:05Z"));
      store().save(second);
      Checkpoint back = otherProcess().checkpoint(key).orElseThrow();
      assertThat(back.splits().get(0).state()).isEqualTo(SplitProgress.State.DONE);
      assertThat(back.splits().get(0).committed()).isEqualTo(new Position(1, new byte[] {7}, "x"));
      assertThat(back.splits().get(0).split()).containsExactly(0, -1);
      assertThat(back.savedAt()).isEqualTo(second.savedAt());
      assertThat(back.splits().get(0).counts())
          .isEqualTo(new RowCounts(9, 7, 900, 700, 1, 0, 0, 1));
      assertThat(back.counts()).isEqualTo(second.counts());
      assertThat(back.activeTime()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void aRunIsHeldByOneProcessUntilReleased() {
      String key = "l-" + UUID.randomUUID();
      CheckpointStore.Claim claim = store().claim(key).orElseThrow();
      assertThat(claim.held()).isTrue();
      assertThat(otherProcess().isClaimed(key)).isTrue();
      assertThat(otherProcess().claim(key)).isEmpty();
      claim.close();
      assertThat(claim.held()).isFalse();
      assertThat(otherProcess().isClaimed(key)).isFalse();
      CheckpointStore.Claim other = otherProcess().claim(key).orElseThrow();
      other.close();
    }
  }

  @Nested
  class OnFiles extends Contract {
    @TempDir Path dir;

    @Override
    CheckpointStore store() {
      return new FileCheckpointStore(dir);
    }

    @Override
    CheckpointStore otherProcess() {
      // File locks are per process: within one JVM the store refuses a second holder all the
      // same (see FileCheckpointStore.claim), which is what the contract needs here.
      return new FileCheckpointStore(dir);
    }
  }

  /** The database store on one database. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Database extends Contract {
    DataSource dataSource;
    JdbcCheckpointStore store;
    JdbcCheckpointStore other;

    abstract DataSource open() throws Exception;

    void close() throws Exception {}

    @BeforeAll
    void createTables() throws Exception {
      dataSource = open();
      JdbcCheckpointStore.createTables(dataSource);
      JdbcCheckpointStore.createTables(dataSource); // idempotent
      store = new JdbcCheckpointStore(dataSource, Duration.ofSeconds(30));
      other = new JdbcCheckpointStore(dataSource, Duration.ofSeconds(30));
    }

    @AfterAll
    void dropDatabase() throws Exception {
      close();
    }

    @Override
    CheckpointStore store() {
      return store;
    }

    @Override
    CheckpointStore otherProcess() {
      return other;
    }

    @Test
    void anExpiredLeaseMeansTheHolderDied() throws Exception {
      String key = "e-" + UUID.randomUUID();
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO ferry_run_claim (run_key, holder, lease_until) VALUES (?, ?, ?)")) {
        ps.setString(1, key);
        ps.setString(2, "a-node-that-died");
        ps.setTimestamp(3, Timestamp.from(Instant.now().minusSeconds(5)));
        ps.executeUpdate();
      }
      assertThat(store.isClaimed(key)).isFalse();
      CheckpointStore.Claim claim = store.claim(key).orElseThrow();
      assertThat(other.claim(key)).isEmpty();
      claim.close();
    }

    /** Writes the claim row as the database would hold it after another node's takeover. */
    private void setClaim(String key, String holder, Instant until) throws Exception {
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE ferry_run_claim SET holder = COALESCE(?, holder), lease_until = ?"
                      + " WHERE run_key = ?")) {
        ps.setString(1, holder);
        ps.setTimestamp(2, Timestamp.from(until));
        ps.setString(3, key);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }

    private static void awaitLost(CheckpointStore.Claim claim) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (claim.held() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(claim.held()).as("the claim is lost").isFalse();
    }

    @Test
    void aLapsedLeaseIsLostForGoodEvenWhenNobodyTookTheRun() throws Exception {
      String key = "lapse-" + UUID.randomUUID();
      JdbcCheckpointStore shortLease = new JdbcCheckpointStore(dataSource, Duration.ofMillis(900));
      try {
        CheckpointStore.Claim claim = shortLease.claim(key).orElseThrow();
        Thread.sleep(1_500); // renewed at least once by now
        assertThat(claim.held()).isTrue();
        // As if the process had been frozen past its lease: the row says the lease ran out.
        setClaim(key, null, Instant.now().minusSeconds(1));
        awaitLost(claim);
        CheckpointStore.Claim next = other.claim(key).orElseThrow();
        Thread.sleep(400); // a renewal more of the old claim would have come
        assertThat(claim.held()).as("lost for good").isFalse();
        assertThat(next.held()).isTrue();
        next.close();
      } finally {
        shortLease.close();
      }
    }

    @Test
    void aProcessWhoseRunWasTakenOverCannotSaveItsState() throws Exception {
      String key = "fence-" + UUID.randomUUID();
      CheckpointStore.Claim claim = store.claim(key).orElseThrow();
      store.save(record(key, Instant.now(), RunState.RUNNING));
      Checkpoint mine = checkpoint(key, Instant.parse("2026-01-01T00:00:00Z"));
      store.save(mine);

      setClaim(key, "another-node", Instant.now().plusSeconds(60));
      assertThatThrownBy(() -> store.save(checkpoint(key, Instant.parse("2026-01-01T00:00:05Z"))))
          .isInstanceOfSatisfying(
              FerryException.class,
              e -> assertThat(e.code()).isEqualTo(CheckpointStore.CLAIM_LOST));
      assertThatThrownBy(() -> store.save(record(key, Instant.now(), RunState.PAUSED)))
          .isInstanceOfSatisfying(
              FerryException.class,
              e -> assertThat(e.code()).isEqualTo(CheckpointStore.CLAIM_LOST));
      assertThat(claim.held()).as("a refused save tells the claim").isFalse();
      assertThat(other.checkpoint(key).orElseThrow().savedAt()).isEqualTo(mine.savedAt());
      assertThat(other.run(key).orElseThrow().state()).isEqualTo(RunState.RUNNING);
      claim.close();
      assertThat(other.isClaimed(key)).as("the new holder's claim stays").isTrue();
    }

    @Test
    void aRunWhoseClaimIsTakenStopsWritingAndLeavesItsStateToTheNewHolder() throws Exception {
      Path dir = Files.createTempDirectory("ferry-jdbc-fence");
      String table = "fenced-" + UUID.randomUUID();
      JdbcCheckpointStore shortLease = new JdbcCheckpointStore(dataSource, Duration.ofMillis(900));
      try {
        Engine engine =
            new Engine(
                ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
                dir,
                shortLease,
                LocalFiles.unrestricted());
        Path job = dir.resolve("job.yaml");
        Files.writeString(
            job,
            """
            source: {connector: memory, rows: 1000000, splits: 2, batchSize: 50, slowMillis: 5}
            sink: {connector: memory, table: %s}
            settings: {channels: 2, flushInterval: 50ms}
            """
                .formatted(table));
        JobRun run = engine.start(JobSpecLoader.load(job, Map.of()));
        MemoryConnector.Table target = MemoryConnector.TABLES.get(table);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (target.committed.size() < 500 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(target.committed).hasSizeGreaterThanOrEqualTo(500);

        setClaim(run.runKey(), "another-node", Instant.now().plusSeconds(60));
        Instant takenOver = Instant.now();
        RunResult result = run.await(Duration.ofSeconds(10)).orElseThrow();

        assertThat(result.state()).isEqualTo(RunState.PAUSED);
        assertThat(result.failure().code()).isEqualTo(CheckpointStore.CLAIM_LOST);
        int atEnd = target.committed.size();
        Thread.sleep(200);
        assertThat(target.committed).hasSize(atEnd);
        // No commit, no abort, no state written after the takeover (a checkpoint made before it
        // and saved after is refused): all of that is the new holder's.
        assertThat(target.published).isFalse();
        assertThat(target.aborted).isFalse();
        assertThat(other.run(run.runKey()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        assertThat(other.checkpoint(run.runKey()).orElseThrow().savedAt()).isBefore(takenOver);
        assertThat(other.isClaimed(run.runKey())).isTrue();
      } finally {
        shortLease.close();
      }
    }

    @Test
    void theEngineResumesARunKeptInTheDatabase() throws Exception {
      Path dir = Files.createTempDirectory("ferry-jdbc-store");
      String table = "t-" + UUID.randomUUID();
      Engine engine =
          new Engine(
              ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
              dir,
              store,
              LocalFiles.unrestricted());
      Path job = dir.resolve("job.yaml");
      Files.writeString(
          job,
          """
          source: {connector: memory, rows: 3000, splits: 3, failAt: 2100, batchSize: 100}
          sink: {connector: memory, table: %s}
          settings: {channels: 1, retryBackoff: 10ms}
          """
              .formatted(table));
      MemoryConnector.FAILURES_ARMED.set(true);
      RunResult paused = engine.start(JobSpecLoader.load(job, Map.of())).await();
      assertThat(paused.state()).isEqualTo(RunState.PAUSED);
      MemoryConnector.FAILURES_ARMED.set(false);
      try {
        Engine elsewhere =
            new Engine(
                ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
                dir,
                other,
                LocalFiles.unrestricted());
        RunResult resumed = elsewhere.resume(paused.progress().runKey(), Map.of()).await();
        assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
      } finally {
        MemoryConnector.FAILURES_ARMED.set(true);
      }
      assertThat(MemoryConnector.TABLES.get(table).committed).hasSize(3000);
      assertThat(store.run(paused.progress().runKey()).orElseThrow().state())
          .isEqualTo(RunState.SUCCEEDED);
    }
  }

  @Nested
  class OnH2 extends Database {
    @Override
    DataSource open() {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:ferry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return ds;
    }
  }

  @Nested
  class OnPostgreSql extends Database {
    private final String database = "ferry_ckpt_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    DataSource open() throws Exception {
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + database);
      }
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL("jdbc:postgresql://127.0.0.1:5432/" + database);
      ds.setUser("postgres");
      return ds;
    }

    @Override
    void close() throws Exception {
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  @Nested
  class OnMariaDb extends Database {
    private final String database = "ferry_ckpt_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    DataSource open() throws Exception {
      try (Connection c =
              DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + database);
      }
      MariaDbDataSource ds = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + database);
      ds.setUser("root");
      return ds;
    }

    @Override
    void close() throws Exception {
      try (Connection c =
              DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database);
      }
    }
  }
}
