package io.ferry.connector.sqlserver;

import com.microsoft.sqlserver.jdbc.SQLServerBulkCopy;
import com.microsoft.sqlserver.jdbc.SQLServerBulkCopyOptions;
import com.microsoft.sqlserver.jdbc.SQLServerConnection;
import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkUnavailableException;
import io.ferry.connector.jdbc.BulkWriter;
import io.ferry.connector.jdbc.FencedCommit;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.RowBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Set;

/**
 * Inserts through the bulk copy API ({@code SQLServerBulkCopy}, the TDS bulk load that {@code bcp}
 * uses), streaming each buffer from {@link BulkRows}, then commits. Options match a plain INSERT:
 * NULLs stay NULL instead of taking column defaults, CHECK and foreign key constraints are checked
 * (otherwise SQL Server marks them untrusted) and triggers fire. {@code TABLOCK} is the sink's
 * {@code tableLock} option.
 */
final class SqlServerBulkWriter implements BulkWriter {
  /** Column types the bulk copy API cannot write (CLR and variant types). */
  private static final Set<String> UNSUPPORTED =
      Set.of("sql_variant", "geography", "geometry", "hierarchyid", "rowversion");

  private final Connection connection;
  private final SQLServerConnection server;
  private final BulkTarget target;
  private final boolean tableLock;

  private SqlServerBulkWriter(
      Connection connection, SQLServerConnection server, BulkTarget target, boolean tableLock) {
    this.connection = connection;
    this.server = server;
    this.target = target;
    this.tableLock = tableLock;
  }

  /**
   * A bulk writer on {@code connection}.
   *
   * @throws BulkUnavailableException when the connection is not Microsoft's SQL Server driver (a
   *     stand-in database, another driver) or a target column has a type bulk copy cannot write
   */
  static SqlServerBulkWriter open(Connection connection, BulkTarget target, boolean tableLock)
      throws SQLException {
    if (!connection.isWrapperFor(SQLServerConnection.class)) {
      throw new BulkUnavailableException(
          "the connection to "
              + connection.getMetaData().getDatabaseProductName()
              + " is not made by Microsoft's SQL Server JDBC driver, so the bulk copy API cannot"
              + " be used");
    }
    for (JdbcColumn column : target.columns()) {
      String type = column.typeName().toLowerCase(Locale.ROOT);
      String name = SqlServerTypes.baseName(type);
      boolean rowversion = name.equals("timestamp") && column.sqlType() == Types.BINARY;
      if (UNSUPPORTED.contains(name) || rowversion) {
        throw new BulkUnavailableException(
            "column " + column.name() + " is " + type + ", which the bulk copy API cannot write");
      }
    }
    return new SqlServerBulkWriter(
        connection, connection.unwrap(SQLServerConnection.class), target, tableLock);
  }

  @Override
  public void load(RowBuffer rows) throws SQLException {
    if (rows.size() == 0) {
      return;
    }
    BulkRows data =
        new BulkRows(
            target.columns(), target.types(), rows::get, rows.size(), target.context().zone());
    try (SQLServerBulkCopy copy = new SQLServerBulkCopy(server)) {
      copy.setBulkCopyOptions(options(rows.size()));
      copy.setDestinationTableName(target.table());
      for (int c = 0; c < target.columns().size(); c++) {
        copy.addColumnMapping(c + 1, target.columns().get(c).name());
      }
      copy.writeToServer(data);
      FencedCommit.commit(connection, target.context().fence());
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  SQLServerBulkCopyOptions options(int batchSize) throws SQLException {
    SQLServerBulkCopyOptions options = new SQLServerBulkCopyOptions();
    options.setBatchSize(batchSize);
    options.setKeepNulls(true);
    options.setCheckConstraints(true);
    options.setFireTriggers(true);
    options.setTableLock(tableLock);
    options.setUseInternalTransaction(false); // the connection's transaction; committed above
    options.setBulkCopyTimeout(0);
    return options;
  }
}
