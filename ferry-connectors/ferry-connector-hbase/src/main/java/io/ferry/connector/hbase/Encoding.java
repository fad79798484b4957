package io.ferry.connector.hbase;

import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import io.ferry.spi.Option;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.function.Supplier;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * How a Ferry value becomes the bytes of a cell or of a row key part, and back.
 *
 * <ul>
 *   <li>{@link #STRING}: the value's text form ({@link Values#format}) in UTF-8: what the HBase
 *       shell and most loaders write. Lossless for every type.
 *   <li>{@link #BINARY}: {@code Bytes.toBytes} of the Java value, as Java writers do: 1 byte for
 *       boolean and int8, 2/4/8 big-endian bytes for int16/int32/int64, IEEE 754 for float32/64,
 *       {@code Bytes.toBytes(BigDecimal)} (4-byte scale + unscaled bytes) for decimals, raw bytes
 *       for bytes, epoch milliseconds (8 bytes) for timestamps, the epoch day (4 bytes) for dates,
 *       nanoseconds of the day (8 bytes) for times, 86,400,000,000,000 for 24:00:00; strings, JSON
 *       and nested values stay UTF-8 text. The infinities of dates and timestamps, and values
 *       beyond what those bytes hold, cannot be binary: they are refused, never wrapped.
 * </ul>
 *
 * Decoding failures are {@link IllegalArgumentException}s whose message is a dirty-row reason.
 */
enum Encoding implements Option.Choice {
  STRING("string"),
  BINARY("binary");

  private final String choice;

  Encoding(String choice) {
    this.choice = choice;
  }

  @Override
  public String choice() {
    return choice;
  }

  /** The encoding named {@code text} (string or binary), or null. */
  static Encoding named(String text) {
    for (Encoding e : values()) {
      if (e.choice.equalsIgnoreCase(text.trim())) {
        return e;
      }
    }
    return null;
  }

  /**
   * Whether the byte order of encoded values of {@code type} between {@code lower} and {@code
   * upper} (null: open) is the order of the values, so that a value range is a row key range.
   */
  boolean ordersLike(DataType type, Object lower, Object upper) {
    TypeKind k = type.kind();
    if (k == TypeKind.STRING) {
      return true;
    }
    if (k == TypeKind.BYTES) {
      return this == BINARY;
    }
    if (this == BINARY && k.isInteger()) {
      // Two's complement sorts like the numbers only among values of one sign.
      if (lower == null || upper == null) {
        return lower == null && upper == null;
      }
      return negative(lower) == negative(upper);
    }
    return false;
  }

  private static boolean negative(Object v) {
    return ((Number) v).longValue() < 0;
  }

  /** The bytes of a non-null value of {@code type}. */
  byte[] encode(Object value, DataType type, ZoneId zone) {
    if (this == STRING) {
      return Bytes.toBytes(Values.format(value, type));
    }
    return switch (type.kind()) {
      case BOOLEAN -> Bytes.toBytes((Boolean) value);
      case INT8 -> new byte[] {(Byte) value};
      case INT16 -> Bytes.toBytes((Short) value);
      case INT32 -> Bytes.toBytes((Integer) value);
      case INT64 -> Bytes.toBytes((Long) value);
      case FLOAT32 -> Bytes.toBytes((Float) value);
      case FLOAT64 -> Bytes.toBytes((Double) value);
      case DECIMAL -> Bytes.toBytes((BigDecimal) value);
      case BYTES -> (byte[]) value;
      case DATE -> Bytes.toBytes(epochDay((LocalDate) value));
      case TIME ->
          Bytes.toBytes(
              Values.isEndOfDay(value) ? NANOS_PER_DAY : ((LocalTime) value).toNanoOfDay());
      case TIMESTAMP ->
          Bytes.toBytes(millis(value, () -> ((LocalDateTime) value).atZone(zone).toInstant()));
      case TIMESTAMP_TZ -> Bytes.toBytes(millis(value, () -> ((OffsetDateTime) value).toInstant()));
      case STRING, JSON, ROW, ARRAY, MAP -> Bytes.toBytes(Values.format(value, type));
    };
  }

  /** Nanoseconds of a whole day: a binary TIME of 24:00:00 ({@link Values#END_OF_DAY}). */
  static final long NANOS_PER_DAY = 86_400_000_000_000L;

  /**
   * A binary date: the epoch day in 4 bytes, which has no infinity and spans ±5.8 million years.
   */
  private static int epochDay(LocalDate date) {
    refuseInfinity(date, "date");
    long day = date.toEpochDay();
    if (day != (int) day) {
      throw new IllegalArgumentException(
          date + " is beyond a binary date's 4-byte epoch day (use encoding string to keep it)");
    }
    return (int) day;
  }

  /** A binary timestamp: epoch milliseconds in 8 bytes, which have no infinity. */
  private static long millis(Object value, Supplier<Instant> instantOf) {
    refuseInfinity(value, "timestamp");
    Instant instant;
    long millis;
    try {
      instant = instantOf.get();
      millis = instant.toEpochMilli();
    } catch (ArithmeticException | DateTimeException e) {
      throw new IllegalArgumentException(
          value
              + " is beyond a binary timestamp's 8-byte epoch milliseconds (use encoding string to"
              + " keep it)");
    }
    if (instant.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "binary timestamps hold milliseconds; "
              + instant
              + " has finer digits (use encoding string to keep them)");
    }
    return millis;
  }

  private static void refuseInfinity(Object value, String what) {
    String special = Values.specialText(value);
    if (special != null) {
      throw new IllegalArgumentException(
          special
              + " cannot be a binary "
              + what
              + ", which has no infinity (use encoding string to keep it)");
    }
  }

  /** The value of {@code type} that {@code bytes[offset, offset+length)} encode. */
  Object decode(byte[] bytes, int offset, int length, DataType type, ZoneId zone) {
    if (this == STRING) {
      String text = utf8(bytes, offset, length);
      return Values.parse(text, type);
    }
    TypeKind kind = type.kind();
    return switch (kind) {
      case BOOLEAN -> {
        expectLength(length, 1, type);
        yield bytes[offset] != 0;
      }
      case INT8 -> {
        expectLength(length, 1, type);
        yield bytes[offset];
      }
      case INT16 -> {
        expectLength(length, 2, type);
        yield Bytes.toShort(bytes, offset, length);
      }
      case INT32 -> {
        expectLength(length, 4, type);
        yield Bytes.toInt(bytes, offset, length);
      }
      case INT64 -> {
        expectLength(length, 8, type);
        yield Bytes.toLong(bytes, offset, length);
      }
      case FLOAT32 -> {
        expectLength(length, 4, type);
        yield Bytes.toFloat(bytes, offset);
      }
      case FLOAT64 -> {
        expectLength(length, 8, type);
        yield Bytes.toDouble(bytes, offset);
      }
      case DECIMAL -> decimal(bytes, offset, length, type);
      case BYTES -> Bytes.copy(bytes, offset, length);
      case DATE -> {
        expectLength(length, 4, type);
        yield LocalDate.ofEpochDay(Bytes.toInt(bytes, offset, length));
      }
      case TIME -> {
        expectLength(length, 8, type);
        long nanos = Bytes.toLong(bytes, offset, length);
        if (nanos == NANOS_PER_DAY) {
          yield Values.END_OF_DAY;
        }
        if (nanos < 0 || nanos > NANOS_PER_DAY) {
          throw new IllegalArgumentException(
              nanos + " is not a nanosecond of the day (" + type + ")");
        }
        if (nanos == NANOS_PER_DAY - 1) {
          throw new IllegalArgumentException(
              "23:59:59.999999999 cannot be carried: Ferry's time uses it for 24:00:00");
        }
        yield LocalTime.ofNanoOfDay(nanos);
      }
      case TIMESTAMP -> {
        expectLength(length, 8, type);
        yield LocalDateTime.ofInstant(
            Instant.ofEpochMilli(Bytes.toLong(bytes, offset, length)), zone);
      }
      case TIMESTAMP_TZ -> {
        expectLength(length, 8, type);
        yield OffsetDateTime.ofInstant(
            Instant.ofEpochMilli(Bytes.toLong(bytes, offset, length)), zone);
      }
      case STRING, JSON, ROW, ARRAY, MAP -> Values.parse(utf8(bytes, offset, length), type);
    };
  }

  private static Object decimal(byte[] bytes, int offset, int length, DataType type) {
    if (length < Bytes.SIZEOF_INT + 1) {
      throw new IllegalArgumentException(
          length
              + " bytes cannot be a binary "
              + type
              + " (Bytes.toBytes(BigDecimal) writes a 4-byte scale and at least one byte)");
    }
    BigDecimal d = Bytes.toBigDecimal(bytes, offset, length);
    if (d.scale() != type.scale()) {
      try {
        d = d.setScale(type.scale(), RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            d.toPlainString()
                + " has more than "
                + type.scale()
                + " fractional digits ("
                + type
                + ")");
      }
    }
    if (d.precision() - d.scale() > type.precision() - type.scale()) {
      throw new IllegalArgumentException(d.toPlainString() + " does not fit " + type);
    }
    return d;
  }

  private static void expectLength(int length, int expected, DataType type) {
    if (length != expected) {
      throw new IllegalArgumentException(
          "binary " + type + " takes " + expected + " bytes, the cell holds " + length);
    }
  }

  private static String utf8(byte[] bytes, int offset, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "bytes "
              + Values.abbreviate(Bytes.toStringBinary(bytes, offset, length))
              + " are not UTF-8 text");
    }
  }
}
