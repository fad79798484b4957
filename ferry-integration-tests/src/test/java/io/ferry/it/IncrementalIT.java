package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.CursorState;
import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecException;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cursor-based incremental jobs (docs/incremental.md) between the real MariaDB and PostgreSQL of
 * the machine: each run reads the rows past the cursor its last successful run committed, up to the
 * column's highest value when it started; the target is read back and compared with the source.
 */
class IncrementalIT {
  private static TestDatabases.MariaDb maria;
  private static TestDatabases.Postgres pg;

  @TempDir Path state;

  @BeforeAll
  static void databases() throws SQLException {
    maria = new TestDatabases.MariaDb();
    pg = new TestDatabases.Postgres();
  }

  @AfterAll
  static void drop() throws SQLException {
    if (maria != null) {
      maria.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private Engine engine() {
    return new Engine(ConnectorRegistry.fromClassPath(IncrementalIT.class.getClassLoader()), state);
  }

  private static JobSpec job(String name, String yaml) {
    return JobSpecLoader.parse(yaml, false, null, name, Map.of());
  }

  private static RunResult succeeded(RunResult r) {
    assertThat(r.state()).as("state; failure: %s", r.failure()).isEqualTo(RunState.SUCCEEDED);
    return r;
  }

  /**
   * A timestamp cursor with a look-back into an upsert sink: inserted and updated rows arrive, a
   * row committed late inside the look-back window arrives, the target equals the source.
   */
  @Test
  void timestampCursorWithLookBackUpsertsChangedRows() throws Exception {
    maria.execute(
        "CREATE TABLE ts_src (id INT PRIMARY KEY, v VARCHAR(20), updated_at DATETIME(6))",
        "INSERT INTO ts_src VALUES (1, 'a', '2024-01-01 00:00:00'), (2, 'b', '2024-01-01"
            + " 01:00:00'), (3, 'c', '2024-01-01 02:00:00.5')");
    pg.execute("CREATE TABLE ts_tgt (id INT PRIMARY KEY, v VARCHAR(20), updated_at TIMESTAMP(6))");
    String yaml =
        """
        source: {connector: mysql, %s, table: ts_src}
        sink: {connector: postgresql, %s, table: ts_tgt, writeMode: upsert}
        incremental: {cursor: updated_at, lookBack: 10m}
        """
            .formatted(maria.options(), pg.options());
    Engine engine = engine();
    RunResult first = succeeded(engine.start(job("ts", yaml)).await());
    assertThat(first.progress().recordsRead()).isEqualTo(3);
    assertThat(engine.cursor("ts").map(CursorState::value)).contains("2024-01-01T02:00:00.5");

    maria.execute(
        "INSERT INTO ts_src VALUES (4, 'd', '2024-01-01 05:00:00')",
        "UPDATE ts_src SET v = 'b2', updated_at = '2024-01-01 06:00:00' WHERE id = 2",
        // Committed late, inside the look-back window (10 minutes before 02:00:00.5).
        "INSERT INTO ts_src VALUES (5, 'late', '2024-01-01 01:55:00')",
        // Outside the window: an incremental run never sees it (docs say so).
        "INSERT INTO ts_src VALUES (6, 'too late', '2024-01-01 00:30:00')");
    RunResult second = succeeded(engine.start(job("ts", yaml)).await());
    // Rows past 01:50:00.5 up to 06:00: 3 (read again), 5, 4 and 2.
    assertThat(second.progress().recordsRead()).isEqualTo(4);
    assertThat(engine.cursor("ts").map(CursorState::value)).contains("2024-01-01T06:00:00");
    assertThat(rows(pg.connect(), "SELECT id, v, updated_at FROM ts_tgt ORDER BY id"))
        .containsExactly(
            "1|a|2024-01-01 00:00:00",
            "2|b2|2024-01-01 06:00:00",
            "3|c|2024-01-01 02:00:00.5",
            "4|d|2024-01-01 05:00:00",
            "5|late|2024-01-01 01:55:00");

    // Nothing new: the run reads the look-back window only, and the cursor stays.
    RunResult third = succeeded(engine.start(job("ts", yaml)).await());
    assertThat(third.progress().recordsRead()).isEqualTo(1);
    assertThat(engine.cursor("ts").map(CursorState::value)).contains("2024-01-01T06:00:00");

    // A reset: the next run reads every row, the one outside the window too.
    assertThat(engine.resetCursor("ts")).isTrue();
    RunResult all = succeeded(engine.start(job("ts", yaml)).await());
    assertThat(all.progress().recordsRead()).isEqualTo(6);
    assertThat(rows(pg.connect(), "SELECT id FROM ts_tgt ORDER BY id"))
        .containsExactly("1", "2", "3", "4", "5", "6");
  }

  /**
   * An id cursor into an insert-only target without a key: every row arrives exactly once over
   * several runs, and a failed run (a dirty row over the limit) does not move the cursor on, so the
   * next run catches up.
   */
  @Test
  void idCursorAppendsEachRowOnceAndAFailedRunDoesNotAdvance() throws Exception {
    pg.execute(
        "CREATE TABLE id_src (id BIGINT PRIMARY KEY, v VARCHAR(20))",
        "INSERT INTO id_src SELECT g, 'r' || g FROM generate_series(1, 50) g");
    maria.execute("CREATE TABLE id_tgt (id BIGINT, v VARCHAR(5))");
    String yaml =
        """
        source: {connector: postgresql, %s, table: id_src}
        sink: {connector: mysql, %s, table: id_tgt}
        incremental: {cursor: id}
        settings: {errorLimit: 0}
        """
            .formatted(pg.options(), maria.options());
    Engine engine = engine();
    succeeded(engine.start(job("ids", yaml)).await());
    assertThat(engine.cursor("ids").map(CursorState::value)).contains("50");

    // Row 53's value does not fit the target's VARCHAR(5): a dirty row, over the limit of 0.
    pg.execute(
        "INSERT INTO id_src SELECT g, 'r' || g FROM generate_series(51, 60) g",
        "UPDATE id_src SET v = 'far too long' WHERE id = 53");
    RunResult failed = engine.start(job("ids", yaml)).await();
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(engine.cursor("ids").map(CursorState::value)).contains("50");

    pg.execute("UPDATE id_src SET v = 'r53' WHERE id = 53");
    maria.execute("DELETE FROM id_tgt WHERE id > 50"); // what the failed run left, if anything
    RunResult caughtUp = succeeded(engine.start(job("ids", yaml)).await());
    assertThat(caughtUp.progress().recordsRead()).isEqualTo(10);
    assertThat(engine.cursor("ids").map(CursorState::value)).contains("60");

    pg.execute("INSERT INTO id_src SELECT g, 'r' || g FROM generate_series(61, 70) g");
    succeeded(engine.start(job("ids", yaml)).await());
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 70; i++) {
      expected.add(i + "|r" + i + "|1");
    }
    assertThat(
            rows(maria.connect(), "SELECT id, v, COUNT(*) FROM id_tgt GROUP BY id, v ORDER BY id"))
        .containsExactlyElementsOf(expected);
  }

  /**
   * A run killed midway (its state directory as a kill -9 leaves it: a copy taken while it ran)
   * resumes in a new process with the bounds of its first attempt, kept in its record from the
   * start: rows inserted meanwhile are left for the next run, which reads them.
   */
  @Test
  void resumedRunAfterAKillKeepsItsBounds(@TempDir Path killed) throws Exception {
    maria.execute(
        "CREATE TABLE rs_src (id INT PRIMARY KEY, v VARCHAR(20))",
        "INSERT INTO rs_src WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE"
            + " i < 400) SELECT i, CONCAT('r', i) FROM n");
    pg.execute("CREATE TABLE rs_tgt (id INT PRIMARY KEY, v VARCHAR(20))");
    String yaml =
        """
        source: {connector: mysql, %s, table: rs_src, fetchSize: 10}
        sink: {connector: postgresql, %s, table: rs_tgt, writeMode: upsert, batchSize: 10}
        incremental: {cursor: id}
        settings: {channels: 1, recordsPerSecond: 200, flushInterval: 200ms}
        """
            .formatted(maria.options(), pg.options());
    JobRun run = engine().start(job("rs", yaml));
    Thread.sleep(700);
    copyState(state, killed); // the process dies here, as far as the copy knows
    run.stop();
    assertThat(run.await().state()).isEqualTo(RunState.STOPPED);

    Engine restarted =
        new Engine(ConnectorRegistry.fromClassPath(IncrementalIT.class.getClassLoader()), killed);
    assertThat(restarted.runOf(run.runKey()).orElseThrow().state()).isEqualTo(RunState.PAUSED);
    assertThat(restarted.cursor("rs")).isEmpty();
    maria.execute(
        "INSERT INTO rs_src WITH RECURSIVE n(i) AS (SELECT 401 UNION ALL SELECT i + 1 FROM n"
            + " WHERE i < 420) SELECT i, CONCAT('r', i) FROM n");
    RunResult resumed =
        succeeded(
            restarted
                .resume(run.runKey(), job("rs", yaml), Map.of())
                .await(Duration.ofMinutes(1))
                .orElseThrow());
    assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(restarted.cursor("rs").map(CursorState::value)).contains("400");
    assertThat(rows(pg.connect(), "SELECT MAX(id), COUNT(*) FROM rs_tgt"))
        .containsExactly("400|400");

    RunResult next = succeeded(restarted.start(job("rs", yaml)).await());
    assertThat(next.progress().recordsRead()).isEqualTo(20);
    assertThat(restarted.cursor("rs").map(CursorState::value)).contains("420");
    assertThat(count(pg.connect(), "SELECT COUNT(*) FROM rs_tgt")).isEqualTo(420);
  }

  /** Copies a state directory as it is now, leaving out files being written ({@code .tmp}). */
  private static void copyState(Path from, Path to) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        try {
          if (java.nio.file.Files.isDirectory(f)) {
            java.nio.file.Files.createDirectories(target);
          } else if (!f.toString().endsWith(".tmp")) {
            java.nio.file.Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        } catch (java.nio.file.NoSuchFileException gone) {
          // replaced while listed: its new version is there under its own name
        }
      }
    }
  }

  /**
   * Cursors with a time zone (MariaDB TIMESTAMP, compared in the session's zone; PostgreSQL
   * timestamptz) and a DATE cursor with a first lower bound and a look-back of whole days.
   */
  @Test
  void zonedAndDateCursors() throws Exception {
    maria.execute(
        "CREATE TABLE tz_src (id INT PRIMARY KEY, at TIMESTAMP(3) NULL)",
        "INSERT INTO tz_src VALUES (1, '2024-03-01 10:00:00'), (2, '2024-03-01 11:00:00.125')");
    pg.execute("CREATE TABLE tz_tgt (id INT PRIMARY KEY, at TIMESTAMPTZ(3))");
    String maria2pg =
        """
        source: {connector: mysql, %s, table: tz_src}
        sink: {connector: postgresql, %s, table: tz_tgt, writeMode: upsert}
        incremental: {cursor: at}
        settings: {zone: Asia/Shanghai}
        """
            .formatted(maria.options(), pg.options());
    Engine engine = engine();
    assertThat(succeeded(engine.start(job("tz", maria2pg)).await()).progress().recordsRead())
        .isEqualTo(2);
    String committed = engine.cursor("tz").orElseThrow().value();
    assertThat(committed).endsWith("+08:00");
    maria.execute("INSERT INTO tz_src VALUES (3, '2024-03-01 11:00:00.126')");
    assertThat(succeeded(engine.start(job("tz", maria2pg)).await()).progress().recordsRead())
        .isEqualTo(1);
    assertThat(count(pg.connect(), "SELECT COUNT(*) FROM tz_tgt")).isEqualTo(3);

    pg.execute(
        "CREATE TABLE d_src (id INT PRIMARY KEY, d DATE, at TIMESTAMPTZ)",
        "INSERT INTO d_src VALUES (1, '2024-01-01', '2024-01-01 00:00+00'), (2, '2024-01-02',"
            + " '2024-01-02 00:00+00'), (3, '2024-01-03', '2024-01-03 00:00+00'), (4, NULL, NULL)");
    maria.execute("CREATE TABLE d_tgt (id INT PRIMARY KEY, d DATE, at DATETIME)");
    String dates =
        """
        source: {connector: postgresql, %s, table: d_src}
        sink: {connector: mysql, %s, table: d_tgt, writeMode: upsert}
        incremental: {cursor: d, start: "2024-01-02", lookBack: 1d}
        """
            .formatted(pg.options(), maria.options());
    // From the start (inclusive): 2 and 3; NULL cursors are not read with a lower bound.
    assertThat(succeeded(engine.start(job("dates", dates)).await()).progress().recordsRead())
        .isEqualTo(2);
    assertThat(engine.cursor("dates").orElseThrow().value()).isEqualTo("2024-01-03");
    pg.execute("INSERT INTO d_src VALUES (5, '2024-01-04', NULL)");
    // Past 2024-01-02 (the committed day less one): 3 again and 5.
    assertThat(succeeded(engine.start(job("dates", dates)).await()).progress().recordsRead())
        .isEqualTo(2);
    assertThat(rows(maria.connect(), "SELECT id FROM d_tgt ORDER BY id"))
        .containsExactly("2", "3", "5");

    String byTime =
        """
        source: {connector: postgresql, %s, table: d_src}
        sink: {connector: mysql, %s, table: d_tgt, writeMode: upsert}
        incremental: {cursor: at, lookBack: 1h}
        """
            .formatted(pg.options(), maria.options());
    // No committed value, no start: every row, those without a cursor value too.
    assertThat(succeeded(engine.start(job("pgtz", byTime)).await()).progress().recordsRead())
        .isEqualTo(5);
    assertThat(engine.cursor("pgtz").orElseThrow().value()).isEqualTo("2024-01-03T00:00:00Z");
  }

  /**
   * Clear errors: a missing column, a column of the wrong type, a look-back into an insert sink.
   */
  @Test
  void refusesCursorsThatCannotWork() throws Exception {
    pg.execute(
        "CREATE TABLE bad_src (id INT PRIMARY KEY, name VARCHAR(20), at TIMESTAMP)",
        "CREATE TABLE bad_tgt (id INT, name VARCHAR(20), at TIMESTAMP)");
    Engine engine = engine();
    String base =
        """
        source: {connector: postgresql, %s, table: bad_src}
        sink: {connector: postgresql, %s, table: bad_tgt}
        """
            .formatted(pg.options(), pg.options());
    assertThatThrownBy(() -> engine.start(job("bad", base + "incremental: {cursor: nope}\n")))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("incremental.cursor")
        .hasMessageContaining("no column nope");
    assertThatThrownBy(() -> engine.start(job("bad", base + "incremental: {cursor: name}\n")))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("incremental.cursor")
        .hasMessageContaining("integer, decimal, date or timestamp");
    assertThatThrownBy(
            () -> engine.start(job("bad", base + "incremental: {cursor: at, lookBack: 5m}\n")))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("incremental.lookBack")
        .hasMessageContaining("upsert");
    assertThatThrownBy(
            () -> engine.start(job("bad", base + "incremental: {cursor: at, lookBack: 5}\n")))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("incremental.lookBack");
    assertThatThrownBy(
            () -> engine.start(job("bad", base + "incremental: {cursor: id, start: yesterday}\n")))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("incremental.start");
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    try (c;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(b.toString());
      }
      return out;
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (c;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
