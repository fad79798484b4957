package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.ChangeApplyChecks;
import io.ferry.connector.jdbc.JdbcTestDatabase;
import io.ferry.spi.Connector;

/**
 * The change writer through the SQL Server dialect (MERGE upsert, DELETE by key) against H2 in
 * MODE=MSSQLServer: inserts, updates including of the key, deletes, soft deletes and added columns,
 * each read back. See {@link SqlServerTestDatabase} for where H2 differs from SQL Server.
 */
class SqlServerChangeApplyTest extends ChangeApplyChecks {
  private final SqlServerTestDatabase database =
      SqlServerTestDatabase.h2CaseInsensitive("sqlserver-cdc");

  @Override
  protected JdbcTestDatabase db() {
    return database;
  }

  @Override
  protected Connector connector() {
    return new SqlServerConnector();
  }

  /**
   * The checks' tables. The soft-delete table gets its flag and time columns up front: the writer
   * would add the time column as DATETIMEOFFSET, a type name H2's SQL Server mode lacks (its
   * TIMESTAMP WITH TIME ZONE is the same type), and adds neither column when both are there.
   */
  @Override
  protected String createTable(String name) {
    return "CREATE TABLE "
        + name
        + " (id BIGINT PRIMARY KEY, name VARCHAR(20)"
        + (name.endsWith("ca_soft")
            ? ", is_deleted BIT, deleted_at TIMESTAMP(7) WITH TIME ZONE)"
            : ")");
  }
}
