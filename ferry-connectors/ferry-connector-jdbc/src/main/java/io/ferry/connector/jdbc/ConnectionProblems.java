package io.ferry.connector.jdbc;

import io.ferry.spi.OptionProblem;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * The one place that decides which option a failed connection is the fault of: {@code check()}
 * reports its problems here, and {@link JdbcErrors#translate(Dialect, SQLException,
 * ConnectionSettings, String)} names the same option on its exceptions. By SQLState first, then the
 * dialect's vendor codes:
 *
 * <table>
 *   <caption>Failure → option</caption>
 *   <tr><th>failure</th><th>how it is recognised</th><th>option</th></tr>
 *   <tr><td>refused login</td><td>{@link SqlErrors#isAuthenticationFailure}: class {@code 28}
 *       ({@code 28000}, {@code 28P01}), MariaDB 1045</td><td>{@code user}</td></tr>
 *   <tr><td>no such database, or no access to it</td><td>{@link SqlErrors#isDatabaseUnavailable}:
 *       {@code 3D000}, MariaDB 1049 / 1044</td><td>{@code database}, or {@code url}</td></tr>
 *   <tr><td>connection refused (nothing listens on the port)</td><td>a {@link ConnectException}
 *       cause</td><td>{@code port} when given with {@code host}, else as the next row</td></tr>
 *   <tr><td>server unreachable: unknown host, timeout, lost connection, no server of the wanted
 *       type</td><td>class {@code 08}, a connection exception, an {@link IOException}
 *       cause</td><td>{@code host}, {@code hosts} or {@code url}</td></tr>
 *   <tr><td>anything else</td><td></td><td>the caller's: the server's option while connecting,
 *       {@code table} or {@code query} while inspecting it</td></tr>
 * </table>
 *
 * <p>Messages name the data source (its URL, masked, and the user) and the driver's reason; never
 * the password.
 */
final class ConnectionProblems {
  private ConnectionProblems() {}

  /** What a failure says about the connection options. */
  private enum Fault {
    LOGIN,
    DATABASE,
    REFUSED,
    UNREACHABLE
  }

  /** A failed connection attempt (the live check's probe). */
  static OptionProblem connecting(Dialect dialect, SQLException e, ConnectionSettings settings) {
    return problem(dialect, e, settings, settings.serverOption(), "cannot connect to");
  }

  /**
   * A failure while the live check inspects the store on a connection it got: a lost connection is
   * the server's, a refused statement is {@code option}'s ({@code table} or {@code query}).
   */
  static OptionProblem inspecting(
      Dialect dialect, SQLException e, ConnectionSettings settings, String option) {
    return problem(dialect, e, settings, option, "checking " + option + " failed on");
  }

  /**
   * The dialect's {@link SqlErrors#connectionFailureReason} when the failure is the connection's
   * and the dialect has a clearer reason than the driver's message; null otherwise.
   */
  static String clearerReason(Dialect dialect, SQLException e) {
    return fault(dialect, e) == null ? null : dialect.errors().connectionFailureReason(e);
  }

  /** The option a failure is the fault of, or null when it is none of the connection's. */
  static String option(Dialect dialect, SQLException e, ConnectionSettings settings) {
    Fault fault = fault(dialect, e);
    return fault == null ? null : option(fault, settings);
  }

  private static Fault fault(Dialect dialect, SQLException e) {
    if (dialect.errors().isAuthenticationFailure(e)) {
      return Fault.LOGIN;
    }
    if (dialect.errors().isDatabaseUnavailable(e)) {
      return Fault.DATABASE;
    }
    if (hasCause(e, ConnectException.class)) {
      return Fault.REFUSED;
    }
    if (SqlStates.hasClass(e, "08")
        || hasCause(e, SQLTransientConnectionException.class)
        || hasCause(e, SQLNonTransientConnectionException.class)
        || hasCause(e, IOException.class)) {
      return Fault.UNREACHABLE;
    }
    return null;
  }

  private static String option(Fault fault, ConnectionSettings settings) {
    return switch (fault) {
      case LOGIN -> "user";
      case DATABASE -> settings.databaseOption();
      case REFUSED -> settings.portOption();
      case UNREACHABLE -> settings.serverOption();
    };
  }

  private static OptionProblem problem(
      Dialect dialect,
      SQLException e,
      ConnectionSettings settings,
      String otherwise,
      String otherwiseDoing) {
    String source = settings.description();
    Fault fault = fault(dialect, e);
    String clearer = clearerReason(dialect, e);
    String reason = settings.scrub(clearer != null ? clearer : reason(e));
    if (fault == null) {
      return new OptionProblem(otherwise, otherwiseDoing + " " + source + ": " + reason);
    }
    String message =
        switch (fault) {
          case LOGIN -> "login to " + source + " refused (check user and password): " + reason;
          case DATABASE -> "no such database, or no access to it, on " + source + ": " + reason;
          case REFUSED, UNREACHABLE -> "cannot connect to " + source + ": " + reason;
        };
    return new OptionProblem(option(fault, settings), message);
  }

  /**
   * The driver's message (the innermost SQLException's: pools wrap it), with the network cause when
   * the message does not say it, e.g. PostgreSQL's "The connection attempt failed." with
   * "UnknownHostException: db9". A connection failure gets the dialect's {@link
   * SqlErrors#connectionFailureReason} instead when it has one.
   */
  static String reason(SQLException e) {
    SQLException driver = e;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s && s.getMessage() != null) {
        driver = s;
      }
      root = t;
    }
    String message = driver.getMessage() == null ? JdbcErrors.rootMessage(e) : driver.getMessage();
    if (root != driver && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return message;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
