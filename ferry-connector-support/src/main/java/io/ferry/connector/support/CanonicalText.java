package io.ferry.connector.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ferry.spi.DataType;
import io.ferry.spi.RangeChecksum;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * Ferry's canonical text of values and rows, and the checksum over it: the Java twin of what stores
 * compute in SQL for {@link io.ferry.spi.Source#checksum}. The form is specified in {@link
 * RangeChecksum}; this class adds texts for the kinds stores cannot hash alike, used when rows are
 * compared after reading them:
 *
 * <ul>
 *   <li>FLOAT32 and FLOAT64 by value at their own width ({@link Float#toString}, {@link
 *       Double#toString}), {@code -0.0} as {@code 0.0}, every NaN as {@code NaN}: a float32 value
 *       widened to float64 on the way keeps its value and compares equal as a float32;
 *   <li>JSON as the document with object keys sorted and no insignificant white space;
 *   <li>ROW, ARRAY and MAP as their JSON text.
 * </ul>
 */
public final class CanonicalText {
  private static final HexFormat HEX = HexFormat.of();

  private CanonicalText() {}

  /**
   * The canonical text of a non-null value of {@code type}.
   *
   * @param type the value's Ferry type; for temporal kinds its precision is the number of
   *     fractional digits kept (truncated)
   */
  public static String of(Object value, DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> ((Boolean) value) ? "1" : "0";
      case INT8, INT16, INT32, INT64 -> value.toString();
      case DECIMAL -> decimal((BigDecimal) value);
      case FLOAT32 -> floatText(((Number) value).floatValue());
      case FLOAT64 -> doubleText(((Number) value).doubleValue());
      case STRING -> (String) value;
      case BYTES -> HEX.formatHex((byte[]) value);
      case DATE -> date((LocalDate) value);
      case TIME -> fraction(time((LocalTime) value), ((LocalTime) value).getNano(), type);
      case TIMESTAMP -> timestamp((LocalDateTime) value, type);
      case TIMESTAMP_TZ ->
          timestamp(
              ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(),
              type);
      case JSON -> json((String) value);
      case ROW, ARRAY, MAP -> json(JsonValues.toJson(value, type));
    };
  }

  /** The kinds whose canonical text stores can compute in SQL (see {@link RangeChecksum}). */
  public static boolean storesCanHash(TypeKind kind) {
    return switch (kind) {
      case FLOAT32, FLOAT64, JSON, ROW, ARRAY, MAP -> false;
      default -> true;
    };
  }

  /**
   * The row text of {@link RangeChecksum}: for each value in order, {@code N;} for NULL, {@code
   * <UTF-8 bytes>:<text>;} for a string, {@code <text>;} for any other value, each value's text by
   * {@link #hashText}.
   */
  public static String row(Object[] values, List<DataType> types) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        sb.append('N');
      } else {
        String text = hashText(values[i], types.get(i));
        if (types.get(i).kind() == TypeKind.STRING) {
          sb.append(utf8Length(text)).append(':');
        }
        sb.append(text);
      }
      sb.append(';');
    }
    return sb.toString();
  }

  /**
   * The canonical text a store hashes for a non-null value of a column hashed as {@code type}
   * ({@link RangeChecksum}): {@link #of}, except that a constrained decimal keeps exactly its
   * scale's fractional digits (a pair of decimal columns of one scale is hashed so, each store's
   * own text of the value).
   */
  public static String hashText(Object value, DataType type) {
    if (type.kind() == TypeKind.DECIMAL && !type.isUnconstrainedDecimal()) {
      return ((BigDecimal) value).setScale(type.scale(), RoundingMode.UNNECESSARY).toPlainString();
    }
    return of(value, type);
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Sums rows' hashes the way stores do, for checksums Ferry computes itself. */
  public static final class Accumulator {
    private long rows;
    private BigInteger sum = BigInteger.ZERO;

    public void add(String rowText) {
      rows++;
      sum = sum.add(new BigInteger(md5(rowText).substring(0, 15), 16));
    }

    public RangeChecksum result() {
      return new RangeChecksum(rows, sum.toString());
    }
  }

  static String md5(String text) {
    try {
      return HEX.formatHex(
          MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has MD5", e);
    }
  }

  private static String decimal(BigDecimal d) {
    if (d.signum() == 0) {
      return "0";
    }
    return d.stripTrailingZeros().toPlainString();
  }

  private static String floatText(float f) {
    if (Float.isNaN(f)) {
      return "NaN";
    }
    return Float.toString(f == 0.0f ? 0.0f : f);
  }

  private static String doubleText(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    return Double.toString(d == 0.0 ? 0.0 : d);
  }

  private static String date(LocalDate d) {
    return String.format("%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }

  private static String time(LocalTime t) {
    return String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
  }

  private static String timestamp(LocalDateTime ts, DataType type) {
    return fraction(date(ts.toLocalDate()) + " " + time(ts.toLocalTime()), ts.getNano(), type);
  }

  /** Appends the first {@code type.precision()} fractional digits of {@code nanos}, truncated. */
  private static String fraction(String whole, int nanos, DataType type) {
    int digits = type.precision();
    if (digits == 0) {
      return whole;
    }
    String nine = String.format("%09d", nanos);
    return whole + "." + nine.substring(0, digits);
  }

  private static String json(String text) {
    try {
      JsonNode node = JsonValues.mapper().readTree(text);
      return JsonValues.mapper()
          .writer()
          .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(JsonValues.mapper().treeToValue(node, Object.class));
    } catch (JsonProcessingException e) {
      return text; // not a document: compared as it is
    }
  }
}
