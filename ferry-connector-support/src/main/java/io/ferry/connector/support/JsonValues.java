package io.ferry.connector.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.spi.DataType;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ferry values to and from JSON, for JSON columns, nested types (row, array, map) and document
 * stores. Numbers keep their exact value (decimals are written as JSON numbers with all their
 * digits); bytes are Base64 strings; dates and times are ISO-8601 strings; a row is an object keyed
 * by field name; a map's keys are written as strings.
 */
public final class JsonValues {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private JsonValues() {}

  /** The shared mapper: thread-safe, exact decimals. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Returns {@code text} when it is one well-formed JSON value. */
  public static String checkJson(String text) {
    readTree(text);
    return text;
  }

  public static Object fromJson(String text, DataType type) {
    return fromNode(readTree(text), type);
  }

  public static String toJson(Object value, DataType type) {
    return toNode(value, type).toString();
  }

  /** A scalar as JSON text: numbers and booleans bare, everything else a JSON string. */
  public static String scalarJson(Object value, DataType type) {
    return toNode(value, type).toString();
  }

  private static JsonNode readTree(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("empty text is not JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "'" + Values.abbreviate(text) + "' is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * Writes a value of a column as the JSON a row's field is: numbers and booleans as JSON numbers
   * and booleans, JSON/ROW/ARRAY/MAP as JSON trees, everything else in Ferry's text form.
   *
   * @throws ClassCastException or IllegalArgumentException when the value is not of the type
   */
  public static void write(JsonGenerator json, Object value, DataType type) throws IOException {
    if (value == null) {
      json.writeNull();
      return;
    }
    switch (type.kind()) {
      case BOOLEAN -> json.writeBoolean((Boolean) value);
      case INT8, INT16, INT32 -> json.writeNumber(((Number) value).intValue());
      case INT64 -> json.writeNumber((Long) value);
      case FLOAT32 -> json.writeNumber((Float) value);
      case FLOAT64 -> json.writeNumber((Double) value);
      case DECIMAL -> json.writeNumber((BigDecimal) value);
      case STRING -> json.writeString((String) value);
      case JSON, ROW, ARRAY, MAP -> json.writeTree(toNode(value, type));
      default -> json.writeString(Values.format(value, type));
    }
  }

  /** A Ferry value of {@code type} as a JSON node; null becomes a JSON null. */
  public static JsonNode toNode(Object value, DataType type) {
    if (value == null) {
      return NODES.nullNode();
    }
    switch (type.kind()) {
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case INT8:
      case INT16:
      case INT32:
        return NODES.numberNode(((Number) value).intValue());
      case INT64:
        return NODES.numberNode((Long) value);
      case FLOAT32:
        return NODES.numberNode((Float) value);
      case FLOAT64:
        return NODES.numberNode((Double) value);
      case DECIMAL:
        return NODES.numberNode((BigDecimal) value);
      case JSON:
        return readTree((String) value);
      case ARRAY:
        {
          ArrayNode array = NODES.arrayNode();
          for (Object element : (List<?>) value) {
            array.add(toNode(element, type.elementType()));
          }
          return array;
        }
      case MAP:
        {
          ObjectNode object = NODES.objectNode();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            object.set(
                Values.format(e.getKey(), type.keyType()), toNode(e.getValue(), type.valueType()));
          }
          return object;
        }
      case ROW:
        {
          Object[] fields = (Object[]) value;
          ObjectNode object = NODES.objectNode();
          for (int i = 0; i < type.fields().size(); i++) {
            DataType.Field field = type.fields().get(i);
            object.set(field.name(), toNode(fields[i], field.type()));
          }
          return object;
        }
      default:
        return NODES.textNode(Values.format(value, type));
    }
  }

  /**
   * A JSON node as a Ferry value of {@code type}; JSON null and a missing node become null.
   *
   * @throws IllegalArgumentException when the node does not fit the type
   */
  public static Object fromNode(JsonNode node, DataType type) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    switch (type.kind()) {
      case JSON:
        return node.toString();
      case STRING:
        return node.isTextual() ? node.textValue() : node.toString();
      case ARRAY:
        {
          if (!node.isArray()) {
            throw new IllegalArgumentException(
                "expected a JSON array for " + type + ", got " + node);
          }
          List<Object> list = new ArrayList<>(node.size());
          for (JsonNode element : node) {
            list.add(fromNode(element, type.elementType()));
          }
          return list;
        }
      case MAP:
        {
          if (!node.isObject()) {
            throw new IllegalArgumentException(
                "expected a JSON object for " + type + ", got " + node);
          }
          Map<Object, Object> map = new LinkedHashMap<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(
                Values.parse(e.getKey(), type.keyType()), fromNode(e.getValue(), type.valueType()));
          }
          return map;
        }
      case ROW:
        {
          if (!node.isObject()) {
            throw new IllegalArgumentException(
                "expected a JSON object for " + type + ", got " + node);
          }
          Object[] fields = new Object[type.fields().size()];
          for (int i = 0; i < fields.length; i++) {
            DataType.Field field = type.fields().get(i);
            fields[i] = fromNode(node.get(field.name()), field.type());
          }
          return fields;
        }
      case BOOLEAN:
        if (node.isBoolean()) {
          return node.booleanValue();
        }
        break;
      default:
        if (node.isNumber() && type.kind().isNumeric()) {
          return Values.fromDecimal(node.decimalValue(), type);
        }
        break;
    }
    if (node.isValueNode()) {
      return Values.parse(node.asText(), type);
    }
    throw new IllegalArgumentException("expected a " + type + ", got " + node);
  }
}
