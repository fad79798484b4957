package io.ferry.connector.support;

import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Base64;
import java.util.Locale;

/**
 * Conversions between Ferry values and text, and between Ferry types. One place, so every connector
 * reads and writes the same text for the same value.
 *
 * <p>Text forms: booleans {@code true}/{@code false}; numbers in plain decimal notation; bytes in
 * Base64; dates, times and timestamps in ISO-8601 ({@code 2024-05-01}, {@code 13:45:00.123}, {@code
 * 2024-05-01T13:45:00.123}, {@code 2024-05-01T13:45:00.123+08:00}); a space is accepted in place of
 * the {@code T}. JSON and nested values are JSON text (see {@link JsonValues}). The special
 * temporal values of {@link TypeKind} have the text PostgreSQL gives them: {@code 24:00:00} for
 * TIME's end of day ({@link #END_OF_DAY}), {@code infinity} and {@code -infinity} for DATE,
 * TIMESTAMP and TIMESTAMP_TZ ({@link #infinity}); BC dates are ISO-8601 years before 1 ({@code
 * -0043-03-15} is 44 BC).
 *
 * <p>Every failure is an {@link IllegalArgumentException} whose message says what is wrong with the
 * value, ready for a dirty-row reason.
 */
public final class Values {
  private Values() {}

  /**
   * TIME {@code 24:00:00}, the end of a day, as Ferry carries it (see {@link TypeKind}): {@link
   * LocalTime#MAX}, whatever the type's fractional digits.
   */
  public static final LocalTime END_OF_DAY = LocalTime.MAX;

  private static final String END_OF_DAY_TEXT = "24:00:00";

  /** Whether {@code value} is TIME's {@link #END_OF_DAY}. */
  public static boolean isEndOfDay(Object value) {
    return END_OF_DAY.equals(value);
  }

  /**
   * Whether a DATE, TIMESTAMP or TIMESTAMP_TZ value is {@code infinity} (1), {@code -infinity} (-1)
   * or an ordinary one (0): {@code MAX} and {@code MIN} of its class, for TIMESTAMP_TZ whatever the
   * offset (see {@link TypeKind}). 0 for values of any other class.
   */
  public static int infinity(Object value) {
    // Called for every temporal value the engine casts: the year (MAX and MIN are the only values
    // of years +-999999999 that can be infinities) settles almost every value in one comparison.
    LocalDateTime local;
    if (value instanceof LocalDate d) {
      if (!extremeYear(d.getYear())) {
        return 0;
      }
      return d.equals(LocalDate.MAX) ? 1 : d.equals(LocalDate.MIN) ? -1 : 0;
    } else if (value instanceof LocalDateTime t) {
      local = t;
    } else if (value instanceof OffsetDateTime t) {
      local = t.toLocalDateTime();
    } else {
      return 0;
    }
    if (!extremeYear(local.getYear())) {
      return 0;
    }
    return local.equals(LocalDateTime.MAX) ? 1 : local.equals(LocalDateTime.MIN) ? -1 : 0;
  }

  private static boolean extremeYear(int year) {
    return year == java.time.Year.MAX_VALUE || year == java.time.Year.MIN_VALUE;
  }

  /**
   * The text of the special temporal values of {@link TypeKind}, the same as PostgreSQL's: {@code
   * infinity}, {@code -infinity}, and {@code 24:00:00} for {@link #END_OF_DAY}; null for any other
   * value.
   */
  public static String specialText(Object value) {
    int infinity = infinity(value);
    if (infinity != 0) {
      return infinityText(infinity);
    }
    return isEndOfDay(value) ? END_OF_DAY_TEXT : null;
  }

  /** {@code infinity} or {@code -infinity} of a DATE, TIMESTAMP or TIMESTAMP_TZ. */
  private static Object infinite(int sign, DataType type) {
    return switch (type.kind()) {
      case DATE -> sign > 0 ? LocalDate.MAX : LocalDate.MIN;
      case TIMESTAMP -> sign > 0 ? LocalDateTime.MAX : LocalDateTime.MIN;
      case TIMESTAMP_TZ -> sign > 0 ? OffsetDateTime.MAX : OffsetDateTime.MIN;
      default ->
          throw new IllegalArgumentException(infinityText(sign) + " is not a value of " + type);
    };
  }

  private static String infinityText(int sign) {
    return sign > 0 ? "infinity" : "-infinity";
  }

  /** The sign of {@code infinity}, {@code +infinity} or {@code -infinity} (any case), else 0. */
  private static int infinityOf(String t) {
    if (t.length() < 8 || t.length() > 9) {
      return 0;
    }
    int sign = t.charAt(0) == '-' ? -1 : 1;
    String word =
        t.length() == 9 && (t.charAt(0) == '-' || t.charAt(0) == '+') ? t.substring(1) : t;
    return word.equalsIgnoreCase("infinity") ? sign : 0;
  }

  /**
   * A time of day read from a source, checked against the one value Ferry keeps for {@link
   * #END_OF_DAY}: a genuine 23:59:59.999999999 cannot be carried.
   */
  private static LocalTime timeOfDay(LocalTime time) {
    if (isEndOfDay(time)) {
      throw new IllegalArgumentException(
          "23:59:59.999999999 cannot be carried: Ferry's time uses it for 24:00:00");
    }
    return time;
  }

  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("HH:mm")
          .optionalStart()
          .appendPattern(":ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter(Locale.ROOT);

  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .append(TIME)
          .toFormatter(Locale.ROOT);

  private static final DateTimeFormatter TIMESTAMP_TZ =
      new DateTimeFormatterBuilder()
          .append(TIMESTAMP)
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .appendOffset("+HH:MM:ss", "Z")
          .toFormatter(Locale.ROOT);

  /**
   * Parses the text form of a value of {@code type}.
   *
   * @param text not null; an empty string is a value (an empty STRING), not a null
   */
  public static Object parse(String text, DataType type) {
    TypeKind kind = type.kind();
    try {
      return switch (kind) {
        case STRING -> text;
        case BOOLEAN -> parseBoolean(text);
        case INT8 -> (byte) checkRange(parseInteger(text), Byte.MIN_VALUE, Byte.MAX_VALUE, type);
        case INT16 ->
            (short) checkRange(parseInteger(text), Short.MIN_VALUE, Short.MAX_VALUE, type);
        case INT32 ->
            (int) checkRange(parseInteger(text), Integer.MIN_VALUE, Integer.MAX_VALUE, type);
        case INT64 -> parseInteger(text);
        case FLOAT32 -> Float.parseFloat(text.trim());
        case FLOAT64 -> Double.parseDouble(text.trim());
        case DECIMAL -> checkDecimal(new BigDecimal(text.trim()), type);
        case BYTES -> Base64.getDecoder().decode(text.trim());
        case DATE, TIMESTAMP, TIMESTAMP_TZ -> parseDateOrTimestamp(text.trim(), type);
        case TIME -> parseTime(text.trim());
        case JSON -> JsonValues.checkJson(text);
        case ROW, ARRAY, MAP -> JsonValues.fromJson(text, type);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a valid " + type);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + abbreviate(text) + "' is not a valid " + type + " (expected ISO-8601)");
    }
  }

  /** A DATE, TIMESTAMP or TIMESTAMP_TZ, or one of their infinities. */
  private static Object parseDateOrTimestamp(String text, DataType type) {
    int infinity = infinityOf(text);
    if (infinity != 0) {
      return infinite(infinity, type);
    }
    return switch (type.kind()) {
      case DATE -> LocalDate.parse(text);
      case TIMESTAMP -> LocalDateTime.parse(text, TIMESTAMP);
      default -> OffsetDateTime.parse(text, TIMESTAMP_TZ);
    };
  }

  /** {@code 24:00}, {@code 24:00:00} or {@code 24:00:00.000} as {@link #END_OF_DAY}. */
  private static LocalTime parseTime(String text) {
    if (text.startsWith("24:")) {
      LocalTime zero = LocalTime.parse("00" + text.substring(2), TIME);
      if (zero.equals(LocalTime.MIDNIGHT)) {
        return END_OF_DAY;
      }
    }
    return timeOfDay(LocalTime.parse(text, TIME));
  }

  /** The text form of a non-null value of {@code type}. */
  public static String format(Object value, DataType type) {
    return switch (type.kind()) {
      case STRING, JSON -> value.toString();
      case DECIMAL -> ((BigDecimal) value).toPlainString();
      case BYTES -> Base64.getEncoder().encodeToString((byte[]) value);
      case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> formatTemporal(value);
      case ROW, ARRAY, MAP -> JsonValues.toJson(value, type);
      default -> value.toString();
    };
  }

  /** ISO-8601, or the text of a special value ({@link #specialText}). */
  private static String formatTemporal(Object value) {
    String special = specialText(value);
    if (special != null) {
      return special;
    }
    if (value instanceof LocalDateTime t) {
      return t.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }
    if (value instanceof OffsetDateTime t) {
      return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    return value.toString();
  }

  /**
   * Converts a value of one Ferry type to another, losing nothing silently: a number out of range,
   * a fraction dropped by an integer, or text that does not parse is an error.
   *
   * <p>{@code infinity} and {@code -infinity} stay infinities between DATE, TIMESTAMP and
   * TIMESTAMP_TZ, and {@link #END_OF_DAY} fits a TIME of any fractional digits; neither becomes a
   * number or another time.
   *
   * @param zone interprets zone-less timestamps when converting to or from TIMESTAMP_TZ
   */
  public static Object cast(Object value, DataType from, DataType to, ZoneId zone) {
    if (value == null || from.equals(to)) {
      return value;
    }
    try {
      return convert(value, from, to, zone);
    } catch (DateTimeException | ArithmeticException e) {
      // A time outside what java.time can shift or count (a date near year 999999999).
      throw new IllegalArgumentException(
          format(value, from) + " cannot be converted to " + to + ": " + e.getMessage());
    }
  }

  private static Object convert(Object value, DataType from, DataType to, ZoneId zone) {
    TypeKind target = to.kind();
    int infinity = infinity(value);
    if (infinity != 0 && target != TypeKind.STRING && target != TypeKind.JSON) {
      return infinite(infinity, to);
    }
    if (from.kind() == target
        && (target == TypeKind.TIME
            || target == TypeKind.TIMESTAMP
            || target == TypeKind.TIMESTAMP_TZ)) {
      return checkFraction(value, to);
    }
    if (target == TypeKind.STRING) {
      return format(value, from);
    }
    if (from.kind() == TypeKind.STRING) {
      return parse((String) value, to);
    }
    if (target == TypeKind.JSON) {
      return from.kind().isNested()
          ? JsonValues.toJson(value, from)
          : JsonValues.scalarJson(value, from);
    }
    if (from.kind().isNumeric() || from.kind() == TypeKind.BOOLEAN) {
      BigDecimal number =
          value instanceof Boolean b
              ? (b ? BigDecimal.ONE : BigDecimal.ZERO)
              : value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
      return fromDecimal(number, to);
    }
    switch (from.kind()) {
      case DATE -> {
        LocalDate date = (LocalDate) value;
        if (target == TypeKind.TIMESTAMP) {
          return date.atStartOfDay();
        }
        if (target == TypeKind.TIMESTAMP_TZ) {
          return date.atStartOfDay(zone).toOffsetDateTime();
        }
      }
      case TIMESTAMP -> {
        LocalDateTime ts = (LocalDateTime) value;
        switch (target) {
          case DATE:
            return dateOf(ts);
          case TIME:
            return timeOfDay(ts.toLocalTime());
          case TIMESTAMP_TZ:
            return ts.atZone(zone).toOffsetDateTime();
          case INT64:
            return ts.atZone(zone).toInstant().toEpochMilli();
          default:
            break;
        }
      }
      case TIMESTAMP_TZ -> {
        OffsetDateTime ts = (OffsetDateTime) value;
        switch (target) {
          case TIMESTAMP:
            return ts.atZoneSameInstant(zone).toLocalDateTime();
          case DATE:
            return dateOf(ts.atZoneSameInstant(zone).toLocalDateTime());
          case INT64:
            return ts.toInstant().toEpochMilli();
          default:
            break;
        }
      }
      case JSON -> {
        if (target.isNested()) {
          return JsonValues.fromJson((String) value, to);
        }
      }
      case ROW, ARRAY, MAP -> {
        // Nested to nested: through JSON, which checks every element against the new type.
        if (target.isNested()) {
          return JsonValues.fromJson(JsonValues.toJson(value, from), to);
        }
      }
      default -> {}
    }
    if (from.kind() == TypeKind.INT64 && target == TypeKind.TIMESTAMP_TZ) {
      return OffsetDateTime.ofInstant(Instant.ofEpochMilli((Long) value), zone);
    }
    throw new IllegalArgumentException("cannot convert " + from + " to " + to);
  }

  /** The date of a timestamp at midnight; any other time of day would be lost. */
  private static LocalDate dateOf(LocalDateTime ts) {
    if (!ts.toLocalTime().equals(LocalTime.MIDNIGHT)) {
      throw new IllegalArgumentException(
          format(ts, DataType.TIMESTAMP) + " has a time of day, which a date cannot hold");
    }
    return ts.toLocalDate();
  }

  /** A number as a value of a numeric or boolean type, checked for range and lost digits. */
  public static Object fromDecimal(BigDecimal number, DataType to) {
    switch (to.kind()) {
      case BOOLEAN:
        if (number.signum() == 0) {
          return false;
        }
        if (number.compareTo(BigDecimal.ONE) == 0) {
          return true;
        }
        throw new IllegalArgumentException(number + " is not a boolean (0 or 1)");
      case INT8:
        return (byte) checkRange(exactLong(number, to), Byte.MIN_VALUE, Byte.MAX_VALUE, to);
      case INT16:
        return (short) checkRange(exactLong(number, to), Short.MIN_VALUE, Short.MAX_VALUE, to);
      case INT32:
        return (int) checkRange(exactLong(number, to), Integer.MIN_VALUE, Integer.MAX_VALUE, to);
      case INT64:
        return exactLong(number, to);
      case FLOAT32:
        return number.floatValue();
      case FLOAT64:
        return number.doubleValue();
      case DECIMAL:
        return checkDecimal(number, to);
      default:
        throw new IllegalArgumentException("cannot convert a number to " + to);
    }
  }

  private static long exactLong(BigDecimal number, DataType to) {
    try {
      return number.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(number.toPlainString() + " does not fit " + to);
    }
  }

  /** Nanoseconds per unit of the last fractional digit, by fractional digits 0..9. */
  private static final int[] FRACTION_UNIT = {
    1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  /**
   * Whether every value of {@code from} is already a valid value of {@code to}, with the same Java
   * object: equal types, or the same decimal scale or time kind with at least as many digits.
   */
  public static boolean fitsWithoutConversion(DataType from, DataType to) {
    if (from.equals(to)) {
      return true;
    }
    if (from.kind() != to.kind()) {
      return false;
    }
    return switch (to.kind()) {
      case TIME, TIMESTAMP, TIMESTAMP_TZ -> to.precision() >= from.precision();
      case DECIMAL -> to.scale() == from.scale() && to.precision() >= from.precision();
      default -> false;
    };
  }

  /**
   * A time value kept as it is when its fraction of a second fits the type's digits; the end of a
   * day and the infinities fit every type of their kind.
   */
  private static Object checkFraction(Object value, DataType type) {
    if (isEndOfDay(value) || infinity(value) != 0) {
      return value;
    }
    int nanos =
        value instanceof LocalTime t
            ? t.getNano()
            : value instanceof LocalDateTime t ? t.getNano() : ((OffsetDateTime) value).getNano();
    if (nanos % FRACTION_UNIT[type.precision()] != 0) {
      throw new IllegalArgumentException(
          value + " has more fractional digits than the " + type.precision() + " of " + type);
    }
    return value;
  }

  private static long parseInteger(String text) {
    String trimmed = text.trim();
    try {
      return Long.parseLong(trimmed);
    } catch (NumberFormatException e) {
      // "12.0" is an integer; "12.5" and "1e400" are not.
      try {
        return new BigDecimal(trimmed).longValueExact();
      } catch (NumberFormatException | ArithmeticException e2) {
        throw new NumberFormatException(trimmed);
      }
    }
  }

  private static long checkRange(long value, long min, long max, DataType type) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(value + " is out of range for " + type);
    }
    return value;
  }

  /** Fits a decimal to the type's scale without rounding and checks its precision. */
  private static BigDecimal checkDecimal(BigDecimal value, DataType type) {
    if (type.isUnconstrainedDecimal()) {
      // Any scale: the value as it is, within the digits such a column holds.
      if (value.precision() > type.precision()) {
        throw new IllegalArgumentException(value.toPlainString() + " is too large for " + type);
      }
      return value;
    }
    BigDecimal scaled;
    try {
      scaled = value.setScale(type.scale());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          value.toPlainString() + " has more than " + type.scale() + " decimal places for " + type);
    }
    if (scaled.precision() - scaled.scale() > type.precision() - type.scale()) {
      throw new IllegalArgumentException(value.toPlainString() + " is too large for " + type);
    }
    return scaled;
  }

  private static boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "t", "1", "yes", "y" -> true;
      case "false", "f", "0", "no", "n" -> false;
      default -> throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a boolean");
    };
  }

  /** The value's text shortened for messages. */
  public static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }

  /** Whether {@code value} is of the Java class {@code type} requires (null always is). */
  public static boolean conforms(Object value, DataType type) {
    if (value == null) {
      return true;
    }
    return switch (type.kind()) {
      case BOOLEAN -> value instanceof Boolean;
      case INT8 -> value instanceof Byte;
      case INT16 -> value instanceof Short;
      case INT32 -> value instanceof Integer;
      case INT64 -> value instanceof Long;
      case FLOAT32 -> value instanceof Float;
      case FLOAT64 -> value instanceof Double;
      case DECIMAL -> value instanceof BigDecimal;
      case STRING, JSON -> value instanceof String;
      case BYTES -> value instanceof byte[];
      case DATE -> value instanceof LocalDate;
      case TIME -> value instanceof LocalTime;
      case TIMESTAMP -> value instanceof LocalDateTime;
      case TIMESTAMP_TZ -> value instanceof OffsetDateTime;
      case ROW -> value instanceof Object[];
      case ARRAY -> value instanceof java.util.List;
      case MAP -> value instanceof java.util.Map;
    };
  }
}
