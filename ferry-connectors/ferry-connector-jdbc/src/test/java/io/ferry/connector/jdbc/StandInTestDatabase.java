package io.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test database for a server the test machine may not have (Oracle, SQL Server): an H2 stand-in
 * in that database's compatibility mode by default, or the real server named by environment
 * variables. On a real server, which tests share, table names get a random prefix and the tables
 * the tests created are dropped by {@link #dropAll()}; H2's memory goes with the JVM.
 */
public abstract class StandInTestDatabase extends JdbcTestDatabase {
  public final String url;
  public final String user;
  public final String password;

  /** Whether this is the H2 stand-in rather than the real server. */
  public final boolean standIn;

  private final String prefix;
  private final List<String> created = new ArrayList<>();

  protected StandInTestDatabase(String url, String user, String password, boolean standIn) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.standIn = standIn;
    this.prefix = standIn ? "" : "ferry_" + UUID.randomUUID().toString().substring(0, 8) + "_";
  }

  /** A fresh in-memory H2 database named after {@code name} in compatibility {@code mode}. */
  protected static String h2Url(String name, String mode) {
    return "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";MODE=" + mode + ";DB_CLOSE_DELAY=-1";
  }

  /** The table name a test uses for {@code name} (prefixed on a shared real server). */
  @Override
  public String table(String name) {
    return prefix + name;
  }

  @Override
  public Map<String, Object> options() {
    Map<String, Object> options = new HashMap<>();
    options.put("url", url);
    if (user != null) {
      options.put("user", user);
      options.put("password", password);
    }
    return options;
  }

  @Override
  public Connection connect() throws SQLException {
    return user == null
        ? DriverManager.getConnection(url)
        : DriverManager.getConnection(url, user, password);
  }

  /** Remembers a table a test or the connector created, to drop it after the test. */
  public void createdByConnector(String name) {
    created.add(table(name));
  }

  /** Drops the remembered tables on a real server. */
  public void dropAll() throws SQLException {
    if (standIn) {
      return;
    }
    for (String table : created) {
      dropTable(table);
    }
    created.clear();
  }

  /** Drops one table of the real server ({@code table} already prefixed, unquoted). */
  protected abstract void dropTable(String table) throws SQLException;
}
