package io.ferry.connector.mongodb;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Sorts;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SplitReader;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one split sorted by {@code _id} with a streaming cursor. A retriable failure (a lost
 * connection, a primary stepping down, a cursor that timed out) fails the reader with a retriable
 * error; the engine opens the split again after the last batch's {@code _id}, so neither a row is
 * repeated nor skipped.
 */
final class MongoSplitReader implements SplitReader {
  private static final Logger LOG = LoggerFactory.getLogger(MongoSplitReader.class);

  private final MongoSource source;
  private final Schema schema;
  private final MongoSplit split;
  private final String[] fields;
  private final ZoneId zone;
  private BsonValue lastId;
  private MongoCursor<BsonDocument> cursor;
  private boolean done;

  MongoSplitReader(MongoSource source, Schema schema, MongoSplit split, BsonValue after) {
    this.source = source;
    this.schema = schema;
    this.split = split;
    this.lastId = after;
    this.zone = source.context().zone();
    this.fields = schema.names().toArray(new String[0]);
  }

  private BsonDocument query() {
    return BsonOrder.and(
        source.filter(),
        split.lower() == null ? null : BsonOrder.after("_id", split.lower()),
        split.upper() == null ? null : BsonOrder.atMost("_id", split.upper()),
        lastId == null ? null : BsonOrder.after("_id", lastId));
  }

  private MongoCursor<BsonDocument> open() {
    return source
        .collection()
        .find(query())
        .projection(source.readProjection())
        .sort(Sorts.ascending("_id"))
        .batchSize(source.fetchSize())
        .cursor();
  }

  @Override
  public RowBatch next() {
    if (done) {
      return null;
    }
    RowBatch batch = new RowBatch(fields.length, source.batchSize());
    BsonValue startId = lastId;
    while (!batch.isFull()) {
      BsonDocument doc;
      try {
        if (cursor == null) {
          cursor = open();
        }
        doc = cursor.hasNext() ? cursor.next() : null;
      } catch (RuntimeException e) {
        closeCursor();
        throw MongoErrors.translate(e, source.settings(), "reading " + split);
      }
      if (doc == null) {
        done = true;
        closeCursor();
        break;
      }
      lastId = doc.get("_id");
      addRow(batch, doc);
    }
    if (batch.isEmpty() && (lastId == null || lastId.equals(startId))) {
      return null;
    }
    return batch.position(MongoSplit.position(lastId));
  }

  private void addRow(RowBatch batch, BsonDocument doc) {
    Object[] row = new Object[fields.length];
    for (int c = 0; c < fields.length; c++) {
      BsonValue v = DocumentPaths.get(doc, fields[c]);
      try {
        row[c] = BsonValues.toFerry(v, schema.column(c).type(), zone);
      } catch (IllegalArgumentException e) {
        source.context().dirtyRows().accept(dirty(doc, fields[c], v, e.getMessage()));
        return;
      }
    }
    batch.addRow(row);
  }

  private DirtyRow dirty(BsonDocument doc, String column, BsonValue value, String reason) {
    Map<String, Object> raw = new LinkedHashMap<>();
    String json = BsonValues.toJson(doc);
    raw.put("_raw", json.length() <= 65_536 ? json : json.substring(0, 65_536) + "...");
    return new DirtyRow(
        source.label() + " _id=" + BsonValues.toJson(doc.get("_id")),
        raw,
        column,
        value == null ? null : BsonValues.toJson(value),
        reason);
  }

  private void closeCursor() {
    if (cursor != null) {
      try {
        cursor.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a cursor failed: {}", e.getMessage());
      }
      cursor = null;
    }
  }

  @Override
  public void close() {
    closeCursor();
    done = true;
  }
}
