package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.JdbcConnector;
import io.ferry.spi.Catalog;
import io.ferry.spi.ChangeSource;
import java.util.Optional;

/**
 * The {@code mysql} connector: MySQL 5.7/8.x and MariaDB 10.x+ tables, read with streaming
 * key-range splits and written with LOAD DATA LOCAL INFILE from memory, and their changes read from
 * the binlog ({@link MySqlChangeSource}). See this module's README for options, the type mapping
 * and the snapshot guarantees.
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
        + " bulk writes with LOAD DATA LOCAL INFILE, change capture from the binlog.";
  }

  /**
   * The binlog change source. Its options are the connection options, the source's type options
   * ({@code tinyInt1IsBoolean}, {@code zeroDates}: values read the same as the batch source's) and
   * the capture options; column types come from this connector's catalog, the batch path's own.
   */
  @Override
  public Optional<Role<ChangeSource>> changeSource() {
    return Optional.of(
        Role.of(
            MySqlChangeSource.options(dialect()),
            (options, context) -> {
              Catalog catalog = catalog().orElseThrow().create(options, context);
              return new MySqlChangeSource(catalog, options, context);
            }));
  }

  /** A shared-mining log in a table of this database (docs/shared-mining.md). */
  @Override
  public Optional<Role<io.ferry.spi.MiningLog>> miningLog() {
    return Optional.of(miningLogRole());
  }
}
