package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.Column;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SinkWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Buffers rows as an NDJSON {@code _bulk} body, written straight from the batch's values with a
 * streaming generator, and sends it when it reaches {@code bulkActions} rows or {@code bulkSize}
 * bytes, and on flush. Items rejected with 429 are sent again alone, with backoff; other rejected
 * items become dirty rows with Elasticsearch's reason and the field it names.
 */
final class EsSinkWriter implements SinkWriter {
  private static final Pattern FIELD = Pattern.compile("field \\[([^\\]]+)\\]");
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final EsSink sink;
  private final EsClient client;
  private final Schema schema;
  private final BulkAction action;
  private final String actionName;
  private final int[] idIndexes;
  private final int routingIndex;
  private final boolean[] inDocument;
  private final String separator;
  private final boolean writeNulls;
  private final int maxActions;
  private final long maxBytes;
  private final String index;

  private final Buffer buffer = new Buffer();
  private JsonGenerator json;

  /** Per buffered item: where its action line starts, where its document starts, its id. */
  private final List<Item> items = new ArrayList<>();

  private long rowsSeen;

  EsSinkWriter(EsSink sink, int writerIndex) {
    this.sink = sink;
    this.client = sink.client();
    this.schema = sink.schema();
    this.action = sink.action();
    this.actionName =
        switch (action) {
          case INDEX -> "index";
          case CREATE -> "create";
          case UPDATE, UPSERT -> "update";
          case DELETE -> "delete";
        };
    this.idIndexes = sink.idIndexes();
    this.routingIndex = sink.routingIndex();
    this.separator = sink.options().get(EsOptions.ID_SEPARATOR);
    this.writeNulls = sink.options().get(EsOptions.WRITE_NULLS);
    this.maxActions = sink.options().get(EsOptions.BULK_ACTIONS);
    this.maxBytes = sink.options().get(EsOptions.BULK_SIZE);
    this.index = sink.targetIndex();
    this.inDocument = new boolean[schema.size()];
    boolean writeIds = sink.options().get(EsOptions.ID_IN_SOURCE);
    for (int c = 0; c < schema.size(); c++) {
      inDocument[c] = !schema.column(c).name().startsWith("_");
    }
    if (!writeIds) {
      if (idIndexes != null) {
        for (int i : idIndexes) {
          inDocument[i] = false;
        }
      }
      if (routingIndex >= 0) {
        inDocument[routingIndex] = false;
      }
    }
    this.json = newGenerator();
  }

  private JsonGenerator newGenerator() {
    try {
      return JsonValues.mapper().getFactory().createGenerator(buffer, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Item(int start, int docStart, int end, String id) {}

  @Override
  public void write(RowBatch batch) {
    for (int r = 0; r < batch.size(); r++) {
      rowsSeen++;
      String id = null;
      if (idIndexes != null) {
        id = id(batch, r);
        if (id == null) {
          continue;
        }
      }
      String routing = null;
      if (routingIndex >= 0) {
        Object value = batch.get(r, routingIndex);
        routing = value == null ? null : Values.format(value, schema.column(routingIndex).type());
      }
      int start = buffer.size();
      try {
        json.writeStartObject();
        json.writeObjectFieldStart(actionName);
        json.writeStringField("_index", index);
        if (id != null) {
          json.writeStringField("_id", id);
        }
        if (routing != null) {
          json.writeStringField("routing", routing);
        }
        json.writeEndObject();
        json.writeEndObject();
        json.flush();
        buffer.write('\n');
        int docStart = buffer.size();
        if (action != BulkAction.DELETE) {
          json.writeStartObject();
          if (action == BulkAction.UPDATE || action == BulkAction.UPSERT) {
            json.writeObjectFieldStart("doc");
          }
          for (int c = 0; c < schema.size(); c++) {
            Object value = batch.get(r, c);
            if (!inDocument[c] || (value == null && !writeNulls)) {
              continue;
            }
            Column column = schema.column(c);
            json.writeFieldName(column.name());
            Documents.write(json, value, column.type());
          }
          if (action == BulkAction.UPDATE || action == BulkAction.UPSERT) {
            json.writeEndObject();
            if (action == BulkAction.UPSERT) {
              json.writeBooleanField("doc_as_upsert", true);
            }
          }
          json.writeEndObject();
          json.flush();
          buffer.write('\n');
        }
        items.add(new Item(start, docStart, buffer.size(), id));
      } catch (IOException | RuntimeException e) {
        // A value that cannot be written (invalid JSON text, NaN): drop the partial lines.
        // The generator is inside a half-written object: start a fresh one.
        json = newGenerator();
        buffer.truncate(start);
        dirty(batch, r, id, null, null, "cannot write the document: " + message(e));
        continue;
      }
      if (items.size() >= maxActions || buffer.size() >= maxBytes) {
        send();
      }
    }
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
  }

  private String id(RowBatch batch, int r) {
    if (idIndexes.length == 1) {
      Object value = batch.get(r, idIndexes[0]);
      if (value == null) {
        dirty(batch, r, null, schema.column(idIndexes[0]).name(), null, "the id column is NULL");
        return null;
      }
      return Values.format(value, schema.column(idIndexes[0]).type());
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < idIndexes.length; i++) {
      Object value = batch.get(r, idIndexes[i]);
      if (value == null) {
        dirty(batch, r, null, schema.column(idIndexes[i]).name(), null, "an id column is NULL");
        return null;
      }
      if (i > 0) {
        sb.append(separator);
      }
      sb.append(Values.format(value, schema.column(idIndexes[i]).type()));
    }
    return sb.toString();
  }

  private void dirty(RowBatch batch, int r, String id, String column, Object value, String reason) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int c = 0; c < schema.size(); c++) {
      row.put(schema.column(c).name(), batch.get(r, c));
    }
    sink.context().dirtyRows().accept(new DirtyRow(location(id), row, column, value, reason));
  }

  private String location(String id) {
    return id != null ? index + "/" + id : index + " row " + rowsSeen;
  }

  @Override
  public void flush() {
    if (!items.isEmpty()) {
      send();
    }
  }

  /** Sends the buffered items; returns once each is written or went to the dirty rows. */
  private void send() {
    byte[] body = buffer.bytes();
    int length = buffer.size();
    List<Item> pending = new ArrayList<>(items);
    int attempt = 0;
    while (true) {
      EsClient.Reply reply = client.bulk(body, length);
      if (reply.status() >= 300) {
        FerryException e = client.error("POST", "/_bulk", reply);
        throw new FerryException(
            e.code(),
            "bulk request of "
                + pending.size()
                + " documents to '"
                + index
                + "' failed: "
                + EsClient.reason(reply.body()),
            e);
      }
      List<Item> retry = new ArrayList<>();
      if (reply.body().path("errors").asBoolean(false)) {
        JsonNode results = reply.body().path("items");
        for (int i = 0; i < pending.size(); i++) {
          JsonNode result = results.path(i);
          JsonNode outcome = result.elements().hasNext() ? result.elements().next() : result;
          int status = outcome.path("status").asInt(0);
          JsonNode error = outcome.path("error");
          if (error.isMissingNode() || status < 300) {
            continue;
          }
          if (status == 429) {
            retry.add(pending.get(i));
          } else {
            rejected(body, pending.get(i), status, error);
          }
        }
      }
      if (retry.isEmpty()) {
        break;
      }
      if (attempt >= client.maxRetries()) {
        throw new FerryException(
            EsClient.UNAVAILABLE,
            retry.size()
                + " documents for '"
                + index
                + "' were still rejected with 429 (too many"
                + " requests) after "
                + attempt
                + " retries; lower the job's parallelism or"
                + " bulkActions, or raise maxRetries");
      }
      client.pause(attempt++, retry.size() + " documents rejected with 429");
      // Only the rejected items go again, in a body of their own.
      Buffer again = new Buffer();
      List<Item> moved = new ArrayList<>(retry.size());
      for (Item item : retry) {
        int start = again.size();
        again.write(body, item.start(), item.end() - item.start());
        moved.add(new Item(start, start + item.docStart() - item.start(), again.size(), item.id()));
      }
      body = again.bytes();
      length = again.size();
      pending = moved;
    }
    items.clear();
    buffer.reset();
  }

  private void rejected(byte[] body, Item item, int status, JsonNode error) {
    Map<String, Object> row = new HashMap<>();
    if (item.end() > item.docStart()) {
      try {
        Map<String, Object> document =
            JsonValues.mapper().readValue(body, item.docStart(), item.end() - item.docStart(), MAP);
        Object doc = document.get("doc");
        if (doc instanceof Map<?, ?> inner
            && (action == BulkAction.UPDATE || action == BulkAction.UPSERT)) {
          inner.forEach((k, v) -> row.put(String.valueOf(k), v));
        } else {
          row.putAll(document);
        }
      } catch (IOException e) {
        row.put(
            "_raw",
            new String(
                body,
                item.docStart(),
                item.end() - item.docStart(),
                java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    if (item.id() != null) {
      row.putIfAbsent("_id", item.id());
    }
    String reason = EsClient.reason(JsonValues.mapper().createObjectNode().set("error", error));
    String column = null;
    Matcher m = FIELD.matcher(reason);
    if (m.find()) {
      column = m.group(1);
    }
    if (status == 409 && action == BulkAction.CREATE) {
      reason = "a document with this id exists already (action create): " + reason;
    }
    sink.context()
        .dirtyRows()
        .accept(
            new DirtyRow(
                location(item.id()),
                row,
                column,
                column == null ? null : row.get(column),
                "Elasticsearch rejected the document (HTTP " + status + "): " + reason));
  }

  @Override
  public void close() {
    try {
      json.close();
    } catch (IOException e) {
      // the buffer never fails
    }
  }

  /** A growable byte buffer the generator writes into; reset after each bulk request. */
  static final class Buffer extends OutputStream {
    private byte[] bytes = new byte[64 * 1024];
    private int size;

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    int size() {
      return size;
    }

    byte[] bytes() {
      return bytes;
    }

    void truncate(int length) {
      size = length;
    }

    void reset() {
      size = 0;
      if (bytes.length > 16 << 20) {
        bytes = new byte[64 * 1024]; // do not keep a huge body's array for ever
      }
    }
  }
}
