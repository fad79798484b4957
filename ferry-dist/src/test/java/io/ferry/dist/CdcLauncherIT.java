package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.connector.testkit.LogicalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Change capture through the real launcher, where each connector and its JDBC driver live in a
 * class loader of their own (a flat test class path hides what that breaks): {@code bin/ferry run}
 * of a {@code kind: cdc} job copies the table, then applies inserts, updates and deletes from the
 * MariaDB binlog to PostgreSQL and from a PostgreSQL slot to MariaDB, until SIGTERM pauses it.
 */
class CdcLauncherIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path WORK = Path.of("target/it-cdc").toAbsolutePath();

  private final String name = "ferry_cdc_" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void fromTheMariaDbBinlogToPostgreSql() throws Exception {
    BinlogMariaDb source = BinlogMariaDb.shared();
    String sourceUrl = source.jdbcUrl("");
    execute(sourceUrl, source.user(), source.password(), "CREATE DATABASE " + name);
    execute("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "", "CREATE DATABASE " + name);
    String src = source.jdbcUrl(name);
    String dst = "jdbc:postgresql://127.0.0.1:5432/" + name;
    try {
      execute(
          src,
          source.user(),
          source.password(),
          "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
          "INSERT INTO items SELECT seq, concat('item ', seq) FROM seq_1_to_200");
      execute(dst, "postgres", "", "CREATE TABLE items (id int PRIMARY KEY, name varchar(40))");
      capture(
          """
          source: {connector: mysql, host: 127.0.0.1, port: %d, database: %s, user: %s, tables: [items], serverId: 7301}
          sink: {connector: postgresql, host: 127.0.0.1, database: %s, user: postgres, table: "${table}"}
          """
              .formatted(source.port(), name, source.user(), name),
          src,
          source.user(),
          source.password(),
          dst,
          "postgres");
    } finally {
      execute(sourceUrl, source.user(), source.password(), "DROP DATABASE IF EXISTS " + name);
      execute(
          "jdbc:postgresql://127.0.0.1:5432/postgres",
          "postgres",
          "",
          "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  @Test
  void fromAPostgreSqlSlotToMariaDb() throws Exception {
    LogicalPostgres source = LogicalPostgres.get();
    execute(source.url("postgres"), source.user(), "", "CREATE DATABASE " + name);
    execute("jdbc:mariadb://127.0.0.1:3306/", "root", "", "CREATE DATABASE " + name);
    String src = source.url(name);
    String dst = "jdbc:mariadb://127.0.0.1:3306/" + name;
    try {
      execute(
          src,
          source.user(),
          "",
          "CREATE TABLE items (id int PRIMARY KEY, name varchar(40) NOT NULL)",
          "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 200) g");
      execute(dst, "root", "", "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40))");
      capture(
          """
          source: {connector: postgresql, host: 127.0.0.1, port: %d, database: %s, user: %s, tables: [items], slot: %s, publication: %s}
          sink: {connector: mysql, host: 127.0.0.1, database: %s, user: root, table: "${table}"}
          """
              .formatted(source.port(), name, source.user(), name, name, name),
          src,
          source.user(),
          "",
          dst,
          "root");
    } finally {
      execute(
          source.url("postgres"),
          source.user(),
          "",
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
              + " WHERE slot_name = '"
              + name
              + "'",
          "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      execute("jdbc:mariadb://127.0.0.1:3306/", "root", "", "DROP DATABASE IF EXISTS " + name);
    }
  }

  /**
   * {@code bin/ferry cdc mine} reads the binlog once for two {@code ferry run} cdc jobs with shared
   * mining (each into its own table), which both end equal to the source; SIGTERM ends the mining
   * run after it appended what it read.
   */
  @Test
  void twoJobsReadOneMiningRunOfTheLauncher() throws Exception {
    BinlogMariaDb source = BinlogMariaDb.shared();
    String sourceUrl = source.jdbcUrl("");
    execute(sourceUrl, source.user(), source.password(), "CREATE DATABASE " + name);
    execute("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "", "CREATE DATABASE " + name);
    String src = source.jdbcUrl(name);
    String dst = "jdbc:postgresql://127.0.0.1:5432/" + name;
    Path dir = WORK.resolve(name);
    Files.createDirectories(dir);
    List<Process> processes = new ArrayList<>();
    try {
      execute(
          src,
          source.user(),
          source.password(),
          "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
          "INSERT INTO items SELECT seq, concat('item ', seq) FROM seq_1_to_200");
      execute(
          dst,
          "postgres",
          "",
          "CREATE TABLE items_a (id int PRIMARY KEY, name varchar(40))",
          "CREATE TABLE items_b (id int PRIMARY KEY, name varchar(40))");
      for (String job : List.of("a", "b")) {
        Files.writeString(
            dir.resolve(job + ".yaml"),
            """
            name: %s
            kind: cdc
            source: {connector: mysql, host: 127.0.0.1, port: %d, database: %s, user: %s, tables: [items], serverId: 7302}
            sink: {connector: postgresql, host: 127.0.0.1, database: %s, user: postgres, table: "items_%s"}
            cdc:
              startup: initial
              sharedMining: true
              miningLog: {connector: postgresql, host: 127.0.0.1, database: %s, user: postgres, table: mining_items}
            settings: {flushInterval: 200ms}
            """
                .formatted(job, source.port(), name, source.user(), name, job, name));
      }
      processes.add(ferry(dir, "mine", "cdc", "mine", dir.resolve("a.yaml").toString()));
      processes.add(ferry(dir, "a", "run", dir.resolve("a.yaml").toString()));
      processes.add(ferry(dir, "b", "run", dir.resolve("b.yaml").toString()));
      for (String job : List.of("a", "b")) {
        awaitEqual(src, source.user(), source.password(), dst, "postgres", "items_" + job, dir);
      }
      // Streaming now: these reach the jobs through the mining log.
      execute(
          src,
          source.user(),
          source.password(),
          "INSERT INTO items VALUES (1000, 'new')",
          "UPDATE items SET name = 'changed' WHERE id = 7",
          "DELETE FROM items WHERE id = 9");
      for (String job : List.of("a", "b")) {
        awaitEqual(src, source.user(), source.password(), dst, "postgres", "items_" + job, dir);
      }
      assertThat(rows(dst, "postgres", "", "items_b")).containsEntry(7, "changed");
      assertThat(source.binlogReaders()).as("binlog readers of the two jobs").isEqualTo(1);
    } finally {
      for (Process p : processes) {
        p.destroy();
      }
      for (Process p : processes) {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ferry ended after SIGTERM").isTrue();
      }
      execute(sourceUrl, source.user(), source.password(), "DROP DATABASE IF EXISTS " + name);
      execute(
          "jdbc:postgresql://127.0.0.1:5432/postgres",
          "postgres",
          "",
          "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
    assertThat(processes.get(0).exitValue()).as("ferry cdc mine's exit after SIGTERM").isZero();
    // Three changes of one table, appended once for both jobs.
    assertThat(Files.readString(dir.resolve("mine.out")))
        .containsPattern("mining log #[0-9]+: 3 events appended .*, 1 tables, .* \\(stopped\\)");
  }

  private static Process ferry(Path dir, String output, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(DIST.resolve("bin/ferry").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(output + ".out").toFile());
    builder.environment().put("FERRY_STATE_DIR", dir.resolve("state-" + output).toString());
    return builder.start();
  }

  /**
   * Runs the cdc job, changes the source while it streams, waits until the target equals the
   * source, then pauses it with SIGTERM.
   */
  private void capture(
      String connectors, String src, String srcUser, String srcPassword, String dst, String dstUser)
      throws Exception {
    Path dir = WORK.resolve(name);
    Files.createDirectories(dir);
    Path job = dir.resolve("cdc.yaml");
    Files.writeString(
        job,
        "name: cdc\nkind: cdc\n"
            + connectors
            + "cdc: {startup: initial}\nsettings: {flushInterval: 200ms}\n");
    ProcessBuilder builder =
        new ProcessBuilder(DIST.resolve("bin/ferry").toString(), "run", job.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ferry.out").toFile());
    builder.environment().put("FERRY_STATE_DIR", dir.resolve("state").toString());
    Process ferry = builder.start();
    try {
      awaitEqual(src, srcUser, srcPassword, dst, dstUser, "items", dir);
      execute(
          src,
          srcUser,
          srcPassword,
          "INSERT INTO items VALUES (1000, 'new')",
          "UPDATE items SET name = 'changed' WHERE id = 7",
          "UPDATE items SET id = 2000 WHERE id = 8",
          "DELETE FROM items WHERE id = 9");
      awaitEqual(src, srcUser, srcPassword, dst, dstUser, "items", dir);
      assertThat(rows(dst, dstUser, "", "items")).containsEntry(7, "changed").containsKey(2000);
    } finally {
      ferry.destroy(); // SIGTERM: the run pauses with its checkpoint
      assertThat(ferry.waitFor(60, TimeUnit.SECONDS)).as("ferry ended after SIGTERM").isTrue();
    }
    assertThat(Files.readString(dir.resolve("ferry.out"))).contains("PAUSED");
  }

  /** Waits until {@code table} of the target holds the source's {@code items}. */
  private static void awaitEqual(
      String src,
      String srcUser,
      String srcPassword,
      String dst,
      String dstUser,
      String table,
      Path dir)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<Integer, String> expected = rows(src, srcUser, srcPassword, "items");
    while (!expected.equals(rows(dst, dstUser, "", table))) {
      if (System.nanoTime() > deadline) {
        StringBuilder printed = new StringBuilder();
        try (var files = Files.list(dir)) {
          for (Path f : files.filter(f -> f.toString().endsWith(".out")).sorted().toList()) {
            printed.append(f.getFileName()).append(":\n").append(Files.readString(f));
          }
        }
        throw new AssertionError(
            "the target "
                + table
                + " did not catch up with the source; ferry printed:\n"
                + printed);
      }
      Thread.sleep(200);
      expected = rows(src, srcUser, srcPassword, "items");
    }
  }

  private static Map<Integer, String> rows(String url, String user, String password, String table)
      throws SQLException {
    Map<Integer, String> rows = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name FROM " + table)) {
      while (rs.next()) {
        rows.put(rs.getInt(1), rs.getString(2));
      }
    }
    return rows;
  }

  private static void execute(String url, String user, String password, String... sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }
}
