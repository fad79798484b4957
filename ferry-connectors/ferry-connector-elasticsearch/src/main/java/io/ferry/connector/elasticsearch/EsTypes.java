package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ferry types and Elasticsearch mappings, both ways. A mapping derived from a schema also records
 * the columns' Ferry types in {@code _meta.ferry.columns}, so reading the index back yields exactly
 * the types that were written (a mapping alone cannot tell timestamp from timestamp_tz, int32 from
 * a list of int32, or decimal from double).
 */
final class EsTypes {
  private EsTypes() {}

  /** The {@code mappings} body of an index for rows of {@code schema}. */
  static ObjectNode mappingFor(Schema schema) {
    ObjectNode mappings = JsonValues.mapper().createObjectNode();
    ArrayNode columns = mappings.putObject("_meta").putObject("ferry").putArray("columns");
    ObjectNode properties = mappings.putObject("properties");
    for (Column c : schema.columns()) {
      if (c.name().startsWith("_")) {
        continue; // metadata fields (_id, _routing) are not document fields
      }
      columns.add(c.name() + " " + c.type());
      properties.set(c.name(), propertyFor(c.type()));
    }
    return mappings;
  }

  /** The mapping of one field holding values of {@code type}. */
  static ObjectNode propertyFor(DataType type) {
    ObjectNode p = JsonValues.mapper().createObjectNode();
    switch (type.kind()) {
      case BOOLEAN -> p.put("type", "boolean");
      case INT8 -> p.put("type", "byte");
      case INT16 -> p.put("type", "short");
      case INT32 -> p.put("type", "integer");
      case INT64 -> p.put("type", "long");
      case FLOAT32 -> p.put("type", "float");
      case FLOAT64 -> p.put("type", "double");
      // Written as strings (every digit kept in _source), indexed as doubles (scaled_float lives in
      // the mapper-extras module, which not every distribution has).
      case DECIMAL -> p.put("type", "double");
      case STRING -> {
        p.put("type", "text");
        p.putObject("fields").putObject("keyword").put("type", "keyword").put("ignore_above", 256);
      }
      case BYTES -> p.put("type", "binary");
      case DATE -> p.put("type", "date").put("format", "strict_date_optional_time||epoch_millis");
      case TIME -> p.put("type", "keyword");
      case TIMESTAMP, TIMESTAMP_TZ ->
          p.put("type", "date").put("format", "strict_date_optional_time||epoch_millis");
      case JSON, MAP ->
          // Any JSON value, kept in _source and not indexed: keys may be empty or clash in type.
          p.put("type", "object").put("enabled", false);
      case ARRAY -> {
        return propertyFor(type.elementType());
      }
      case ROW -> {
        ObjectNode properties = p.putObject("properties");
        for (DataType.Field f : type.fields()) {
          properties.set(f.name(), propertyFor(f.type()));
        }
      }
    }
    return p;
  }

  /**
   * The columns of a mapping: the Ferry columns recorded in {@code _meta} when Ferry created the
   * index, otherwise one per top-level field with the type its mapping suggests.
   *
   * @param fields the fields to keep, in this order; null for all
   */
  static List<Column> columns(JsonNode mappings, List<String> fields) {
    Map<String, Column> byName = new LinkedHashMap<>();
    JsonNode recorded = mappings.path("_meta").path("ferry").path("columns");
    JsonNode properties = mappings.path("properties");
    if (recorded.isArray() && recorded.size() > 0) {
      for (JsonNode c : recorded) {
        String text = c.asText();
        int space = text.indexOf(' ');
        try {
          byName.put(
              text.substring(0, space),
              Column.of(text.substring(0, space), DataType.parse(text.substring(space + 1))));
        } catch (RuntimeException e) {
          byName.clear();
          break;
        }
      }
    }
    // Fields added to the mapping after Ferry created it.
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!byName.containsKey(e.getKey())) {
        DataType type = ferryType(e.getValue());
        if (type != null) {
          byName.put(e.getKey(), Column.of(e.getKey(), type));
        }
      }
    }
    if (fields == null) {
      return List.copyOf(byName.values());
    }
    List<Column> chosen = new ArrayList<>();
    for (String f : fields) {
      Column c = byName.get(f);
      if (c == null) {
        JsonNode p = property(properties, f);
        DataType type = p == null ? null : ferryType(p);
        c = Column.of(f, type == null ? DataType.JSON : type);
      }
      chosen.add(c);
    }
    return chosen;
  }

  /** The mapping of a dotted path, or null. */
  static JsonNode property(JsonNode properties, String path) {
    JsonNode p = properties.get(path);
    if (p != null) {
      return p;
    }
    int dot = path.indexOf('.');
    if (dot < 0) {
      return null;
    }
    JsonNode parent = properties.get(path.substring(0, dot));
    return parent == null ? null : property(parent.path("properties"), path.substring(dot + 1));
  }

  /** The Ferry type of a field mapping; null for fields that hold no value of their own. */
  static DataType ferryType(JsonNode property) {
    String type = property.path("type").asText(property.has("properties") ? "object" : "");
    return switch (type) {
      case "boolean" -> DataType.BOOLEAN;
      case "byte" -> DataType.INT8;
      case "short" -> DataType.INT16;
      case "integer" -> DataType.INT32;
      case "long" -> DataType.INT64;
      case "unsigned_long" -> DataType.decimal(20, 0);
      case "float", "half_float" -> DataType.FLOAT32;
      case "double", "scaled_float" -> DataType.FLOAT64;
      case "keyword",
          "text",
          "match_only_text",
          "wildcard",
          "constant_keyword",
          "ip",
          "version",
          "search_as_you_type" ->
          DataType.STRING;
      case "binary" -> DataType.BYTES;
      case "date" -> DataType.timestampTz(3);
      case "date_nanos" -> DataType.timestampTz(9);
      case "dense_vector" -> DataType.array(DataType.FLOAT32);
      case "object" -> {
        if (!property.path("enabled").asBoolean(true) || !property.has("properties")) {
          yield DataType.JSON;
        }
        List<DataType.Field> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                property.path("properties").properties().iterator();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          DataType t = ferryType(e.getValue());
          if (t != null) {
            fields.add(new DataType.Field(e.getKey(), t));
          }
        }
        yield fields.isEmpty() ? DataType.JSON : DataType.row(fields);
      }
      case "nested" -> {
        ObjectNode asObject = ((ObjectNode) property.deepCopy()).put("type", "object");
        DataType element = ferryType(asObject);
        yield DataType.array(element);
      }
      case "alias" -> null;
      default -> DataType.JSON; // geo_point, flattened, range types, ...: their JSON
    };
  }

  /** The mapping type's text, for the catalog. */
  static String nativeType(JsonNode property) {
    String type = property.path("type").asText(property.has("properties") ? "object" : "object");
    if (property.has("format")) {
      return type + " (" + property.path("format").asText() + ")";
    }
    if (property.has("scaling_factor")) {
      return type + " (" + property.path("scaling_factor").asText() + ")";
    }
    return type;
  }

  /**
   * The {@code mappings} of the first index in a {@code GET _mapping} answer, properties merged.
   */
  static ObjectNode mergedMappings(JsonNode mappingReply) {
    ObjectNode merged = JsonValues.mapper().createObjectNode();
    ObjectNode properties = merged.putObject("properties");
    boolean first = true;
    for (JsonNode index : mappingReply) {
      JsonNode mappings = index.path("mappings");
      if (first && mappings.has("_meta")) {
        merged.set("_meta", mappings.get("_meta"));
      }
      first = false;
      for (Iterator<Map.Entry<String, JsonNode>> it =
              mappings.path("properties").properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!properties.has(e.getKey())) {
          properties.set(e.getKey(), e.getValue());
        }
      }
    }
    return merged;
  }

  static Schema schema(List<Column> columns) {
    return Schema.of(columns);
  }
}
