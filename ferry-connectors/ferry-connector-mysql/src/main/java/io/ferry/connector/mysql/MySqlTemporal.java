package io.ferry.connector.mysql;

import io.ferry.connector.support.Values;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * Parses the text MySQL and MariaDB send for DATE, DATETIME, TIMESTAMP and TIME values ({@code
 * 2024-05-01}, {@code 2024-05-01 13:45:00.123456}, {@code -838:59:59.5}) without formatters, and
 * recognises what Java's time types cannot hold: zero dates ({@code 0000-00-00}, also a zero month
 * or day) and times outside a day. For writing, it tells which dates the server can store.
 */
final class MySqlTemporal {
  private MySqlTemporal() {}

  /**
   * Checks that a date, or a date-time's date in the session zone, is one MySQL and MariaDB store
   * as it is, before it is sent: the years 0001 to 9999. The manuals call 1000-01-01 the start of
   * the supported range, but both servers store and return the years 0001 to 0999 unchanged. What
   * they do not keep is sent anyway without an error, even under a strict sql_mode: a bound BC date
   * or an infinity arrives as a wrapped year and is stored as the zero date {@code 0000-00-00} with
   * only a warning, and year 0 is a zero date when read back. TIMESTAMP columns hold less (1970 to
   * 2038, later on new MariaDB); the server refuses those values itself under the strict sql_mode.
   *
   * @throws IllegalArgumentException naming the value and why the server cannot hold it
   */
  static void checkStorable(LocalDate date) {
    int year = date.getYear();
    if (year >= 1 && year <= 9999) {
      return;
    }
    int infinity = Values.infinity(date);
    if (infinity != 0) {
      throw new IllegalArgumentException(noInfinity(infinity));
    }
    throw new IllegalArgumentException(
        date
            + (year <= 0 ? " (" + (1 - year) + " BC)" : "")
            + " is outside the years MySQL and MariaDB store (0001 to 9999)");
  }

  /** The same for a date-time's date (an infinity's is {@code LocalDate.MAX} or {@code MIN}). */
  static void checkStorable(LocalDateTime dateTime) {
    checkStorable(dateTime.toLocalDate());
  }

  /**
   * A TIMESTAMP_TZ value as the wall clock of the session zone, which is what MySQL's TIMESTAMP
   * converts from, checked as {@link #checkStorable(LocalDateTime)}.
   */
  static LocalDateTime storableWallClock(OffsetDateTime instant, ZoneId sessionZone) {
    int infinity = Values.infinity(instant);
    if (infinity != 0) {
      throw new IllegalArgumentException(noInfinity(infinity));
    }
    LocalDateTime local;
    try {
      local = instant.atZoneSameInstant(sessionZone).toLocalDateTime();
    } catch (DateTimeException e) {
      // Within hours of year ±999999999: outside the years MySQL stores anyway.
      throw new IllegalArgumentException(
          instant + " is outside the years MySQL and MariaDB store (0001 to 9999)");
    }
    checkStorable(local);
    return local;
  }

  private static String noInfinity(int sign) {
    return (sign > 0 ? "infinity" : "-infinity")
        + " cannot be stored in MySQL or MariaDB: their date and time types have no infinity";
  }

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
   * A TIME value as a time of day (the reader takes 24:00:00, MySQL's TIME spans -838:59:59 to
   * 838:59:59, as {@link Values#END_OF_DAY} before it gets here).
   *
   * @throws IllegalArgumentException for a negative time or one of 24 hours or more
   */
  static LocalTime time(String s) {
    if (s.startsWith("-") || s.indexOf(':') != 2 || number(s, 0, 2) > 23) {
      throw new IllegalArgumentException(
          "TIME '"
              + s
              + "' is not a time of day (Ferry's time is 00:00:00 to 24:00:00); read the"
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
