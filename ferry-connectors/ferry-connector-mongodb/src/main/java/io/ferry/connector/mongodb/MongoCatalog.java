package io.ferry.connector.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import io.ferry.spi.Catalog;
import io.ferry.spi.Column;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Databases, collections, fields inferred from a sample ({@code $sample} of sampleSize documents),
 * indexes and estimated counts.
 */
final class MongoCatalog implements Catalog {
  private static final List<String> SYSTEM_DATABASES = List.of("admin", "config", "local");

  private final MongoSettings settings;
  private final String database;
  private final int sampleSize;
  private MongoClient client;

  MongoCatalog(Options options) {
    this.settings = new MongoSettings(options);
    this.database = options.get(MongoOptions.CATALOG_DATABASE);
    this.sampleSize = options.get(MongoOptions.SAMPLE_SIZE);
  }

  private synchronized MongoClient client() {
    if (client == null) {
      client = settings.connect();
    }
    return client;
  }

  @Override
  public List<String> schemas() {
    if (database != null) {
      return List.of(database);
    }
    return MongoErrors.withRetries(
        settings,
        "listing databases",
        () -> {
          List<String> names = new ArrayList<>();
          for (String n : client().listDatabaseNames()) {
            if (!SYSTEM_DATABASES.contains(n)) {
              names.add(n);
            }
          }
          names.sort(null);
          return names;
        });
  }

  @Override
  public List<TableRef> tables(String schema) {
    String db = schema != null ? schema : database;
    if (db == null) {
      throw FerryException.option(
          ErrorCode.OPTION_MISSING, "database", "name the database whose collections to list");
    }
    return MongoErrors.withRetries(
        settings,
        "listing the collections of " + db,
        () -> {
          List<TableRef> refs = new ArrayList<>();
          List<String> names =
              client().getDatabase(db).listCollectionNames().into(new ArrayList<>());
          names.sort(null);
          for (String n : names) {
            if (!n.startsWith("system.")) {
              refs.add(new TableRef(db, n));
            }
          }
          return refs;
        });
  }

  @Override
  public TableInfo table(TableRef table) {
    String db = table.schema() != null ? table.schema() : database;
    if (db == null) {
      throw FerryException.option(
          ErrorCode.OPTION_MISSING, "database", "name the database of " + table.name());
    }
    return MongoErrors.withRetries(
        settings,
        "describing " + db + "." + table.name(),
        () -> {
          MongoDatabase d = client().getDatabase(db);
          if (!d.listCollectionNames().into(new ArrayList<>()).contains(table.name())) {
            throw new FerryException(
                ErrorCode.NOT_FOUND,
                "database '" + db + "' has no collection '" + table.name() + "'");
          }
          MongoCollection<BsonDocument> c = d.getCollection(table.name(), BsonDocument.class);
          List<BsonDocument> sample =
              c.aggregate(List.of(Aggregates.sample(sampleSize))).into(new ArrayList<>());
          Schema schema = SchemaInference.schema(null, sample);
          List<ColumnInfo> columns = new ArrayList<>();
          for (Column col : schema.columns()) {
            columns.add(
                new ColumnInfo(
                    col.name(),
                    nativeType(col.name(), sample),
                    col.type(),
                    col.nullable(),
                    null,
                    null));
          }
          List<IndexInfo> indexes = new ArrayList<>();
          for (BsonDocument index : c.listIndexes(BsonDocument.class)) {
            String name = index.getString("name").getValue();
            if (name.equals("_id_")) {
              continue;
            }
            List<String> keys = new ArrayList<>(index.getDocument("key").keySet());
            boolean unique = index.containsKey("unique") && index.getBoolean("unique").getValue();
            indexes.add(new IndexInfo(name, keys, unique));
          }
          return new TableInfo(
              new TableRef(db, table.name()),
              columns,
              List.of("_id"),
              indexes,
              OptionalLong.of(c.estimatedDocumentCount()),
              null);
        });
  }

  /** The BSON types a field held in the sample, e.g. {@code int32|int64}. */
  private static String nativeType(String field, List<BsonDocument> sample) {
    List<String> types = new ArrayList<>();
    for (BsonDocument doc : sample) {
      BsonValue v = doc.get(field);
      if (v != null) {
        String t = BsonValues.typeName(v);
        if (!types.contains(t)) {
          types.add(t);
        }
      }
    }
    return types.isEmpty() ? "missing" : String.join("|", types);
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
