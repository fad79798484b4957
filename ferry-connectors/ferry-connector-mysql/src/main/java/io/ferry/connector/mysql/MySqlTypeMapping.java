package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.ColumnMapping;
import io.ferry.connector.jdbc.ColumnReader;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.StandardColumnMappings;
import io.ferry.connector.jdbc.TypeMapping;
import io.ferry.connector.mysql.MySqlDialect.ZeroDates;
import io.ferry.connector.support.Values;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How MySQL and MariaDB columns read and write: the type decisions of {@link MySqlType}, zero dates
 * as {@code zeroDates} says, {@code tinyint(1)} as {@code tinyInt1IsBoolean} says, TIMESTAMP values
 * in the session zone of {@link MySqlSessions}, and what MySQL would change silently rejected.
 */
final class MySqlTypeMapping implements TypeMapping {
  private final boolean tinyInt1IsBoolean;
  private final ZeroDates zeroDates;
  private final MySqlSessions sessions;

  MySqlTypeMapping(boolean tinyInt1IsBoolean, ZeroDates zeroDates, MySqlSessions sessions) {
    this.tinyInt1IsBoolean = tinyInt1IsBoolean;
    this.zeroDates = zeroDates;
    this.sessions = sessions;
  }

  /**
   * The Ferry type of {@link MySqlType#ferryType} read with the reader its {@link MySqlType#read}
   * decision calls for.
   */
  @Override
  public ColumnMapping toColumnMapping(JdbcColumn column) {
    DataType type = ferryType(column);
    return new ColumnMapping(type, reader(column, type));
  }

  private DataType ferryType(JdbcColumn column) {
    return MySqlType.of(column).ferryType(tinyInt1IsBoolean);
  }

  /**
   * What {@code getColumns} hides, from {@code information_schema}: MariaDB's {@code json} (a
   * {@code longtext} with a {@code CHECK (json_valid(col))}) gets the type name {@code json}, and a
   * signed {@code tinyint(1)} the driver did not report as BOOLEAN gets {@code BOOLEAN}, so {@link
   * #toColumnMapping} sees them as a result set's metadata shows them. MySQL reports its own {@code
   * json} type already (and its CHECK_CONSTRAINTS has no TABLE_NAME, so only the columns are read).
   * Each text column gets its character set ({@link JdbcColumn#charset}), for the checksums' SQL.
   *
   * <p>Two queries, each naming the schema and table by constants: MariaDB then opens only that
   * table. Joined, CHECK_CONSTRAINTS was read for every table of the server (seconds with thousands
   * of tables, at every run's start).
   */
  @Override
  public List<JdbcColumn> refineColumns(
      Connection connection, TableRef table, List<JdbcColumn> columns) throws SQLException {
    Map<String, String> columnTypes = new HashMap<>();
    Map<String, String> charsets = new HashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT COLUMN_NAME, LOWER(COLUMN_TYPE), LOWER(CHARACTER_SET_NAME)"
                + " FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columnTypes.put(rs.getString(1), rs.getString(2));
          if (rs.getString(3) != null) {
            charsets.put(rs.getString(1), rs.getString(3));
          }
        }
      }
    }
    Collection<String> checks;
    try {
      checks =
          strings(
                  connection,
                  "SELECT CONSTRAINT_NAME, LOWER(CHECK_CLAUSE)"
                      + " FROM information_schema.CHECK_CONSTRAINTS"
                      + " WHERE CONSTRAINT_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
                  table)
              .values();
    } catch (SQLException e) {
      if (MySqlErrors.INSTANCE.isRetriable(e)) {
        throw e;
      }
      checks = List.of(); // MySQL: no TABLE_NAME there, and its json is a type of its own
    }
    List<JdbcColumn> refined = new ArrayList<>(columns.size());
    for (JdbcColumn c : columns) {
      String columnType = columnTypes.getOrDefault(c.name(), "");
      String typeName = c.typeName();
      if (columnType.equals("longtext") && jsonChecked(checks, c.name())) {
        typeName = "JSON";
      } else if (columnType.equals("tinyint(1)")
          && !typeName.equalsIgnoreCase("BOOLEAN")
          && !typeName.equalsIgnoreCase("BIT")) {
        typeName = "BOOLEAN";
      }
      String charset = charsets.get(c.name());
      refined.add(
          typeName.equals(c.typeName()) && charset == null
              ? c
              : new JdbcColumn(
                  c.name(),
                  c.sqlType(),
                  typeName,
                  c.precision(),
                  c.scale(),
                  c.nullable(),
                  c.unsigned(),
                  charset));
    }
    return refined;
  }

  /**
   * Whether one of the table's checks (lower case) is MariaDB's {@code json_valid} of the column.
   */
  private static boolean jsonChecked(Collection<String> checks, String column) {
    String call = "json_valid(`" + column.toLowerCase(Locale.ROOT) + "`)";
    return checks.stream().anyMatch(check -> check != null && check.contains(call));
  }

  /** The two text columns of {@code sql}'s rows, by the first, for the schema and table. */
  private static Map<String, String> strings(Connection connection, String sql, TableRef table)
      throws SQLException {
    Map<String, String> values = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          values.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return values;
  }

  private ColumnReader reader(JdbcColumn column, DataType type) {
    MySqlType mysql = MySqlType.of(column);
    if (!type.equals(mysql.ferryType(tinyInt1IsBoolean))) {
      return StandardColumnMappings.reader(type);
    }
    return switch (mysql.read(tinyInt1IsBoolean)) {
      case BOOLEAN_FROM_INT ->
          (rs, i) -> {
            int v = rs.getInt(i);
            if (rs.wasNull()) {
              return null;
            }
            if (v == 0 || v == 1) {
              return v == 1;
            }
            throw new IllegalArgumentException(
                v + " in tinyint(1) is not a boolean (0 or 1); set tinyInt1IsBoolean: false");
          };
      case BOOLEAN_FROM_BIT -> StandardColumnMappings.reader(DataType.BOOLEAN);
      case INT8 -> StandardColumnMappings.reader(DataType.INT8);
      case INT16 -> StandardColumnMappings.reader(DataType.INT16);
      case INT32 -> StandardColumnMappings.reader(DataType.INT32);
      case INT64 -> StandardColumnMappings.reader(DataType.INT64);
      case UNSIGNED_INT64 ->
          (rs, i) -> {
            BigDecimal v = rs.getBigDecimal(i);
            return v == null ? null : v.setScale(0);
          };
      case YEAR -> StandardColumnMappings.reader(DataType.INT16);
      case FLOAT32 -> StandardColumnMappings.reader(DataType.FLOAT32);
      case FLOAT64 -> StandardColumnMappings.reader(DataType.FLOAT64);
      case DECIMAL ->
          type.precision() <= 18
              ? compactDecimal(type.scale())
              : StandardColumnMappings.reader(type);
      case STRING, BYTES -> StandardColumnMappings.reader(type);
      // Temporal values are read with the driver's typed getters, which decode the binary row
      // straight into java.time objects. Reading them as text instead made the driver format each
      // value with a DateTimeFormatter only for MySqlTemporal to parse it back: a fifth of the
      // reader's time. The text path remains for the rare values the getters cannot show as they
      // are (see dateFromText), so zero dates and their messages stay what they were.
      case DATE ->
          (rs, i) -> {
            LocalDate v;
            try {
              v = rs.getObject(i, LocalDate.class);
            } catch (DateTimeException e) {
              return dateFromText(rs, i);
            }
            if (v == null) {
              return dateFromText(rs, i);
            }
            return v.getYear() != 0 ? v : zeroDate(v.toString());
          };
      case DATETIME ->
          (rs, i) -> {
            LocalDateTime v;
            try {
              v = rs.getObject(i, LocalDateTime.class);
            } catch (DateTimeException e) {
              return dateTimeFromText(rs, i);
            }
            if (v == null) {
              return dateTimeFromText(rs, i);
            }
            return v.getYear() != 0 ? v : zeroDate(zeroYearText(v));
          };
      case TIMESTAMP ->
          (rs, i) -> {
            // The wall clock of the session zone, as the text was: the driver converts nothing.
            LocalDateTime v;
            try {
              v = rs.getObject(i, LocalDateTime.class);
            } catch (DateTimeException e) {
              v = null;
            }
            if (v == null) {
              Object text = dateTimeFromText(rs, i);
              if (!(text instanceof LocalDateTime local)) {
                return null;
              }
              v = local;
            }
            return v.atZone(sessions.sessionZone()).toOffsetDateTime();
          };
      case TIME ->
          (rs, i) -> {
            // A Duration, not a LocalTime: the driver wraps 838:59:59 and -01:00:00 into a day.
            Duration d = rs.getObject(i, Duration.class);
            if (d == null) {
              return null;
            }
            if (d.isNegative() || d.compareTo(DAY) >= 0) {
              // 24:00:00 is the end of the day; any other time outside a day makes the text path
              // throw, naming the value as MySQL shows it.
              return d.equals(DAY) ? Values.END_OF_DAY : MySqlTemporal.time(rs.getString(i));
            }
            return LocalTime.ofNanoOfDay(d.toNanos());
          };
    };
  }

  /**
   * DECIMAL of at most 18 digits. The server sends a DECIMAL as its text ({@code -1234.50}, with
   * exactly the column's scale) also in binary rows, and the driver's {@code getBigDecimal} makes a
   * String of it and then has {@code BigDecimal} parse a copy of its chars. Here the String's
   * digits become the unscaled long directly and {@link BigDecimal#valueOf(long, int)} wraps it,
   * about half the work. Text of any other shape (never sent for these columns) is parsed by {@code
   * BigDecimal}; either way the result is the one {@link StandardColumnMappings#reader} gives.
   */
  private static ColumnReader compactDecimal(int scale) {
    return (rs, i) -> {
      String s = rs.getString(i);
      if (s == null) {
        return null;
      }
      BigDecimal v = parseDecimal(s);
      if (v.scale() == scale) {
        return v;
      }
      try {
        return v.setScale(scale);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            v.toPlainString() + " has more than " + scale + " decimal places");
      }
    };
  }

  /** {@code new BigDecimal(s)}, without its general parser for plain text of up to 18 digits. */
  static BigDecimal parseDecimal(String s) {
    int n = s.length();
    int p = n > 0 && s.charAt(0) == '-' ? 1 : 0;
    // At most 18 digits and a point: the unscaled value cannot overflow a long.
    if (n - p > 19 || n == p) {
      return new BigDecimal(s);
    }
    long unscaled = 0;
    int digits = 0;
    int point = -1;
    for (; p < n; p++) {
      char c = s.charAt(p);
      if (c >= '0' && c <= '9') {
        unscaled = unscaled * 10 + (c - '0');
        digits++;
      } else if (c == '.' && point < 0) {
        point = digits;
      } else {
        return new BigDecimal(s);
      }
    }
    if (digits == 0 || digits > 18) {
      return new BigDecimal(s);
    }
    return BigDecimal.valueOf(
        s.charAt(0) == '-' ? -unscaled : unscaled, point < 0 ? 0 : digits - point);
  }

  private static final Duration DAY = Duration.ofDays(1);

  /** A DATETIME in year 0 as MySQL shows it, for the zero-date message. */
  private static String zeroYearText(LocalDateTime v) {
    String text =
        String.format(
            "%04d-%02d-%02d %02d:%02d:%02d",
            v.getYear(),
            v.getMonthValue(),
            v.getDayOfMonth(),
            v.getHour(),
            v.getMinute(),
            v.getSecond());
    return v.getNano() == 0 ? text : text + String.format(".%06d", v.getNano() / 1000);
  }

  /**
   * A DATE the typed getter returned as null or threw on, from its text.
   *
   * <p>What MariaDB Connector/J 3.5's binary getters do with the values Java's time types cannot
   * hold (checked against MariaDB 10.11): a zero date ('0000-00-00', '0000-00-00 00:00:00') comes
   * back as null, with wasNull() true as for SQL NULL; a zero month or day ('2024-00-10') throws
   * DateTimeException; a zero year with a real month and day ('0000-01-01') comes back as year 0. A
   * null or a throw sends the value down this text path, which tells NULL from a zero date
   * (getString is null only for NULL) and builds the same values and messages as before. Year 0 is
   * a zero date named by the getter's value: the driver's text of a DATETIME(6) in year 0 says year
   * 1 ('0001-02-03 04:05:06.000000'), which the text path used to read as a real date. A TIMESTAMP
   * cannot hold year 0. Every other value is taken as the getter returned it.
   */
  private Object dateFromText(ResultSet rs, int i) throws SQLException {
    String s = text(rs, i);
    if (s == null) {
      return null;
    }
    try {
      return MySqlTemporal.date(s);
    } catch (MySqlTemporal.ZeroDate e) {
      return zeroDate(s);
    }
  }

  /** The same for DATETIME and TIMESTAMP. */
  private Object dateTimeFromText(ResultSet rs, int i) throws SQLException {
    String s = text(rs, i);
    if (s == null) {
      return null;
    }
    try {
      return MySqlTemporal.dateTime(s);
    } catch (MySqlTemporal.ZeroDate e) {
      return zeroDate(s);
    }
  }

  /**
   * The value's text. The driver's binary decoding cannot show a date with a zero month or day
   * ('2024-00-10', allowed without NO_ZERO_IN_DATE): it throws, and the value counts as a zero
   * date.
   */
  private static String text(ResultSet rs, int i) throws SQLException {
    try {
      return rs.getString(i);
    } catch (DateTimeException e) {
      return "0000-00-00 (a zero month or day)";
    }
  }

  private Object zeroDate(String text) {
    if (zeroDates == ZeroDates.NULL) {
      return null;
    }
    throw new IllegalArgumentException(
        "zero date '" + text + "' has no calendar value; set zeroDates: null to read it as NULL");
  }

  /**
   * Standard setters, with what MySQL would otherwise change silently rejected (the row goes to the
   * dirty-data store): fractional seconds finer than the column keeps (MySQL rounds), NaN and
   * infinities of numbers, dates and timestamps, dates outside the years 0001 to 9999 (BC dates;
   * see {@link MySqlTemporal#checkStorable(LocalDate)}), unpaired surrogates (the driver writes
   * '?'). TIMESTAMP_TZ is written as the wall clock of the session zone, which is what a TIMESTAMP
   * column converts from; TIME 24:00:00 as that text, which TIME columns hold.
   */
  @Override
  public ColumnBinder binder(DataType type, JdbcColumn target) {
    int digits = MySqlType.of(target).fraction();
    boolean timeTarget = isTimeColumn(target);
    int unit = timeTarget ? (int) Math.pow(10, 9 - digits) : 1000;
    return switch (type.kind()) {
      case FLOAT32 ->
          (ps, i, v) -> {
            float f = (Float) v;
            if (Float.isNaN(f) || Float.isInfinite(f)) {
              throw new IllegalArgumentException(f + " cannot be stored in MySQL");
            }
            ps.setFloat(i, f);
          };
      case FLOAT64 ->
          (ps, i, v) -> {
            double d = (Double) v;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
              throw new IllegalArgumentException(d + " cannot be stored in MySQL");
            }
            ps.setDouble(i, d);
          };
      case STRING, JSON ->
          (ps, i, v) -> {
            String s = (String) v;
            checkSurrogates(s);
            ps.setString(i, s);
          };
      case DATE ->
          (ps, i, v) -> {
            LocalDate d = (LocalDate) v;
            MySqlTemporal.checkStorable(d);
            ps.setObject(i, d);
          };
      case TIME ->
          (ps, i, v) -> {
            if (Values.isEndOfDay(v)) {
              ps.setString(i, Values.specialText(v));
              return;
            }
            LocalTime t = (LocalTime) v;
            checkFraction(t.getNano(), unit, v, digits);
            ps.setObject(i, t);
          };
      case TIMESTAMP ->
          (ps, i, v) -> {
            LocalDateTime t = (LocalDateTime) v;
            MySqlTemporal.checkStorable(t);
            checkFraction(t.getNano(), unit, v, digits);
            ps.setObject(i, t);
          };
      case TIMESTAMP_TZ ->
          (ps, i, v) -> {
            LocalDateTime t =
                MySqlTemporal.storableWallClock((OffsetDateTime) v, sessions.sessionZone());
            checkFraction(t.getNano(), unit, v, digits);
            ps.setObject(i, t);
          };
      default -> StandardColumnMappings.binder(type);
    };
  }

  private static boolean isTimeColumn(JdbcColumn column) {
    String name = MySqlType.of(column).dataType();
    return name.equals("datetime") || name.equals("timestamp") || name.equals("time");
  }

  private static void checkFraction(int nanos, int unit, Object value, int digits) {
    if (nanos % unit != 0) {
      throw new IllegalArgumentException(
          value + " has more fractional-second digits than the column keeps (" + digits + ")");
    }
  }

  private static void checkSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new IllegalArgumentException(
              "contains an unpaired UTF-16 surrogate at index " + i + " (not Unicode)");
        }
      }
    }
  }

  @Override
  public String nativeType(DataType type) {
    return MySqlType.nativeType(type, false);
  }
}
