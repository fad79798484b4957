package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.ColumnList;
import io.ferry.connector.support.CommonOptions;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Column;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Validator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The options of the Elasticsearch connector's roles, declared once. */
final class EsOptions {
  private EsOptions() {}

  // ---- connection (every role) ----------------------------------------------------------------

  static final Option<List<String>> HOSTS =
      Option.list("hosts")
          .endpoint()
          .required()
          .validator(EsOptions::checkHosts)
          .description(
              "The nodes to send requests to, each http://host:port or https://host:port (a bare"
                  + " host:port means http). Requests are spread over them.")
          .build();

  static final Option<String> USERNAME =
      Option.string("username")
          .validator(Validator.notBlank())
          .description("User for HTTP basic authentication; needs password.")
          .build();

  static final Option<String> PASSWORD =
      Option.string("password").secret().description("Password of username.").build();

  static final Option<String> API_KEY =
      Option.string("apiKey")
          .secret()
          .validator(Validator.notBlank())
          .description(
              "API key sent as 'Authorization: ApiKey ...': either the encoded key Elasticsearch"
                  + " returns, or id:api_key (encoded by Ferry). Not together with username.")
          .build();

  static final Option<String> CA_CERTIFICATE =
      Option.string("caCertificate")
          .endpoint()
          .validator(Validator.notBlank())
          .description(
              "Path of a PEM file with the certificate(s) of the authority that signed the"
                  + " cluster's HTTP certificate, for https hosts. Without it the JVM's trust"
                  + " store is used.")
          .build();

  static final Option<Boolean> VERIFY_HOSTNAME =
      Option.bool("verifyHostname")
          .endpoint()
          .defaultValue(true)
          .description(
              "Whether the https certificate must name the host connected to. Turn off only for"
                  + " test clusters whose certificates name no host.")
          .build();

  static final Option<Duration> CONNECT_TIMEOUT =
      Option.duration("connectTimeout")
          .defaultValue(Duration.ofSeconds(10))
          .description("How long to wait for a connection to a node.")
          .build();

  static final Option<Duration> SOCKET_TIMEOUT =
      Option.duration("socketTimeout")
          .defaultValue(Duration.ofSeconds(120))
          .description("How long to wait for a response (a large bulk request takes a while).")
          .build();

  static final Option<Integer> MAX_RETRIES =
      CommonOptions.maxRetries(
          8,
          "a request that failed on the connection or was rejected as overloaded (HTTP 429, 502,"
              + " 503, 504)");

  static final Option<Duration> RETRY_BACKOFF =
      CommonOptions.retryBackoff(
          Duration.ofMillis(200),
          "At most 30 seconds; bulk items rejected with 429 are retried alone.");

  static final List<Option<?>> CONNECTION =
      List.of(
          HOSTS,
          USERNAME,
          PASSWORD,
          API_KEY,
          CA_CERTIFICATE,
          VERIFY_HOSTNAME,
          CONNECT_TIMEOUT,
          SOCKET_TIMEOUT,
          MAX_RETRIES,
          RETRY_BACKOFF);

  // ---- source ---------------------------------------------------------------------------------

  static final Option<String> SOURCE_INDEX =
      Option.string("index")
          .required()
          .validator(Validator.notBlank())
          .description(
              "The index, alias, or comma-separated list or pattern (logs-*) of indexes to read.")
          .build();

  static final Option<String> QUERY =
      Option.string("query")
          .validator(EsOptions::checkQuery)
          .description(
              "The query, as Elasticsearch query DSL JSON (the value of \"query\", e.g."
                  + " {\"range\": {\"age\": {\"gte\": 18}}}). Default: every document.")
          .build();

  static final Option<List<String>> FIELDS =
      Option.list("fields")
          .validator(Validator.notEmpty())
          .description(
              "The top-level fields to read (_source selection), as columns in this order;"
                  + " their types come from the mapping. Default: every mapped field. Ignored"
                  + " when columns is given.")
          .build();

  static final Option<List<Column>> COLUMNS =
      Option.object("columns", EsOptions::parseColumns)
          .description(
              "The columns to read, in order, each the text \"name type\" or a map {name: ...,"
                  + " type: ...} with a Ferry type (int64, decimal(12,2), timestamp,"
                  + " array<string>, row<a int32, b string>, json). A name is a top-level field, a"
                  + " dotted path into objects (address.city), or _id / _index / _routing."
                  + " Default: derived from the mapping.")
          .build();

  static final Option<List<String>> SORT_FIELDS =
      Option.list("sortFields")
          .validator(Validator.notEmpty())
          .description(
              "Fields with doc values (numbers, keyword, date) that together identify a document"
                  + " uniquely, e.g. id. Reads are sorted and sliced by them, so a run resumes"
                  + " exactly after its last position at any later time. Without them reads follow"
                  + " the index order of one point in time (8.x: resumable while the point in"
                  + " time lives, see keepAlive) or of a scroll (7.x, OpenSearch).")
          .build();

  static final Option<Integer> BATCH_SIZE =
      CommonOptions.batchSize(1000, 10_000, "Documents per search request, and rows per batch.");

  static final Option<Integer> SLICES =
      Option.integer("slices")
          .defaultValue(0)
          .validator(Validator.range(0, 1024))
          .description(
              "Splits to read in parallel (sliced search). 0: one per reader of the job's"
                  + " parallelism, but no more than one per "
                  + EsSource.DOCS_PER_AUTO_SLICE
                  + " documents.")
          .build();

  static final Option<ReadMode> READ_MODE =
      Option.enumeration("readMode", ReadMode.class)
          .defaultValue(ReadMode.AUTO)
          .description(
              "How documents are paged: pit (point in time + search_after; Elasticsearch 7.10,"
                  + " OpenSearch 2.4 with sortFields), scroll (every version), or auto: pit on"
                  + " Elasticsearch 8.x and on OpenSearch with sortFields, scroll otherwise.")
          .build();

  static final Option<Duration> KEEP_ALIVE =
      Option.duration("keepAlive")
          .defaultValue(Duration.ofMinutes(5))
          .description(
              "How long Elasticsearch keeps a point in time or a scroll open between two requests"
                  + " of a reader.")
          .build();

  static final OptionSet SOURCE_OPTIONS =
      OptionSet.of(
          concat(
              CONNECTION,
              List.of(
                  SOURCE_INDEX,
                  QUERY,
                  FIELDS,
                  COLUMNS,
                  SORT_FIELDS,
                  BATCH_SIZE,
                  SLICES,
                  READ_MODE,
                  KEEP_ALIVE)));

  // ---- sink -----------------------------------------------------------------------------------

  static final Option<String> SINK_INDEX =
      Option.string("index")
          .required()
          .validator(EsOptions::checkIndexName)
          .description(
              "The index to write; with aliasSwitch, the alias that points at the loaded index"
                  + " after the run.")
          .build();

  static final Option<BulkAction> ACTION =
      Option.enumeration("action", BulkAction.class)
          .defaultValue(BulkAction.INDEX)
          .description(
              "The bulk action per row: index (create or replace the document), create (fails"
                  + " for an existing id), update (change the fields of an existing document),"
                  + " upsert (update, or create when missing), delete (remove the document of the"
                  + " id). update, upsert and delete need idColumns.")
          .build();

  static final Option<List<String>> ID_COLUMNS =
      Option.list("idColumns")
          .validator(Validator.notEmpty())
          .description(
              "Columns whose values, joined with idSeparator, make the document _id, so a rerun"
                  + " overwrites instead of duplicating. Without them Elasticsearch makes ids.")
          .build();

  static final Option<Boolean> ID_FROM_KEY =
      Option.bool("idFromKey")
          .defaultValue(false)
          .description(
              "Without idColumns: make the document _id from the columns the source names as its"
                  + " key (a table's primary key, an HBase row key). A source without a key then"
                  + " fails the run before anything is written. The default of kind: fullSync.")
          .build();

  static final Option<String> ID_SEPARATOR =
      Option.string("idSeparator")
          .defaultValue("_")
          .description("What joins the values of several idColumns.")
          .build();

  static final Option<String> ROUTING_COLUMN =
      Option.string("routingColumn")
          .validator(Validator.notBlank())
          .description("A column whose value routes each document to its shard (_routing).")
          .build();

  static final Option<Boolean> ID_IN_SOURCE =
      Option.bool("writeIdColumns")
          .defaultValue(true)
          .description("Whether the id and routing columns are also written as document fields.")
          .build();

  static final Option<Boolean> WRITE_NULLS =
      Option.bool("writeNulls")
          .defaultValue(true)
          .description(
              "Whether NULL values are written as JSON null (an update then clears the field);"
                  + " false leaves them out of the document.")
          .build();

  static final Option<Integer> BULK_ACTIONS =
      Option.integer("bulkActions")
          .defaultValue(1000)
          .validator(Validator.range(1, 100_000))
          .description("Rows per _bulk request at most.")
          .build();

  static final Option<Long> BULK_SIZE =
      Option.size("bulkSize")
          .defaultValue(5L << 20)
          .validator(Validator.range(1024L, 1L << 30))
          .description("Bytes per _bulk request at most (a single larger document goes alone).")
          .build();

  static final Option<Boolean> CREATE_INDEX =
      Option.bool("createIndex")
          .defaultValue(true)
          .description(
              "Whether a missing index is created, with the mapping option or a mapping derived"
                  + " from the columns. false: a missing index is an error (or is left to"
                  + " Elasticsearch's automatic creation when autoCreate is allowed).")
          .build();

  static final Option<String> MAPPING =
      Option.string("mapping")
          .validator(EsOptions::checkJsonObject)
          .description(
              "The mappings of a created index, as JSON ({\"properties\": {...}}); replaces the"
                  + " mapping derived from the columns.")
          .build();

  static final Option<String> SETTINGS =
      Option.string("settings")
          .validator(EsOptions::checkJsonObject)
          .description("Further settings of a created index, as JSON, e.g. {\"analysis\": {...}}.")
          .build();

  static final Option<Integer> SHARDS =
      Option.integer("shards")
          .validator(Validator.range(1, 1024))
          .description("number_of_shards of a created index.")
          .build();

  static final Option<Integer> REPLICAS =
      Option.integer("replicas")
          .validator(Validator.range(0, 32))
          .description("number_of_replicas of a created index.")
          .build();

  static final Option<Boolean> PAUSE_REFRESH =
      Option.bool("pauseRefresh")
          .defaultValue(true)
          .description(
              "Whether refresh_interval is -1 during the load (faster bulk indexing) and restored"
                  + " at commit, followed by one refresh.")
          .build();

  static final Option<Boolean> ALIAS_SWITCH =
      Option.bool("aliasSwitch")
          .defaultValue(false)
          .description(
              "Load into a new index <index>-<run key> and, at commit, move the alias named by"
                  + " index to it in one atomic step (zero-downtime full sync). An abort deletes"
                  + " the new index. A concrete index of that name is replaced by the alias only"
                  + " with deleteOldIndexes.")
          .build();

  static final Option<Boolean> DELETE_OLD_INDEXES =
      Option.bool("deleteOldIndexes")
          .defaultValue(false)
          .description(
              "With aliasSwitch: delete the indexes the alias pointed at before, after the"
                  + " switch.")
          .build();

  static final OptionSet SINK_OPTIONS =
      OptionSet.of(
          concat(
              CONNECTION,
              List.of(
                  SINK_INDEX,
                  ACTION,
                  ID_COLUMNS,
                  ID_FROM_KEY,
                  ID_SEPARATOR,
                  ROUTING_COLUMN,
                  ID_IN_SOURCE,
                  WRITE_NULLS,
                  BULK_ACTIONS,
                  BULK_SIZE,
                  CREATE_INDEX,
                  MAPPING,
                  SETTINGS,
                  SHARDS,
                  REPLICAS,
                  PAUSE_REFRESH,
                  ALIAS_SWITCH,
                  DELETE_OLD_INDEXES)));

  static final OptionSet CATALOG_OPTIONS = OptionSet.of(CONNECTION);

  // ---- validation helpers ---------------------------------------------------------------------

  private static List<Option<?>> concat(List<Option<?>> a, List<Option<?>> b) {
    List<Option<?>> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The URI of a host option entry; a bare host:port means http. */
  static URI hostUri(String host) {
    String text = host.trim();
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    return URI.create(text);
  }

  private static String checkHosts(List<String> hosts) {
    if (hosts.isEmpty()) {
      return "must name at least one node, e.g. http://127.0.0.1:9200";
    }
    for (String host : hosts) {
      try {
        URI uri = hostUri(host);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
          return "'" + host + "' must use http or https";
        }
        if (uri.getHost() == null) {
          return "'" + host + "' names no host; expected e.g. http://127.0.0.1:9200";
        }
      } catch (IllegalArgumentException e) {
        return "'" + host + "' is not a URL such as http://127.0.0.1:9200";
      }
    }
    return null;
  }

  private static String checkQuery(String text) {
    String problem = checkJsonObject(text);
    if (problem != null) {
      return problem + "; e.g. {\"match_all\": {}}";
    }
    return null;
  }

  static String checkJsonObject(String text) {
    JsonNode node;
    try {
      node = JsonValues.mapper().readTree(text);
    } catch (java.io.IOException e) {
      return "is not valid JSON: " + e.getMessage().lines().findFirst().orElse("");
    }
    if (node == null || !node.isObject()) {
      return "must be a JSON object";
    }
    return null;
  }

  /** Elasticsearch's index name rules, checked before any request. */
  static String checkIndexName(String name) {
    if (name.isBlank()) {
      return "must not be empty";
    }
    if (!name.equals(name.toLowerCase(Locale.ROOT))) {
      return "'" + name + "' must be lower case";
    }
    if (name.startsWith("-") || name.startsWith("_") || name.startsWith("+")) {
      return "'" + name + "' must not start with -, _ or +";
    }
    for (char c : "\\/*?\"<>| ,#:".toCharArray()) {
      if (name.indexOf(c) >= 0) {
        return "'" + name + "' must not contain '" + c + "'";
      }
    }
    if (name.equals(".") || name.equals("..")) {
      return "'" + name + "' is not a valid index name";
    }
    return null;
  }

  private static final ColumnList COLUMN_LIST =
      ColumnList.of("column", "[\"id int64\", {name: tags, type: array<string>}]");

  static List<Column> parseColumns(Object raw) {
    return COLUMN_LIST.parse(raw, entry -> Column.of(entry.name(), entry.requiredType()));
  }

  /** How the source pages through documents. */
  enum ReadMode {
    AUTO,
    PIT,
    SCROLL
  }
}
