package io.ferry.flink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * A MariaDB and a PostgreSQL database of one name for one test (created by the constructor, dropped
 * by {@link #close}), with the source and target tables of the Flink tests and the sums that
 * compare them: counts, sums of the columns and a checksum of every row's values.
 */
final class CopyDatabases implements AutoCloseable {
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

  final String name = "ferry_flink_" + UUID.randomUUID().toString().substring(0, 8);

  CopyDatabases() throws SQLException {
    execute(MARIADB, "root", "CREATE DATABASE " + name);
    execute(PG + "postgres", "postgres", "CREATE DATABASE " + name);
  }

  @Override
  public void close() throws SQLException {
    execute(MARIADB, "root", "DROP DATABASE IF EXISTS " + name);
    execute(PG + "postgres", "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /**
   * A copy job from {@code src} to {@code dst} with these settings (a YAML flow mapping's body).
   */
  String copyJob(String settings) {
    return """
        name: flink-copy
        source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: src, splitsPerChannel: 4}
        sink: {connector: postgresql, host: 127.0.0.1, port: 5432, user: postgres, database: %s, table: dst}
        settings: {%s}
        """
        .formatted(name, name, settings);
  }

  /** {@code src} in MariaDB with ids 1 to {@code rows}, and an empty {@code dst} in PostgreSQL. */
  void sourceAndTarget(int rows) throws SQLException {
    mariadb(
        "CREATE TABLE src (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(12,2))",
        "INSERT INTO src SELECT seq, CONCAT('name-', seq), (seq % 100000) / 7 FROM seq_1_to_"
            + rows);
    pg("CREATE TABLE dst (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount NUMERIC(12,2))");
  }

  /**
   * {@code src (id, code)} in MariaDB with 4,000 rows whose every 400th code is no number, and
   * {@code dst} in PostgreSQL with an INTEGER code: 10 rows cannot be converted (dirty rows).
   */
  void codes() throws SQLException {
    mariadb(
        "CREATE TABLE src (id BIGINT PRIMARY KEY, code VARCHAR(20) NOT NULL)",
        "INSERT INTO src SELECT seq, IF(seq % 400 = 0, CONCAT('x', seq), seq) FROM seq_1_to_4000");
    pg("CREATE TABLE dst (id BIGINT PRIMARY KEY, code INTEGER NOT NULL)");
  }

  List<Object> sourceSums() throws SQLException {
    return sums(
        MARIADB + name,
        "root",
        "SELECT COUNT(*), COUNT(DISTINCT id), SUM(id), SUM(amount), SUM(LENGTH(name)),"
            + " SUM(CONV(SUBSTR(MD5(CONCAT(id, '|', name, '|', amount)), 1, 8), 16, 10))"
            + " FROM src");
  }

  List<Object> targetSums() throws SQLException {
    // The last sum is a checksum of every row's values: the first 32 bits of an MD5 of each.
    return sums(
        PG + name,
        "postgres",
        "SELECT COUNT(*), COUNT(DISTINCT id), SUM(id), SUM(amount), SUM(LENGTH(name)),"
            + " SUM(('x' || SUBSTR(MD5(id || '|' || name || '|' || amount::text), 1, 8))"
            + "::bit(32)::bigint) FROM dst");
  }

  private static List<Object> sums(String url, String user, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return List.of(
          r.getLong(1), r.getLong(2), r.getLong(3), r.getBigDecimal(4), r.getLong(5), r.getLong(6));
    }
  }

  /** Rows in {@code dst}. */
  long count() throws SQLException {
    try (Connection c = DriverManager.getConnection(PG + name, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM dst")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Runs statements in this test's MariaDB database. */
  void mariadb(String... statements) throws SQLException {
    execute(MARIADB + name, "root", statements);
  }

  /** Runs statements in this test's PostgreSQL database. */
  void pg(String... statements) throws SQLException {
    execute(PG + name, "postgres", statements);
  }

  private static void execute(String url, String user, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
