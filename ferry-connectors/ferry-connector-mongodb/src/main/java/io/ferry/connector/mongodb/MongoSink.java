package io.ferry.connector.mongodb;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows as documents with unordered bulk writes, one writer per channel. Resumable: upsert
 * and replace overwrite by key, insert removes the range a resumed split writes again ({@link
 * #discard}).
 */
final class MongoSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(MongoSink.class);

  private final ConnectorContext context;
  private final MongoSettings settings;
  private final String database;
  private final String collection;
  private final WriteMode mode;
  private final List<String> keysOption;
  private final List<String> idColumns;
  private final List<String> objectIdFields;
  private final List<String> uuidFields;
  private final int batchSize;
  private final WriteConcern writeConcern;
  private final boolean skipNulls;
  private final BsonValues.WriteRules rules;
  private MongoClient client;
  private DocumentBuilder builder;

  MongoSink(Options options, ConnectorContext context) {
    this.context = context;
    this.settings = new MongoSettings(options);
    this.database = options.get(MongoOptions.DATABASE);
    this.collection = options.get(MongoOptions.SINK_COLLECTION);
    this.mode = options.get(MongoOptions.WRITE_MODE);
    this.keysOption = options.get(MongoOptions.KEYS);
    this.idColumns = options.get(MongoOptions.ID_COLUMNS);
    this.objectIdFields = options.get(MongoOptions.OBJECT_ID_FIELDS);
    this.uuidFields = options.get(MongoOptions.UUID_FIELDS);
    this.batchSize = options.get(MongoOptions.SINK_BATCH_SIZE);
    this.skipNulls = options.get(MongoOptions.SKIP_NULLS);
    this.rules =
        new BsonValues.WriteRules(context.zone(), options.get(MongoOptions.TRUNCATE_TIMESTAMPS));
    String w = options.get(MongoOptions.WRITE_CONCERN).trim();
    WriteConcern concern =
        w.equalsIgnoreCase("majority")
            ? WriteConcern.MAJORITY
            : new WriteConcern(Integer.parseInt(w));
    this.writeConcern =
        concern
            .withJournal(options.get(MongoOptions.JOURNAL))
            .withWTimeout(0, TimeUnit.MILLISECONDS);
    if (mode == WriteMode.INSERT && options.has(MongoOptions.KEYS)) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(new OptionProblem("keys", "only with writeMode upsert or replace")));
    }
  }

  String label() {
    return database + "." + collection;
  }

  /** Upsert and replace write by key (the keys, or the _id). */
  @Override
  public boolean writesByKey() {
    return mode == WriteMode.UPSERT || mode == WriteMode.REPLACE;
  }

  WriteMode mode() {
    return mode;
  }

  int batchSize() {
    return batchSize;
  }

  MongoSettings settings() {
    return settings;
  }

  ConnectorContext context() {
    return context;
  }

  synchronized MongoClient client() {
    if (client == null) {
      client = settings.connect();
    }
    return client;
  }

  MongoCollection<BsonDocument> collection() {
    return client()
        .getDatabase(database)
        .withWriteConcern(writeConcern)
        .getCollection(collection, BsonDocument.class);
  }

  @Override
  public List<OptionProblem> check() {
    try {
      client().getDatabase(database).runCommand(new BsonDocument("ping", new BsonInt32(1)));
      return List.of();
    } catch (RuntimeException e) {
      return List.of(MongoErrors.problem(e, settings));
    }
  }

  @Override
  public void prepare(Schema schema) {
    builder = plan(schema);
    MongoErrors.withRetries(
        settings,
        "connecting to " + settings.description(),
        () ->
            client().getDatabase(database).runCommand(new BsonDocument("ping", new BsonInt32(1))));
    LOG.info("{}: writing {} with {} per bulk write", label(), mode, batchSize);
  }

  /** Checks the column options against the schema and fixes how each row becomes a document. */
  private DocumentBuilder plan(Schema schema) {
    List<OptionProblem> problems = new ArrayList<>();
    checkColumns(schema, "idColumns", idColumns == null ? List.of() : idColumns, false, problems);
    checkColumns(schema, "objectIdFields", objectIdFields, true, problems);
    checkColumns(schema, "uuidFields", uuidFields, true, problems);
    if (idColumns != null && schema.indexOf("_id") >= 0) {
      problems.add(new OptionProblem("idColumns", "the rows already have an _id column"));
    }
    List<String> keys = keysOption != null ? keysOption : List.of("_id");
    if (mode != WriteMode.INSERT) {
      for (String key : keys) {
        if (key.equals("_id")) {
          if (idColumns == null && schema.indexOf("_id") < 0) {
            problems.add(
                new OptionProblem(
                    keysOption != null ? "keys" : "idColumns",
                    mode.name().toLowerCase()
                        + " finds documents by _id, but the rows have no _id column: give"
                        + " idColumns, or keys"));
          }
        } else if (schema.indexOf(key) < 0) {
          problems.add(
              new OptionProblem("keys", "no column '" + key + "' among " + schema.names()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    return new DocumentBuilder(
        schema, idColumns, objectIdFields, uuidFields, keys, skipNulls, rules);
  }

  private static void checkColumns(
      Schema schema, String option, List<String> names, boolean strings, List<OptionProblem> out) {
    for (String name : names) {
      int i = schema.indexOf(name);
      if (i < 0) {
        out.add(new OptionProblem(option, "no column '" + name + "' among " + schema.names()));
      } else if (strings && schema.column(i).type().kind() != TypeKind.STRING) {
        out.add(
            new OptionProblem(
                option, "column '" + name + "' is " + schema.column(i).type() + ", not string"));
      }
    }
  }

  @Override
  public SinkResume resumeModel() {
    // Reopening is {@link #prepare}: nothing to undo, nothing destroyed.
    return SinkResume.byKeyRange(this::prepare, this::discard);
  }

  /**
   * insert: deletes the documents whose key lies in {@code range} (what an interrupted attempt
   * wrote past its checkpoint); upsert and replace: nothing, writing a document again overwrites
   * it.
   */
  void discard(KeyRange range) {
    if (mode != WriteMode.INSERT) {
      LOG.info("{}: {} rewrites documents {} by key; nothing to discard", label(), mode, range);
      return;
    }
    if (builder == null) {
      throw new FerryException(ErrorCode.INTERNAL, "discard before resume");
    }
    BsonDocument filter = rangeFilter(range);
    long deleted =
        MongoErrors.withRetries(
            settings,
            "discarding " + range + " of " + label(),
            () -> collection().deleteMany(filter).getDeletedCount());
    LOG.info("{}: discarded {} documents {} written after the checkpoint", label(), deleted, range);
  }

  /** The documents whose key tuple is in the range, compared field by field like a tuple. */
  BsonDocument rangeFilter(KeyRange range) {
    List<String> fields = range.columns();
    List<DataType> types = range.types();
    BsonValue[] lower = bounds(fields, types, range.lower());
    BsonValue[] upper = bounds(fields, types, range.upper());
    BsonDocument above = lower == null ? null : tuple(fields, lower, "$gt", range.lowerInclusive());
    BsonDocument below = upper == null ? null : tuple(fields, upper, "$lt", true);
    return BsonOrder.and(above, below);
  }

  private BsonValue[] bounds(List<String> fields, List<DataType> types, Object[] values) {
    if (values == null) {
      return null;
    }
    BsonValue[] out = new BsonValue[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = builder.fieldValue(fields.get(i), values[i], types.get(i));
    }
    return out;
  }

  /** (f1, f2, ...) op (v1, v2, ...), with equality allowed when {@code orEqual}. */
  private static BsonDocument tuple(
      List<String> fields, BsonValue[] values, String op, boolean orEqual) {
    BsonArray branches = new BsonArray();
    for (int i = 0; i < fields.size(); i++) {
      BsonDocument branch = new BsonDocument();
      for (int j = 0; j < i; j++) {
        branch.append(fields.get(j), new BsonDocument("$eq", values[j]));
      }
      branch.append(fields.get(i), new BsonDocument(op, values[i]));
      branches.add(branch);
    }
    if (orEqual) {
      BsonDocument equal = new BsonDocument();
      for (int j = 0; j < fields.size(); j++) {
        equal.append(fields.get(j), new BsonDocument("$eq", values[j]));
      }
      branches.add(equal);
    }
    return branches.size() == 1 ? branches.get(0).asDocument() : new BsonDocument("$or", branches);
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    if (builder == null) {
      throw new FerryException(ErrorCode.INTERNAL, "createWriter before prepare");
    }
    return new MongoSinkWriter(this, builder);
  }

  boolean skipNulls() {
    return skipNulls;
  }

  /** A cdc job replaces and deletes documents by {@code _id}. */
  @Override
  public boolean appliesChanges() {
    return true;
  }

  /**
   * A writer of changes by {@code _id} ({@link MongoChangeWriter}): the {@code _id} comes from
   * {@code idColumns}, or else from the table's key columns. The collection is created by the first
   * write, as MongoDB does; nothing is removed.
   */
  @Override
  public io.ferry.spi.ChangeWriter changeWriter(io.ferry.spi.ChangeWriter.Target target) {
    List<String> ids = idColumns != null ? idColumns : target.keys();
    List<OptionProblem> problems = new ArrayList<>();
    for (String id : ids) {
      if (target.schema().indexOf(id) < 0) {
        problems.add(
            new OptionProblem(
                "idColumns", "no column '" + id + "' among " + target.schema().names()));
      }
    }
    if (mode == WriteMode.INSERT && keysOption != null) {
      problems.add(new OptionProblem("keys", "a cdc job finds documents by _id"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    changeBuilder(target.schema(), ids); // checks the column options
    MongoErrors.withRetries(
        settings,
        "connecting to " + settings.description(),
        () ->
            client().getDatabase(database).runCommand(new BsonDocument("ping", new BsonInt32(1))));
    if (idColumns == null) {
      // A snapshot written with keys but without idColumns gave its documents generated ObjectIds:
      // changes by the key's _id would never meet them.
      BsonDocument generated =
          MongoErrors.withRetries(
              settings,
              "reading " + label(),
              () ->
                  collection()
                      .find(
                          new BsonDocument(
                              "_id",
                              new BsonDocument("$type", new org.bson.BsonString("objectId"))))
                      .limit(1)
                      .first());
      if (generated != null) {
        throw FerryException.option(
            ErrorCode.OPTION_INVALID,
            "idColumns",
            label()
                + " holds documents with generated ObjectId _ids (a copy by keys?), which changes"
                + " by the key's _id would never meet: set idColumns: "
                + ids
                + ", empty the collection and start the job again (a new snapshot)");
      }
    }
    LOG.info("{}: applying changes by _id from {}", label(), ids);
    return new MongoChangeWriter(this, target, ids);
  }

  /** How a change's row becomes a document: {@code _id} from {@code ids}, NULLs as fields. */
  DocumentBuilder changeBuilder(Schema schema, List<String> ids) {
    List<OptionProblem> problems = new ArrayList<>();
    checkColumns(schema, "idColumns", ids, false, problems);
    checkColumns(
        schema,
        "objectIdFields",
        objectIdFields.stream().filter(f -> schema.indexOf(f) >= 0).toList(),
        true,
        problems);
    checkColumns(
        schema,
        "uuidFields",
        uuidFields.stream().filter(f -> schema.indexOf(f) >= 0).toList(),
        true,
        problems);
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    return new DocumentBuilder(
        schema, ids, objectIdFields, uuidFields, List.of("_id"), false, rules);
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
