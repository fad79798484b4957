package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.JdbcConnector;

/**
 * The {@code mysql} connector: MySQL 5.7/8.x and MariaDB 10.x+ tables, read with streaming
 * key-range splits and written with LOAD DATA LOCAL INFILE from memory. See this module's README
 * for options, the type mapping and the snapshot guarantees.
 */
public final class MySqlConnector extends JdbcConnector {
  public MySqlConnector() {
    super(new MySqlDialect());
  }

  @Override
  public String name() {
    return "mysql";
  }

  @Override
  public String description() {
    return "Reads and writes MySQL and MariaDB tables: parallel streaming reads by key ranges,"
        + " bulk writes with LOAD DATA LOCAL INFILE.";
  }
}
