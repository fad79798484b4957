package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.TestDatabases.MariaDb;
import io.ferry.it.TestDatabases.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's writer retry against real databases: the target's writing sessions are killed
 * ({@code KILL <connection id>} on MariaDB, {@code pg_terminate_backend} of a running COPY on
 * PostgreSQL) while a run copies a table, and the run still lands every row exactly once. The
 * target table has no key and the sink inserts, so only the engine's retry (the sink deletes what
 * was committed past the split's checkpoint, the split is read again from there) keeps rows from
 * being lost or doubled.
 */
class WriterKilledIT {
  private static final int ROWS = 300_000;

  @TempDir Path state;

  @Test
  void killedMariaDbTargetSessionsLoseAndRepeatNoRow() throws Exception {
    try (MariaDb source = new MariaDb();
        MariaDb target = new MariaDb()) {
      source.execute(
          "CREATE TABLE src (id bigint PRIMARY KEY, payload varchar(100) NOT NULL)",
          "INSERT INTO src SELECT seq, concat('row ', seq, ' ', repeat('x', 40))"
              + " FROM seq_1_to_"
              + ROWS);
      target.execute("CREATE TABLE dst (id bigint NOT NULL, payload varchar(100) NOT NULL)");
      copyWhileKilling(
          "mysql",
          source.options(),
          target.options(),
          () -> killWriters(target.name).size(),
          target::connect,
          "sum(payload <> concat('row ', id, ' ', repeat('x', 40)))");
    }
  }

  @Test
  void terminatedPostgresCopySessionsLoseAndRepeatNoRow() throws Exception {
    try (Postgres source = new Postgres();
        Postgres target = new Postgres()) {
      source.execute(
          "CREATE TABLE src (id bigint PRIMARY KEY, payload varchar(100) NOT NULL)",
          "INSERT INTO src SELECT g, 'row ' || g || ' ' || repeat('x', 40)"
              + " FROM generate_series(1, "
              + ROWS
              + ") g");
      target.execute("CREATE TABLE dst (id bigint NOT NULL, payload varchar(100) NOT NULL)");
      copyWhileKilling(
          "postgresql",
          source.options(),
          target.options(),
          () -> terminateCopies(target.name),
          target::connect,
          "count(*) FILTER (WHERE payload <> 'row ' || id || ' ' || repeat('x', 40))");
    }
  }

  /** Kills some of the target's writing sessions; returns how many. */
  @FunctionalInterface
  private interface Killer {
    int kill() throws Exception;
  }

  @FunctionalInterface
  private interface Target {
    Connection connect() throws Exception;
  }

  /**
   * Copies {@code src} to {@code dst} with {@code connector} on both sides while {@code killer}
   * kills writing sessions (up to 3), then reads {@code dst} back: every row once, as written.
   *
   * @param wrongPayloads an SQL aggregate counting the rows of {@code dst} whose payload is wrong
   */
  private void copyWhileKilling(
      String connector,
      String sourceOptions,
      String targetOptions,
      Killer killer,
      Target target,
      String wrongPayloads)
      throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService watcher = Executors.newSingleThreadExecutor();
    Future<Integer> kills =
        watcher.submit(
            () -> {
              int killed = 0;
              while (!done.get() && killed < 3) {
                killed += killer.kill();
                Thread.sleep(killed == 0 ? 2 : 300);
              }
              return killed;
            });
    FerryJobs.Outcome outcome;
    try {
      outcome =
          FerryJobs.run(
              state,
              "writer-killed-" + connector,
              """
              source: {connector: %s, %s, table: src, splitsPerChannel: 3}
              sink: {connector: %s, %s, table: dst, writeMode: insert}
              settings: {channels: 2, flushInterval: 200ms, maxRetries: 5, retryBackoff: 100ms}
              """
                  .formatted(connector, sourceOptions, connector, targetOptions));
    } finally {
      done.set(true);
      watcher.shutdown();
    }
    assertThat(kills.get()).as("writing sessions killed").isPositive();
    outcome.succeeded();
    assertThat(outcome.dirty()).isEmpty();
    assertThat(outcome.result().progress().recordsWritten()).isEqualTo(ROWS);
    try (Connection c = target.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT id), sum(id), min(id), max(id), "
                    + wrongPayloads
                    + " FROM dst")) {
      rs.next();
      assertThat(rs.getLong(1)).as("rows").isEqualTo(ROWS);
      assertThat(rs.getLong(2)).as("distinct ids").isEqualTo(ROWS);
      assertThat(rs.getLong(3)).isEqualTo((long) ROWS * (ROWS + 1) / 2);
      assertThat(rs.getLong(4)).isEqualTo(1);
      assertThat(rs.getLong(5)).isEqualTo(ROWS);
      assertThat(rs.getLong(6)).as("rows with a wrong payload").isZero();
    }
  }

  /** Terminates the sessions running a COPY into {@code database}; returns how many. */
  private static int terminateCopies(String database) throws Exception {
    try (Connection c = Postgres.connect("postgres");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = '"
                    + database
                    + "' AND pid <> pg_backend_pid() AND state = 'active'"
                    + " AND query LIKE 'COPY%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Kills the sessions writing rows into {@code database}; returns their ids. */
  private static List<Long> killWriters(String database) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection c = MariaDb.connect(null);
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id FROM information_schema.PROCESSLIST WHERE db = '"
                  + database
                  + "' AND id <> connection_id() AND command = 'Query'"
                  + " AND (info LIKE 'INSERT%' OR info LIKE 'LOAD DATA%')")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      for (long id : ids) {
        try {
          s.execute("KILL " + id);
        } catch (java.sql.SQLException e) {
          // The statement ended before the kill: nothing to kill.
        }
      }
    }
    return ids;
  }
}
