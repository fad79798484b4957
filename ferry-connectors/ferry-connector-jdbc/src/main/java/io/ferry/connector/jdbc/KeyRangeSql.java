package io.ferry.connector.jdbc;

import java.util.List;
import java.util.StringJoiner;

/**
 * The one place key-range conditions are written, for reads ({@code key > last AND key <= upper})
 * and for a resumed sink's DELETE: one key column compares directly, a composite key either as a
 * row value ({@code (a, b) > (?, ?)}, where {@link SqlBuilder#supportsRowValueComparison()}) or in
 * the portable expansion {@code ((a > ?) OR (a = ? AND b > ?))}, which every database understands
 * but few turn into an index range scan.
 */
final class KeyRangeSql {
  private KeyRangeSql() {}

  /**
   * {@code keys > ?} ({@code >=} when {@code inclusive}), compared as a tuple.
   *
   * @param keys the key columns, already quoted
   */
  static String lower(Dialect dialect, List<String> keys, boolean inclusive) {
    return compare(dialect, keys, ">", inclusive ? ">=" : ">");
  }

  /** {@code keys <= ?}, compared as a tuple. */
  static String upper(Dialect dialect, List<String> keys) {
    return compare(dialect, keys, "<", "<=");
  }

  private static String compare(Dialect dialect, List<String> keys, String strict, String last) {
    if (keys.size() == 1) {
      return keys.get(0) + " " + last + " ?";
    }
    if (dialect.sql().supportsRowValueComparison()) {
      StringJoiner columns = new StringJoiner(", ", "(", ")");
      StringJoiner params = new StringJoiner(", ", "(", ")");
      for (String k : keys) {
        columns.add(k);
        params.add("?");
      }
      return columns + " " + last + " " + params;
    }
    StringJoiner or = new StringJoiner(" OR ", "(", ")");
    for (int i = 0; i < keys.size(); i++) {
      StringJoiner and = new StringJoiner(" AND ", "(", ")");
      for (int j = 0; j < i; j++) {
        and.add(keys.get(j) + " = ?");
      }
      and.add(keys.get(i) + " " + (i == keys.size() - 1 ? last : strict) + " ?");
      or.add(and.toString());
    }
    return or.toString();
  }

  /**
   * The key column (index into the key) of each parameter of one comparison written by {@link
   * #lower} or {@link #upper}: {@code 0, 1, ...} for a row value, {@code 0, 0, 1, 0, 1, 2, ...} for
   * the expansion.
   */
  static int[] bindOrder(Dialect dialect, int keyCount) {
    if (keyCount == 1 || dialect.sql().supportsRowValueComparison()) {
      int[] order = new int[keyCount];
      for (int i = 0; i < keyCount; i++) {
        order[i] = i;
      }
      return order;
    }
    int[] order = new int[keyCount * (keyCount + 1) / 2];
    int p = 0;
    for (int i = 0; i < keyCount; i++) {
      for (int j = 0; j <= i; j++) {
        order[p++] = j;
      }
    }
    return order;
  }
}
