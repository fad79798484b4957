package io.ferry.connector.mysql;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Parses the text MySQL and MariaDB send for DATE, DATETIME, TIMESTAMP and TIME values ({@code
 * 2024-05-01}, {@code 2024-05-01 13:45:00.123456}, {@code -838:59:59.5}) without formatters, and
 * recognises what Java's time types cannot hold: zero dates ({@code 0000-00-00}, also a zero month
 * or day) and times outside a day.
 */
final class MySqlTemporal {
  private MySqlTemporal() {}

  /** A date with a zero year, month or day: MySQL's "zero date" and its partial forms. */
  static final class ZeroDate extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ZeroDate(String text) {
      super(text);
    }
  }

  static LocalDate date(String s) {
    int year = number(s, 0, 4);
    int month = number(s, 5, 2);
    int day = number(s, 8, 2);
    if (year == 0 || month == 0 || day == 0) {
      throw new ZeroDate(s);
    }
    return LocalDate.of(year, month, day);
  }

  static LocalDateTime dateTime(String s) {
    LocalDate date = date(s);
    if (s.length() <= 10) {
      return date.atStartOfDay();
    }
    return LocalDateTime.of(date, timeOfDay(s, 11));
  }

  /**
   * A TIME value as a time of day.
   *
   * @throws IllegalArgumentException for a negative time or one of 24 hours or more
   */
  static LocalTime time(String s) {
    if (s.startsWith("-") || s.indexOf(':') != 2) {
      throw new IllegalArgumentException(
          "TIME '"
              + s
              + "' is not a time of day (Ferry's time is 00:00:00 to 23:59:59.999999); read the"
              + " column as text with a query such as CAST(col AS CHAR)");
    }
    int hour = number(s, 0, 2);
    if (hour > 23) {
      throw new IllegalArgumentException(
          "TIME '"
              + s
              + "' is not a time of day (Ferry's time is 00:00:00 to 23:59:59.999999); read the"
              + " column as text with a query such as CAST(col AS CHAR)");
    }
    return timeOfDay(s, 0);
  }

  private static LocalTime timeOfDay(String s, int at) {
    int hour = number(s, at, 2);
    int minute = number(s, at + 3, 2);
    int second = number(s, at + 6, 2);
    int nanos = 0;
    int dot = at + 8;
    if (s.length() > dot + 1 && s.charAt(dot) == '.') {
      int digits = 0;
      for (int p = dot + 1; p < s.length() && digits < 9; p++, digits++) {
        nanos = nanos * 10 + digit(s, p);
      }
      for (; digits < 9; digits++) {
        nanos *= 10;
      }
    }
    return LocalTime.of(hour, minute, second, nanos);
  }

  private static int number(String s, int from, int width) {
    if (s.length() < from + width) {
      throw new IllegalArgumentException("'" + s + "' is not a MySQL date or time");
    }
    int n = 0;
    for (int p = from; p < from + width; p++) {
      n = n * 10 + digit(s, p);
    }
    return n;
  }

  private static int digit(String s, int p) {
    char c = s.charAt(p);
    if (c < '0' || c > '9') {
      throw new IllegalArgumentException("'" + s + "' is not a MySQL date or time");
    }
    return c - '0';
  }
}
