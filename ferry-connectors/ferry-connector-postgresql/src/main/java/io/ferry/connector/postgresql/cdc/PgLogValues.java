package io.ferry.connector.postgresql.cdc;

import io.ferry.spi.ChangeEvent;
import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;

/**
 * Debezium's values (with the converter settings {@link PgChangeSource} gives it: decimals as text,
 * times in microseconds, binary as bytes, intervals as ISO-8601 text, json as text) as the Ferry
 * values the batch source reads for the same column type: the README's log type mapping.
 */
final class PgLogValues {
  /** What Debezium writes for a TOASTed value an UPDATE did not change. */
  static final String UNCHANGED_TOAST = "__ferry_unchanged_toast__";

  private static final byte[] UNCHANGED_BYTES = UNCHANGED_TOAST.getBytes(StandardCharsets.UTF_8);

  /** PostgreSQL's {@code infinity} as Debezium writes it for date and timestamp columns. */
  private static final long INFINITY_MILLIS = 9223372036825200000L;

  private static final long NEGATIVE_INFINITY_MILLIS = -9223372036832400000L;

  private PgLogValues() {}

  /**
   * The Ferry value of {@code type} for Debezium's value of {@code schema}; {@link
   * ChangeEvent#UNCHANGED} for the placeholder of an unchanged TOASTed value.
   */
  static Object toFerry(Object value, Schema schema, DataType type) {
    if (value == null) {
      return null;
    }
    if (isUnchanged(value)) {
      return ChangeEvent.UNCHANGED;
    }
    String logical = schema == null ? null : schema.name();
    return switch (type.kind()) {
      case BOOLEAN -> value instanceof Boolean b ? b : bitsToText(value, schema).equals("1");
      case INT8 -> ((Number) value).byteValue();
      case INT16 -> ((Number) value).shortValue();
      case INT32 -> ((Number) value).intValue();
      case INT64 -> ((Number) value).longValue();
      case FLOAT32 -> ((Number) value).floatValue();
      case FLOAT64 -> ((Number) value).doubleValue();
      case DECIMAL -> decimal(value, type);
      case STRING -> string(value, schema);
      case JSON -> value.toString();
      case BYTES -> bytes(value);
      case DATE -> date(value, logical);
      case TIME -> time(value, logical);
      case TIMESTAMP -> timestamp(value, logical);
      case TIMESTAMP_TZ -> timestampTz(value);
      case ARRAY -> {
        List<?> list = (List<?>) value;
        Schema element = schema == null ? null : schema.valueSchema();
        List<Object> out = new ArrayList<>(list.size());
        for (Object o : list) {
          out.add(o == null ? null : toFerry(o, element, type.elementType()));
        }
        yield out;
      }
      case MAP, ROW -> value.toString();
    };
  }

  private static boolean isUnchanged(Object value) {
    if (value instanceof String s) {
      return s.equals(UNCHANGED_TOAST);
    }
    if (value instanceof byte[] b) {
      return Arrays.equals(b, UNCHANGED_BYTES);
    }
    if (value instanceof ByteBuffer b) {
      return b.remaining() == UNCHANGED_BYTES.length
          && Arrays.equals(PgLogOffsets.bytes(b), UNCHANGED_BYTES);
    }
    if (value instanceof List<?> l) {
      return l.size() == 1 && l.get(0) != null && isUnchanged(l.get(0));
    }
    return false;
  }

  private static BigDecimal decimal(Object value, DataType type) {
    BigDecimal d;
    if (value instanceof BigDecimal b) {
      d = b;
    } else {
      String text = value.toString();
      try {
        d = new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            text + " is not representable in Ferry's decimal, which has no NaN or infinity", e);
      }
    }
    return type.precision() == 1000 ? d : d.setScale(type.scale());
  }

  private static String string(Object value, Schema schema) {
    if (schema != null && "io.debezium.data.Bits".equals(schema.name())) {
      return bitsToText(value, schema);
    }
    if (value instanceof byte[] || value instanceof ByteBuffer) {
      return new String(bytes(value), StandardCharsets.UTF_8);
    }
    return value.toString();
  }

  /** {@code bit(n)}: Debezium's bytes (least significant byte first) as the text {@code 1010}. */
  private static String bitsToText(Object value, Schema schema) {
    if (value instanceof Boolean b) {
      return b ? "1" : "0";
    }
    byte[] bytes = bytes(value);
    int length = bytes.length * 8;
    Map<String, String> parameters = schema == null ? null : schema.parameters();
    if (parameters != null && parameters.get("length") != null) {
      length = Integer.parseInt(parameters.get("length"));
    }
    StringBuilder sb = new StringBuilder(length);
    for (int i = length - 1; i >= 0; i--) {
      int b = i / 8 < bytes.length ? bytes[i / 8] : 0;
      sb.append((b >> (i % 8) & 1) == 1 ? '1' : '0');
    }
    return sb.toString();
  }

  private static byte[] bytes(Object value) {
    return value instanceof ByteBuffer b ? PgLogOffsets.bytes(b) : (byte[]) value;
  }

  private static LocalDate date(Object value, String logical) {
    if (value instanceof java.util.Date d) {
      return infinite(
          d.getTime(),
          LocalDate.MAX,
          LocalDate.MIN,
          LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L)));
    }
    long days = ((Number) value).longValue();
    if (days == LocalDate.parse("-5877611-06-21").toEpochDay() || days == Integer.MAX_VALUE) {
      return LocalDate.MAX;
    }
    if (days == LocalDate.parse("-5877611-06-22").toEpochDay() || days == Integer.MIN_VALUE) {
      return LocalDate.MIN;
    }
    return LocalDate.ofEpochDay(days);
  }

  private static <T> T infinite(long millis, T max, T min, T otherwise) {
    return millis == INFINITY_MILLIS ? max : millis == NEGATIVE_INFINITY_MILLIS ? min : otherwise;
  }

  private static LocalTime time(Object value, String logical) {
    long nanos;
    if (value instanceof java.util.Date d) {
      nanos = d.getTime() * 1_000_000L;
    } else if ("io.debezium.time.NanoTime".equals(logical)) {
      nanos = ((Number) value).longValue();
    } else if ("io.debezium.time.Time".equals(logical)) {
      nanos = ((Number) value).longValue() * 1_000_000L;
    } else {
      nanos = ((Number) value).longValue() * 1_000L;
    }
    return nanos >= 86_400_000_000_000L ? LocalTime.MAX : LocalTime.ofNanoOfDay(nanos);
  }

  private static LocalDateTime timestamp(Object value, String logical) {
    long micros;
    if (value instanceof java.util.Date d) {
      micros = d.getTime() * 1000;
    } else if ("io.debezium.time.Timestamp".equals(logical)) {
      micros = ((Number) value).longValue() * 1000;
    } else if ("io.debezium.time.NanoTimestamp".equals(logical)) {
      micros = Math.floorDiv(((Number) value).longValue(), 1000);
    } else {
      micros = ((Number) value).longValue();
    }
    if (micros == INFINITY_MILLIS * 1000 || micros == INFINITY_MILLIS) {
      return LocalDateTime.MAX;
    }
    if (micros == NEGATIVE_INFINITY_MILLIS * 1000 || micros == NEGATIVE_INFINITY_MILLIS) {
      return LocalDateTime.MIN;
    }
    Instant instant =
        Instant.EPOCH
            .plusNanos(0)
            .plusSeconds(Math.floorDiv(micros, 1_000_000L))
            .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000);
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static OffsetDateTime timestampTz(Object value) {
    String text = value.toString();
    if (text.equals("infinity")) {
      return OffsetDateTime.MAX;
    }
    if (text.equals("-infinity")) {
      return OffsetDateTime.MIN;
    }
    return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
