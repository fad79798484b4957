package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.ReadSnapshot;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import javax.sql.DataSource;

/**
 * One consistent view for every reader of a source, by Oracle flashback: the snapshot is the system
 * change number (SCN) current when it opens, and each reader's session is put into flashback mode
 * at that SCN ({@code DBMS_FLASHBACK.ENABLE_AT_SYSTEM_CHANGE_NUMBER}), so all queries of all
 * readers see the database exactly as of that moment, however long they run.
 *
 * <p>Needs {@code EXECUTE} on {@code DBMS_FLASHBACK}, and enough undo: a read that outlives the
 * undo retention fails with ORA-01555 (snapshot too old) rather than mixing in newer rows.
 * Flashback mode is left (DBMS_FLASHBACK.DISABLE) before a connection goes back to the pool.
 */
final class FlashbackSnapshot implements ReadSnapshot {
  private final DataSource connections;
  private final long scn;

  private FlashbackSnapshot(DataSource connections, long scn) {
    this.connections = connections;
    this.scn = scn;
  }

  /** Takes the current SCN as the snapshot. */
  static FlashbackSnapshot open(DataSource connections) throws SQLException {
    try (Connection c = connections.getConnection();
        CallableStatement call =
            c.prepareCall("{? = call DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER()}")) {
      call.registerOutParameter(1, Types.NUMERIC);
      call.execute();
      return new FlashbackSnapshot(connections, call.getLong(1));
    }
  }

  /** The snapshot's system change number. */
  long scn() {
    return scn;
  }

  @Override
  public Connection connection() throws SQLException {
    Connection connection = connections.getConnection();
    try {
      // Flashback mode must start outside a transaction: end whatever the pool left open.
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
      try (CallableStatement call =
          connection.prepareCall("{call DBMS_FLASHBACK.ENABLE_AT_SYSTEM_CHANGE_NUMBER(?)}")) {
        call.setLong(1, scn);
        call.execute();
      }
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return leavingFlashbackOnClose(connection);
  }

  /** The connection, whose close first ends flashback mode so the pool gets a normal session. */
  private static Connection leavingFlashbackOnClose(Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("close") && method.getParameterCount() == 0) {
            disableAndClose(connection);
            return null;
          }
          return invoke(connection, method, args);
        };
    return (Connection)
        Proxy.newProxyInstance(
            FlashbackSnapshot.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private static void disableAndClose(Connection connection) throws SQLException {
    try {
      if (!connection.isClosed()) {
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
        try (CallableStatement call = connection.prepareCall("{call DBMS_FLASHBACK.DISABLE()}")) {
          call.execute();
        }
      }
    } finally {
      connection.close();
    }
  }

  private static Object invoke(Connection target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Nothing to release: the SCN is only a number, and readers close their connections. */
  @Override
  public void close() {}
}
