package io.ferry.connector.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Locale;

/**
 * Classification of {@link SQLException}s by SQLState and vendor code, looking through the cause
 * chain and {@link SQLException#getNextException()} (pools and batch failures wrap the driver's
 * exception). Behind {@link Dialect}'s defaults; dialects may use it in their overrides.
 */
public final class SqlStates {
  private SqlStates() {}

  /** Whether any exception in the chain has an SQLState of class {@code stateClass} (2 chars). */
  public static boolean hasClass(SQLException e, String stateClass) {
    for (SQLException s = e; s != null; s = next(s)) {
      String state = s.getSQLState();
      if (state != null && state.startsWith(stateClass)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any exception in the chain has exactly {@code state}. */
  public static boolean hasState(SQLException e, String state) {
    for (SQLException s = e; s != null; s = next(s)) {
      if (state.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** Whether any exception in the chain has the vendor error code {@code code}. */
  public static boolean hasVendorCode(SQLException e, int code) {
    for (SQLException s = e; s != null; s = next(s)) {
      if (s.getErrorCode() == code) {
        return true;
      }
    }
    return false;
  }

  /**
   * A deadlock, serialization failure or lock wait timeout: SQLState class {@code 40} ({@code
   * 40001}, PostgreSQL's {@code 40P01}) or vendor code 1213 / 1205 (MySQL deadlock / lock wait
   * timeout; 1205 is also SQL Server's deadlock victim).
   */
  static boolean isDeadlockOrLockTimeout(SQLException e) {
    return hasClass(e, "40") || hasVendorCode(e, 1213) || hasVendorCode(e, 1205);
  }

  static boolean isRetriable(SQLException e) {
    for (SQLException s = e; s != null; s = next(s)) {
      if (s instanceof SQLTransientException || s instanceof SQLRecoverableException) {
        return true;
      }
    }
    return hasClass(e, "08")
        || hasState(e, "40001")
        || hasState(e, "40P01")
        || hasVendorCode(e, 1213)
        || hasVendorCode(e, 1205);
  }

  /**
   * The column named earliest after a quote or backtick in the chain's messages: messages describe
   * the fault before they echo the statement, which names every column.
   */
  static String quotedColumn(SQLException e, List<String> columns) {
    for (SQLException s = e; s != null; s = next(s)) {
      String message = s.getMessage();
      if (message == null) {
        continue;
      }
      String lower = message.toLowerCase(Locale.ROOT);
      String earliest = null;
      int earliestAt = Integer.MAX_VALUE;
      for (String column : columns) {
        String c = column.toLowerCase(Locale.ROOT);
        int at = quotedAt(lower, c);
        if (at >= 0 && at < earliestAt) {
          earliest = column;
          earliestAt = at;
        }
      }
      if (earliest != null) {
        return earliest;
      }
    }
    return null;
  }

  /**
   * Where {@code name} first follows a quote or backtick and ends the word ({@code "name"}, H2's
   * {@code "name CHARACTER VARYING(6)"}); -1 when nowhere.
   */
  private static int quotedAt(String message, String name) {
    int best = -1;
    for (char quote : new char[] {'"', '\'', '`'}) {
      String opening = quote + name;
      for (int at = message.indexOf(opening); at >= 0; at = message.indexOf(opening, at + 1)) {
        int end = at + opening.length();
        if (end == message.length()
            || !(Character.isLetterOrDigit(message.charAt(end)) || message.charAt(end) == '_')) {
          best = best < 0 ? at : Math.min(best, at);
          break;
        }
      }
    }
    return best;
  }

  /** The next exception: the wrapped cause first, then the chained next exception. */
  private static SQLException next(SQLException e) {
    if (e.getCause() instanceof SQLException cause && cause != e) {
      return cause;
    }
    SQLException next = e.getNextException();
    return next == e ? null : next;
  }
}
