package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.VendorErrors;

/** Oracle's error numbers (the ORA-nnnnn of a message) sorted by what Ferry does with them. */
final class OracleErrors {
  private OracleErrors() {}

  /**
   * Lost or refused connections and transient conflicts: ORA-03113/03114/03135 (connection lost),
   * ORA-12541 (no listener), ORA-12514/12505 (listener does not know the service or SID yet: a
   * starting database), ORA-12170 (connect timeout), ORA-12537/12547/12571 (TNS connection closed),
   * ORA-01033/01034/01089/01090 (database starting or stopping), ORA-00060 (deadlock), ORA-08177
   * (serialization failure), ORA-00054 (resource busy) and ojdbc's own 17002 (I/O error) and 17008
   * (closed connection).
   */
  private static final int[] RETRIABLE = {
    3113, 3114, 3135, 12541, 12514, 12505, 12170, 12537, 12547, 12571, 1033, 1034, 1089, 1090, 60,
    8177, 54, 17002, 17008
  };

  /**
   * Credentials: ORA-01017 (invalid user or password), ORA-01005 (null password), ORA-28000
   * (account locked), ORA-28001 (password expired), ORA-01045 (no CREATE SESSION privilege).
   */
  private static final int[] AUTHENTICATION = {1017, 1005, 28000, 28001, 1045};

  /**
   * Caused by one row's values, so replaying row by row isolates it: ORA-00001 (unique), ORA-01400
   * and ORA-01407 (NULL into NOT NULL), ORA-01438 (value larger than the precision), ORA-12899
   * (value too large for the column), ORA-01461 (a long value bound where only short ones fit),
   * ORA-01722 (invalid number), ORA-01840..01847, ORA-01858, ORA-01861 (bad dates), ORA-01882
   * (unknown time zone region), ORA-02290 (check constraint), ORA-02291 (no parent key), ORA-01401.
   */
  private static final int[] DATA = {
    1, 1400, 1407, 1438, 12899, 1461, 1722, 1840, 1841, 1843, 1847, 1858, 1861, 1882, 2290, 2291,
    1401
  };

  /** ORA-00942: table or view does not exist; the {@code table} option is at fault. */
  static final int NO_SUCH_TABLE = 942;

  /** ORA-00904: invalid identifier (a column that does not exist). */
  static final int NO_SUCH_COLUMN = 904;

  /** The codes above, with the standard SQLState classes, as the dialect's answers. */
  static final VendorErrors CODES =
      new VendorErrors(RETRIABLE, AUTHENTICATION, DATA, new int[] {NO_SUCH_TABLE, NO_SUCH_COLUMN});
}
