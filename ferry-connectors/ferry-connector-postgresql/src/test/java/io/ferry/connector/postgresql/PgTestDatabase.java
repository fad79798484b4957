package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.JdbcTestDatabase;
import io.ferry.connector.jdbc.ServerAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * A database of its own on the PostgreSQL server at 127.0.0.1:5432 (trust auth, user postgres),
 * created for one test class and dropped afterwards, its sessions terminated first.
 */
final class PgTestDatabase extends JdbcTestDatabase {
  static final String HOST = "127.0.0.1";
  static final int PORT = 5432;
  private final String name;

  PgTestDatabase() throws SQLException {
    this.name =
        "ferry_"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 12)
                .toLowerCase(Locale.ROOT);
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  String name() {
    return name;
  }

  @Override
  public String databaseName() {
    return name;
  }

  @Override
  public ServerAddress server() {
    return ServerAddress.of(HOST, OptionalInt.of(PORT));
  }

  String url() {
    return "jdbc:postgresql://"
        + HOST
        + ":"
        + PORT
        + "/"
        + name
        + "?user=postgres&stringtype=unspecified";
  }

  @Override
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  /** Connection options of the connector for this database. */
  @Override
  public Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("host", HOST);
    o.put("port", PORT);
    o.put("database", name);
    o.put("user", "postgres");
    return o;
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres?user=postgres");
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + name
              + "' AND pid <> pg_backend_pid()");
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
