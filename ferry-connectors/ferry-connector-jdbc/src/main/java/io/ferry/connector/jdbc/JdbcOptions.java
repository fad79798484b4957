package io.ferry.connector.jdbc;

import io.ferry.connector.support.CommonOptions;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options every JDBC connector shares, declared once. Dialect modules add theirs through {@link
 * Dialect#extraSourceOptions()} and {@link Dialect#extraSinkOptions()}.
 */
public final class JdbcOptions {
  private JdbcOptions() {}

  // ---- connection ----------------------------------------------------------------------------

  public static final Option<String> URL =
      Option.string("url")
          .endpoint()
          .validator(JdbcOptions::validateUrl)
          .description(
              "The full JDBC URL, e.g. jdbc:postgresql://db1:5432/sales. Takes precedence over"
                  + " host, port and database.")
          .build();

  /** {@link #URL} where the dialect cannot build URLs (the generic connector). */
  public static final Option<String> URL_REQUIRED =
      Option.string("url")
          .endpoint()
          .required()
          .validator(JdbcOptions::validateUrl)
          .description(
              "The full JDBC URL; the driver that accepts it must be on the class path, e.g."
                  + " jdbc:h2:tcp://db1/sales.")
          .build();

  public static final Option<String> HOST =
      Option.string("host")
          .endpoint()
          .validator(Validator.notBlank())
          .description(
              "The database server's host name or address, when no url is given. For several"
                  + " servers of one cluster, give hosts instead.")
          .build();

  public static final Option<List<String>> HOSTS =
      Option.list("hosts")
          .endpoint()
          .validator(JdbcOptions::validateHosts)
          .description(
              "Several servers of one cluster, each host or host:port (IPv6 in brackets,"
                  + " [::1]:5432), when no url is given; instead of host. How the driver picks"
                  + " one is the connector's (see its README); connectors without a multi-host URL"
                  + " reject hosts: give url.")
          .build();

  public static final Option<Integer> PORT =
      Option.integer("port")
          .endpoint()
          .validator(Validator.range(1, 65535))
          .description(
              "The server's TCP port; the database's usual port when absent. With hosts: the port"
                  + " of the entries that name none.")
          .build();

  public static final Option<String> DATABASE =
      Option.string("database")
          .validator(Validator.notBlank())
          .description("The database to connect to, when no url is given.")
          .build();

  public static final Option<String> USER =
      Option.string("user").description("The database user Ferry logs in as.").build();

  public static final Option<String> PASSWORD =
      Option.string("password")
          .secret()
          .description("The user's password; masked in every listing and log.")
          .build();

  public static final Option<Map<String, String>> PROPERTIES =
      Option.object("properties", JdbcOptions::parseProperties)
          .endpoint()
          .defaultValue(Map.of())
          .description(
              "Driver properties as a map, e.g. {sslmode: require}; they override the dialect's"
                  + " own defaults key by key.")
          .build();

  public static final Option<Duration> CONNECT_TIMEOUT =
      Option.duration("connectTimeout")
          .defaultValue(Duration.ofSeconds(10))
          .validator(d -> d.toMillis() < 250 ? "must be at least 250ms, got " + d : null)
          .description("How long to wait for a connection before failing (at least 250ms).")
          .build();

  /** Deprecated: the job setting {@code settings.maxRetries}; the connector does not retry. */
  public static final Option<Integer> MAX_RETRIES = CommonOptions.deprecatedMaxRetries();

  /** Deprecated: the job setting {@code settings.retryBackoff}. */
  public static final Option<Duration> RETRY_BACKOFF = CommonOptions.deprecatedRetryBackoff();

  // ---- source --------------------------------------------------------------------------------

  public static final Option<String> SOURCE_TABLE =
      Option.string("table")
          .validator(Validator.notBlank())
          .description(
              "The table to read, as schema.table or table (the connection's default schema)."
                  + " Give table or query, not both.")
          .build();

  public static final Option<List<String>> SOURCE_TABLES =
      Option.list("tables")
          .validator(Validator.notEmpty())
          .description(
              "Several tables with the same columns read into one target, each cut into its own"
                  + " splits; instead of table.")
          .build();

  public static final Option<List<Shard>> SHARDS =
      Option.object("shards", Shard::parseList)
          .endpoint()
          .description(
              "Several databases (shards) read into one target, each {url: ...} or {host, port,"
                  + " database}, optionally with its own table or tables; user, password and"
                  + " properties are the source's. Instead of url, host and hosts.")
          .build();

  public static final Option<List<String>> SOURCE_COLUMNS =
      Option.list("columns")
          .validator(Validator.notEmpty())
          .description("The columns to read, in this order; all columns of the table when absent.")
          .build();

  public static final Option<String> WHERE =
      Option.string("where")
          .validator(Validator.notBlank())
          .description(
              "An SQL condition rows must meet, e.g. created_at >= '2024-01-01'; applied to every"
                  + " split.")
          .build();

  public static final Option<String> QUERY =
      Option.string("query")
          .validator(Validator.notBlank())
          .description(
              "A custom SELECT to read instead of a table; read as one split, resumed by row"
                  + " count.")
          .build();

  public static final Option<List<String>> SPLIT_KEY =
      Option.list("splitKey")
          .validator(Validator.notEmpty())
          .description(
              "The column(s) to split and order by, instead of the primary key; must be unique"
                  + " and not null for exact resumes.")
          .build();

  public static final Option<Integer> SPLITS_PER_CHANNEL =
      Option.integer("splitsPerChannel")
          .defaultValue(4)
          .validator(Validator.range(1, 1000))
          .description(
              "Key ranges planned per reader: more, smaller splits balance better and resume with"
                  + " less to redo.")
          .build();

  public static final Option<Integer> FETCH_SIZE =
      Option.integer("fetchSize")
          .defaultValue(5000)
          .validator(Validator.range(1, 1_000_000))
          .description("Rows the driver fetches per round trip of the streaming cursor.")
          .build();

  public static final Option<Integer> SOURCE_BATCH_SIZE = CommonOptions.sourceBatchSize(1024);

  public static final Option<Boolean> SNAPSHOT =
      Option.bool("snapshot")
          .defaultValue(false)
          .description(
              "Read all splits from one consistent snapshot, where the database supports it (see"
                  + " the dialect's README); otherwise each split sees the table as of its own"
                  + " start.")
          .build();

  // ---- sink ----------------------------------------------------------------------------------

  public static final Option<String> SINK_TABLE =
      Option.string("table")
          .required()
          .validator(Validator.notBlank())
          .description("The table to write, as schema.table or table.")
          .build();

  public static final Option<List<String>> SINK_COLUMNS =
      Option.list("columns")
          .validator(Validator.notEmpty())
          .description(
              "The table columns to write; the incoming columns that exist in the table when"
                  + " absent.")
          .build();

  public static final Option<WriteMode> WRITE_MODE =
      CommonOptions.writeMode(
          WriteMode.class,
          WriteMode.INSERT,
          "insert; upsert (insert or update the row with the same keys); replace (insert or"
              + " replace that row whole); truncate-insert (empty the table first).");

  public static final Option<List<String>> KEYS =
      Option.list("keys")
          .validator(Validator.notEmpty())
          .description(
              "The conflict key columns of upsert and replace, and the primary key createTable"
                  + " gives a new table; the table's primary key when absent.")
          .build();

  public static final Option<Integer> SINK_BATCH_SIZE =
      CommonOptions.batchSize(
          5000,
          1_000_000,
          "Rows per executed batch (and per bulk load); each is committed on its own.");

  public static final Option<List<String>> PRE_SQL =
      Option.object("preSql", JdbcOptions::parseStatements)
          .defaultValue(List.of())
          .description("SQL statements (one string or a list) run once before any row is written.")
          .build();

  public static final Option<List<String>> POST_SQL =
      Option.object("postSql", JdbcOptions::parseStatements)
          .defaultValue(List.of())
          .description(
              "SQL statements (one string or a list) run once after every row was written.")
          .build();

  public static final Option<BulkLoad> BULK_LOAD =
      Option.enumeration("bulkLoad", BulkLoad.class)
          .defaultValue(BulkLoad.AUTO)
          .description(
              "auto: the database's bulk path (COPY, LOAD DATA, bulk copy) when it has one and it"
                  + " works, batched statements otherwise; off: always batched statements.")
          .build();

  public static final Option<Boolean> CREATE_TABLE =
      Option.bool("createTable")
          .defaultValue(false)
          .description(
              "Create the table from the incoming columns when it does not exist, with keys as"
                  + " its primary key.")
          .build();

  // ---- option sets ---------------------------------------------------------------------------

  /** The connection options of a dialect: url alone, or url or host(s)/port/database. */
  public static List<Option<?>> connectionOptions(Dialect dialect) {
    List<Option<?>> options = new ArrayList<>();
    if (dialect.sessions().buildsUrls()) {
      options.addAll(List.of(URL, HOST, HOSTS, PORT, DATABASE));
    } else {
      options.add(URL_REQUIRED);
    }
    options.addAll(
        List.of(USER, PASSWORD, PROPERTIES, CONNECT_TIMEOUT, MAX_RETRIES, RETRY_BACKOFF));
    return options;
  }

  public static OptionSet sourceOptions(Dialect dialect) {
    List<Option<?>> options = connectionOptions(dialect);
    options.addAll(
        List.of(
            SOURCE_TABLE,
            SOURCE_TABLES,
            SOURCE_COLUMNS,
            WHERE,
            QUERY,
            SPLIT_KEY,
            SPLITS_PER_CHANNEL,
            FETCH_SIZE,
            SOURCE_BATCH_SIZE,
            SNAPSHOT));
    if (dialect.sessions().buildsUrls()) {
      options.add(SHARDS);
    }
    options.addAll(dialect.extraSourceOptions());
    return OptionSet.of(options);
  }

  public static OptionSet sinkOptions(Dialect dialect) {
    List<Option<?>> options = connectionOptions(dialect);
    options.addAll(
        List.of(
            SINK_TABLE,
            SINK_COLUMNS,
            WRITE_MODE,
            KEYS,
            SINK_BATCH_SIZE,
            PRE_SQL,
            POST_SQL,
            BULK_LOAD,
            CREATE_TABLE));
    options.addAll(dialect.extraSinkOptions());
    return OptionSet.of(options);
  }

  public static OptionSet catalogOptions(Dialect dialect) {
    return OptionSet.of(connectionOptions(dialect));
  }

  private static String validateUrl(String url) {
    return url.startsWith("jdbc:") ? null : "must start with jdbc:, got '" + url + "'";
  }

  private static String validateHosts(List<String> hosts) {
    if (hosts.isEmpty()) {
      return "must name at least one server, e.g. [db1:5432, db2:5432]";
    }
    for (String host : hosts) {
      try {
        ServerAddress.parse(host);
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    return null;
  }

  private static Map<String, String> parseProperties(Object raw) {
    if (!(raw instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("expected a map of driver properties");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("property '" + e.getKey() + "' has no value");
      }
      properties.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
    }
    return Map.copyOf(properties);
  }

  /** One statement, or a list: never split at commas, which SQL contains. */
  private static List<String> parseStatements(Object raw) {
    if (raw instanceof String s) {
      return s.isBlank() ? List.of() : List.of(s);
    }
    if (raw instanceof List<?> list) {
      List<String> statements = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof String s) || s.isBlank()) {
          throw new IllegalArgumentException("expected SQL statements as text, got " + o);
        }
        statements.add(s);
      }
      return List.copyOf(statements);
    }
    throw new IllegalArgumentException("expected an SQL statement or a list of them");
  }
}
