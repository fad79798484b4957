package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.VendorErrors;

/** SQL Server's error numbers sorted by what Ferry does with them. */
final class SqlServerErrors {
  private SqlServerErrors() {}

  /**
   * Transient: 1205 (chosen as deadlock victim), 1222 (lock request timeout), and Azure SQL's
   * documented transient errors 40613 (database unavailable), 40197 (service error, e.g. a
   * failover), 40501 (service busy), 49918/49919/49920 (cannot process request), 10928/10929
   * (resource limits), 40143 and 4221 (replica not ready).
   */
  private static final int[] RETRIABLE = {
    1205, 1222, 40613, 40197, 40501, 49918, 49919, 49920, 10928, 10929, 40143, 4221
  };

  /**
   * Credentials: 18456 (login failed), 18452 (untrusted domain login), 18486/18487/18488 (account
   * locked, password expired, must be changed).
   */
  private static final int[] AUTHENTICATION = {18456, 18452, 18486, 18487, 18488};

  /**
   * One row's data: 2627/2601 (duplicate key), 515 (NULL into NOT NULL), 8152/2628 (string or
   * binary truncated), 8115/220/232 (arithmetic overflow), 241/242/245/8114/8169 (conversion), 547
   * (constraint), 4815/4816 (bulk load: invalid column length or type), 4864 (bulk load conversion
   * error).
   */
  private static final int[] DATA = {
    2627, 2601, 515, 8152, 2628, 8115, 220, 232, 241, 242, 245, 8114, 8169, 547, 4815, 4816, 4864
  };

  /** 208: invalid object name (no such table); the {@code table} option is at fault. */
  static final int NO_SUCH_TABLE = 208;

  /** 207: invalid column name. */
  static final int NO_SUCH_COLUMN = 207;

  /** The codes above, with the standard SQLState classes, as the dialect's answers. */
  static final VendorErrors CODES =
      new VendorErrors(RETRIABLE, AUTHENTICATION, DATA, new int[] {NO_SUCH_TABLE, NO_SUCH_COLUMN});
}
