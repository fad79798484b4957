package io.ferry.connector.kafka;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Catalog;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Debezium's change event as its JSON converter writes it without schemas ({@code
 * schemas.enable=false}): the value {@code {before, after, source, op, ts_ms}}, the key an object
 * of the key columns. Existing Debezium consumers (sink connectors, Flink's {@code debezium-json}
 * format) read it as they read Debezium's own.
 */
final class Envelopes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private final String name;

  /**
   * @param name the logical server name Debezium puts in {@code source.name}: the job's name
   */
  Envelopes(String name) {
    this.name = name;
  }

  /** An object of {@code values}' columns; a value marked unchanged is left out. */
  static ObjectNode row(Schema schema, Object[] values) {
    ObjectNode row = NODES.objectNode();
    for (int c = 0; c < schema.size(); c++) {
      Column column = schema.column(c);
      if (values[c] != ChangeEvent.UNCHANGED) {
        row.set(column.name(), JsonValues.toNode(values[c], column.type()));
      }
    }
    return row;
  }

  /**
   * The event's value.
   *
   * @param op c, u, d or r
   * @param table the source table, or null when the writer does not know it (rows of a copy)
   * @param before the row before, or null
   * @param after the row after, or null
   */
  byte[] value(
      String op,
      Catalog.TableRef table,
      Schema schema,
      Object[] before,
      Object[] after,
      Instant committedAt,
      boolean snapshot) {
    ObjectNode event = NODES.objectNode();
    event.set("before", before == null ? NODES.nullNode() : row(schema, before));
    event.set("after", after == null ? NODES.nullNode() : row(schema, after));
    ObjectNode source = event.putObject("source");
    source.put("version", "ferry");
    source.put("connector", "ferry");
    source.put("name", name);
    source.put("ts_ms", committedAt.toEpochMilli());
    source.put("snapshot", snapshot ? "true" : "false");
    if (table != null && table.schema() != null) {
      source.put("db", table.schema());
    } else {
      source.putNull("db");
    }
    if (table != null) {
      source.put("table", table.name());
    } else {
      source.putNull("table");
    }
    event.put("op", op);
    event.put("ts_ms", System.currentTimeMillis());
    try {
      return JsonValues.mapper().writeValueAsBytes(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String op(ChangeEvent.Kind kind) {
    return switch (kind) {
      case INSERT -> "c";
      case UPDATE -> "u";
      case DELETE -> "d";
    };
  }
}
