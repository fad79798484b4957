package io.ferry.connector.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A {@link ChangeEvent} as one JSON document, the form a mining-log store keeps (version 1):
 *
 * <pre>{@code
 * {"v":1, "op":"INSERT"|"UPDATE"|"DELETE"|"SCHEMA",
 *  "table":{"schema":"shop","name":"orders"},
 *  "position":{"version":1,"bytes":"<base64>","text":"binlog.000001:1234"},
 *  "committedAt":"2026-12-07T06:00:00.123456Z",
 *  "columns":[{"name":"id","type":"int64","nullable":false},...], "key":["id"],
 *  "before":[...], "after":[...]}
 * }</pre>
 *
 * Each value is null or its canonical text ({@link Values#format}: exact decimals, Base64 bytes,
 * ISO-8601 temporals with infinities and 24:00, nested types as JSON), read back with {@link
 * Values#parse} by its column's Ferry type, so every value of every type comes back equal; a value
 * the log did not carry ({@link ChangeEvent#UNCHANGED}) is {@code {"unchanged":true}}. A schema
 * change keeps {@code columnsBefore}/{@code keyBefore}, {@code columns}/{@code key} (absent when
 * the table was dropped) and {@code ddl}.
 */
public final class ChangeEventJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final int VERSION = 1;

  private ChangeEventJson() {}

  /** The event as a JSON document. */
  public static String encode(ChangeEvent event) {
    ObjectNode root = NODES.objectNode();
    root.put("v", VERSION);
    ObjectNode table = root.putObject("table");
    table.put("schema", event.table().schema());
    table.put("name", event.table().name());
    ObjectNode position = root.putObject("position");
    position.put("version", event.position().version());
    position.put("bytes", Base64.getEncoder().encodeToString(event.position().bytes()));
    position.put("text", event.position().description());
    if (event.committedAt() != null) {
      root.put("committedAt", event.committedAt().toString());
    }
    if (event instanceof ChangeEvent.RowChange change) {
      root.put("op", change.kind().name());
      schema(root, "columns", "key", change.schema());
      if (change.before() != null) {
        root.set("before", image(change.before(), change.schema()));
      }
      if (change.after() != null) {
        root.set("after", image(change.after(), change.schema()));
      }
    } else if (event instanceof ChangeEvent.SchemaChange change) {
      root.put("op", "SCHEMA");
      if (change.before() != null) {
        schema(root, "columnsBefore", "keyBefore", change.before());
      }
      if (change.after() != null) {
        schema(root, "columns", "key", change.after());
      }
      root.put("ddl", change.ddl());
    }
    return root.toString();
  }

  /**
   * An event from its JSON document.
   *
   * @throws FerryException with {@link ErrorCode#STATE_INCOMPATIBLE} when the document is not one
   *     this class wrote
   */
  public static ChangeEvent decode(String json) {
    JsonNode root;
    try {
      root = JsonValues.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw corrupt("is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || root.path("v").asInt() != VERSION) {
      throw corrupt("has no known version (v): " + Values.abbreviate(json));
    }
    try {
      JsonNode t = root.path("table");
      TableRef table =
          new TableRef(
              t.path("schema").isTextual() ? t.get("schema").asText() : null,
              t.path("name").asText());
      JsonNode p = root.path("position");
      Position position =
          new Position(
              p.path("version").asInt(),
              Base64.getDecoder().decode(p.path("bytes").asText()),
              p.path("text").asText());
      Instant committedAt =
          root.hasNonNull("committedAt") ? Instant.parse(root.get("committedAt").asText()) : null;
      String op = root.path("op").asText();
      if (op.equals("SCHEMA")) {
        Schema before = schema(root, "columnsBefore", "keyBefore");
        Schema after = schema(root, "columns", "key");
        String ddl = root.hasNonNull("ddl") ? root.get("ddl").asText() : null;
        return new ChangeEvent.SchemaChange(table, before, after, ddl, position, committedAt);
      }
      ChangeEvent.Kind kind = ChangeEvent.Kind.valueOf(op);
      Schema schema = schema(root, "columns", "key");
      if (schema == null) {
        throw corrupt("has no columns: " + Values.abbreviate(json));
      }
      return new ChangeEvent.RowChange(
          kind,
          table,
          schema,
          image(root.get("before"), schema),
          image(root.get("after"), schema),
          position,
          committedAt);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw corrupt("does not read back (" + e.getMessage() + "): " + Values.abbreviate(json));
    }
  }

  private static void schema(ObjectNode root, String columnsField, String keyField, Schema s) {
    ArrayNode columns = root.putArray(columnsField);
    for (Column c : s.columns()) {
      ObjectNode column = columns.addObject();
      column.put("name", c.name());
      column.put("type", c.type().toString());
      column.put("nullable", c.nullable());
    }
    ArrayNode key = root.putArray(keyField);
    s.key().forEach(key::add);
  }

  private static Schema schema(JsonNode root, String columnsField, String keyField) {
    JsonNode columns = root.get(columnsField);
    if (columns == null || !columns.isArray()) {
      return null;
    }
    List<Column> list = new ArrayList<>(columns.size());
    for (JsonNode c : columns) {
      list.add(
          new Column(
              c.path("name").asText(),
              DataType.parse(c.path("type").asText()),
              c.path("nullable").asBoolean(true)));
    }
    List<String> key = new ArrayList<>();
    root.path(keyField).forEach(k -> key.add(k.asText()));
    return Schema.of(list).withKey(key);
  }

  private static ArrayNode image(Object[] values, Schema schema) {
    ArrayNode array = NODES.arrayNode(values.length);
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        array.addNull();
      } else if (v == ChangeEvent.UNCHANGED) {
        array.addObject().put("unchanged", true);
      } else {
        array.add(Values.format(v, schema.column(i).type()));
      }
    }
    return array;
  }

  private static Object[] image(JsonNode node, Schema schema) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.size() != schema.size()) {
      throw new IllegalArgumentException(node.size() + " values for " + schema.size() + " columns");
    }
    Object[] values = new Object[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = node.get(i);
      if (v.isNull()) {
        values[i] = null;
      } else if (v.isObject() && v.path("unchanged").asBoolean()) {
        values[i] = ChangeEvent.UNCHANGED;
      } else {
        values[i] = Values.parse(v.asText(), schema.column(i).type());
      }
    }
    return values;
  }

  private static FerryException corrupt(String problem) {
    return new FerryException(
        ErrorCode.STATE_INCOMPATIBLE, "a change event of the mining log " + problem);
  }
}
