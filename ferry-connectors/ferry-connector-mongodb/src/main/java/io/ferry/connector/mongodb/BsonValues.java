package io.ferry.connector.mongodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * BSON values to Ferry values and back, one place for the source, the sink and the catalog. See the
 * README's type table. Every failure is an {@link IllegalArgumentException} whose message is a
 * dirty-row reason.
 */
final class BsonValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final com.fasterxml.jackson.databind.ObjectReader EXACT_READER =
      JsonValues.mapper().reader().with(NODES);
  private static final JsonWriterSettings RELAXED =
      JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

  private BsonValues() {}

  // ---- reading: BSON -> Ferry ------------------------------------------------------------------

  /** The value of {@code v} as a value of {@code type}; null for BSON null, undefined or absent. */
  static Object toFerry(BsonValue v, DataType type, ZoneId zone) {
    if (v == null || v.isNull() || v.getBsonType() == org.bson.BsonType.UNDEFINED) {
      return null;
    }
    TypeKind kind = type.kind();
    switch (kind) {
      case STRING:
        return asText(v);
      case JSON:
        return toJson(v);
      case BOOLEAN:
        if (v.isBoolean()) {
          return v.asBoolean().getValue();
        }
        break;
      case INT8, INT16, INT32, INT64, DECIMAL, FLOAT32, FLOAT64:
        return number(v, type);
      case BYTES:
        if (v.isBinary()) {
          return v.asBinary().getData();
        }
        if (v.isObjectId()) {
          return v.asObjectId().getValue().toByteArray();
        }
        break;
      case DATE:
        if (v.isDateTime()) {
          Instant instant = Instant.ofEpochMilli(v.asDateTime().getValue());
          LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
          if (!utc.toLocalTime().equals(LocalTime.MIDNIGHT)) {
            throw new IllegalArgumentException(
                "the date "
                    + instant
                    + " has a time of day; read it as timestamp or timestamp_tz, not date");
          }
          return utc.toLocalDate();
        }
        break;
      case TIME:
        break;
      case TIMESTAMP:
        if (v.isDateTime()) {
          return checkFraction(
              LocalDateTime.ofInstant(Instant.ofEpochMilli(v.asDateTime().getValue()), zone), type);
        }
        if (v.isTimestamp()) {
          return LocalDateTime.ofInstant(Instant.ofEpochSecond(v.asTimestamp().getTime()), zone);
        }
        break;
      case TIMESTAMP_TZ:
        if (v.isDateTime()) {
          return checkFraction(
              OffsetDateTime.ofInstant(
                  Instant.ofEpochMilli(v.asDateTime().getValue()), ZoneOffset.UTC),
              type);
        }
        if (v.isTimestamp()) {
          return OffsetDateTime.ofInstant(
              Instant.ofEpochSecond(v.asTimestamp().getTime()), ZoneOffset.UTC);
        }
        break;
      case ROW:
        if (v.isDocument()) {
          BsonDocument doc = v.asDocument();
          List<DataType.Field> fields = type.fields();
          Object[] row = new Object[fields.size()];
          for (int i = 0; i < row.length; i++) {
            DataType.Field f = fields.get(i);
            try {
              row[i] = toFerry(doc.get(f.name()), f.type(), zone);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("field " + f.name() + ": " + e.getMessage());
            }
          }
          return row;
        }
        break;
      case ARRAY:
        if (v.isArray()) {
          BsonArray array = v.asArray();
          List<Object> list = new ArrayList<>(array.size());
          for (int i = 0; i < array.size(); i++) {
            try {
              list.add(toFerry(array.get(i), type.elementType(), zone));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("element " + i + ": " + e.getMessage());
            }
          }
          return list;
        }
        break;
      case MAP:
        if (v.isDocument()) {
          Map<Object, Object> map = new LinkedHashMap<>();
          for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
            Object key =
                type.keyType().kind() == TypeKind.STRING
                    ? e.getKey()
                    : Values.parse(e.getKey(), type.keyType());
            try {
              map.put(key, toFerry(e.getValue(), type.valueType(), zone));
            } catch (IllegalArgumentException ex) {
              throw new IllegalArgumentException("key " + e.getKey() + ": " + ex.getMessage());
            }
          }
          return map;
        }
        break;
      default:
        break;
    }
    if (v.isString() && !kind.isNested()) {
      return Values.parse(v.asString().getValue(), type);
    }
    throw new IllegalArgumentException(
        "a BSON " + typeName(v) + " " + Values.abbreviate(toJson(v)) + " is not a " + type);
  }

  private static Object number(BsonValue v, DataType type) {
    TypeKind kind = type.kind();
    if (v.isDouble()) {
      double d = v.asDouble().getValue();
      if (kind == TypeKind.FLOAT64) {
        return d;
      }
      if (kind == TypeKind.FLOAT32) {
        return (float) d;
      }
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(d + " is not a " + type);
      }
      return Values.fromDecimal(
          kind == TypeKind.DECIMAL ? new BigDecimal(Double.toString(d)) : new BigDecimal(d), type);
    }
    BigDecimal number;
    if (v.isInt32()) {
      if (kind == TypeKind.INT32) {
        return v.asInt32().getValue();
      }
      number = BigDecimal.valueOf(v.asInt32().getValue());
    } else if (v.isInt64()) {
      if (kind == TypeKind.INT64) {
        return v.asInt64().getValue();
      }
      number = BigDecimal.valueOf(v.asInt64().getValue());
    } else if (v.isDecimal128()) {
      Decimal128 d = v.asDecimal128().getValue();
      if (d.isNaN() || d.isInfinite()) {
        if (kind == TypeKind.FLOAT64) {
          return d.isNaN()
              ? Double.NaN
              : d.isNegative() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        throw new IllegalArgumentException(d + " is not a " + type);
      }
      number = d.bigDecimalValue();
    } else if (v.isTimestamp() && kind == TypeKind.INT64) {
      return v.asTimestamp().getValue();
    } else if (v.isDateTime() && kind == TypeKind.INT64) {
      return v.asDateTime().getValue();
    } else if (v.isString()) {
      return Values.parse(v.asString().getValue(), type);
    } else {
      throw new IllegalArgumentException(
          "a BSON " + typeName(v) + " " + Values.abbreviate(toJson(v)) + " is not a " + type);
    }
    return Values.fromDecimal(number, type);
  }

  /** Any value as text: strings as they are, ObjectIds in hex, UUIDs canonical, others JSON. */
  static String asText(BsonValue v) {
    switch (v.getBsonType()) {
      case STRING:
        return v.asString().getValue();
      case SYMBOL:
        return v.asSymbol().getSymbol();
      case OBJECT_ID:
        return v.asObjectId().getValue().toHexString();
      case BINARY:
        {
          UUID uuid = uuid(v.asBinary());
          if (uuid != null) {
            return uuid.toString();
          }
          return toJson(v);
        }
      case INT32:
        return Integer.toString(v.asInt32().getValue());
      case INT64:
        return Long.toString(v.asInt64().getValue());
      case DOUBLE:
        return Double.toString(v.asDouble().getValue());
      case DECIMAL128:
        return v.asDecimal128().getValue().toString();
      case BOOLEAN:
        return Boolean.toString(v.asBoolean().getValue());
      case DATE_TIME:
        return Instant.ofEpochMilli(v.asDateTime().getValue()).toString();
      case JAVASCRIPT:
        return v.asJavaScript().getCode();
      default:
        return toJson(v);
    }
  }

  /** The UUID of a binary of subtype 4 (standard) or 3 (the Java driver's legacy order). */
  static UUID uuid(BsonBinary b) {
    if (b.getData().length != 16) {
      return null;
    }
    if (b.getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
      return b.asUuid(UuidRepresentation.STANDARD);
    }
    if (b.getType() == BsonBinarySubType.UUID_LEGACY.getValue()) {
      return b.asUuid(UuidRepresentation.JAVA_LEGACY);
    }
    return null;
  }

  static String typeName(BsonValue v) {
    return switch (v.getBsonType()) {
      case DOUBLE -> "double";
      case STRING -> "string";
      case DOCUMENT -> "document";
      case ARRAY -> "array";
      case BINARY -> "binary";
      case OBJECT_ID -> "ObjectId";
      case BOOLEAN -> "boolean";
      case DATE_TIME -> "date";
      case NULL -> "null";
      case REGULAR_EXPRESSION -> "regex";
      case INT32 -> "int32";
      case TIMESTAMP -> "timestamp";
      case INT64 -> "int64";
      case DECIMAL128 -> "decimal128";
      default -> v.getBsonType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static <T extends java.time.temporal.Temporal> T checkFraction(T value, DataType type) {
    int nanos = value.get(java.time.temporal.ChronoField.NANO_OF_SECOND);
    int unit = (int) Math.pow(10, 9 - type.precision());
    if (nanos % unit != 0) {
      throw new IllegalArgumentException(
          value + " has more fractional digits than the " + type.precision() + " of " + type);
    }
    return value;
  }

  // ---- JSON ----------------------------------------------------------------------------------

  /**
   * A value as JSON text: documents, arrays, strings, booleans, null and finite numbers as plain
   * JSON (Decimal128 with all its digits); ObjectId, dates, binary and the other BSON types in
   * relaxed Extended JSON ({"$oid": ...}, {"$date": ...}), which {@link #fromJson} reads back.
   */
  static String toJson(BsonValue v) {
    try {
      return JsonValues.mapper().writeValueAsString(toNode(v));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode toNode(BsonValue v) {
    switch (v.getBsonType()) {
      case DOCUMENT:
        {
          ObjectNode node = NODES.objectNode();
          for (Map.Entry<String, BsonValue> e : v.asDocument().entrySet()) {
            node.set(e.getKey(), toNode(e.getValue()));
          }
          return node;
        }
      case ARRAY:
        {
          ArrayNode node = NODES.arrayNode();
          for (BsonValue element : v.asArray()) {
            node.add(toNode(element));
          }
          return node;
        }
      case STRING:
        return NODES.textNode(v.asString().getValue());
      case BOOLEAN:
        return NODES.booleanNode(v.asBoolean().getValue());
      case NULL:
        return NODES.nullNode();
      case INT32:
        return NODES.numberNode(v.asInt32().getValue());
      case INT64:
        return NODES.numberNode(v.asInt64().getValue());
      case DOUBLE:
        {
          double d = v.asDouble().getValue();
          if (!Double.isNaN(d) && !Double.isInfinite(d)) {
            return NODES.numberNode(d);
          }
          break;
        }
      case DECIMAL128:
        {
          Decimal128 d = v.asDecimal128().getValue();
          if (!d.isNaN() && !d.isInfinite()) {
            return NODES.numberNode(d.bigDecimalValue());
          }
          break;
        }
      default:
        break;
    }
    String json = new BsonDocument("v", v).toJson(RELAXED);
    try {
      return EXACT_READER.readTree(json).get("v");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the driver wrote invalid JSON: " + json, e);
    }
  }

  /**
   * JSON text as a BSON value: integers as int32 or int64 (larger as Decimal128), fractions as
   * double when the double's text is exactly the written number, Decimal128 otherwise (so 2.50
   * keeps its zero); objects of one {@code $} key are Extended JSON ({"$oid": ...}).
   */
  static BsonValue fromJson(String json) {
    JsonNode node;
    try {
      node = EXACT_READER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    if (node == null) {
      throw new IllegalArgumentException("not JSON: empty text");
    }
    return fromNode(node);
  }

  static BsonValue fromNode(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        {
          if (node.size() >= 1 && node.fieldNames().next().startsWith("$")) {
            try {
              return BsonDocument.parse(
                      "{\"v\": " + JsonValues.mapper().writeValueAsString(node) + "}")
                  .get("v");
            } catch (RuntimeException | JsonProcessingException e) {
              // Not Extended JSON: an ordinary object whose first key starts with $.
            }
          }
          BsonDocument doc = new BsonDocument();
          Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
          while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            doc.append(e.getKey(), fromNode(e.getValue()));
          }
          return doc;
        }
      case ARRAY:
        {
          BsonArray array = new BsonArray();
          for (JsonNode element : node) {
            array.add(fromNode(element));
          }
          return array;
        }
      case STRING:
        return new BsonString(node.textValue());
      case BOOLEAN:
        return BsonBoolean.valueOf(node.booleanValue());
      case NULL:
        return BsonNull.VALUE;
      case NUMBER:
        return number(node);
      default:
        throw new IllegalArgumentException("cannot store JSON " + node.getNodeType());
    }
  }

  private static BsonValue number(JsonNode node) {
    if (node.isIntegralNumber()) {
      BigInteger i = node.bigIntegerValue();
      if (i.bitLength() < 32) {
        return new BsonInt32(i.intValue());
      }
      if (i.bitLength() < 64) {
        return new BsonInt64(i.longValue());
      }
      return decimal(new BigDecimal(i));
    }
    BigDecimal d = node.decimalValue();
    double asDouble = d.doubleValue();
    if (!Double.isInfinite(asDouble) && new BigDecimal(Double.toString(asDouble)).equals(d)) {
      return new BsonDouble(asDouble);
    }
    return decimal(d);
  }

  private static BsonDecimal128 decimal(BigDecimal d) {
    try {
      return new BsonDecimal128(new Decimal128(d));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          d.toPlainString() + " does not fit a BSON decimal128 (34 significant digits)");
    }
  }

  /** A job file's map (a filter) as JSON text. */
  static String mapToJson(Map<?, ?> map) {
    try {
      return JsonValues.mapper().writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the map as JSON: " + e.getMessage());
    }
  }

  // ---- writing: Ferry -> BSON ----------------------------------------------------------------

  /** How the sink turns values into BSON. */
  record WriteRules(ZoneId zone, boolean truncateTimestamps) {}

  /** The BSON of a non-null Ferry value of {@code type}. */
  static BsonValue toBson(Object value, DataType type, WriteRules rules) {
    if (value == null) {
      return BsonNull.VALUE;
    }
    switch (type.kind()) {
      case BOOLEAN:
        return BsonBoolean.valueOf((Boolean) value);
      case INT8, INT16, INT32:
        return new BsonInt32(((Number) value).intValue());
      case INT64:
        return new BsonInt64((Long) value);
      case FLOAT32:
        // Through the float's shortest text: 0.1f becomes 0.1, not 0.10000000149011612.
        return new BsonDouble(Double.parseDouble(Float.toString((Float) value)));
      case FLOAT64:
        return new BsonDouble((Double) value);
      case DECIMAL:
        return decimal((BigDecimal) value);
      case STRING:
        return new BsonString((String) value);
      case BYTES:
        return new BsonBinary((byte[]) value);
      case DATE:
        return date(
            value, () -> ((LocalDate) value).atStartOfDay(ZoneOffset.UTC).toInstant(), rules);
      case TIME:
        return new BsonString(
            Values.isEndOfDay(value)
                ? Values.specialText(value)
                : ((LocalTime) value).format(DateTimeFormatter.ISO_LOCAL_TIME));
      case TIMESTAMP:
        return date(value, () -> ((LocalDateTime) value).atZone(rules.zone()).toInstant(), rules);
      case TIMESTAMP_TZ:
        return date(value, () -> ((OffsetDateTime) value).toInstant(), rules);
      case JSON:
        return fromJson((String) value);
      case ROW:
        {
          Object[] fields = (Object[]) value;
          BsonDocument doc = new BsonDocument();
          for (int i = 0; i < fields.length; i++) {
            DataType.Field f = type.fields().get(i);
            doc.append(f.name(), toBson(fields[i], f.type(), rules));
          }
          return doc;
        }
      case ARRAY:
        {
          List<?> list = (List<?>) value;
          BsonArray array = new BsonArray(new ArrayList<>(list.size()));
          for (Object element : list) {
            array.add(toBson(element, type.elementType(), rules));
          }
          return array;
        }
      case MAP:
        {
          BsonDocument doc = new BsonDocument();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            String key =
                e.getKey() instanceof String s ? s : Values.format(e.getKey(), type.keyType());
            doc.append(key, toBson(e.getValue(), type.valueType(), rules));
          }
          return doc;
        }
      default:
        throw new IllegalArgumentException("cannot write " + type + " to MongoDB");
    }
  }

  /**
   * A DATE, TIMESTAMP or TIMESTAMP_TZ as a BSON date, milliseconds since 1970 in a signed 64-bit
   * number (about 292 million years either way): an infinity or a value beyond that range cannot be
   * one and is refused, never wrapped.
   */
  private static BsonDateTime date(
      Object value, java.util.function.Supplier<Instant> instantOf, WriteRules rules) {
    int infinity = Values.infinity(value);
    if (infinity != 0) {
      throw new IllegalArgumentException(
          Values.specialText(value) + " cannot be written to MongoDB: a BSON date has no infinity");
    }
    Instant instant;
    long millis;
    try {
      instant = instantOf.get();
      millis = instant.toEpochMilli();
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          value + " is outside the range of a BSON date (milliseconds since 1970 in 64 bits)");
    }
    if (instant.getNano() % 1_000_000 != 0 && !rules.truncateTimestamps()) {
      throw new IllegalArgumentException(
          value
              + " has digits finer than milliseconds, which a BSON date cannot hold (set"
              + " truncateTimestamps: true to cut them off)");
    }
    return new BsonDateTime(millis);
  }

  /** A string as an ObjectId, for objectIdFields. */
  static BsonObjectId objectId(String hex) {
    if (!ObjectId.isValid(hex)) {
      throw new IllegalArgumentException(
          "'" + Values.abbreviate(hex) + "' is not an ObjectId (24 hex digits)");
    }
    return new BsonObjectId(new ObjectId(hex));
  }

  /** A string as a standard UUID binary, for uuidFields. */
  static BsonBinary uuidBinary(String text) {
    try {
      return new BsonBinary(UUID.fromString(text), UuidRepresentation.STANDARD);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + Values.abbreviate(text) + "' is not a UUID");
    }
  }
}
