package io.ferry.connector.mongodb;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Applies row changes to one collection by {@code _id}: the {@code _id} is made from the sink's
 * {@code idColumns}, or else from the table's key columns (one column: its value; several: a
 * document of them, as {@code idColumns} makes it). An INSERT or UPDATE replaces the document by
 * {@code _id} (an upsert) with the whole after image; when the log did not carry some values
 * ({@link ChangeEvent#UNCHANGED}) only the carried fields are set, the others kept. A DELETE
 * deletes the document, or with soft deletes sets the flag and time fields of a document that is
 * there. A change of the key deletes (or soft-deletes) the old {@code _id} and upserts the new one.
 *
 * <p>Changes are buffered and sent as one <em>ordered</em> bulk write per {@code batchSize} and on
 * {@link #flush()}: the server applies them one after the other, so a later change of a key wins.
 * {@link #flush()} returns once the server acknowledged the bulk write with the sink's {@code
 * writeConcern} and {@code journal}. A document the server refuses fails the run (a change cannot
 * be dropped without losing exactness).
 */
final class MongoChangeWriter implements ChangeWriter {
  private static final BulkWriteOptions ORDERED = new BulkWriteOptions().ordered(true);
  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

  private final MongoSink sink;
  private final Target target;
  private final List<String> idColumns;
  private final Map<Schema, DocumentBuilder> builders = new HashMap<>();
  private Schema lastSchema;
  private DocumentBuilder lastBuilder;
  private final List<WriteModel<BsonDocument>> models = new ArrayList<>();
  private final List<RowChange> sources = new ArrayList<>();
  private MongoCollection<BsonDocument> collection;

  MongoChangeWriter(MongoSink sink, Target target, List<String> idColumns) {
    this.sink = sink;
    this.target = target;
    this.idColumns = idColumns;
  }

  /** The builder of rows of {@code schema}; a source may give each change a schema of its own. */
  private DocumentBuilder builder(Schema schema) {
    if (schema != lastSchema) {
      if (builders.size() > 64) {
        builders.clear();
      }
      lastBuilder = builders.computeIfAbsent(schema, s -> sink.changeBuilder(s, idColumns));
      lastSchema = schema;
    }
    return lastBuilder;
  }

  @Override
  public void apply(List<RowChange> changes) {
    for (RowChange change : changes) {
      DocumentBuilder builder = builder(change.schema());
      switch (change.kind()) {
        case INSERT -> upsert(builder, change);
        case UPDATE -> {
          BsonValue oldId = id(builder, change, change.before());
          BsonValue newId = id(builder, change, change.after());
          if (oldId != null && !oldId.equals(newId)) {
            delete(oldId, change); // a key change: the old document goes
          }
          upsert(builder, change);
        }
        case DELETE -> {
          BsonValue id = id(builder, change, change.before());
          if (id == null) {
            throw new FerryException(
                ErrorCode.CONVERSION,
                "DELETE of " + change.table() + " at " + change.position() + " lacks a key value");
          }
          delete(id, change);
        }
      }
      if (models.size() >= sink.batchSize()) {
        execute();
      }
    }
  }

  /** The {@code _id} of {@code row}, or null when a key value is missing. */
  private BsonValue id(DocumentBuilder builder, RowChange change, Object[] row) {
    for (int c : builder.idColumnIndexes()) {
      if (row[c] == null || row[c] == ChangeEvent.UNCHANGED) {
        return null;
      }
    }
    return document(builder, change, row).get("_id");
  }

  private BsonDocument document(DocumentBuilder builder, RowChange change, Object[] row) {
    Object[] values = row.clone();
    for (int c = 0; c < values.length; c++) {
      if (values[c] == ChangeEvent.UNCHANGED) {
        values[c] = null;
      }
    }
    try {
      return builder.document(values, false);
    } catch (DocumentBuilder.RowProblem p) {
      throw new FerryException(
          ErrorCode.CONVERSION,
          "a "
              + change.kind()
              + " of "
              + change.table()
              + " at "
              + change.position()
              + " does not fit "
              + sink.label()
              + ": column "
              + p.column
              + ": "
              + p.getMessage());
    }
  }

  private void upsert(DocumentBuilder builder, RowChange change) {
    Object[] after = change.after();
    BsonDocument doc = document(builder, change, after);
    BsonValue id = doc.get("_id");
    if (id == null) {
      throw new FerryException(
          ErrorCode.CONVERSION,
          change.kind() + " of " + change.table() + " at " + change.position() + " lacks a key");
    }
    String[] names = builder.names();
    boolean partial = false;
    for (int c = 0; c < after.length && c < names.length; c++) {
      if (after[c] == ChangeEvent.UNCHANGED) {
        doc.remove(names[c]);
        partial = true;
      }
    }
    BsonDocument unset = new BsonDocument();
    if (sink.skipNulls()) {
      for (String name : List.copyOf(doc.keySet())) {
        if (doc.get(name).isNull()) {
          doc.remove(name);
          unset.append(name, new BsonString(""));
        }
      }
    }
    if (target.deleteMode() == DeleteMode.SOFT) {
      doc.append(target.softDeleteFlag(), BsonBoolean.FALSE);
      doc.append(target.softDeleteTime(), BsonNull.VALUE);
    }
    BsonDocument filter = new BsonDocument("_id", id);
    if (partial) {
      doc.remove("_id");
      BsonDocument update = new BsonDocument("$set", doc);
      if (!unset.isEmpty()) {
        update.append("$unset", unset);
      }
      models.add(new UpdateOneModel<>(filter, update, new UpdateOptions().upsert(true)));
    } else {
      models.add(new ReplaceOneModel<>(filter, doc, UPSERT));
    }
    sources.add(change);
  }

  private void delete(BsonValue id, RowChange change) {
    BsonDocument filter = new BsonDocument("_id", id);
    if (target.deleteMode() == DeleteMode.SOFT) {
      Instant at = change.committedAt() == null ? Instant.now() : change.committedAt();
      BsonDocument set =
          new BsonDocument(target.softDeleteFlag(), BsonBoolean.TRUE)
              .append(target.softDeleteTime(), new BsonDateTime(at.toEpochMilli()));
      // Only a document that is there is marked: a delete of a key never written writes nothing.
      models.add(new UpdateOneModel<>(filter, new BsonDocument("$set", set)));
    } else {
      models.add(new DeleteOneModel<>(filter));
    }
    sources.add(change);
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

  /** Sends the buffered writes as one ordered bulk write; any refusal fails the run. */
  private void execute() {
    if (models.isEmpty()) {
      return;
    }
    try {
      collection().bulkWrite(models, ORDERED);
    } catch (MongoBulkWriteException e) {
      if (e.getWriteConcernError() != null || e.getWriteErrors().isEmpty()) {
        throw MongoErrors.translate(e, sink.settings(), "applying changes to " + sink.label());
      }
      var error = e.getWriteErrors().get(0);
      RowChange change = sources.get(error.getIndex());
      throw new FerryException(
          ErrorCode.CONVERSION,
          "MongoDB refused the "
              + change.kind()
              + " of "
              + change.table()
              + " at "
              + change.position()
              + " in "
              + sink.label()
              + ": "
              + error.getMessage()
              + " (code "
              + error.getCode()
              + ")",
          e);
    } catch (RuntimeException e) {
      throw MongoErrors.translate(e, sink.settings(), "applying changes to " + sink.label());
    } finally {
      models.clear();
      sources.clear();
    }
  }

  /** Documents take any fields: a new column is simply written from now on. */
  @Override
  public SchemaFit schemaChanged(ChangeEvent.SchemaChange change, boolean apply) {
    if (change.after() == null) {
      return SchemaFit.no("the table was dropped or renamed");
    }
    List<String> missing = idColumns.stream().filter(c -> change.after().indexOf(c) < 0).toList();
    if (!missing.isEmpty()) {
      return SchemaFit.no("the _id columns " + missing + " are gone");
    }
    return SchemaFit.yes();
  }

  /** Drops what was not flushed: the engine re-applies it from its checkpoint. */
  @Override
  public void close() {
    models.clear();
    sources.clear();
  }
}
