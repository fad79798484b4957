package io.ferry.connector.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import io.ferry.spi.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one collection: cut into {@code _id} ranges from sampled bounds, each read sorted by {@code
 * _id} so that a position (the last {@code _id}) resumes exactly. See the README.
 */
final class MongoSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(MongoSource.class);

  private final ConnectorContext context;
  private final MongoSettings settings;
  private final String database;
  private final String collection;
  private final BsonDocument filter;
  private final List<MongoOptions.MongoColumn> columns;
  private final int sampleSize;
  private final int splitsPerChannel;
  private final long minSplitRows;
  private final int batchSize;
  private final int fetchSize;
  private final ReadPreferenceChoice readPreference;
  private final ReadConcernChoice readConcern;
  private MongoClient client;
  private Schema schema;
  private Long estimate;

  MongoSource(Options options, ConnectorContext context) {
    this.context = context;
    this.settings = new MongoSettings(options);
    this.database = options.get(MongoOptions.DATABASE);
    this.collection = options.get(MongoOptions.SOURCE_COLLECTION);
    this.filter = options.get(MongoOptions.FILTER);
    this.columns = options.get(MongoOptions.COLUMNS);
    this.sampleSize = options.get(MongoOptions.SAMPLE_SIZE);
    this.splitsPerChannel = options.get(MongoOptions.SPLITS_PER_CHANNEL);
    this.minSplitRows = options.get(MongoOptions.MIN_SPLIT_ROWS);
    this.batchSize = options.get(MongoOptions.SOURCE_BATCH_SIZE);
    this.fetchSize = options.get(MongoOptions.FETCH_SIZE);
    this.readPreference = options.get(MongoOptions.READ_PREFERENCE);
    this.readConcern = options.get(MongoOptions.READ_CONCERN);
  }

  MongoSettings settings() {
    return settings;
  }

  ConnectorContext context() {
    return context;
  }

  int batchSize() {
    return batchSize;
  }

  int fetchSize() {
    return fetchSize;
  }

  String label() {
    return database + "." + collection;
  }

  synchronized MongoClient client() {
    if (client == null) {
      client = settings.connect();
    }
    return client;
  }

  MongoCollection<BsonDocument> collection() {
    MongoDatabase db =
        client()
            .getDatabase(database)
            .withReadPreference(readPreference.preference())
            .withReadConcern(readConcern.concern());
    return db.getCollection(collection, BsonDocument.class);
  }

  BsonDocument filter() {
    return filter;
  }

  /** The fields to fetch: the columns (and _id, always), or whole documents without columns. */
  Bson projection() {
    if (columns == null) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    for (MongoOptions.MongoColumn c : columns) {
      fields.add(c.name());
    }
    return projectionOf(fields);
  }

  /** What readers fetch: the schema's fields and _id. */
  Bson readProjection() {
    List<String> fields = new ArrayList<>(schema().names());
    if (!fields.contains("_id")) {
      fields.add("_id");
    }
    return projectionOf(fields);
  }

  private static Bson projectionOf(List<String> fields) {
    // A path and its prefix cannot both be projected (a.b with a): keep the shorter.
    List<String> kept = new ArrayList<>();
    for (String f : fields) {
      boolean covered = false;
      for (String other : fields) {
        if (!other.equals(f) && f.startsWith(other + ".")) {
          covered = true;
        }
      }
      if (!covered && !kept.contains(f)) {
        kept.add(f);
      }
    }
    return Projections.include(kept);
  }

  @Override
  public List<OptionProblem> check() {
    List<OptionProblem> problems = new ArrayList<>();
    try {
      MongoDatabase db = client().getDatabase(database);
      db.runCommand(new BsonDocument("ping", new BsonInt32(1)));
      List<String> names = db.listCollectionNames().into(new ArrayList<>());
      if (!names.contains(collection)) {
        problems.add(
            new OptionProblem(
                "collection",
                "database '"
                    + database
                    + "' has no collection '"
                    + collection
                    + "'"
                    + (names.isEmpty()
                        ? " (it has no collections)"
                        : "; it has: "
                            + String.join(", ", names.stream().sorted().limit(20).toList()))));
        return problems;
      }
    } catch (RuntimeException e) {
      problems.add(MongoErrors.problem(e, settings));
      return problems;
    }
    if (filter != null) {
      try {
        collection().find(filter).projection(Projections.include("_id")).limit(1).first();
      } catch (com.mongodb.MongoCommandException e) {
        problems.add(
            new OptionProblem(
                "filter", "the server rejects the filter: " + MongoErrors.message(e)));
      } catch (RuntimeException e) {
        problems.add(MongoErrors.problem(e, settings));
      }
    }
    return problems;
  }

  @Override
  public synchronized Schema schema() {
    if (schema == null) {
      if (columns != null && columns.stream().allMatch(c -> c.type() != null)) {
        schema = SchemaInference.schema(columns, List.of());
      } else {
        schema = SchemaInference.schema(columns, sampleForSchema());
        LOG.info("{}: inferred columns {}", label(), schema);
      }
    }
    return schema;
  }

  /** Up to sampleSize documents: the first half and the last half in _id order. */
  private List<BsonDocument> sampleForSchema() {
    return MongoErrors.withRetries(
        settings,
        "sampling " + label(),
        () -> {
          requireCollection();
          BsonDocument f = filter == null ? new BsonDocument() : filter;
          int first = (sampleSize + 1) / 2;
          List<BsonDocument> sample =
              collection()
                  .find(f)
                  .projection(projection())
                  .sort(Sorts.ascending("_id"))
                  .limit(first)
                  .into(new ArrayList<>());
          if (sample.size() == first && sampleSize > first) {
            sample.addAll(
                collection()
                    .find(f)
                    .projection(projection())
                    .sort(Sorts.descending("_id"))
                    .limit(sampleSize - first)
                    .into(new ArrayList<>()));
          }
          return sample;
        });
  }

  private void requireCollection() {
    List<String> names =
        client().getDatabase(database).listCollectionNames().into(new ArrayList<>());
    if (!names.contains(collection)) {
      throw FerryException.option(
          ErrorCode.NOT_FOUND,
          "collection",
          "database '" + database + "' has no collection '" + collection + "'");
    }
  }

  @Override
  public SplitPlanner planner() {
    return this::plan;
  }

  private List<Split> plan(int parallelism) {
    long count = estimatedCount();
    long wanted = Math.min((long) parallelism * splitsPerChannel, count / minSplitRows);
    if (wanted <= 1 || count == 0) {
      return List.of(new MongoSplit(collection, 0, null, null, count == 0 ? -1 : count));
    }
    List<BsonValue> bounds = sampleBounds((int) wanted);
    List<Split> splits = new ArrayList<>();
    long perSplit = count / (bounds.size() + 1);
    BsonValue lower = null;
    for (int i = 0; i <= bounds.size(); i++) {
      BsonValue upper = i < bounds.size() ? bounds.get(i) : null;
      splits.add(new MongoSplit(collection, i, lower, upper, perSplit));
      lower = upper;
    }
    LOG.info("{}: {} splits by _id for about {} documents", label(), splits.size(), count);
    return splits;
  }

  /**
   * {@code wanted - 1} _ids that cut the collection into about even parts: a random sample of _ids
   * ({@code $sample}, never {@code splitVector}), sorted by the server in its own order, at even
   * quantiles.
   */
  private List<BsonValue> sampleBounds(int wanted) {
    int size = (int) Math.min(Math.max(sampleSize, wanted * 10L), 10_000);
    List<BsonValue> sampled;
    try {
      sampled =
          MongoErrors.withRetries(
              settings,
              "sampling split bounds of " + label(),
              () -> {
                List<BsonValue> ids = new ArrayList<>();
                for (BsonDocument d :
                    collection()
                        .aggregate(
                            List.of(
                                Aggregates.sample(size),
                                Aggregates.project(Projections.include("_id"))),
                            BsonDocument.class)) {
                  ids.add(d.get("_id"));
                }
                // The server sorts them, in its own order across types.
                return serverSorted(ids);
              });
    } catch (FerryException e) {
      if (e.retriable()) {
        throw e;
      }
      LOG.warn(
          "{}: $sample failed ({}); taking split bounds from sorted skips",
          label(),
          e.getMessage());
      return skipBounds(wanted);
    }
    List<BsonValue> bounds = new ArrayList<>();
    if (sampled.size() < 2) {
      return bounds;
    }
    int parts = Math.min(wanted, sampled.size());
    for (int k = 1; k < parts; k++) {
      BsonValue b = sampled.get((int) ((long) k * sampled.size() / parts) - 1);
      if (bounds.isEmpty() || !bounds.get(bounds.size() - 1).equals(b)) {
        bounds.add(b);
      }
    }
    return bounds;
  }

  /** Distinct _ids in the server's sort order. */
  private List<BsonValue> serverSorted(List<BsonValue> ids) {
    List<BsonValue> sorted = new ArrayList<>();
    if (ids.isEmpty()) {
      return sorted;
    }
    for (BsonDocument d :
        collection()
            .find(new BsonDocument("_id", new BsonDocument("$in", new org.bson.BsonArray(ids))))
            .projection(Projections.include("_id"))
            .sort(Sorts.ascending("_id"))) {
      sorted.add(d.get("_id"));
    }
    return sorted;
  }

  /** Exact quantiles by skipping through the _id index: for servers without $sample. */
  private List<BsonValue> skipBounds(int wanted) {
    long count = estimatedCount();
    List<BsonValue> bounds = new ArrayList<>();
    for (int k = 1; k < wanted; k++) {
      long skip = count * k / wanted - 1;
      BsonDocument d =
          MongoErrors.withRetries(
              settings,
              "finding split bounds of " + label(),
              () ->
                  collection()
                      .find()
                      .projection(Projections.include("_id"))
                      .sort(Sorts.ascending("_id"))
                      .skip((int) Math.min(skip, Integer.MAX_VALUE))
                      .limit(1)
                      .first());
      if (d != null && (bounds.isEmpty() || !bounds.get(bounds.size() - 1).equals(d.get("_id")))) {
        bounds.add(d.get("_id"));
      }
    }
    return bounds;
  }

  /** The collection's document count from its metadata (the filter is not applied). */
  private synchronized long estimatedCount() {
    if (estimate == null) {
      estimate =
          MongoErrors.withRetries(
              settings,
              "counting " + label(),
              () -> {
                requireCollection();
                return collection().estimatedDocumentCount();
              });
    }
    return estimate;
  }

  @Override
  public OptionalLong estimatedRows() {
    return OptionalLong.of(estimatedCount());
  }

  @Override
  public Codec<Split> splitCodec() {
    return MongoSplit.CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    MongoSplit s = (MongoSplit) split;
    BsonValue last = after == null ? null : MongoSplit.lastId(after);
    return new MongoSplitReader(this, schema(), s, last);
  }

  /**
   * The rest of a split as an {@code _id} range, when the schema has an {@code _id} column whose
   * Ferry type orders like the bounds: ObjectIds as their hex text, strings, numbers, dates.
   */
  @Override
  public Optional<KeyRange> remainder(Split split, Position after) {
    MongoSplit s = (MongoSplit) split;
    Schema sc = schema();
    int idColumn = sc.indexOf("_id");
    if (idColumn < 0) {
      return Optional.empty();
    }
    Column id = sc.column(idColumn);
    BsonValue lower = after == null ? s.lower() : MongoSplit.lastId(after);
    BsonValue upper = s.upper();
    if ((lower != null && !ordersAs(lower, id.type()))
        || (upper != null && !ordersAs(upper, id.type()))) {
      return Optional.empty();
    }
    try {
      Object[] lo =
          lower == null
              ? null
              : new Object[] {BsonValues.toFerry(lower, id.type(), context.zone())};
      Object[] up =
          upper == null
              ? null
              : new Object[] {BsonValues.toFerry(upper, id.type(), context.zone())};
      return Optional.of(new KeyRange(List.of("_id"), List.of(id.type()), lo, false, up));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean ordersAs(BsonValue v, DataType type) {
    TypeKind k = type.kind();
    return switch (v.getBsonType()) {
      case OBJECT_ID, STRING -> k == TypeKind.STRING;
      case INT32, INT64, DOUBLE, DECIMAL128 -> k.isNumeric();
      case DATE_TIME -> k == TypeKind.TIMESTAMP || k == TypeKind.TIMESTAMP_TZ;
      default -> false;
    };
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
