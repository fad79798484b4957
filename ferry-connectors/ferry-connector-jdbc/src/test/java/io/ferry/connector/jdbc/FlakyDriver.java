package io.ferry.connector.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLRecoverableException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A driver for {@code jdbc:flaky:<h2 url>} that passes everything to H2 but can drop the connection
 * as a network failure would: SQLState 08S01 from {@code ResultSet.next()} after a number of rows,
 * or from {@code executeBatch()}. Each armed failure fires once.
 */
final class FlakyDriver implements Driver {
  private static final String PREFIX = "jdbc:flaky:";

  /** Rows a result set delivers before it fails once; -1 when disarmed. */
  static final AtomicInteger failReadAfterRows = new AtomicInteger(-1);

  /** How many coming executeBatch calls fail. */
  static final AtomicInteger failBatches = new AtomicInteger();

  static {
    try {
      DriverManager.registerDriver(new FlakyDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static String url(H2Database db) {
    return PREFIX + db.url.substring("jdbc:".length());
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Connection h2 = DriverManager.getConnection("jdbc:" + url.substring(PREFIX.length()), info);
    return proxy(
        Connection.class,
        h2,
        (target, method, args) -> {
          Object result = invoke(target, method, args);
          return result instanceof PreparedStatement ps ? statement(ps) : result;
        });
  }

  private static PreparedStatement statement(PreparedStatement ps) {
    return proxy(
        PreparedStatement.class,
        ps,
        (target, method, args) -> {
          if (method.getName().equals("executeBatch")
              && failBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw dropped();
          }
          Object result = invoke(target, method, args);
          return result instanceof ResultSet rs ? resultSet(rs) : result;
        });
  }

  private static ResultSet resultSet(ResultSet rs) {
    int[] rows = {0};
    return proxy(
        ResultSet.class,
        rs,
        (target, method, args) -> {
          if (method.getName().equals("next")) {
            int limit = failReadAfterRows.get();
            if (limit >= 0 && rows[0] >= limit && failReadAfterRows.compareAndSet(limit, -1)) {
              throw dropped();
            }
            rows[0]++;
          }
          return invoke(target, method, args);
        });
  }

  private static SQLException dropped() {
    return new SQLRecoverableException("connection reset by peer (test)", "08S01");
  }

  private interface Handler<T> {
    Object handle(T target, java.lang.reflect.Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
    InvocationHandler h = (p, method, args) -> handler.handle(target, method, args);
    return type.cast(
        Proxy.newProxyInstance(FlakyDriver.class.getClassLoader(), new Class<?>[] {type}, h));
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
}
