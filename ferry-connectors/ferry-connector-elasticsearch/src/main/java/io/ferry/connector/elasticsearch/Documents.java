package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ferry values to document JSON and back.
 *
 * <p>Writing: numbers and booleans as JSON numbers and booleans; decimals as JSON strings, so the
 * document's {@code _source} keeps every digit and the scale (Elasticsearch coerces them for
 * numeric fields); dates and times as ISO-8601 strings; bytes as Base64; JSON columns as their JSON
 * value (re-serialized compactly); rows as objects, arrays as arrays, maps as objects.
 *
 * <p>Reading is lenient the way Elasticsearch is: a single value where an array is expected is an
 * array of one, an array of one value where a scalar is expected is that value (a string column
 * shows several values as their JSON array), dates may be epoch milliseconds or ISO text with or
 * without offset (zone-less text is UTC, as Elasticsearch reads it), numbers may be strings.
 */
final class Documents {
  private Documents() {}

  /** Writes one value of {@code type}; null as JSON null. */
  static void write(JsonGenerator out, Object value, DataType type) throws IOException {
    if (value == null) {
      out.writeNull();
      return;
    }
    switch (type.kind()) {
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case INT8, INT16, INT32 -> out.writeNumber(((Number) value).intValue());
      case INT64 -> out.writeNumber((Long) value);
      case FLOAT32 -> out.writeNumber((Float) value);
      case FLOAT64 -> out.writeNumber((Double) value);
      case DECIMAL -> out.writeString(((BigDecimal) value).toPlainString());
      case STRING -> out.writeString((String) value);
      case JSON -> out.writeTree(JsonValues.mapper().readTree((String) value));
      case ARRAY -> {
        List<?> list = (List<?>) value;
        out.writeStartArray();
        for (Object element : list) {
          write(out, element, type.elementType());
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          out.writeFieldName(Values.format(e.getKey(), type.keyType()));
          write(out, e.getValue(), type.valueType());
        }
        out.writeEndObject();
      }
      case ROW -> {
        Object[] fields = (Object[]) value;
        out.writeStartObject();
        for (int i = 0; i < type.fields().size(); i++) {
          DataType.Field f = type.fields().get(i);
          out.writeFieldName(f.name());
          write(out, fields[i], f.type());
        }
        out.writeEndObject();
      }
      default -> out.writeString(Values.format(value, type));
    }
  }

  /** The node at a column's name: a top-level field, or a dotted path into objects. */
  static JsonNode field(JsonNode source, String name) {
    JsonNode node = source.get(name);
    if (node != null) {
      return node;
    }
    int dot = name.indexOf('.');
    while (dot > 0) {
      JsonNode parent = source.get(name.substring(0, dot));
      if (parent != null && parent.isObject()) {
        JsonNode found = field(parent, name.substring(dot + 1));
        if (found != null) {
          return found;
        }
      }
      dot = name.indexOf('.', dot + 1);
    }
    return null;
  }

  /**
   * A document value as a Ferry value of {@code type}.
   *
   * @param zone the zone of zone-less TIMESTAMP values read from instants
   * @throws IllegalArgumentException when the value does not fit the type
   */
  static Object read(JsonNode node, DataType type, ZoneId zone) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    switch (type.kind()) {
      case JSON:
        return node.toString();
      case ARRAY:
        {
          List<Object> list = new ArrayList<>(node.isArray() ? node.size() : 1);
          if (node.isArray()) {
            for (JsonNode element : node) {
              list.add(read(element, type.elementType(), zone));
            }
          } else {
            list.add(read(node, type.elementType(), zone));
          }
          return list;
        }
      case ROW:
        {
          JsonNode object = single(node, type);
          if (!object.isObject()) {
            throw new IllegalArgumentException(
                "expected an object for " + type + ", got " + abbreviate(node));
          }
          Object[] fields = new Object[type.fields().size()];
          for (int i = 0; i < fields.length; i++) {
            DataType.Field f = type.fields().get(i);
            fields[i] = read(object.get(f.name()), f.type(), zone);
          }
          return fields;
        }
      case MAP:
        {
          JsonNode object = single(node, type);
          if (!object.isObject()) {
            throw new IllegalArgumentException(
                "expected an object for " + type + ", got " + abbreviate(node));
          }
          Map<Object, Object> map = new LinkedHashMap<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
              it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(
                Values.parse(e.getKey(), type.keyType()),
                read(e.getValue(), type.valueType(), zone));
          }
          return map;
        }
      case STRING:
        if (node.isArray() && node.size() > 1) {
          return node.toString(); // a multi-valued field read as text: its JSON array
        }
        break;
      default:
        break;
    }
    JsonNode value = single(node, type);
    if (value.isNull()) {
      return null;
    }
    switch (type.kind()) {
      case STRING:
        return value.isTextual() ? value.textValue() : value.toString();
      case BOOLEAN:
        if (value.isBoolean()) {
          return value.booleanValue();
        }
        if (value.isTextual()
            && (value.textValue().equals("true") || value.textValue().equals("false"))) {
          return Boolean.valueOf(value.textValue());
        }
        throw new IllegalArgumentException("expected a boolean, got " + abbreviate(value));
      case TIMESTAMP_TZ:
        return timestampTz(value);
      case TIMESTAMP:
        return timestamp(value, zone);
      case DATE:
        if (value.isNumber()) {
          return Instant.ofEpochMilli(value.longValue()).atZone(zone).toLocalDate();
        }
        if (value.isTextual()
            && value.textValue().length() > 10
            && value.textValue().charAt(10) == 'T') {
          return timestamp(value, zone).toLocalDate();
        }
        break;
      default:
        if (value.isNumber() && type.kind().isNumeric()) {
          return Values.fromDecimal(value.decimalValue(), type);
        }
        break;
    }
    if (value.isValueNode()) {
      return Values.parse(value.asText(), type);
    }
    throw new IllegalArgumentException("expected a " + type + ", got " + abbreviate(value));
  }

  /** The one value of a scalar column: arrays of one value are unwrapped, empty ones are null. */
  private static JsonNode single(JsonNode node, DataType type) {
    if (!node.isArray()) {
      return node;
    }
    if (node.size() == 0) {
      return JsonValues.mapper().nullNode();
    }
    if (node.size() == 1) {
      return node.get(0);
    }
    throw new IllegalArgumentException(
        "holds an array of "
            + node.size()
            + " values; declare the column array<"
            + type
            + "> to read them all");
  }

  private static OffsetDateTime timestampTz(JsonNode value) {
    if (value.isNumber()) {
      return Instant.ofEpochMilli(value.longValue()).atOffset(ZoneOffset.UTC);
    }
    String text = value.asText().trim();
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      // zone-less: Elasticsearch reads it as UTC
    }
    try {
      return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // a date alone, or epoch millis as text
    }
    try {
      return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // epoch millis as text
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(text)).atOffset(ZoneOffset.UTC);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + abbreviate(value) + "' is not a date or time");
    }
  }

  private static LocalDateTime timestamp(JsonNode value, ZoneId zone) {
    if (value.isTextual()) {
      String text = value.textValue().trim();
      try {
        return LocalDateTime.parse(text);
      } catch (DateTimeParseException e) {
        // with an offset, a date alone, or millis: through the instant
      }
      try {
        return LocalDate.parse(text).atStartOfDay();
      } catch (DateTimeParseException e) {
        // with an offset, or millis
      }
    }
    return timestampTz(value).atZoneSameInstant(zone).toLocalDateTime();
  }

  static String abbreviate(JsonNode node) {
    return Values.abbreviate(node.isTextual() ? node.textValue() : node.toString());
  }
}
