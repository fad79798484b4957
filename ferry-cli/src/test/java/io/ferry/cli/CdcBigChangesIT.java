package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.BinlogMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big changes through the binlog with the launcher's default heap ({@code -Xmx256m}, a child JVM
 * running {@code ferry run}): one transaction of 1,000,000 rows (fifty times what the engine holds
 * unflushed) and then a 64 MB LONGBLOB row, from the tests' binlog MariaDB into the PostgreSQL
 * service. The run must apply them all without running out of memory (the engine flushes after
 * 20,000 changes or 32 MB), catch up with a change made after them (the lag recovers), and pause
 * cleanly on SIGTERM.
 *
 * <p>The million rows take 6–25 s more than 100,000 on the 2-core CI machine, quiet to heavily
 * loaded (2–6 s to commit, 9–19 s to apply); {@code -Dferry.cdc.bigRows=N} changes the count.
 */
@Timeout(240)
class CdcBigChangesIT {
  private static final int ROWS = Integer.getInteger("ferry.cdc.bigRows", 1_000_000);
  private static final int BLOB_MB = 64;

  private static BinlogMariaDb source;
  private static String database;

  @TempDir Path dir;

  @BeforeAll
  static void databases() throws SQLException {
    source = BinlogMariaDb.shared();
    database = "ferry_big_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = source(null);
        Statement s = c.createStatement()) {
      // A 64 MB row needs a bigger packet than the default 16 MB; sessions opened later see it.
      s.execute("SET GLOBAL max_allowed_packet = " + (256 << 20));
      s.execute("CREATE DATABASE " + database);
      s.execute("CREATE TABLE " + database + ".bulk (id BIGINT PRIMARY KEY, payload VARCHAR(64))");
      s.execute("CREATE TABLE " + database + ".blobs (id INT PRIMARY KEY, b LONGBLOB)");
    }
    try (Connection c = target("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    try (Connection c = target(database);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bulk (id bigint PRIMARY KEY, payload varchar(64))");
      s.execute("CREATE TABLE blobs (id int PRIMARY KEY, b bytea)");
    }
  }

  @AfterAll
  static void drop() throws SQLException {
    try (Connection c = source(null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
    }
    try (Connection c = target("postgres");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static Connection source(String db) throws SQLException {
    return DriverManager.getConnection(
        source.jdbcUrl(db == null ? "" : db), source.user(), source.password());
  }

  private static Connection target(String db) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", null);
  }

  private static long targetLong(String sql) throws SQLException {
    try (Connection c = target(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String targetString(String sql) throws SQLException {
    try (Connection c = target(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private void sourceSql(String sql) throws SQLException {
    try (Connection c = source(database);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private void await(Process ferry, Check condition, int seconds, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.holds()) {
      assertThat(ferry.isAlive())
          .as(
              "ferry ended while waiting for %s: %s",
              what, Files.readString(dir.resolve("ferry.err")))
          .isTrue();
      assertThat(System.nanoTime())
          .as("%s within %d s: %s", what, seconds, Files.readString(dir.resolve("ferry.err")))
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void aBigTransactionAndA64MbRowArriveWithTheDefaultHeap() throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("big.yaml"),
            """
            kind: cdc
            source: {connector: mysql, host: %s, port: %d, user: %s, password: "%s", database: %s,
                     tables: [bulk, blobs]}
            sink: {connector: postgresql, host: 127.0.0.1, port: 5432, user: postgres,
                   database: %s, table: "${table}"}
            cdc: {startup: latest}
            settings: {flushInterval: 200ms}
            """
                .formatted(
                    source.host(),
                    source.port(),
                    source.user(),
                    source.password(),
                    database,
                    database));
    Process ferry = Cli.process(dir, dir.resolve("state"), "run", job.toString());
    try {
      // Streaming once a probe arrives (one written before the run took its position is not read).
      int probe = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (targetLong("SELECT count(*) FROM bulk WHERE id < 0") == 0) {
        assertThat(ferry.isAlive()).as(Files.readString(dir.resolve("ferry.err"))).isTrue();
        assertThat(System.nanoTime()).as("streaming within 60 s").isLessThan(deadline);
        sourceSql("INSERT INTO bulk VALUES (" + --probe + ", 'probe')");
        Thread.sleep(500);
      }

      long started = System.nanoTime();
      sourceSql(
          "INSERT INTO bulk SELECT seq, concat('row ', seq) FROM seq_1_to_" + ROWS); // one trx
      long committed = System.nanoTime();
      // Then a change after it: it arrives once the run caught up, the lag recovered.
      sourceSql("INSERT INTO bulk VALUES (" + --probe + ", 'after the big one')");
      int after = probe;
      await(
          ferry,
          () -> targetLong("SELECT count(*) FROM bulk WHERE id = " + after) == 1,
          120,
          ROWS + " rows and a change after them");
      System.out.printf(
          "CdcBigChangesIT: %,d rows committed in %.1f s, applied %.1f s after the commit%n",
          ROWS, (committed - started) / 1e9, (System.nanoTime() - committed) / 1e9);
      assertThat(targetLong("SELECT count(*) FROM bulk WHERE id > 0")).isEqualTo(ROWS);
      assertThat(targetLong("SELECT sum(id) FROM bulk WHERE id > 0"))
          .isEqualTo((long) ROWS * (ROWS + 1) / 2);
      assertThat(targetLong("SELECT count(*) FROM bulk WHERE id > 0 AND payload = 'row ' || id"))
          .isEqualTo(ROWS);
      // Caught up: a new change arrives within seconds again.
      sourceSql("INSERT INTO bulk VALUES (" + --probe + ", 'caught up')");
      int caughtUp = probe;
      await(
          ferry,
          () -> targetLong("SELECT count(*) FROM bulk WHERE id = " + caughtUp) == 1,
          15,
          "a change after catching up");

      sourceSql(
          "INSERT INTO blobs SELECT 1, REPEAT(X'00FF7F80', " + (BLOB_MB << 18) + ")"); // 64 MB
      String md5;
      try (Connection c = source(database);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT MD5(b), LENGTH(b) FROM blobs WHERE id = 1")) {
        rs.next();
        md5 = rs.getString(1);
        assertThat(rs.getLong(2)).isEqualTo((long) BLOB_MB << 20);
      }
      await(ferry, () -> targetLong("SELECT count(*) FROM blobs") == 1, 90, "the 64 MB row");
      assertThat(targetLong("SELECT length(b) FROM blobs WHERE id = 1"))
          .isEqualTo((long) BLOB_MB << 20);
      assertThat(targetString("SELECT md5(b) FROM blobs WHERE id = 1")).isEqualTo(md5);
    } finally {
      ferry.destroy(); // SIGTERM: the run pauses with a checkpoint
      if (!ferry.waitFor(60, TimeUnit.SECONDS)) {
        ferry.destroyForcibly();
      }
    }
    String err = Files.readString(dir.resolve("ferry.err"));
    assertThat(err).doesNotContain("OutOfMemoryError");
    assertThat(ferry.exitValue()).as(err).isEqualTo(ExitCode.PAUSED);
  }
}
