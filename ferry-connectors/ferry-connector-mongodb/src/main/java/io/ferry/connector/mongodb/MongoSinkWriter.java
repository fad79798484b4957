package io.ferry.connector.mongodb;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SinkWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers documents and writes them with one unordered bulk write per {@code batchSize}. A document
 * the server rejects (a duplicate _id in insert mode, a failed validation) goes to the dirty-data
 * store with the row and the server's reason; the others are written. A retriable failure (a lost
 * connection, an election) fails the writer: the engine takes the split up again from its
 * checkpoint after the sink's discard.
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

  /**
   * Writes the buffer as one unordered bulk write; documents MongoDB refuses go to the dirty-data
   * store. A failure a retry may fix (a lost connection, a primary stepping down, a write concern
   * not met) fails the writer with a retriable error and reports no document: the engine replaces
   * the writer after the sink discarded what was written past the split's checkpoint, and writes
   * the split again from there (settings maxRetries).
   */
  private void execute() {
    if (models.isEmpty()) {
      return;
    }
    try {
      collection().bulkWrite(models, UNORDERED);
    } catch (MongoBulkWriteException e) {
      if (e.getWriteConcernError() != null) {
        throw MongoErrors.translate(e, sink.settings(), "writing to " + sink.label());
      }
      for (BulkWriteError error : e.getWriteErrors()) {
        int i = error.getIndex();
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
    } catch (RuntimeException e) {
      throw MongoErrors.translate(e, sink.settings(), "writing to " + sink.label());
    }
    models.clear();
    documents.clear();
    rows.clear();
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
