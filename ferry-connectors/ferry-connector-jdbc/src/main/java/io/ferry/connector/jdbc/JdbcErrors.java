package io.ferry.connector.jdbc;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.sql.SQLException;

/** The error codes of the JDBC connectors, and the translation of driver exceptions into them. */
public final class JdbcErrors {
  private JdbcErrors() {}

  /**
   * The database cannot be reached or the connection broke, and retries ({@code maxRetries}) did
   * not help. Retriable: the engine pauses the run with its checkpoint, and resuming continues it.
   */
  public static final ErrorCode CONNECTION = ErrorCode.external("jdbc.connection", true);

  /** The database refused the user or password. Never retried. */
  public static final ErrorCode AUTHENTICATION = ErrorCode.external("jdbc.authentication", false);

  /**
   * A deadlock, serialization failure or lock timeout that outlasted the retries: the same work may
   * succeed again later (retriable).
   */
  public static final ErrorCode TRANSIENT = ErrorCode.external("jdbc.transient", true);

  /** The database rejected a statement. */
  public static final ErrorCode SQL = ErrorCode.external("jdbc.sql", false);

  /**
   * An exception naming the data source, for a failed {@code action} ("reading orders id > 4711"):
   * {@link #AUTHENTICATION} (never retriable), a retriable {@link #TRANSIENT} for deadlocks,
   * serialization failures and lock timeouts, a retriable {@link #CONNECTION} for every other
   * failure the dialect calls retriable (a lost or refused connection, a server going down), and
   * {@link #SQL} (not retriable) for the rest.
   *
   * @param source where the data lives, without credentials (see {@link ConnectionSettings})
   */
  public static FerryException translate(
      Dialect dialect, SQLException e, String source, String action) {
    return translate(dialect, e, source, action, ConnectionSettings.mask(rootMessage(e)), null);
  }

  /**
   * {@link #translate(Dialect, SQLException, String, String)}, naming the option at fault when the
   * failure is the connection's (a refused login, an unknown database, an unreachable server; see
   * {@link ConnectionProblems}), so that a caller can attach the error to that option.
   */
  static FerryException translate(
      Dialect dialect, SQLException e, ConnectionSettings settings, String action) {
    String clearer = ConnectionProblems.clearerReason(dialect, e);
    return translate(
        dialect,
        e,
        settings.description(),
        action,
        settings.scrub(clearer != null ? clearer : rootMessage(e)),
        ConnectionProblems.option(dialect, e, settings));
  }

  private static FerryException translate(
      Dialect dialect, SQLException e, String source, String action, String reason, String option) {
    ErrorCode code;
    if (dialect.errors().isAuthenticationFailure(e)) {
      code = AUTHENTICATION;
    } else if (dialect.errors().isRetriable(e)) {
      code = SqlStates.isDeadlockOrLockTimeout(e) ? TRANSIENT : CONNECTION;
    } else {
      code = SQL;
    }
    String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
    return new FerryException(
        code, action + " on " + source + " failed: " + reason + state, option, e);
  }

  /** The driver's own message: pools wrap it in "connection is not available" exceptions. */
  static String rootMessage(SQLException e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
