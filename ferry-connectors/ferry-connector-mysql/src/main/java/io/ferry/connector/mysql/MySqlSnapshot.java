package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.ReadSnapshot;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consistent view for all readers of a source: {@code readers} connections each run {@code
 * START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY} together, under a brief {@code FLUSH
 * TABLES WITH READ LOCK} when the user has the RELOAD privilege (then every transaction sees
 * exactly the same commits); without it the transactions start back to back, milliseconds apart,
 * and a commit in between may be seen by some readers only.
 *
 * <p>MySQL cannot attach a new connection to an existing snapshot, so the connections are reused: a
 * reader's {@code close()} hands its connection back for the next split (the transaction stays
 * open), and commit, rollback and autocommit changes by readers are ignored. A connection that
 * broke is dropped; when none is left the next reader fails instead of reading outside the
 * snapshot.
 */
final class MySqlSnapshot implements ReadSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlSnapshot.class);

  /** How long a reader waits for another reader to hand back a snapshot connection. */
  private static final long WAIT_MINUTES = 30;

  private final List<Connection> all;
  private final Deque<Connection> idle;
  private int handedOut;
  private boolean closed;

  private MySqlSnapshot(List<Connection> connections) {
    this.all = new ArrayList<>(connections);
    this.idle = new ArrayDeque<>(connections);
  }

  static MySqlSnapshot open(DataSource source, int readers) throws SQLException {
    List<Connection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < Math.max(1, readers); i++) {
        Connection c = source.getConnection();
        connections.add(c);
        c.setAutoCommit(false);
      }
      Connection first = connections.get(0);
      boolean locked = lock(first);
      try {
        for (Connection c : connections) {
          try (Statement s = c.createStatement()) {
            s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
          }
        }
      } finally {
        if (locked) {
          // Releases the global read lock only: the snapshot transaction stays open.
          try (Statement s = first.createStatement()) {
            s.execute("UNLOCK TABLES");
          }
        }
      }
      LOG.info(
          "consistent snapshot opened on {} connection(s){}",
          connections.size(),
          locked ? " under FLUSH TABLES WITH READ LOCK" : " back to back (no RELOAD privilege)");
      return new MySqlSnapshot(connections);
    } catch (SQLException | RuntimeException e) {
      for (Connection c : connections) {
        closeQuietly(c, e);
      }
      throw e;
    }
  }

  /**
   * FLUSH TABLES WITH READ LOCK, waiting at most 10 s for running statements; false without RELOAD.
   */
  private static boolean lock(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION lock_wait_timeout = 10");
      try {
        s.execute("FLUSH TABLES WITH READ LOCK");
        return true;
      } catch (SQLException e) {
        LOG.warn(
            "FLUSH TABLES WITH READ LOCK failed ({}); the readers' snapshots start back to back"
                + " and a commit between them may be seen by some readers only",
            e.getMessage());
        return false;
      } finally {
        s.execute("SET SESSION lock_wait_timeout = DEFAULT");
      }
    }
  }

  @Override
  public synchronized Connection connection() throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WAIT_MINUTES);
    while (idle.isEmpty()) {
      if (closed) {
        throw new SQLException("the consistent snapshot is closed");
      }
      if (handedOut == 0) {
        throw new SQLException(
            "every connection of the consistent snapshot was lost; a new connection would read"
                + " outside the snapshot, so the read fails (run again, or read without snapshot)",
            "08003");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SQLException("no connection of the consistent snapshot came free", "08001");
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted waiting for a snapshot connection", e);
      }
    }
    Connection real = idle.poll();
    handedOut++;
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Lease(real));
  }

  private synchronized void giveBack(Connection real) {
    handedOut--;
    boolean valid;
    try {
      valid = !closed && real.isValid(5);
    } catch (SQLException e) {
      valid = false;
    }
    if (valid) {
      idle.push(real);
    } else {
      all.remove(real);
      closeQuietly(real, null);
    }
    notifyAll();
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Connection c : all) {
      closeQuietly(c, null);
    }
    all.clear();
    idle.clear();
    notifyAll();
  }

  private static void closeQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      // Broken or already closed: closing below is what matters.
    }
    try {
      c.close();
    } catch (SQLException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }

  /** A reader's hold on a snapshot connection: closing hands it back, the transaction stays. */
  private final class Lease implements InvocationHandler {
    private final Connection real;
    private boolean released;

    Lease(Connection real) {
      this.real = real;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close":
          if (!released) {
            released = true;
            giveBack(real);
          }
          return null;
        case "isClosed":
          return released || real.isClosed();
        case "commit", "rollback", "setAutoCommit", "setReadOnly", "setTransactionIsolation":
          // The snapshot is the transaction: readers must not end or change it.
          return null;
        case "getAutoCommit":
          return false;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "snapshot lease of " + real;
        default:
          if (released) {
            throw new SQLException("connection was handed back to the snapshot", "08003");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
      }
    }
  }
}
