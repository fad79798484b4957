package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.SqlErrors;
import io.ferry.connector.jdbc.SqlStates;
import io.ferry.connector.jdbc.WriteMode;
import java.sql.SQLException;
import java.sql.SQLWarning;

/** What MySQL's and MariaDB's error codes and write warnings mean, on top of the SQLStates. */
final class MySqlErrors implements SqlErrors {
  static final MySqlErrors INSTANCE = new MySqlErrors();

  private MySqlErrors() {}

  /**
   * Lost connections (SQLState 08, client errors 2006/2013, MariaDB's 1927 "connection was
   * killed"), server shutdown (1053), interrupted queries (1317), too many connections (1040),
   * deadlocks (1213) and lock wait timeouts (1205). Access denied (1045, SQLState 28000) never.
   */
  @Override
  public boolean isRetriable(SQLException e) {
    if (isAuthenticationFailure(e)) {
      return false;
    }
    return SqlErrors.super.isRetriable(e)
        || SqlStates.hasVendorCode(e, 2006)
        || SqlStates.hasVendorCode(e, 2013)
        || SqlStates.hasVendorCode(e, 1927)
        || SqlStates.hasVendorCode(e, 1053)
        || SqlStates.hasVendorCode(e, 1317)
        || SqlStates.hasVendorCode(e, 1040);
  }

  @Override
  public boolean isAuthenticationFailure(SQLException e) {
    return SqlErrors.super.isAuthenticationFailure(e) || SqlStates.hasVendorCode(e, 1045);
  }

  /** Also 1049 (unknown database) and 1044 (access denied to the database), SQLState 42000. */
  @Override
  public boolean isDatabaseUnavailable(SQLException e) {
    return SqlErrors.super.isDatabaseUnavailable(e)
        || SqlStates.hasVendorCode(e, 1049)
        || SqlStates.hasVendorCode(e, 1044);
  }

  /** Also the value errors MySQL reports with SQLState HY000 (1366 incorrect value, 1265...). */
  @Override
  public boolean isDataError(SQLException e) {
    if (SqlErrors.super.isDataError(e)) {
      return true;
    }
    for (int code : new int[] {1366, 1265, 1292, 1406, 1264, 1048, 1062, 1452, 1411, 3140, 4025}) {
      if (SqlStates.hasVendorCode(e, code)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every warning and note but two that say nothing about the values stored: 1287, a deprecated
   * syntax ({@code VALUES()} in {@code ON DUPLICATE KEY UPDATE} on MySQL 8.0.20+), and 1592, a
   * statement unsafe for statement-based binary logging. The strict sql_mode turns most bad values
   * into errors, but not all: a bound date the server cannot read is stored as {@code 0000-00-00}
   * with warning 1292, a datetime cut to a date column only raises note 1265, and LOAD DATA LOCAL
   * (always IGNORE) and upserts downgrade errors to warnings.
   */
  @Override
  public boolean changedValue(SQLWarning warning) {
    int code = warning.getErrorCode();
    return code != DEPRECATED_SYNTAX && code != UNSAFE_FOR_BINLOG;
  }

  /**
   * Only for inserts: MariaDB Connector/J sends an INSERT batch as one bulk command whose warnings
   * name every row, but pipelines {@code INSERT ... ON DUPLICATE KEY UPDATE} and {@code REPLACE}
   * batches as separate statements and keeps the last one's warnings alone (checked with MariaDB
   * 10.11 and Connector/J 3.5). Batched upserts and replaces therefore run a statement per row; the
   * bulk path (LOAD DATA into a staging table) is not affected.
   */
  @Override
  public boolean batchWarningsComplete(WriteMode mode) {
    return mode == WriteMode.INSERT;
  }

  private static final int DEPRECATED_SYNTAX = 1287;
  private static final int UNSAFE_FOR_BINLOG = 1592;
}
