package io.ferry.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Databases of the machine's MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432,
 * postgres, trust) that a test creates for itself and drops at the end.
 */
final class TestDatabases {
  static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  private TestDatabases() {}

  static String newName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  static Connection mariadb(String database) throws SQLException {
    return DriverManager.getConnection(MARIADB + database, "root", "");
  }

  static Connection postgres(String database) throws SQLException {
    return DriverManager.getConnection(POSTGRES + database, "postgres", "");
  }

  static void createMariadb(String name) throws SQLException {
    try (Connection c = mariadb("");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + backtick(name));
    }
  }

  static void dropMariadb(String name) throws SQLException {
    try (Connection c = mariadb("");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + backtick(name));
    }
  }

  static void createPostgres(String name) throws SQLException {
    try (Connection c = postgres("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + quote(name));
    }
  }

  static void dropPostgres(String name) throws SQLException {
    try (Connection c = postgres("postgres");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
    }
  }

  static String backtick(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
