package io.ferry.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A database of its own on each real server of the machine, created for one test class and dropped
 * afterwards: MariaDB at 127.0.0.1:3306 (root, no password) and PostgreSQL at 127.0.0.1:5432
 * (postgres, trust). Plain JDBC sessions in UTC, independent of the connectors.
 */
final class TestDatabases {
  static final String HOST = "127.0.0.1";

  private TestDatabases() {}

  private static String randomName() {
    return "ferry_it_"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
  }

  /** A MariaDB database {@code ferry_it_<random>}, utf8mb4 with a binary collation. */
  static final class MariaDb implements AutoCloseable {
    final String name = randomName();

    MariaDb() throws SQLException {
      try (Connection c = connect(null);
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      }
    }

    /**
     * Binary protocol (FLOAT exact), YEAR as a number, tinyint(1) as a number; session in UTC with
     * a strict sql_mode that still accepts zero dates, so fixtures can hold them.
     */
    static Connection connect(String database) throws SQLException {
      Connection c =
          DriverManager.getConnection(
              "jdbc:mariadb://"
                  + HOST
                  + ":3306/"
                  + (database == null ? "" : database)
                  + "?useServerPrepStmts=true&tinyInt1isBit=false&yearIsDateType=false",
              "root",
              "");
      try (Statement s = c.createStatement()) {
        s.execute("SET NAMES utf8mb4, time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES'");
      }
      return c;
    }

    Connection connect() throws SQLException {
      return connect(name);
    }

    void execute(String... sql) throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        for (String q : sql) {
          s.execute(q);
        }
      }
    }

    /** Connector options of this database, YAML flow style. */
    String options() {
      return "host: " + HOST + ", port: 3306, database: " + name + ", user: root";
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = connect(null);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name);
      }
    }
  }

  /** A PostgreSQL database {@code ferry_it_<random>}, UTF8. */
  static final class Postgres implements AutoCloseable {
    final String name = randomName();

    Postgres() throws SQLException {
      try (Connection c = connect("postgres");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
      }
    }

    static Connection connect(String database) throws SQLException {
      Connection c =
          DriverManager.getConnection(
              "jdbc:postgresql://" + HOST + ":5432/" + database + "?user=postgres");
      try (Statement s = c.createStatement()) {
        s.execute("SET TimeZone = 'UTC'; SET IntervalStyle = 'iso_8601'");
      }
      return c;
    }

    Connection connect() throws SQLException {
      return connect(name);
    }

    void execute(String... sql) throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        for (String q : sql) {
          s.execute(q);
        }
      }
    }

    String options() {
      return "host: " + HOST + ", port: 5432, database: " + name + ", user: postgres";
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = connect("postgres");
          Statement s = c.createStatement()) {
        s.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + name
                + "' AND pid <> pg_backend_pid()");
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }
}
