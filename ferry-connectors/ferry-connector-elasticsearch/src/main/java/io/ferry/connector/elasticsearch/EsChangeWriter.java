package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies row changes to one index by {@code _id} with {@code _bulk} requests: an INSERT or UPDATE
 * indexes the whole after image (action {@code index}: the document is replaced); when the log did
 * not carry some values ({@link ChangeEvent#UNCHANGED}) it is an {@code update} of the carried
 * fields with {@code doc_as_upsert}. A DELETE is a {@code delete} (a missing document is fine), or
 * with soft deletes an {@code update} of the flag and time fields of a document that is there. A
 * change of the key (or of the routing value) deletes the old document and indexes the new one. The
 * {@code _id} is made as the batch sink makes it: from {@code idColumns}, or else the table's key
 * columns, joined by {@code idSeparator}; {@code routingColumn} routes as there.
 *
 * <p>Order per key: Elasticsearch applies the items of one bulk request in order on each shard, and
 * every change of an {@code _id} (with its routing) goes to the same shard, so a later change of a
 * document wins. Items are sent at {@code bulkActions} items or {@code bulkSize} bytes and on
 * {@link #flush()}, which returns once Elasticsearch acknowledged every item: that is durability
 * (the translog), not visibility, which follows the index's refresh. An item rejected with 429
 * fails the batch as retriable (the engine re-applies from its checkpoint); any other rejection
 * fails the run, as a change cannot be dropped without losing exactness.
 */
final class EsChangeWriter implements ChangeWriter {
  private final EsSink sink;
  private final EsClient client;
  private final Target target;
  private final String index;
  private final List<String> idColumns;
  private final String routingColumn;
  private final String separator;
  private final boolean writeIds;
  private final boolean writeNulls;
  private final int maxActions;
  private final long maxBytes;

  private final EsSinkWriter.Buffer buffer = new EsSinkWriter.Buffer();
  private JsonGenerator json;

  /** Per buffered item: the change it came from and whether a 404 is the expected outcome. */
  private final List<Item> items = new ArrayList<>();

  private record Item(RowChange change, String id, boolean missingIsFine) {}

  EsChangeWriter(EsSink sink, Target target, List<String> idColumns, String routingColumn) {
    this.sink = sink;
    this.client = sink.client();
    this.target = target;
    this.index = sink.targetIndex();
    this.idColumns = idColumns;
    this.routingColumn = routingColumn;
    this.separator = sink.options().get(EsOptions.ID_SEPARATOR);
    this.writeIds = sink.options().get(EsOptions.ID_IN_SOURCE);
    this.writeNulls = sink.options().get(EsOptions.WRITE_NULLS);
    this.maxActions = sink.options().get(EsOptions.BULK_ACTIONS);
    this.maxBytes = sink.options().get(EsOptions.BULK_SIZE);
    this.json = newGenerator();
  }

  private JsonGenerator newGenerator() {
    try {
      return JsonValues.mapper().getFactory().createGenerator(buffer, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void apply(List<RowChange> changes) {
    for (RowChange change : changes) {
      try {
        switch (change.kind()) {
          case INSERT -> upsert(change);
          case UPDATE -> {
            String oldId = id(change, change.before());
            String oldRouting = routing(change, change.before());
            if (oldId != null
                && (!oldId.equals(id(change, change.after()))
                    || (routingColumn != null
                        && !Objects.equals(oldRouting, routing(change, change.after()))))) {
              delete(change, oldId, oldRouting); // a key change: the old document goes
            }
            upsert(change);
          }
          case DELETE -> {
            String id = id(change, change.before());
            if (id == null) {
              throw lacksKey(change);
            }
            delete(change, id, routing(change, change.before()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (items.size() >= maxActions || buffer.size() >= maxBytes) {
        send();
      }
    }
  }

  private static FerryException lacksKey(RowChange change) {
    return new FerryException(
        ErrorCode.CONVERSION,
        change.kind()
            + " of "
            + change.table()
            + " at "
            + change.position()
            + " lacks a key value");
  }

  /** The document id of {@code row}, or null when a key value is missing. */
  private String id(RowChange change, Object[] row) {
    Schema schema = change.schema();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < idColumns.size(); i++) {
      int c = schema.indexOf(idColumns.get(i));
      if (c < 0) {
        throw new FerryException(
            ErrorCode.NOT_FOUND,
            "the id column " + idColumns.get(i) + " is not among " + schema.names());
      }
      Object value = row[c];
      if (value == null || value == ChangeEvent.UNCHANGED) {
        return null;
      }
      if (i > 0) {
        sb.append(separator);
      }
      sb.append(Values.format(value, schema.column(c).type()));
    }
    return sb.toString();
  }

  private String routing(RowChange change, Object[] row) {
    if (routingColumn == null) {
      return null;
    }
    int c = change.schema().indexOf(routingColumn);
    Object value = c < 0 ? null : row[c];
    return value == null || value == ChangeEvent.UNCHANGED
        ? null
        : Values.format(value, change.schema().column(c).type());
  }

  private void action(String name, String id, String routing) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart(name);
    json.writeStringField("_index", index);
    json.writeStringField("_id", id);
    if (routing != null) {
      json.writeStringField("routing", routing);
    }
    json.writeEndObject();
    json.writeEndObject();
    json.flush();
    buffer.write('\n');
  }

  private void upsert(RowChange change) throws IOException {
    Object[] after = change.after();
    String id = id(change, after);
    if (id == null) {
      throw lacksKey(change);
    }
    Schema schema = change.schema();
    boolean partial = false;
    for (Object value : after) {
      partial |= value == ChangeEvent.UNCHANGED;
    }
    int start = buffer.size();
    try {
      action(partial ? "update" : "index", id, routing(change, after));
      json.writeStartObject();
      if (partial) {
        json.writeObjectFieldStart("doc");
      }
      for (int c = 0; c < schema.size() && c < after.length; c++) {
        String name = schema.column(c).name();
        Object value = after[c];
        if (value == ChangeEvent.UNCHANGED
            || name.startsWith("_")
            || (!writeIds && (idColumns.contains(name) || name.equals(routingColumn)))
            || (value == null && !writeNulls)) {
          continue;
        }
        json.writeFieldName(name);
        Documents.write(json, value, schema.column(c).type());
      }
      if (target.deleteMode() == DeleteMode.SOFT) {
        json.writeBooleanField(target.softDeleteFlag(), false);
        json.writeNullField(target.softDeleteTime());
      }
      if (partial) {
        json.writeEndObject();
        json.writeBooleanField("doc_as_upsert", true);
      }
      json.writeEndObject();
      json.flush();
      buffer.write('\n');
    } catch (IOException | RuntimeException e) {
      json = newGenerator();
      buffer.truncate(start);
      throw new FerryException(
          ErrorCode.CONVERSION,
          "a "
              + change.kind()
              + " of "
              + change.table()
              + " at "
              + change.position()
              + " cannot be written as a document: "
              + e.getMessage(),
          e);
    }
    items.add(new Item(change, id, false));
  }

  private void delete(RowChange change, String id, String routing) throws IOException {
    if (target.deleteMode() == DeleteMode.SOFT) {
      Instant at = change.committedAt() == null ? Instant.now() : change.committedAt();
      action("update", id, routing);
      json.writeStartObject();
      json.writeObjectFieldStart("doc");
      json.writeBooleanField(target.softDeleteFlag(), true);
      json.writeFieldName(target.softDeleteTime());
      Documents.write(json, at.atOffset(ZoneOffset.UTC), DataType.TIMESTAMP_TZ);
      json.writeEndObject();
      json.writeEndObject();
      json.flush();
      buffer.write('\n');
    } else {
      action("delete", id, routing);
    }
    // A document that is not there: nothing to delete or mark (a delete of a key never written).
    items.add(new Item(change, id, true));
  }

  @Override
  public void flush() {
    if (!items.isEmpty()) {
      send();
    }
  }

  /** Sends the buffered items; returns once each is acknowledged, else throws. */
  private void send() {
    try {
      EsClient.Reply reply = client.bulk(buffer.bytes(), buffer.size());
      if (reply.status() >= 300) {
        FerryException e = client.error("POST", "/_bulk", reply);
        throw new FerryException(
            e.code(),
            "bulk request of "
                + items.size()
                + " changes to '"
                + index
                + "' failed: "
                + EsClient.reason(reply.body()),
            e);
      }
      if (reply.body().path("errors").asBoolean(false)) {
        JsonNode results = reply.body().path("items");
        for (int i = 0; i < items.size(); i++) {
          JsonNode result = results.path(i);
          JsonNode outcome = result.elements().hasNext() ? result.elements().next() : result;
          int status = outcome.path("status").asInt(0);
          if (outcome.path("error").isMissingNode() || status < 300) {
            continue;
          }
          Item item = items.get(i);
          if (status == 404 && item.missingIsFine()) {
            continue;
          }
          String reason =
              EsClient.reason(
                  JsonValues.mapper().createObjectNode().set("error", outcome.path("error")));
          String what =
              "Elasticsearch rejected the "
                  + item.change().kind()
                  + " of "
                  + item.change().table()
                  + " at "
                  + item.change().position()
                  + " (document "
                  + index
                  + "/"
                  + item.id()
                  + ", HTTP "
                  + status
                  + "): "
                  + reason;
          throw new FerryException(
              status == 429 ? EsClient.UNAVAILABLE : ErrorCode.CONVERSION, what);
        }
      }
    } finally {
      items.clear();
      buffer.reset();
    }
  }

  /** A new column is indexed by the index's dynamic mapping (or refused by a strict one). */
  @Override
  public SchemaFit schemaChanged(ChangeEvent.SchemaChange change, boolean apply) {
    if (change.after() == null) {
      return SchemaFit.no("the table was dropped or renamed");
    }
    List<String> missing = idColumns.stream().filter(c -> change.after().indexOf(c) < 0).toList();
    return missing.isEmpty()
        ? SchemaFit.yes()
        : SchemaFit.no("the id columns " + missing + " are gone");
  }

  /** Drops what was not sent: the engine re-applies it from its checkpoint. */
  @Override
  public void close() {
    items.clear();
    buffer.reset();
    try {
      json.close();
    } catch (IOException e) {
      // the buffer never fails
    }
  }
}
