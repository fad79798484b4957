package io.ferry.connector.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * A database's own error codes sorted by what Ferry does with them, on top of the standard SQLState
 * classes: a dialect declares its codes once and returns this as its {@link Dialect#errors()}: it
 * answers {@link #isRetriable}, {@link #isAuthenticationFailure} and {@link #isDataError}, and
 * keeps the other defaults of {@link SqlErrors}.
 */
public final class VendorErrors implements SqlErrors {
  private final int[] retriable;
  private final int[] authentication;
  private final int[] data;
  private final int[] neverRetried;

  /**
   * @param retriable lost connections and transient conflicts (deadlocks, a starting database)
   * @param authentication refused credentials: never retried, reported on {@code user}
   * @param data errors one row's values cause: the batch is replayed row by row
   * @param neverRetried errors a retry cannot fix though the driver may call them transient (a
   *     missing table or column)
   */
  public VendorErrors(int[] retriable, int[] authentication, int[] data, int[] neverRetried) {
    this.retriable = retriable.clone();
    this.authentication = authentication.clone();
    this.data = data.clone();
    this.neverRetried = neverRetried.clone();
  }

  /** A retriable code, a recoverable or transient exception, SQLState class 08 or 40001. */
  @Override
  public boolean isRetriable(SQLException e) {
    if (isAuthenticationFailure(e) || hasAny(e, neverRetried)) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLRecoverableException || t instanceof SQLTransientException) {
        return true;
      }
    }
    return hasAny(e, retriable) || SqlStates.hasClass(e, "08") || SqlStates.hasState(e, "40001");
  }

  /** An authentication code, or SQLState class 28. */
  @Override
  public boolean isAuthenticationFailure(SQLException e) {
    return hasAny(e, authentication) || SqlStates.hasClass(e, "28");
  }

  /** A data code, or SQLState class 22 (data exception) or 23 (constraint violation). */
  @Override
  public boolean isDataError(SQLException e) {
    return hasAny(e, data) || SqlStates.hasClass(e, "22") || SqlStates.hasClass(e, "23");
  }

  private static boolean hasAny(SQLException e, int[] codes) {
    for (int code : codes) {
      if (SqlStates.hasVendorCode(e, code)) {
        return true;
      }
    }
    return false;
  }
}
