package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Column;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SplitReader;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one slice page by page. Point-in-time mode pages with {@code search_after} through the
 * plan's point in time; scroll mode keeps a scroll open. Every batch's position holds the sort
 * values of its last document, so a reader opened after it continues with the next document.
 */
final class EsSplitReader implements SplitReader {
  static final ErrorCode PIT_EXPIRED = ErrorCode.user("elasticsearch.pit-expired");
  static final ErrorCode SCROLL_EXPIRED = ErrorCode.external("elasticsearch.scroll-expired", true);
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final EsSource source;
  private final EsClient client;
  private final EsSplit split;
  private final EsSource.ReadMode mode;
  private final Schema schema;
  private final Column[] columns;
  private final boolean[] metadata;
  private final JsonNode sourceFilter;
  private final ZoneId zone;
  private final int size;
  private final List<String> sortFields;

  private String pit;
  private boolean ownPit;
  private ArrayNode searchAfter;
  private long documents;
  private long skip;
  private String scrollId;
  private boolean done;

  EsSplitReader(EsSource source, EsSplit split, EsPosition after) {
    this.source = source;
    this.client = source.client();
    this.split = split;
    this.mode = source.mode();
    this.schema = source.schema();
    this.zone = source.context().zone();
    this.size = source.batchSize();
    this.sortFields = source.sortFields();
    this.columns = schema.columns().toArray(new Column[0]);
    this.metadata = new boolean[columns.length];
    ArrayNode includes = JsonValues.mapper().createArrayNode();
    for (int c = 0; c < columns.length; c++) {
      metadata[c] = EsSource.METADATA.contains(columns[c].name());
      if (!metadata[c]) {
        includes.add(columns[c].name());
      }
    }
    this.sourceFilter =
        includes.isEmpty() ? JsonValues.mapper().getNodeFactory().booleanNode(false) : includes;
    this.pit = split.pitId();
    if (after != null) {
      if (after.pitId() != null) {
        pit = after.pitId();
      }
      documents = after.documents();
      if (after.sortValues() != null) {
        try {
          searchAfter = (ArrayNode) JsonValues.mapper().readTree(after.sortValues());
        } catch (java.io.IOException | ClassCastException e) {
          throw new FerryException(
              ErrorCode.STATE_INCOMPATIBLE, "corrupt Elasticsearch position " + after, e);
        }
      }
      if (mode == EsSource.ReadMode.SCROLL && sortFields == null) {
        // No sort key to continue after: scroll again and pass over what was read.
        skip = documents;
        searchAfter = null;
      }
    }
  }

  @Override
  public RowBatch next() {
    while (!done) {
      ArrayNode hits = mode == EsSource.ReadMode.PIT ? pitPage() : scrollPage();
      if (hits.isEmpty()) {
        finish();
        return null;
      }
      if (mode == EsSource.ReadMode.PIT && hits.size() < size) {
        finish(); // a short page is the last one
      }
      RowBatch batch = new RowBatch(columns.length, hits.size());
      JsonNode lastSort = null;
      for (JsonNode hit : hits) {
        lastSort = hit.get("sort");
        documents++;
        if (skip > 0) {
          skip--;
          continue;
        }
        convert(hit, batch);
      }
      if (lastSort == null) {
        throw new FerryException(
            ErrorCode.INTERNAL, "Elasticsearch returned hits without sort values");
      }
      if (mode == EsSource.ReadMode.PIT) {
        searchAfter = (ArrayNode) lastSort;
      }
      if (skip > 0) {
        continue; // a page read again only to pass over it
      }
      batch.position(
          new EsPosition(mode == EsSource.ReadMode.PIT ? pit : null, lastSort.toString(), documents)
              .toPosition());
      return batch;
    }
    return null;
  }

  private void convert(JsonNode hit, RowBatch batch) {
    JsonNode document = hit.path("_source");
    Object[] row = new Object[columns.length];
    for (int c = 0; c < columns.length; c++) {
      JsonNode node =
          metadata[c] ? hit.get(columns[c].name()) : Documents.field(document, columns[c].name());
      try {
        row[c] = Documents.read(node, columns[c].type(), zone);
      } catch (IllegalArgumentException e) {
        Map<String, Object> raw;
        try {
          raw = JsonValues.mapper().convertValue(document, MAP);
        } catch (IllegalArgumentException notAnObject) {
          raw = new LinkedHashMap<>();
          raw.put("_raw", document.toString());
        }
        raw.put("_id", hit.path("_id").asText());
        source
            .context()
            .dirtyRows()
            .accept(
                new DirtyRow(
                    hit.path("_index").asText() + "/" + hit.path("_id").asText(),
                    raw,
                    columns[c].name(),
                    node == null ? null : Documents.abbreviate(node),
                    "field '"
                        + columns[c].name()
                        + "' does not convert to "
                        + columns[c].type()
                        + ": "
                        + e.getMessage()));
        return;
      }
    }
    batch.addRow(row);
  }

  private ObjectNode body() {
    ObjectNode body = JsonValues.mapper().createObjectNode();
    body.put("size", size);
    body.set("_source", sourceFilter);
    if (split.slices() > 1) {
      ObjectNode slice = body.putObject("slice");
      if (sortFields != null) {
        slice.put("field", sortFields.get(0));
      }
      slice.put("id", split.slice()).put("max", split.slices());
    }
    return body;
  }

  private ArrayNode pitPage() {
    for (int attempt = 0; ; attempt++) {
      ObjectNode body = body();
      body.set("query", source.query());
      body.put("track_total_hits", false);
      ArrayNode sort = source.sort();
      if (sortFields == null) {
        sort.addObject().put("_shard_doc", "asc");
      }
      body.set("sort", sort);
      body.putObject("pit").put("id", pit).put("keep_alive", source.keepAliveText());
      if (searchAfter != null) {
        body.set("search_after", searchAfter);
      }
      EsClient.Reply reply = client.exchange("POST", "/_search", body);
      if (reply.status() < 300) {
        pit = reply.body().path("pit_id").asText(pit);
        return hits(reply.body());
      }
      boolean expired =
          reply.status() == 404
              || EsClient.hasErrorType(reply.body(), "search_context_missing_exception");
      if (!expired) {
        throw client.error("POST", "/_search", reply);
      }
      if (sortFields == null || attempt > 0) {
        throw new FerryException(
            PIT_EXPIRED,
            "the point in time that "
                + split.id()
                + " of '"
                + source.index()
                + "' was read through is gone (closed, or idle longer than keepAlive "
                + source.keepAliveText()
                + "): without sortFields the read cannot continue after its position. Set"
                + " sortFields to a unique field with doc values (e.g. id) to resume at any time,"
                + " or raise keepAlive");
      }
      // The sort key continues the read through a new point in time.
      pit = source.openPit();
      ownPit = true;
    }
  }

  private ArrayNode scrollPage() {
    EsClient.Reply reply;
    if (scrollId == null) {
      ObjectNode body = body();
      ArrayNode sort = source.sort();
      if (sortFields == null) {
        sort.add("_doc");
      }
      body.set("sort", sort);
      body.set("query", searchAfter == null ? source.query() : afterQuery());
      reply =
          client.exchange(
              "POST",
              "/" + EsClient.encode(source.index()) + "/_search?scroll=" + source.keepAliveText(),
              body);
    } else {
      ObjectNode body = JsonValues.mapper().createObjectNode();
      body.put("scroll", source.keepAliveText()).put("scroll_id", scrollId);
      reply = client.exchange("POST", "/_search/scroll", body);
    }
    if (reply.status() >= 300) {
      if (scrollId != null
          && (reply.status() == 404
              || EsClient.hasErrorType(reply.body(), "search_context_missing_exception"))) {
        throw new FerryException(
            SCROLL_EXPIRED,
            "the scroll reading "
                + split.id()
                + " of '"
                + source.index()
                + "' expired (idle longer"
                + " than keepAlive "
                + source.keepAliveText()
                + "); the read resumes from the"
                + " last position");
      }
      throw client.error("POST", "/_search", reply);
    }
    scrollId = reply.body().path("_scroll_id").asText(null);
    return hits(reply.body());
  }

  /**
   * The query restricted to documents after the sort values, for a scroll that resumes: (f1 > v1)
   * or (f1 = v1 and f2 > v2) ...
   */
  private ObjectNode afterQuery() {
    ObjectNode bool = JsonValues.mapper().createObjectNode();
    ObjectNode inner = bool.putObject("bool");
    inner.putArray("must").add(source.query());
    ArrayNode should = inner.putObject("filter").putObject("bool").putArray("should");
    int n = sortFields.size();
    for (int i = 0; i < n; i++) {
      ObjectNode clause = should.addObject().putObject("bool");
      ArrayNode must = clause.putArray("filter");
      for (int k = 0; k < i; k++) {
        must.addObject().putObject("term").set(sortFields.get(k), searchAfter.get(k));
      }
      must.addObject()
          .putObject("range")
          .putObject(sortFields.get(i))
          .set("gt", searchAfter.get(i));
    }
    ((ObjectNode) inner.get("filter").get("bool")).put("minimum_should_match", 1);
    return bool;
  }

  private static ArrayNode hits(JsonNode reply) {
    JsonNode hits = reply.path("hits").path("hits");
    return hits.isArray() ? (ArrayNode) hits : JsonValues.mapper().createArrayNode();
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (mode == EsSource.ReadMode.PIT) {
      if (ownPit) {
        source.closePit(pit);
      } else {
        source.sliceDone(split.pitId());
      }
    }
    clearScroll();
  }

  private void clearScroll() {
    if (scrollId != null) {
      ObjectNode body = JsonValues.mapper().createObjectNode();
      body.putArray("scroll_id").add(scrollId);
      try {
        client.exchange("DELETE", "/_search/scroll", body);
      } catch (RuntimeException e) {
        // expires on its own
      }
      scrollId = null;
    }
  }

  @Override
  public void close() {
    // A point in time stays open for its keepAlive: a resumed reader may continue through it.
    clearScroll();
  }
}
