package io.ferry.connector.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot connection as {@link Dialect#prepareStreaming} sees it: the calls that would end or
 * change the snapshot's transaction ({@code commit}, {@code rollback}, {@code setAutoCommit},
 * {@code setTransactionIsolation}, {@code setReadOnly}) do nothing, since the transaction is the
 * snapshot: a new isolation level or a commit would read outside it. Everything else reaches the
 * connection.
 */
final class SnapshotGuard {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotGuard.class);

  private SnapshotGuard() {}

  static Connection guard(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "commit",
                "rollback",
                "setAutoCommit",
                "setTransactionIsolation",
                "setReadOnly":
                  LOG.debug(
                      "{} on a snapshot connection ignored: the snapshot keeps its transaction",
                      method.getName());
                  return null;
                case "equals":
                  return proxy == args[0];
                case "hashCode":
                  return System.identityHashCode(proxy);
                default:
                  try {
                    return method.invoke(connection, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
              }
            });
  }
}
