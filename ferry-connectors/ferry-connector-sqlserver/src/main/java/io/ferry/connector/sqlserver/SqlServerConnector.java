package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.JdbcConnector;

/** The {@code sqlserver} connector: SQL Server and Azure SQL tables through the JDBC base. */
public final class SqlServerConnector extends JdbcConnector {
  public SqlServerConnector() {
    super(new SqlServerDialect());
  }

  @Override
  public String name() {
    return "sqlserver";
  }

  @Override
  public String description() {
    return "Reads and writes SQL Server and Azure SQL tables: key-range splits, bulk copy"
        + " inserts, MERGE upserts.";
  }
}
