package io.ferry.connector.jdbc;

/**
 * The {@code jdbc} connector: any database whose JDBC driver is on the class path, with standard
 * SQL ({@link GenericDialect}). Needs a full {@code url}; writes with batched INSERTs.
 */
public final class GenericJdbcConnector extends JdbcConnector {
  public GenericJdbcConnector() {
    super(new GenericDialect());
  }

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public String description() {
    return "Reads and writes tables of any database with a JDBC driver on the class path, in"
        + " standard SQL (key-range splits, batched inserts).";
  }
}
