package io.ferry.connector.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ferry.spi.ConnectorContext;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.ZoneId;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connection pool of one source, sink, catalog or mining log. Created on first use (factories
 * do no I/O), sized to what the run needs ({@link #ensureSize}), every connection handed out with
 * its session set up by {@link Sessions#initSession} ({@link SessionSetup}: on each checkout, or
 * once when it connects). The password goes to the driver only; HikariCP masks it in its own logs.
 */
final class JdbcPool implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** When a connection's session is set up ({@link Sessions#initSession}). */
  enum SessionSetup {
    /**
     * Each time the connection is checked out: a source's or sink's connection may run the job's
     * own SQL (a sink's {@code preSql}), which may change its session for whoever uses it next.
     */
    EACH_CHECKOUT,
    /**
     * Once, as the connection is made: for a pool of its own whose connections run only Ferry's
     * statements, which leave the session as it was set (the mining log's, which checks one out for
     * every read and append: a round trip less each time).
     */
    ON_CONNECT
  }

  private final ConnectionSettings settings;
  private final Dialect dialect;
  private final ZoneId zone;
  private final String name;
  private final SessionSetup setup;
  private HikariDataSource pool;
  private int size = 1;
  private volatile boolean probed;

  JdbcPool(ConnectionSettings settings, Dialect dialect, ZoneId zone, String name) {
    this(settings, dialect, zone, name, SessionSetup.EACH_CHECKOUT);
  }

  JdbcPool(
      ConnectionSettings settings, Dialect dialect, ZoneId zone, String name, SessionSetup setup) {
    this.settings = settings;
    this.dialect = dialect;
    this.zone = zone;
    this.name = name;
    this.setup = setup;
  }

  /**
   * A pool's name, unique in the JVM: {@code ferry-<run key>-<role>-<n>}, the run key with every
   * character outside {@code [A-Za-z0-9._-]} as {@code _}. HikariCP registers each pool as the JMX
   * bean {@code com.zaxxer.hikari:type=Pool (<name>)}; the server reads the connections of a run's
   * pools there (its per-data-source connection gauge relies on this format).
   */
  static String name(ConnectorContext context, String role) {
    return "ferry-"
        + context.runKey().replaceAll("[^A-Za-z0-9._-]", "_")
        + "-"
        + role
        + "-"
        + POOLS.incrementAndGet();
  }

  ConnectionSettings settings() {
    return settings;
  }

  /** Lets the pool hold at least {@code connections} at once (readers, writers, a snapshot). */
  synchronized void ensureSize(int connections) {
    if (connections > size) {
      size = connections;
      if (pool != null) {
        pool.getHikariConfigMXBean().setMaximumPoolSize(size);
      }
    }
  }

  /** A connection with its session set up; the caller closes it (back to the pool). */
  Connection connection() throws SQLException {
    Connection connection = pool().getConnection();
    if (setup == SessionSetup.ON_CONNECT) {
      return connection; // set up as it connected
    }
    return withSession(connection);
  }

  /** The connection once {@link Sessions#initSession} ran on it; closed when that fails. */
  private Connection withSession(Connection connection) throws SQLException {
    try {
      dialect.sessions().initSession(connection, zone);
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * Connects once straight through the driver, outside the pool, and closes the connection: the
   * live check sees the driver's own exception (a refused login, an unknown host) instead of the
   * pool's timeout, which may come before the first attempt failed. Waits at most {@code
   * connectTimeout}. The pool probes too before its first connection, unless a probe succeeded.
   */
  void probe() throws SQLException {
    DriverConnections driver = new DriverConnections();
    CompletableFuture<Void> attempt =
        CompletableFuture.runAsync(
            () -> {
              try (Connection c = driver.getConnection()) {
                if (setup == SessionSetup.EACH_CHECKOUT) {
                  dialect.sessions().initSession(c, zone); // as a checkout would
                }
              } catch (SQLException e) {
                throw new CompletionException(e);
              }
            },
            runnable -> {
              Thread thread = new Thread(runnable, name + "-probe");
              thread.setDaemon(true);
              thread.start();
            });
    try {
      attempt.get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      probed = true;
    } catch (TimeoutException e) {
      attempt.cancel(true);
      throw new SQLTransientConnectionException(
          "no connection within " + settings.connectTimeout().toMillis() + "ms", "08001");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CompletionException c && c.getCause() instanceof SQLException s) {
        throw s;
      }
      throw new SQLException("connecting failed: " + e.getCause(), "08001", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while connecting", "08001", e);
    }
  }

  static Driver driver(String url) throws SQLException {
    return JdbcDrivers.driver(url);
  }

  /** The pool as a DataSource whose connections have their session set up, for snapshots. */
  DataSource dataSource() {
    return new SessionDataSource();
  }

  private synchronized HikariDataSource pool() throws SQLException {
    if (pool == null) {
      // One direct connection first (unless check() just made one): a refused login or an unknown
      // database fails at once with the driver's exception, where HikariCP would retry it until
      // connectTimeout.
      if (!probed) {
        probe();
      }
      HikariConfig config = new HikariConfig();
      config.setPoolName(name);
      config.setRegisterMbeans(true);
      // Connections come from the driver object itself: HikariCP would otherwise ask
      // DriverManager, which knows only drivers of the application class path, not those of
      // this connector's own class loader.
      config.setDataSource(new DriverConnections());
      config.setConnectionTimeout(settings.connectTimeout().toMillis());
      config.setMaximumPoolSize(size);
      config.setMinimumIdle(0);
      // The pool starts empty: failures surface on the first getConnection, where check() and the
      // retry logic see the driver's exception instead of a pool start-up error.
      config.setInitializationFailTimeout(-1);
      pool = new HikariDataSource(config);
    }
    return pool;
  }

  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  /** Hands out pooled connections with their session set up. */
  private final class SessionDataSource extends ConnectionSource {
    @Override
    public Connection getConnection() throws SQLException {
      return connection();
    }
  }

  /** New connections straight from the driver, logged in as the configured user. */
  private final class DriverConnections extends ConnectionSource {
    private final Driver driver;
    private final Properties properties = new Properties();

    DriverConnections() throws SQLException {
      this.driver = driver(settings.url());
      properties.putAll(settings.properties());
      if (settings.user() != null) {
        properties.setProperty("user", settings.user());
      }
      if (settings.password() != null) {
        properties.setProperty("password", settings.password());
      }
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection connection = driver.connect(settings.url(), properties);
      if (connection == null) {
        throw new SQLException("the driver does not accept " + settings.url(), "08001");
      }
      return setup == SessionSetup.ON_CONNECT ? withSession(connection) : connection;
    }
  }

  /** A DataSource that only hands out connections; the rest of the interface is inert. */
  private abstract class ConnectionSource implements DataSource {
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("connects as the configured user only");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return (int) settings.connectTimeout().toSeconds();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper of " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
