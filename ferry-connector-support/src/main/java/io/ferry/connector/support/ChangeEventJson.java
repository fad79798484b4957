package io.ferry.connector.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>Both ways stream (Jackson's generator and parser, no tree in between): a mining log encodes
 * every event once and decodes it once per reader, so this is on the hot path of shared mining.
 * Decoding accepts the fields in any order. Thread-safe.
 */
public final class ChangeEventJson {
  private static final JsonFactory JSON = JsonValues.mapper().getFactory();
  private static final int VERSION = 1;

  /** Column types by their text: a log repeats a table's few types in every event. */
  private static final Map<String, DataType> TYPES = new ConcurrentHashMap<>();

  private static final int TYPES_CACHED = 4_096;

  private ChangeEventJson() {}

  /** The event as a JSON document. */
  public static String encode(ChangeEvent event) {
    SegmentedStringWriter out = new SegmentedStringWriter(JSON._getBufferRecycler());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      if (event instanceof ChangeEvent.RowChange change) {
        g.writeStringField("op", change.kind().name());
      } else {
        g.writeStringField("op", "SCHEMA");
      }
      g.writeObjectFieldStart("table");
      g.writeStringField("schema", event.table().schema());
      g.writeStringField("name", event.table().name());
      g.writeEndObject();
      g.writeObjectFieldStart("position");
      g.writeNumberField("version", event.position().version());
      g.writeStringField("bytes", Base64.getEncoder().encodeToString(event.position().bytes()));
      g.writeStringField("text", event.position().description());
      g.writeEndObject();
      if (event.committedAt() != null) {
        g.writeStringField("committedAt", event.committedAt().toString());
      }
      if (event instanceof ChangeEvent.RowChange change) {
        schema(g, "columns", "key", change.schema());
        if (change.before() != null) {
          image(g, "before", change.before(), change.schema());
        }
        if (change.after() != null) {
          image(g, "after", change.after(), change.schema());
        }
      } else if (event instanceof ChangeEvent.SchemaChange change) {
        if (change.before() != null) {
          schema(g, "columnsBefore", "keyBefore", change.before());
        }
        if (change.after() != null) {
          schema(g, "columns", "key", change.after());
        }
        g.writeStringField("ddl", change.ddl());
      }
      g.writeEndObject();
      g.flush();
      return out.getAndClear();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a string writer does not fail
    }
  }

  /** The event with its document, to append to a mining log. */
  public static io.ferry.spi.MiningLog.Encoded encoded(ChangeEvent event) {
    return new io.ferry.spi.MiningLog.Encoded(event, encode(event));
  }

  /** The events with their documents, in order. */
  public static List<io.ferry.spi.MiningLog.Encoded> encoded(List<? extends ChangeEvent> events) {
    List<io.ferry.spi.MiningLog.Encoded> out = new ArrayList<>(events.size());
    for (ChangeEvent e : events) {
      out.add(encoded(e));
    }
    return out;
  }

  /**
   * An event from its JSON document.
   *
   * @throws FerryException with {@link ErrorCode#STATE_INCOMPATIBLE} when the document is not one
   *     this class wrote
   */
  public static ChangeEvent decode(String json) {
    Document d;
    try (JsonParser p = JSON.createParser(json)) {
      d = document(p);
    } catch (JsonProcessingException e) {
      throw corrupt("is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw corrupt("does not read back (" + e.getMessage() + "): " + Values.abbreviate(json));
    }
    if (d == null || d.version != VERSION) {
      throw corrupt("has no known version (v): " + Values.abbreviate(json));
    }
    try {
      TableRef table = new TableRef(d.schemaName, d.tableName == null ? "" : d.tableName);
      Position position =
          new Position(
              d.positionVersion,
              Base64.getDecoder().decode(d.positionBytes == null ? "" : d.positionBytes),
              d.positionText == null ? "" : d.positionText);
      Instant committedAt = d.committedAt == null ? null : Instant.parse(d.committedAt);
      if ("SCHEMA".equals(d.op)) {
        return new ChangeEvent.SchemaChange(
            table,
            schema(d.columnsBefore, d.keyBefore),
            schema(d.columns, d.key),
            d.ddl,
            position,
            committedAt);
      }
      ChangeEvent.Kind kind = ChangeEvent.Kind.valueOf(d.op == null ? "" : d.op);
      Schema schema = schema(d.columns, d.key);
      if (schema == null) {
        throw corrupt("has no columns: " + Values.abbreviate(json));
      }
      return new ChangeEvent.RowChange(
          kind,
          table,
          schema,
          image(d.before, schema),
          image(d.after, schema),
          position,
          committedAt);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw corrupt("does not read back (" + e.getMessage() + "): " + Values.abbreviate(json));
    }
  }

  // ---- writing ------------------------------------------------------------------------------

  private static void schema(JsonGenerator g, String columnsField, String keyField, Schema s)
      throws IOException {
    g.writeArrayFieldStart(columnsField);
    for (Column c : s.columns()) {
      g.writeStartObject();
      g.writeStringField("name", c.name());
      g.writeStringField("type", c.type().toString());
      g.writeBooleanField("nullable", c.nullable());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart(keyField);
    for (String k : s.key()) {
      g.writeString(k);
    }
    g.writeEndArray();
  }

  private static void image(JsonGenerator g, String field, Object[] values, Schema schema)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        g.writeNull();
      } else if (v == ChangeEvent.UNCHANGED) {
        g.writeStartObject();
        g.writeBooleanField("unchanged", true);
        g.writeEndObject();
      } else {
        g.writeString(Values.format(v, schema.column(i).type()));
      }
    }
    g.writeEndArray();
  }

  // ---- reading ------------------------------------------------------------------------------

  /** A document's fields as read, before they are checked. */
  private static final class Document {
    int version = -1;
    String op;
    String schemaName;
    String tableName;
    int positionVersion;
    String positionBytes;
    String positionText;
    String committedAt;
    List<Column> columns;
    List<String> key;
    List<Column> columnsBefore;
    List<String> keyBefore;
    List<Object> before;
    List<Object> after;
    String ddl;
  }

  /** A value of an image that the log did not carry ({@code {"unchanged":true}}). */
  private static final Object UNCHANGED_MARK = new Object();

  private static Document document(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    Document d = new Document();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (field) {
        case "v" -> d.version = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
        case "op" -> d.op = text(p, t);
        case "committedAt" -> d.committedAt = text(p, t);
        case "ddl" -> d.ddl = text(p, t);
        case "table" -> {
          while (t == JsonToken.START_OBJECT && (field = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (field.equals("schema")) {
              d.schemaName = text(p, v);
            } else if (field.equals("name")) {
              d.tableName = text(p, v);
            } else {
              p.skipChildren();
            }
          }
          skipUnlessEnded(p, t);
        }
        case "position" -> {
          while (t == JsonToken.START_OBJECT && (field = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            switch (field) {
              case "version" -> d.positionVersion = v.isNumeric() ? p.getIntValue() : 0;
              case "bytes" -> d.positionBytes = text(p, v);
              case "text" -> d.positionText = text(p, v);
              default -> p.skipChildren();
            }
          }
          skipUnlessEnded(p, t);
        }
        case "columns" -> d.columns = columns(p, t);
        case "columnsBefore" -> d.columnsBefore = columns(p, t);
        case "key" -> d.key = strings(p, t);
        case "keyBefore" -> d.keyBefore = strings(p, t);
        case "before" -> d.before = values(p, t);
        case "after" -> d.after = values(p, t);
        default -> p.skipChildren();
      }
    }
    return d;
  }

  private static void skipUnlessEnded(JsonParser p, JsonToken started) throws IOException {
    if (started != JsonToken.START_OBJECT) {
      p.skipChildren();
    }
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t.isScalarValue()) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  private static List<Column> columns(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    List<Column> list = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String name = "";
      String type = "";
      boolean nullable = true;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        switch (field) {
          case "name" -> name = String.valueOf(text(p, v));
          case "type" -> type = String.valueOf(text(p, v));
          case "nullable" -> nullable = v != JsonToken.VALUE_FALSE;
          default -> p.skipChildren();
        }
      }
      list.add(new Column(name, type(type), nullable));
    }
    return list;
  }

  private static DataType type(String text) {
    DataType type = TYPES.get(text);
    if (type == null) {
      type = DataType.parse(text);
      if (TYPES.size() < TYPES_CACHED) {
        TYPES.put(text, type);
      }
    }
    return type;
  }

  private static List<String> strings(JsonParser p, JsonToken t) throws IOException {
    List<String> list = new ArrayList<>();
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return list;
    }
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY && v != null) {
      list.add(text(p, v));
    }
    return list;
  }

  /** An image's values as text, null or {@link #UNCHANGED_MARK}; null for a null image. */
  private static List<Object> values(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    List<Object> list = new ArrayList<>();
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY && v != null) {
      if (v == JsonToken.START_OBJECT) {
        boolean unchanged = false;
        String field;
        while ((field = p.nextFieldName()) != null) {
          JsonToken f = p.nextToken();
          if (field.equals("unchanged") && f == JsonToken.VALUE_TRUE) {
            unchanged = true;
          } else {
            p.skipChildren();
          }
        }
        list.add(unchanged ? UNCHANGED_MARK : p.getText());
      } else if (v == JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("a value is an array, not its text");
      } else {
        list.add(text(p, v));
      }
    }
    return list;
  }

  private static Schema schema(List<Column> columns, List<String> key) {
    if (columns == null) {
      return null;
    }
    return Schema.of(columns).withKey(key == null ? List.of() : key);
  }

  private static Object[] image(List<Object> texts, Schema schema) {
    if (texts == null) {
      return null;
    }
    if (texts.size() != schema.size()) {
      throw new IllegalArgumentException(
          texts.size() + " values for " + schema.size() + " columns");
    }
    Object[] values = new Object[texts.size()];
    for (int i = 0; i < values.length; i++) {
      Object v = texts.get(i);
      if (v == UNCHANGED_MARK) {
        values[i] = ChangeEvent.UNCHANGED;
      } else if (v != null) {
        values[i] = Values.parse((String) v, schema.column(i).type());
      }
    }
    return values;
  }

  private static FerryException corrupt(String problem) {
    return new FerryException(
        ErrorCode.STATE_INCOMPATIBLE, "a change event of the mining log " + problem);
  }
}
