package io.ferry.connector.mongodb;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.WriteModel;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SinkWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers documents and writes them with one unordered bulk write per {@code batchSize}. A document
 * the server rejects (a duplicate _id in insert mode, a failed validation) goes to the dirty-data
 * store with the row and the server's reason; the others are written. A retriable failure (a lost
 * connection, an election) repeats the bulk write with backoff: upserts and replaces are
 * idempotent, and an insert that meets its own earlier copy (same _id, same document) counts as
 * written.
 */
final class MongoSinkWriter implements SinkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(MongoSinkWriter.class);
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private final MongoSink sink;
  private final DocumentBuilder builder;
  private final List<WriteModel<BsonDocument>> models = new ArrayList<>();
  private final List<BsonDocument> documents = new ArrayList<>();
  private final List<Object[]> rows = new ArrayList<>();
  private MongoCollection<BsonDocument> collection;

  MongoSinkWriter(MongoSink sink, DocumentBuilder builder) {
    this.sink = sink;
    this.builder = builder;
  }

  @Override
  public void write(RowBatch batch) {
    for (int r = 0; r < batch.size(); r++) {
      Object[] row = batch.row(r);
      try {
        BsonDocument doc = builder.document(row, sink.mode() == WriteMode.INSERT);
        models.add(builder.model(sink.mode(), doc));
        documents.add(doc);
        rows.add(row);
      } catch (DocumentBuilder.RowProblem p) {
        dirty(row, null, p.column, p.value, p.getMessage());
        continue;
      }
      if (models.size() >= sink.batchSize()) {
        execute();
      }
    }
  }

  @Override
  public void flush() {
    execute();
  }

  private MongoCollection<BsonDocument> collection() {
    if (collection == null) {
      collection = sink.collection();
    }
    return collection;
  }

  private void execute() {
    if (models.isEmpty()) {
      return;
    }
    // Indexes into the buffer still to write; shrinks as documents are settled.
    List<Integer> pending = new ArrayList<>(models.size());
    for (int i = 0; i < models.size(); i++) {
      pending.add(i);
    }
    for (int attempt = 0; ; attempt++) {
      List<WriteModel<BsonDocument>> batch = new ArrayList<>(pending.size());
      for (int i : pending) {
        batch.add(models.get(i));
      }
      try {
        collection().bulkWrite(batch, UNORDERED);
        break;
      } catch (MongoBulkWriteException e) {
        Set<Integer> failed = new HashSet<>();
        for (BulkWriteError error : e.getWriteErrors()) {
          int i = pending.get(error.getIndex());
          failed.add(error.getIndex());
          if (attempt > 0 && error.getCode() == MongoErrors.DUPLICATE_KEY && writtenBefore(i)) {
            continue;
          }
          dirty(
              rows.get(i),
              documents.get(i),
              null,
              null,
              "MongoDB refused the document: "
                  + error.getMessage()
                  + " (code "
                  + error.getCode()
                  + ")");
        }
        if (e.getWriteConcernError() == null) {
          break;
        }
        // Written, but not acknowledged as the write concern asks: write them again.
        List<Integer> again = new ArrayList<>();
        for (int k = 0; k < pending.size(); k++) {
          if (!failed.contains(k)) {
            again.add(pending.get(k));
          }
        }
        pending = again;
        if (attempt >= sink.settings().maxRetries() || !MongoErrors.retriable(e)) {
          throw MongoErrors.translate(e, sink.settings(), "writing to " + sink.label());
        }
        retrying(e, attempt);
      } catch (RuntimeException e) {
        if (attempt >= sink.settings().maxRetries() || !MongoErrors.retriable(e)) {
          throw MongoErrors.translate(e, sink.settings(), "writing to " + sink.label());
        }
        retrying(e, attempt);
      }
    }
    models.clear();
    documents.clear();
    rows.clear();
  }

  private void retrying(RuntimeException e, int attempt) {
    LOG.warn(
        "{}: bulk write of {} documents failed ({}); retry {} of {}",
        sink.label(),
        models.size(),
        MongoErrors.message(e),
        attempt + 1,
        sink.settings().maxRetries());
    MongoErrors.pause(sink.settings(), attempt);
  }

  /** Whether an earlier attempt of this bulk write already inserted exactly this document. */
  private boolean writtenBefore(int i) {
    BsonDocument doc = documents.get(i);
    BsonValue id = doc.get("_id");
    if (id == null) {
      return false;
    }
    BsonDocument stored = collection().find(Filters.eq("_id", id)).first();
    return doc.equals(stored);
  }

  private void dirty(Object[] row, BsonDocument doc, String column, Object value, String reason) {
    Map<String, Object> values = new LinkedHashMap<>();
    String[] names = builder.names();
    for (int c = 0; c < names.length; c++) {
      values.put(names[c], row[c]);
    }
    String location = sink.label();
    if (doc != null && doc.containsKey("_id")) {
      location += " _id=" + BsonValues.toJson(doc.get("_id"));
    }
    sink.context().dirtyRows().accept(new DirtyRow(location, values, column, value, reason));
  }

  @Override
  public void close() {
    if (!models.isEmpty()) {
      LOG.debug("{}: {} documents not flushed at close", sink.label(), models.size());
    }
    models.clear();
    documents.clear();
    rows.clear();
  }
}
