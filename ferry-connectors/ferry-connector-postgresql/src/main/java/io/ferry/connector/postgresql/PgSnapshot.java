package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.ReadSnapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * One exported snapshot shared by every reader: a coordinating connection holds {@code BEGIN
 * ISOLATION LEVEL REPEATABLE READ} open and exports {@code pg_export_snapshot()}; each reader
 * connection begins a repeatable-read transaction and imports it with {@code SET TRANSACTION
 * SNAPSHOT}, so all readers, and a reader that reconnects after a lost connection, see exactly the
 * rows committed before the export. The export lives as long as the coordinating transaction: until
 * {@link #close()}.
 */
final class PgSnapshot implements ReadSnapshot {
  private final DataSource connections;
  private final Connection coordinator;
  private final String id;

  private PgSnapshot(DataSource connections, Connection coordinator, String id) {
    this.connections = connections;
    this.coordinator = coordinator;
    this.id = id;
  }

  static PgSnapshot export(DataSource connections) throws SQLException {
    Connection c = connections.getConnection();
    try {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
        rs.next();
        return new PgSnapshot(connections, c, rs.getString(1));
      }
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** The exported snapshot's id, e.g. {@code 00000003-0000001B-1}. */
  String id() {
    return id;
  }

  @Override
  public Connection connection() throws SQLException {
    Connection c = connections.getConnection();
    try {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = c.createStatement()) {
        // The id comes from the server (hex digits and dashes), never from a user.
        s.execute("SET TRANSACTION SNAPSHOT '" + id + "'");
      }
      return c;
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      coordinator.rollback();
    } finally {
      coordinator.close();
    }
  }
}
