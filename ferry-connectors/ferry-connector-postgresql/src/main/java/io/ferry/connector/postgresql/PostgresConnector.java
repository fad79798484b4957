package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.JdbcConnector;

/**
 * The {@code postgresql} connector: the shared JDBC source, sink and catalog with {@link
 * PgDialect}.
 */
public final class PostgresConnector extends JdbcConnector {
  public PostgresConnector() {
    super(new PgDialect());
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String description() {
    return "Reads and writes PostgreSQL tables: key-range splits on streaming cursors, a shared"
        + " exported snapshot, COPY bulk writes and staging-table upserts.";
  }
}
