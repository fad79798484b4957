package io.ferry.connector.mongodb;

import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

/**
 * Turns rows into documents and write models: column values converted by type ({@link
 * BsonValues#toBson}), objectIdFields and uuidFields, the _id from idColumns, null fields written
 * or skipped. Immutable and shared by the writers.
 */
final class DocumentBuilder {
  private final Schema schema;
  private final String[] names;
  private final DataType[] types;
  private final boolean[] objectIds;
  private final boolean[] uuids;
  private final int[] idColumns;
  private final int[] keyColumns;
  private final List<String> keys;
  private final boolean skipNulls;
  private final BsonValues.WriteRules rules;

  DocumentBuilder(
      Schema schema,
      List<String> idColumns,
      List<String> objectIdFields,
      List<String> uuidFields,
      List<String> keys,
      boolean skipNulls,
      BsonValues.WriteRules rules) {
    this.schema = schema;
    int n = schema.size();
    this.names = schema.names().toArray(new String[0]);
    this.types = new DataType[n];
    this.objectIds = new boolean[n];
    this.uuids = new boolean[n];
    for (int i = 0; i < n; i++) {
      types[i] = schema.column(i).type();
      objectIds[i] = objectIdFields.contains(names[i]);
      uuids[i] = uuidFields.contains(names[i]);
    }
    this.idColumns =
        idColumns == null ? null : idColumns.stream().mapToInt(schema::indexOf).toArray();
    this.keys = keys;
    this.keyColumns = keys.stream().mapToInt(schema::indexOf).toArray();
    this.skipNulls = skipNulls;
    this.rules = rules;
  }

  Schema schema() {
    return schema;
  }

  /** A value as the sink writes it into field {@code field} (for discard ranges). */
  BsonValue fieldValue(String field, Object value, DataType type) {
    int i = schema.indexOf(field);
    if (i < 0 && field.equals("_id") && idColumns != null && idColumns.length == 1) {
      i = idColumns[0];
    }
    return i >= 0 ? convert(i, value) : BsonValues.toBson(value, type, rules);
  }

  /** Thrown when a row cannot become a document: the column at fault (or null) and why. */
  static final class RowProblem extends Exception {
    private static final long serialVersionUID = 1L;
    final String column;
    final transient Object value;

    RowProblem(String column, Object value, String reason) {
      super(reason, null, false, false);
      this.column = column;
      this.value = value;
    }
  }

  private BsonValue convert(int column, Object value) {
    if (value == null) {
      return org.bson.BsonNull.VALUE;
    }
    if (objectIds[column]) {
      return BsonValues.objectId((String) value);
    }
    if (uuids[column]) {
      return BsonValues.uuidBinary((String) value);
    }
    return BsonValues.toBson(value, types[column], rules);
  }

  /** The document of one row; {@code _id} first when it has one. */
  BsonDocument document(Object[] row, boolean generateId) throws RowProblem {
    BsonDocument doc = new BsonDocument();
    if (idColumns != null) {
      if (idColumns.length == 1) {
        int c = idColumns[0];
        if (row[c] == null) {
          throw new RowProblem(names[c], null, "the _id column " + names[c] + " is NULL");
        }
        doc.append("_id", value(row, c));
      } else {
        BsonDocument id = new BsonDocument();
        for (int c : idColumns) {
          id.append(names[c], value(row, c));
        }
        doc.append("_id", id);
      }
    } else if (generateId && schema.indexOf("_id") < 0) {
      doc.append("_id", new BsonObjectId(new ObjectId()));
    }
    for (int c = 0; c < names.length; c++) {
      if (row[c] == null && skipNulls) {
        continue;
      }
      doc.append(names[c], value(row, c));
    }
    return doc;
  }

  private BsonValue value(Object[] row, int c) throws RowProblem {
    try {
      return convert(c, row[c]);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new RowProblem(names[c], row[c], e.getMessage());
    }
  }

  /** The write of one document in {@code mode}. */
  WriteModel<BsonDocument> model(WriteMode mode, BsonDocument doc) throws RowProblem {
    if (mode == WriteMode.INSERT) {
      return new InsertOneModel<>(doc);
    }
    BsonDocument filter = new BsonDocument();
    for (int k = 0; k < keys.size(); k++) {
      String key = keys.get(k);
      BsonValue v = doc.get(key);
      if (v == null || v.isNull()) {
        throw new RowProblem(key, null, "the key field " + key + " is NULL or missing");
      }
      filter.append(key, v);
    }
    if (mode == WriteMode.REPLACE) {
      return new ReplaceOneModel<>(filter, doc, new ReplaceOptions().upsert(true));
    }
    BsonDocument set = new BsonDocument();
    BsonDocument setOnInsert = new BsonDocument();
    for (var e : doc.entrySet()) {
      if (e.getKey().equals("_id")) {
        if (!filter.containsKey("_id")) {
          setOnInsert.append("_id", e.getValue());
        }
      } else if (!filter.containsKey(e.getKey())) {
        set.append(e.getKey(), e.getValue());
      }
    }
    BsonDocument update = new BsonDocument();
    if (!set.isEmpty()) {
      update.append("$set", set);
    }
    if (!setOnInsert.isEmpty()) {
      update.append("$setOnInsert", setOnInsert);
    }
    if (update.isEmpty()) {
      // Only key fields: make sure the document exists.
      update.append("$setOnInsert", filter.clone());
      update.getDocument("$setOnInsert").remove("_id");
      if (update.getDocument("$setOnInsert").isEmpty()) {
        update.append("$set", new BsonDocument());
        update.remove("$setOnInsert");
      }
    }
    return new UpdateOneModel<>(filter, update, new UpdateOptions().upsert(true));
  }

  /** The columns the {@code _id} is made of (empty without idColumns). */
  int[] idColumnIndexes() {
    return idColumns == null ? new int[0] : idColumns;
  }

  int[] keyColumns() {
    return keyColumns;
  }

  String[] names() {
    return names;
  }
}
