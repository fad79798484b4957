package io.ferry.connector.jdbc;

import java.sql.DataTruncation;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.List;

/**
 * What a database's errors and write warnings mean to Ferry: retry, refused login, unavailable
 * database, a row's bad data, a value stored other than sent. One part of a {@link Dialect} ({@link
 * Dialect#errors()}); the defaults classify by standard SQLState ({@link #STANDARD}), and {@link
 * VendorErrors} adds a database's own codes. Implementations are shared by threads: keep them
 * immutable.
 */
public interface SqlErrors {
  /** SQLState classes only, see each method. */
  SqlErrors STANDARD = new SqlErrors() {};

  /**
   * Whether trying again, after a reconnect, can succeed: a lost connection, a deadlock, a
   * serialization failure. Default: {@link java.sql.SQLTransientException} and {@link
   * java.sql.SQLRecoverableException}, SQLState class {@code 08} (connection), {@code 40001}
   * (serialization), {@code 40P01} (PostgreSQL deadlock), vendor code 1213 (MySQL deadlock) and
   * 1205 (lock wait timeout). Never an authentication failure or an unavailable database (which
   * pools report as transient connection failures): retrying cannot fix the options.
   */
  default boolean isRetriable(SQLException e) {
    return SqlStates.isRetriable(e) && !isAuthenticationFailure(e) && !isDatabaseUnavailable(e);
  }

  /**
   * The reason to show for a failed connection attempt instead of the driver's message, when that
   * message misleads about what to fix; null keeps the driver's. Used for the live check's problems
   * and for connection failures while a run works. Default: null.
   */
  default String connectionFailureReason(SQLException e) {
    return null;
  }

  /** Whether the database refused the credentials: never retried. Default: SQLState class 28. */
  default boolean isAuthenticationFailure(SQLException e) {
    return SqlStates.hasClass(e, "28");
  }

  /**
   * Whether the server has no such database, or refuses the user access to it: a live check reports
   * it on {@code database} (or {@code url}). Default: SQLState {@code 3D000} (invalid catalog name,
   * PostgreSQL's "database does not exist").
   */
  default boolean isDatabaseUnavailable(SQLException e) {
    return SqlStates.hasState(e, "3D000");
  }

  /**
   * Whether a failed write is caused by the data of some row (a value too long, a constraint, a
   * conversion), so replaying the batch row by row isolates the bad rows. Default: SQLState class
   * {@code 22} (data exception) and {@code 23} (integrity constraint violation).
   */
  default boolean isDataError(SQLException e) {
    return SqlStates.hasClass(e, "22") || SqlStates.hasClass(e, "23");
  }

  /**
   * Whether a warning the database raised for a write says that a value was stored other than it
   * was sent: cut, rounded, or replaced by a zero date. The base looks at the warnings of every
   * batch and every replayed row; a batch with such a warning is rolled back and replayed row by
   * row, and each row with one is rolled back and goes to the dirty-data store with the warning as
   * the reason, naming the column {@link #faultyColumn} finds in it. Default: a {@link
   * java.sql.DataTruncation}.
   */
  default boolean changedValue(SQLWarning warning) {
    return warning instanceof DataTruncation;
  }

  /**
   * Whether the warnings of an executed JDBC batch of {@code mode}'s statement cover every row of
   * the batch. When false (a driver that pipelines the batch as separate statements keeps only the
   * last one's warnings), the base executes the batch's rows one statement at a time in one
   * transaction instead, so that no {@link #changedValue} warning goes unseen; that costs a round
   * trip per row. Default: true.
   *
   * @param mode never {@link WriteMode#TRUNCATE_INSERT} (its statements are inserts)
   */
  default boolean batchWarningsComplete(WriteMode mode) {
    return true;
  }

  /**
   * The target column a data error names, or null when the message names none. Default: the column
   * of {@code columns} named earliest in the message after a double quote, single quote or
   * backtick.
   */
  default String faultyColumn(SQLException e, List<String> columns) {
    return SqlStates.quotedColumn(e, columns);
  }
}
