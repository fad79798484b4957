package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.ColumnReader;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.StandardColumnMappings;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Oracle's types to and from Ferry's: the mapping table of the README, in code. Type names are
 * those of {@code ResultSetMetaData} ({@code NUMBER}, {@code INTERVALDS}) and of {@code
 * DatabaseMetaData.getColumns} ({@code TIMESTAMP(6) WITH TIME ZONE}, {@code INTERVAL DAY(2) TO
 * SECOND(6)}); both spellings are accepted.
 */
final class OracleTypes {
  private OracleTypes() {}

  /** {@code ResultSetMetaData} scale of a NUMBER or FLOAT declared without scale. */
  static final int UNSPECIFIED_SCALE = -127;

  /** Oracle NUMBER holds at most 38 significant digits. */
  static final int MAX_NUMBER_PRECISION = 38;

  /** Digits of the widest NUMBER read as int64: NUMBER(19), Oracle's usual BIGINT. */
  static final int INT64_DIGITS = 19;

  /** The ojdbc type codes of {@code oracle.jdbc.OracleTypes} that {@link Types} lacks. */
  static final int TIMESTAMPTZ = -101;

  static final int TIMESTAMPLTZ = -102;
  static final int BINARY_FLOAT = 100;
  static final int BINARY_DOUBLE = 101;

  /**
   * ISO time of day, seconds always written: the text form of Ferry TIME in a VARCHAR2, except the
   * end of day, written {@code 24:00:00} ({@link Values#specialText}).
   */
  private static final DateTimeFormatter TIME_TEXT = DateTimeFormatter.ISO_LOCAL_TIME;

  /** The first and last years of Oracle's DATE and TIMESTAMP: 4712 BC (ISO year -4711) to 9999. */
  static final int FIRST_YEAR = -4711;

  static final int LAST_YEAR = 9999;

  /**
   * The type name without length, precision or fraction parts, upper case: {@code TIMESTAMP(6) WITH
   * TIME ZONE} becomes {@code TIMESTAMP WITH TIME ZONE}.
   */
  static String baseName(String typeName) {
    return typeName
        .replaceAll("\\([^)]*\\)", "")
        .replaceAll("\\s+", " ")
        .trim()
        .toUpperCase(Locale.ROOT);
  }

  /**
   * The Ferry type of an Oracle column.
   *
   * @param numberScale the scale given to NUMBER columns declared without precision and scale
   */
  static DataType ferryType(JdbcColumn column, int numberScale) {
    String name = baseName(column.typeName());
    switch (name) {
      case "NUMBER", "NUMERIC", "DECIMAL":
        return number(column.precision(), column.scale(), numberScale);
      case "DECFLOAT": // H2's spelling of NUMBER without precision in MODE=Oracle
        return unboundedNumber(numberScale);
      case "INTEGER", "INT", "SMALLINT":
        // Oracle's INTEGER is NUMBER(38): getColumns reports it under its ANSI name.
        return number(column.precision() > 0 ? column.precision() : MAX_NUMBER_PRECISION, 0, 0);
      case "FLOAT", "DOUBLE PRECISION", "BINARY_DOUBLE", "DOUBLE":
        return DataType.FLOAT64;
      case "BINARY_FLOAT", "REAL":
        return DataType.FLOAT32;
      case "DATE":
        return DataType.timestamp(0); // Oracle DATE has a time of day, to the second
      case "TIMESTAMP":
        return DataType.timestamp(fraction(column));
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH LOCAL TIME ZONE":
        return DataType.timestampTz(fraction(column));
      case "INTERVALDS", "INTERVALYM", "INTERVAL DAY TO SECOND", "INTERVAL YEAR TO MONTH":
        return DataType.STRING;
      case "VARCHAR2",
      "NVARCHAR2",
      "VARCHAR",
      "CHAR",
      "NCHAR",
      "CLOB",
      "NCLOB",
      "LONG",
      "ROWID",
      "UROWID",
      "XMLTYPE",
      "CHARACTER",
      "CHARACTER VARYING",
      "CHARACTER LARGE OBJECT":
        return DataType.STRING;
      case "BLOB", "RAW", "LONG RAW", "BINARY VARYING", "BINARY LARGE OBJECT", "BINARY":
        return DataType.BYTES;
      case "JSON":
        return DataType.JSON;
      case "BOOLEAN":
        return DataType.BOOLEAN;
      default:
        return switch (column.sqlType()) {
          case TIMESTAMPTZ, TIMESTAMPLTZ -> DataType.timestampTz(fraction(column));
          case BINARY_FLOAT -> DataType.FLOAT32;
          case BINARY_DOUBLE -> DataType.FLOAT64;
          case Types.NUMERIC, Types.DECIMAL ->
              number(column.precision(), column.scale(), numberScale);
          default -> StandardColumnMappings.ferryType(column);
        };
    }
  }

  /**
   * NUMBER(p,s): integers by digit count (p ≤ 9 → int32, p ≤ 19 → int64, wider → decimal(p,0)),
   * fractions as decimal(p,s). NUMBER(19) is int64 although it can hold 19-digit values beyond
   * Long's range: it is how tools (Hibernate, migration tools) spell BIGINT in Oracle, and such a
   * value is a dirty row, never wrapped. A negative scale rounds to tens, so NUMBER(5,-2) holds
   * 7-digit integers; a scale above the precision (NUMBER(2,5) holds 0.00099) widens to
   * decimal(s,s); NUMBER without precision is decimal(38, numberScale); FLOAT(b) (a precision with
   * the unspecified scale) is float64.
   */
  static DataType number(int precision, int scale, int numberScale) {
    if (scale == UNSPECIFIED_SCALE) {
      return precision > 0 ? DataType.FLOAT64 : unboundedNumber(numberScale);
    }
    if (precision <= 0) {
      // A precision the driver does not know: INTEGER seen through some drivers, or expressions.
      return scale <= 0
          ? DataType.decimal(MAX_NUMBER_PRECISION, 0)
          : unboundedNumber(Math.max(scale, numberScale));
    }
    if (scale <= 0) {
      int digits = precision - scale;
      if (digits <= 9) {
        return DataType.INT32;
      }
      if (digits <= INT64_DIGITS) {
        return DataType.INT64;
      }
      return DataType.decimal(digits, 0);
    }
    return scale > precision ? DataType.decimal(scale, scale) : DataType.decimal(precision, scale);
  }

  private static DataType unboundedNumber(int numberScale) {
    return DataType.decimal(MAX_NUMBER_PRECISION, numberScale);
  }

  private static int fraction(JdbcColumn column) {
    int scale = column.scale();
    return scale >= 0 && scale <= 9 ? scale : DataType.DEFAULT_FRACTION;
  }

  /**
   * The Oracle column type {@code createTable} gives a Ferry type. Oracle has no date-only, time or
   * boolean type before 23ai: DATE (which keeps a time of day, midnight here), VARCHAR2 with the
   * ISO text of the time, and NUMBER(1) stand in. Strings become VARCHAR2(4000 CHAR), which is also
   * limited to 4000 bytes unless the database runs with {@code MAX_STRING_SIZE=EXTENDED}: create
   * the table yourself with CLOB columns for longer text.
   *
   * @throws IllegalArgumentException for a decimal wider than Oracle's 38 digits
   */
  static String nativeType(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "NUMBER(1)";
      case INT8 -> "NUMBER(3)";
      case INT16 -> "NUMBER(5)";
      case INT32 -> "NUMBER(10)";
      case INT64 -> "NUMBER(19)";
      case FLOAT32 -> "BINARY_FLOAT";
      case FLOAT64 -> "BINARY_DOUBLE";
      case DECIMAL -> {
        if (type.precision() > MAX_NUMBER_PRECISION) {
          throw new IllegalArgumentException(
              type + " is wider than Oracle's NUMBER, which holds at most 38 digits");
        }
        yield "NUMBER(" + type.precision() + "," + type.scale() + ")";
      }
      case STRING -> "VARCHAR2(4000 CHAR)";
      case BYTES -> "BLOB";
      case DATE -> "DATE";
      case TIME -> "VARCHAR2(18 CHAR)";
      case TIMESTAMP -> "TIMESTAMP(" + type.precision() + ")";
      case TIMESTAMP_TZ -> "TIMESTAMP(" + type.precision() + ") WITH TIME ZONE";
      case JSON, ROW, ARRAY, MAP -> "CLOB";
    };
  }

  /**
   * Reads a column as values of {@code type}. TIMESTAMP WITH LOCAL TIME ZONE comes back through
   * ojdbc's OffsetDateTime conversion, in the session time zone Ferry set.
   */
  static ColumnReader reader(JdbcColumn column, DataType type) {
    String name = baseName(column.typeName());
    switch (type.kind()) {
      case DECIMAL:
        return decimalReader(type);
      case INT64:
        if (column.precision() - Math.min(0, column.scale()) >= INT64_DIGITS) {
          return checkedLongReader(type);
        }
        return StandardColumnMappings.reader(type);
      case TIMESTAMP:
        return (rs, i) -> rs.getObject(i, LocalDateTime.class);
      case TIMESTAMP_TZ:
        return (rs, i) -> rs.getObject(i, OffsetDateTime.class);
      case TIME:
        // A VARCHAR2 holding the ISO text (see nativeType), or a DATE/TIMESTAMP's time of day.
        if (isCharacter(name)) {
          return (rs, i) -> {
            String text = rs.getString(i);
            return text == null ? null : Values.parse(text, DataType.TIME);
          };
        }
        return (rs, i) -> {
          LocalDateTime value = rs.getObject(i, LocalDateTime.class);
          return value == null ? null : value.toLocalTime();
        };
      case DATE:
        return (rs, i) -> {
          LocalDateTime value = rs.getObject(i, LocalDateTime.class);
          return value == null ? null : value.toLocalDate();
        };
      default:
        return StandardColumnMappings.reader(type);
    }
  }

  /** NUMBER(19) can hold values beyond Long's range: those are dirty rows, never wrapped. */
  private static ColumnReader checkedLongReader(DataType type) {
    return (rs, i) -> {
      BigDecimal v = rs.getBigDecimal(i);
      if (v == null) {
        return null;
      }
      try {
        return v.longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(v.toPlainString() + " does not fit " + type);
      }
    };
  }

  private static boolean isCharacter(String name) {
    return name.contains("CHAR") || name.equals("CLOB") || name.equals("NCLOB");
  }

  /**
   * Oracle keeps no trailing zeros (0.10 is stored as 0.1): every value is brought to the type's
   * scale, and a value that would need rounding or is too wide is a dirty row, never rounded.
   */
  private static ColumnReader decimalReader(DataType type) {
    int scale = type.scale();
    int integerDigits = type.precision() - scale;
    return (rs, i) -> {
      BigDecimal v = rs.getBigDecimal(i);
      if (v == null) {
        return null;
      }
      BigDecimal scaled;
      try {
        scaled = v.scale() == scale ? v : v.setScale(scale);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            v.toPlainString() + " has more than " + scale + " decimal places for " + type);
      }
      if (scaled.precision() - scaled.scale() > integerDigits) {
        throw new IllegalArgumentException(v.toPlainString() + " is too large for " + type);
      }
      return scaled;
    };
  }

  /**
   * Binds values of the incoming {@code type} for the {@code target} column.
   *
   * @param emptyStrings what to do with an empty string or zero-length byte array, which Oracle
   *     stores as NULL
   */
  static ColumnBinder binder(DataType type, JdbcColumn target, EmptyStrings.Policy emptyStrings) {
    String targetName = baseName(target.typeName());
    TypeKind kind = type.kind();
    if (isCharacter(targetName)
        && (kind == TypeKind.DATE || kind == TypeKind.TIMESTAMP || kind == TypeKind.TIMESTAMP_TZ)) {
      // A character column holds the infinities as their text, like any other date's.
      return (ps, i, v) -> {
        String special = Values.specialText(v);
        if (special != null) {
          ps.setString(i, special);
        } else {
          ps.setObject(i, v instanceof LocalDate d ? d.atStartOfDay() : v);
        }
      };
    }
    return switch (kind) {
      case BOOLEAN ->
          targetName.equals("BOOLEAN")
              ? (ps, i, v) -> ps.setBoolean(i, (Boolean) v)
              : (ps, i, v) -> ps.setInt(i, ((Boolean) v) ? 1 : 0);
      case STRING, JSON ->
          (ps, i, v) -> {
            String s = (String) v;
            if (s.isEmpty()) {
              emptyStrings.accept(target.name());
            }
            ps.setString(i, s);
          };
      case BYTES ->
          (ps, i, v) -> {
            byte[] b = (byte[]) v;
            if (b.length == 0) {
              emptyStrings.accept(target.name());
            }
            ps.setBytes(i, b);
          };
      case TIME -> (ps, i, v) -> ps.setString(i, timeText((LocalTime) v));
      case DATE ->
          (ps, i, v) -> {
            LocalDate d = (LocalDate) v;
            checkStorable(d, d);
            ps.setObject(i, d.atStartOfDay());
          };
      case TIMESTAMP ->
          (ps, i, v) -> {
            LocalDateTime t = (LocalDateTime) v;
            checkStorable(t, t.toLocalDate());
            ps.setObject(i, t);
          };
      case TIMESTAMP_TZ ->
          (ps, i, v) -> {
            OffsetDateTime t = (OffsetDateTime) v;
            checkStorable(t, t.toLocalDate());
            ps.setObject(i, t);
          };
      case ROW, ARRAY, MAP -> (ps, i, v) -> ps.setString(i, JsonValues.toJson(v, type));
      default -> StandardColumnMappings.binder(type);
    };
  }

  /** The text a VARCHAR2 column gets for a TIME: ISO, or {@code 24:00:00} for the end of day. */
  static String timeText(LocalTime time) {
    return Values.isEndOfDay(time) ? Values.specialText(time) : time.format(TIME_TEXT);
  }

  /**
   * Checks that a DATE, TIMESTAMP or TIMESTAMP_TZ value is one Oracle stores as it is, before it is
   * sent: Oracle's dates have no infinity and span the years 4712 BC to 9999.
   *
   * @param date the value's date (of its own offset for TIMESTAMP_TZ)
   * @throws IllegalArgumentException naming the value and why Oracle cannot hold it
   */
  static void checkStorable(Object value, LocalDate date) {
    int infinity = Values.infinity(value);
    if (infinity != 0) {
      throw new IllegalArgumentException(
          Values.specialText(value)
              + " cannot be stored in Oracle: its date and timestamp types have no infinity");
    }
    int year = date.getYear();
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      throw new IllegalArgumentException(
          value
              + (year <= 0 ? " (" + (1 - year) + " BC)" : "")
              + " is outside the years Oracle stores (4712 BC to 9999)");
    }
  }
}
