package io.ferry.connector.mongodb;

import io.ferry.connector.support.ColumnList;
import io.ferry.connector.support.CommonOptions;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.json.JsonParseException;

/** The options of the MongoDB source, sink and catalog, declared once. */
final class MongoOptions {
  private MongoOptions() {}

  // ---- connection ----------------------------------------------------------------------------

  static final Option<String> URI =
      Option.string("uri")
          .endpoint()
          .secret()
          .validator(MongoOptions::validateUri)
          .description(
              "The connection string, e.g. mongodb://user:pw@db1:27017,db2:27017/?replicaSet=rs0"
                  + " or mongodb+srv://...; masked like a password. Give uri or hosts.")
          .build();

  static final Option<List<String>> HOSTS =
      Option.list("hosts")
          .endpoint()
          .validator(Validator.notEmpty())
          .description(
              "host:port of each server (27017 when no port is given), when no uri is given.")
          .build();

  static final Option<String> REPLICA_SET =
      Option.string("replicaSet")
          .validator(Validator.notBlank())
          .description("The replica set's name, with hosts.")
          .build();

  static final Option<String> USER =
      Option.string("user").description("The user Ferry logs in as, with hosts.").build();

  static final Option<String> PASSWORD =
      Option.string("password")
          .secret()
          .description("The user's password; masked in every listing and log.")
          .build();

  static final Option<String> AUTH_SOURCE =
      Option.string("authSource")
          .validator(Validator.notBlank())
          .description("The database that holds the user's credentials; admin when absent.")
          .build();

  static final Option<Boolean> TLS =
      Option.bool("tls")
          .endpoint()
          .defaultValue(false)
          .description("Connect with TLS (the JVM's trust store), with hosts.")
          .build();

  static final Option<String> DATABASE =
      Option.string("database")
          .required()
          .validator(Validator.notBlank())
          .description("The database to read or write.")
          .build();

  static final Option<Duration> CONNECT_TIMEOUT =
      Option.duration("connectTimeout")
          .defaultValue(Duration.ofSeconds(10))
          .validator(d -> d.toMillis() < 100 ? "must be at least 100ms, got " + d : null)
          .description(
              "How long to wait for a reachable server (server selection and TCP connect).")
          .build();

  /** Deprecated: the job setting {@code settings.maxRetries}; the connector does not use it. */
  static final Option<Integer> MAX_RETRIES = CommonOptions.deprecatedMaxRetries();

  /** Deprecated: the job setting {@code settings.retryBackoff}. */
  static final Option<Duration> RETRY_BACKOFF = CommonOptions.deprecatedRetryBackoff();

  // ---- source --------------------------------------------------------------------------------

  static final Option<String> SOURCE_COLLECTION =
      Option.string("collection")
          .required()
          .validator(Validator.notBlank())
          .description("The collection to read.")
          .build();

  static final Option<BsonDocument> FILTER =
      Option.object("filter", MongoOptions::parseDocument)
          .description(
              "A query filter in MongoDB Extended JSON, e.g. {\"status\": \"A\", \"qty\":"
                  + " {\"$gt\": 10}}, or a map; applied to every split.")
          .build();

  static final Option<List<MongoColumn>> COLUMNS =
      Option.object("columns", MongoOptions::parseColumns)
          .description(
              "The fields to read, in order: \"name\" (type inferred from a sample), \"name"
                  + " type\" or {name: ..., type: ...}, with a Ferry type such as int64,"
                  + " decimal(20,4), timestamp_tz(3), json, array<string>, row<a int32, b"
                  + " string>. A dotted name (address.city) reads a nested field. Without it:"
                  + " every field of a sample of documents, _id first.")
          .build();

  static final Option<Integer> SAMPLE_SIZE =
      Option.integer("sampleSize")
          .defaultValue(1000)
          .validator(Validator.range(1, 1_000_000))
          .description(
              "Documents sampled to infer the fields and types of columns without a declared"
                  + " type, and to find split bounds.")
          .build();

  static final Option<Integer> SPLITS_PER_CHANNEL =
      Option.integer("splitsPerChannel")
          .defaultValue(4)
          .validator(Validator.range(1, 1000))
          .description(
              "_id ranges planned per reader: more, smaller splits balance better and resume with"
                  + " less to redo.")
          .build();

  static final Option<Long> MIN_SPLIT_ROWS =
      Option.longInteger("minSplitRows")
          .defaultValue(10_000L)
          .validator(Validator.atLeast(1L))
          .description(
              "Documents a split should hold at least: a collection smaller than twice this is"
                  + " read as one split.")
          .build();

  static final Option<Integer> SOURCE_BATCH_SIZE = CommonOptions.sourceBatchSize(1024);

  static final Option<Integer> FETCH_SIZE =
      Option.integer("fetchSize")
          .defaultValue(1000)
          .validator(Validator.range(1, 1_000_000))
          .description("Documents the cursor fetches per round trip (the driver's batchSize).")
          .build();

  static final Option<ReadPreferenceChoice> READ_PREFERENCE =
      Option.enumeration("readPreference", ReadPreferenceChoice.class)
          .defaultValue(ReadPreferenceChoice.PRIMARY)
          .description(
              "primary, primaryPreferred, secondary, secondaryPreferred or nearest: which member"
                  + " of a replica set the reads go to.")
          .build();

  static final Option<ReadConcernChoice> READ_CONCERN =
      Option.enumeration("readConcern", ReadConcernChoice.class)
          .defaultValue(ReadConcernChoice.DEFAULT)
          .description("default (the server's), local, available or majority.")
          .build();

  // ---- sink ----------------------------------------------------------------------------------

  static final Option<String> SINK_COLLECTION =
      Option.string("collection")
          .required()
          .validator(Validator.notBlank())
          .description("The collection to write; created by the server on the first write.")
          .build();

  static final Option<WriteMode> WRITE_MODE =
      CommonOptions.writeMode(
          WriteMode.class,
          WriteMode.INSERT,
          "insert (a document whose _id exists is a dirty row); upsert ($set the written fields"
              + " of the document matching keys, or insert it); replace (replace the whole"
              + " document matching keys, or insert it).");

  static final Option<List<String>> KEYS =
      Option.list("keys")
          .validator(Validator.notEmpty())
          .description(
              "The fields that find the document to upsert or replace; _id when absent (which"
                  + " then needs an _id column or idColumns).")
          .build();

  static final Option<List<String>> ID_COLUMNS =
      Option.list("idColumns")
          .validator(Validator.notEmpty())
          .description(
              "Columns whose values make each document's _id: one column gives its value, several"
                  + " a sub-document {col: value, ...}. The columns stay fields too. Without it"
                  + " an _id column is the _id, or the server generates an ObjectId.")
          .build();

  static final Option<List<String>> OBJECT_ID_FIELDS =
      Option.list("objectIdFields")
          .defaultValue(List.of())
          .description(
              "String columns written as ObjectId (24 hex digits), e.g. [_id] when copying"
                  + " between MongoDB collections.")
          .build();

  static final Option<List<String>> UUID_FIELDS =
      Option.list("uuidFields")
          .defaultValue(List.of())
          .description("String columns written as BSON UUID (binary subtype 4).")
          .build();

  static final Option<Integer> SINK_BATCH_SIZE =
      CommonOptions.batchSize(1000, 100_000, "Documents per unordered bulk write.");

  static final Option<String> WRITE_CONCERN =
      Option.string("writeConcern")
          .defaultValue("majority")
          .validator(MongoOptions::validateWriteConcern)
          .description(
              "majority, or the number of members (1, 2, ...) that acknowledge each bulk write"
                  + " before flush returns; 0 (unacknowledged) is refused: a checkpoint needs"
                  + " acknowledged writes.")
          .build();

  static final Option<Boolean> JOURNAL =
      Option.bool("journal")
          .defaultValue(true)
          .description("Whether acknowledged writes must be in the server's journal.")
          .build();

  static final Option<Boolean> SKIP_NULLS =
      Option.bool("skipNulls")
          .defaultValue(false)
          .description(
              "Leave NULL columns out of the document instead of writing a null field (MongoDB"
                  + " tells a missing field from a null one; Ferry reads both as NULL).")
          .build();

  static final Option<Boolean> TRUNCATE_TIMESTAMPS =
      Option.bool("truncateTimestamps")
          .defaultValue(false)
          .description(
              "BSON dates hold milliseconds: false sends a timestamp with finer digits to the"
                  + " dirty-data store, true cuts the digits off.")
          .build();

  // ---- catalog -------------------------------------------------------------------------------

  static final Option<String> CATALOG_DATABASE =
      Option.string("database")
          .validator(Validator.notBlank())
          .description("The database whose collections are listed first; all when absent.")
          .build();

  // ---- sets ----------------------------------------------------------------------------------

  static List<Option<?>> connection() {
    return List.of(
        URI,
        HOSTS,
        REPLICA_SET,
        USER,
        PASSWORD,
        AUTH_SOURCE,
        TLS,
        CONNECT_TIMEOUT,
        MAX_RETRIES,
        RETRY_BACKOFF);
  }

  static final OptionSet SOURCE_OPTIONS = OptionSet.of(sourceOptions());

  static final OptionSet SINK_OPTIONS = OptionSet.of(sinkOptions());

  static final OptionSet CATALOG_OPTIONS = OptionSet.of(catalogOptions());

  private static List<Option<?>> sourceOptions() {
    List<Option<?>> all = new ArrayList<>(connection());
    all.addAll(
        List.of(
            DATABASE,
            SOURCE_COLLECTION,
            FILTER,
            COLUMNS,
            SAMPLE_SIZE,
            SPLITS_PER_CHANNEL,
            MIN_SPLIT_ROWS,
            SOURCE_BATCH_SIZE,
            FETCH_SIZE,
            READ_PREFERENCE,
            READ_CONCERN));
    return all;
  }

  private static List<Option<?>> sinkOptions() {
    List<Option<?>> all = new ArrayList<>(connection());
    all.addAll(
        List.of(
            DATABASE,
            SINK_COLLECTION,
            WRITE_MODE,
            KEYS,
            ID_COLUMNS,
            OBJECT_ID_FIELDS,
            UUID_FIELDS,
            SINK_BATCH_SIZE,
            WRITE_CONCERN,
            JOURNAL,
            SKIP_NULLS,
            TRUNCATE_TIMESTAMPS));
    return all;
  }

  private static List<Option<?>> catalogOptions() {
    List<Option<?>> all = new ArrayList<>(connection());
    all.addAll(List.of(CATALOG_DATABASE, SAMPLE_SIZE));
    return all;
  }

  // ---- parsing -------------------------------------------------------------------------------

  private static String validateUri(String uri) {
    try {
      new com.mongodb.ConnectionString(uri);
      return null;
    } catch (IllegalArgumentException e) {
      // The driver's message may quote the string, password included: say what is wrong only.
      return "not a MongoDB connection string (mongodb://host:port/... or mongodb+srv://...)";
    }
  }

  private static String validateWriteConcern(String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("majority")) {
      return null;
    }
    try {
      int w = Integer.parseInt(v);
      if (w == 0) {
        return "0 (unacknowledged) cannot be checkpointed: use 1 or more, or majority";
      }
      return w < 0 ? "must be majority or a number of members, got " + value : null;
    } catch (NumberFormatException e) {
      return "must be majority or a number of members (1, 2, ...), got '" + value + "'";
    }
  }

  /** A document from Extended JSON text or a map (as a job file gives it). */
  static BsonDocument parseDocument(Object raw) {
    String json;
    if (raw instanceof String s) {
      json = s;
    } else if (raw instanceof Map<?, ?> map) {
      json = BsonValues.mapToJson(map);
    } else {
      throw new IllegalArgumentException(
          "expected a document in MongoDB Extended JSON, e.g. {\"status\": \"A\"}");
    }
    if (json.isBlank()) {
      throw new IllegalArgumentException("must not be empty; leave it out to read everything");
    }
    try {
      return BsonDocument.parse(json);
    } catch (JsonParseException | org.bson.BsonInvalidOperationException e) {
      throw new IllegalArgumentException(
          "not a document in MongoDB Extended JSON: " + e.getMessage());
    }
  }

  private static final ColumnList FIELD_LIST =
      ColumnList.of("field", "[_id, \"qty int32\", {name: price, type: decimal(12,2)}]")
          .textForm("'name' or 'name type'")
          .orText(",");

  /** Parses the {@code columns} option: fields with or without a declared type. */
  static List<MongoColumn> parseColumns(Object raw) {
    return FIELD_LIST.parse(raw, entry -> new MongoColumn(entry.name(), entry.type()));
  }

  /**
   * A field to read: its name (a dotted name reads a nested field) and its declared type, or null
   * when the type is to be inferred.
   */
  record MongoColumn(String name, DataType type) {
    Column column(DataType inferred) {
      return new Column(name, type != null ? type : inferred, !name.equals("_id"));
    }
  }
}
