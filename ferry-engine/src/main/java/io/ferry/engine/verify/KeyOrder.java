package io.ferry.engine.verify;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * Ferry's key order in Java, the order of {@link io.ferry.spi.Source#openOrdered}: numbers by value
 * whatever their class, strings by Unicode code points, bytes unsigned, temporal values
 * chronologically (TIMESTAMP_TZ by instant), false before true. Keys compare as tuples.
 */
final class KeyOrder {
  private KeyOrder() {}

  static int compare(Object[] a, Object[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Nulls (which keys do not hold) sort first. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof Number x && b instanceof Number y) {
      if (isIntegral(x) && isIntegral(y)) {
        return Long.compare(x.longValue(), y.longValue());
      }
      return decimal(x).compareTo(decimal(y));
    }
    if (a instanceof String x && b instanceof String y) {
      return codePoints(x, y);
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
      return x.toInstant().compareTo(y.toInstant());
    }
    if (a.getClass() == b.getClass() && a instanceof Comparable c) {
      return c.compareTo(b);
    }
    throw new IllegalArgumentException(
        "cannot order keys of "
            + a.getClass().getSimpleName()
            + " and "
            + b.getClass().getSimpleName());
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
  }

  /** By code points: unlike {@link String#compareTo}, a surrogate pair sorts above U+FFFF. */
  static int codePoints(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int a = x.codePointAt(i);
      int b = y.codePointAt(j);
      if (a != b) {
        return Integer.compare(a, b);
      }
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Boolean.compare(i < x.length(), j < y.length());
  }
}
