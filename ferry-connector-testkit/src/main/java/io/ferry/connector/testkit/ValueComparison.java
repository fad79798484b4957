package io.ferry.connector.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Exact, type-directed comparison of Ferry values (see {@link io.ferry.spi.TypeKind} for the value
 * classes): the Java class must match ({@code 1} as Integer is not {@code 1L}), decimals must have
 * the same scale ({@code 1.5} is not {@code 1.50}), byte arrays the same content, TIMESTAMP_TZ the
 * same instant and offset, and nested values (ROW as {@code Object[]}, ARRAY as List, MAP as Map)
 * the same elements, recursively. JSON values compare as documents, so a store may re-space or
 * re-order them without failing a test.
 */
public final class ValueComparison {
  private static final HexFormat HEX = HexFormat.of();

  private ValueComparison() {}

  /** Whether {@code actual} is exactly {@code expected}, both values of {@code type}. */
  public static boolean equal(Object expected, Object actual, DataType type) {
    if (expected == null || actual == null) {
      return expected == actual;
    }
    switch (type.kind()) {
      case BYTES:
        return expected instanceof byte[] e && actual instanceof byte[] a && Arrays.equals(e, a);
      case JSON:
        return expected instanceof String e
            && actual instanceof String a
            && jsonTree(e).equals(jsonTree(a));
      case ARRAY:
        {
          if (!(expected instanceof List<?> e) || !(actual instanceof List<?> a)) {
            return false;
          }
          if (e.size() != a.size()) {
            return false;
          }
          for (int i = 0; i < e.size(); i++) {
            if (!equal(e.get(i), a.get(i), type.elementType())) {
              return false;
            }
          }
          return true;
        }
      case MAP:
        {
          if (!(expected instanceof Map<?, ?> e) || !(actual instanceof Map<?, ?> a)) {
            return false;
          }
          if (e.size() != a.size()) {
            return false;
          }
          for (Map.Entry<?, ?> entry : e.entrySet()) {
            if (!containsEntry(a, entry, type)) {
              return false;
            }
          }
          return true;
        }
      case ROW:
        {
          if (!(expected instanceof Object[] e) || !(actual instanceof Object[] a)) {
            return false;
          }
          List<DataType.Field> fields = type.fields();
          if (e.length != fields.size() || a.length != fields.size()) {
            return false;
          }
          for (int i = 0; i < e.length; i++) {
            if (!equal(e[i], a[i], fields.get(i).type())) {
              return false;
            }
          }
          return true;
        }
      default:
        // Class-sensitive equals: BigDecimal compares scale, OffsetDateTime compares the offset,
        // Double compares bit patterns (NaN equals NaN, -0.0 differs from 0.0).
        return expected.equals(actual);
    }
  }

  private static boolean containsEntry(Map<?, ?> map, Map.Entry<?, ?> entry, DataType type) {
    for (Map.Entry<?, ?> candidate : map.entrySet()) {
      if (equal(entry.getKey(), candidate.getKey(), type.keyType())) {
        return equal(entry.getValue(), candidate.getValue(), type.valueType());
      }
    }
    return false;
  }

  /**
   * A text key that two values share exactly when {@link #equal} holds for them; used to compare
   * rows as multisets.
   */
  public static String key(Object value, DataType type) {
    if (value == null) {
      return "NULL";
    }
    switch (type.kind()) {
      case BYTES:
        return value instanceof byte[] b ? "0x" + HEX.formatHex(b) : wrongClass(value);
      case JSON:
        return value instanceof String s ? "json:" + jsonTree(s) : wrongClass(value);
      case ARRAY:
        {
          if (!(value instanceof List<?> list)) {
            return wrongClass(value);
          }
          List<String> keys = new ArrayList<>(list.size());
          for (Object element : list) {
            keys.add(key(element, type.elementType()));
          }
          return "[" + String.join(", ", keys) + "]";
        }
      case MAP:
        {
          if (!(value instanceof Map<?, ?> map)) {
            return wrongClass(value);
          }
          List<String> keys = new ArrayList<>(map.size());
          for (Map.Entry<?, ?> e : map.entrySet()) {
            keys.add(key(e.getKey(), type.keyType()) + "=" + key(e.getValue(), type.valueType()));
          }
          keys.sort(null);
          return "{" + String.join(", ", keys) + "}";
        }
      case ROW:
        {
          if (!(value instanceof Object[] fields) || fields.length != type.fields().size()) {
            return wrongClass(value);
          }
          List<String> keys = new ArrayList<>(fields.length);
          for (int i = 0; i < fields.length; i++) {
            keys.add(key(fields[i], type.fields().get(i).type()));
          }
          return "(" + String.join(", ", keys) + ")";
        }
      case STRING:
        return value instanceof String s ? quote(s) : wrongClass(value);
      default:
        return value.getClass().getSimpleName() + ":" + value;
    }
  }

  /** A value for a failure message: its text and Java class, strings quoted and escaped. */
  public static String describe(Object value, DataType type) {
    if (value == null) {
      return "NULL";
    }
    String text = key(value, type);
    return value instanceof String || value instanceof byte[] || type.kind().isNested()
        ? text + " (" + value.getClass().getSimpleName() + ")"
        : value + " (" + value.getClass().getSimpleName() + ")";
  }

  /**
   * What keeps {@code value} from being a valid value of {@code type}, or null when it is one: the
   * Java class (recursively for nested types), a decimal's scale and precision, the fractional
   * digits of time types.
   */
  public static String nonConformity(Object value, DataType type) {
    if (value == null) {
      return null;
    }
    if (!Values.conforms(value, type)) {
      return "a " + value.getClass().getName() + " is not a value of " + type;
    }
    switch (type.kind()) {
      case DECIMAL:
        {
          BigDecimal d = (BigDecimal) value;
          if (d.scale() != type.scale()) {
            return d.toPlainString()
                + " has scale "
                + d.scale()
                + ", "
                + type
                + " needs "
                + type.scale();
          }
          if (d.precision() > type.precision()) {
            return d.toPlainString() + " has more digits than " + type;
          }
          return null;
        }
      case TIME:
        return fractionProblem(((LocalTime) value).getNano(), value, type);
      case TIMESTAMP:
        return fractionProblem(((LocalDateTime) value).getNano(), value, type);
      case TIMESTAMP_TZ:
        return fractionProblem(((OffsetDateTime) value).getNano(), value, type);
      case JSON:
        try {
          JsonValues.checkJson((String) value);
          return null;
        } catch (IllegalArgumentException e) {
          return e.getMessage();
        }
      case ARRAY:
        for (Object element : (List<?>) value) {
          String problem = nonConformity(element, type.elementType());
          if (problem != null) {
            return "element: " + problem;
          }
        }
        return null;
      case MAP:
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          if (e.getKey() == null) {
            return "map key is null";
          }
          String problem = nonConformity(e.getKey(), type.keyType());
          if (problem == null) {
            problem = nonConformity(e.getValue(), type.valueType());
          }
          if (problem != null) {
            return "entry " + e.getKey() + ": " + problem;
          }
        }
        return null;
      case ROW:
        {
          Object[] fields = (Object[]) value;
          if (fields.length != type.fields().size()) {
            return "row has " + fields.length + " fields, " + type + " has " + type.fields().size();
          }
          for (int i = 0; i < fields.length; i++) {
            String problem = nonConformity(fields[i], type.fields().get(i).type());
            if (problem != null) {
              return "field " + type.fields().get(i).name() + ": " + problem;
            }
          }
          return null;
        }
      default:
        return null;
    }
  }

  /** Fractional digits beyond the type's; the end of a day and the infinities fit every type. */
  private static String fractionProblem(int nanos, Object value, DataType type) {
    if (Values.specialText(value) != null) {
      return null;
    }
    int unit = (int) Math.pow(10, 9 - type.precision());
    return nanos % unit == 0 ? null : value + " has more fractional digits than " + type;
  }

  private static JsonNode jsonTree(String text) {
    try {
      return JsonValues.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      // Not JSON: compare as text, which still tells equal from different.
      return JsonValues.mapper().getNodeFactory().textNode("invalid JSON: " + text);
    }
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static String wrongClass(Object value) {
    return "<" + value.getClass().getName() + ":" + value + ">";
  }
}
