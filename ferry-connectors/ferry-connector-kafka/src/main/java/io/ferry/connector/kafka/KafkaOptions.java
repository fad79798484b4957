package io.ferry.connector.kafka;

import io.ferry.connector.support.ColumnList;
import io.ferry.connector.support.CommonOptions;
import io.ferry.spi.Column;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The options of the Kafka connector's roles, declared once. */
final class KafkaOptions {
  private KafkaOptions() {}

  // ---- connection (every role) ----------------------------------------------------------------

  static final Option<List<String>> BOOTSTRAP_SERVERS =
      Option.list("bootstrapServers")
          .endpoint()
          .required()
          .validator(KafkaOptions::checkServers)
          .description(
              "The brokers to bootstrap from, each host:port; the client learns the rest of the"
                  + " cluster from them.")
          .build();

  static final Option<SecurityProtocol> SECURITY_PROTOCOL =
      Option.enumeration("securityProtocol", SecurityProtocol.class)
          .endpoint()
          .defaultValue(SecurityProtocol.PLAINTEXT)
          .description(
              "How the client talks to the brokers: plaintext, ssl, sasl-plaintext or sasl-ssl"
                  + " (Kafka's security.protocol).")
          .build();

  static final Option<SaslMechanism> SASL_MECHANISM =
      Option.enumeration("saslMechanism", SaslMechanism.class)
          .defaultValue(SaslMechanism.PLAIN)
          .description(
              "The SASL mechanism of sasl-plaintext and sasl-ssl: plain, scram-sha-256 or"
                  + " scram-sha-512; the user is username, with password.")
          .build();

  static final Option<String> USERNAME =
      Option.string("username")
          .validator(Validator.notBlank())
          .description("The SASL user (securityProtocol sasl-plaintext or sasl-ssl).")
          .build();

  static final Option<String> PASSWORD =
      Option.string("password").secret().description("The SASL user's password.").build();

  static final Option<Map<String, String>> PROPERTIES =
      Option.object("properties", KafkaOptions::parseProperties)
          .endpoint()
          .description(
              "Further Kafka client settings as a map, e.g. {ssl.truststore.location: ...,"
                  + " client.rack: r1}. Settings Ferry decides itself (serializers, the"
                  + " transactional id, isolation.level, enable.auto.commit) are refused; credentials"
                  + " go in username and password, never here.")
          .build();

  static final Option<Duration> REQUEST_TIMEOUT =
      Option.duration("requestTimeout")
          .defaultValue(Duration.ofSeconds(30))
          .description(
              "How long a request to a broker may take, and how long looking a topic up may wait"
                  + " for the cluster.")
          .build();

  static final List<Option<?>> CONNECTION =
      List.of(
          BOOTSTRAP_SERVERS,
          SECURITY_PROTOCOL,
          SASL_MECHANISM,
          USERNAME,
          PASSWORD,
          PROPERTIES,
          REQUEST_TIMEOUT);

  // ---- record format (source and sink) --------------------------------------------------------

  static final Option<ValueFormat> FORMAT =
      Option.enumeration("format", ValueFormat.class)
          .defaultValue(ValueFormat.JSON)
          .description(
              "How a record's value holds a row: json (an object keyed by column name) or csv (one"
                  + " RFC 4180 line, the columns in order; an unquoted empty field is NULL, \"\" an"
                  + " empty string).")
          .build();

  static final Option<Character> CSV_DELIMITER =
      Option.object("csvDelimiter", KafkaOptions::parseDelimiter)
          .defaultValue(',')
          .description("format csv: the character between fields.")
          .build();

  // ---- source ---------------------------------------------------------------------------------

  static final Option<List<String>> TOPICS =
      Option.list("topics")
          .validator(Validator.notEmpty())
          .description("The topics to read, every partition of each. Give topics or topicPattern.")
          .build();

  static final Option<Pattern> TOPIC_PATTERN =
      Option.object("topicPattern", KafkaOptions::parsePattern)
          .description(
              "A Java regular expression; every topic whose whole name matches it when the job"
                  + " starts is read (internal topics never). Give topics or topicPattern.")
          .build();

  static final Option<List<Column>> COLUMNS =
      Option.object("columns", KafkaOptions::parseColumns)
          .required()
          .description(
              "The columns of the rows the values hold, in order, each the text \"name type\" or a"
                  + " map {name: ..., type: ...} with a Ferry type (int64, decimal(12,2),"
                  + " timestamp, json, array<string>). json: a value's fields by name (missing ones"
                  + " are NULL); csv: its fields in this order. Besides the value's own fields"
                  + " these names read the record itself: _topic (string), _partition (int32),"
                  + " _offset (int64), _timestamp (timestamp_tz), _key (string).")
          .build();

  static final Option<StartFrom> START_FROM =
      Option.enumeration("startFrom", StartFrom.class)
          .defaultValue(StartFrom.EARLIEST)
          .description(
              "Where each partition is read from: earliest (its first record), latest (records"
                  + " written after the job started only), timestamp (the first record at or after"
                  + " startTimestamp), or offsets (startOffsets; other partitions from earliest)."
                  + " Taken when the run plans its splits: a resumed run continues where it"
                  + " stopped.")
          .build();

  static final Option<Long> START_TIMESTAMP =
      Option.longInteger("startTimestamp")
          .validator(Validator.atLeast(0L))
          .description(
              "startFrom timestamp: milliseconds since 1970-01-01T00:00:00Z; a partition with no"
                  + " record that late is read from its end (nothing).")
          .build();

  static final Option<Map<String, Long>> START_OFFSETS =
      Option.object("startOffsets", KafkaOptions::parseOffsets)
          .description(
              "startFrom offsets: the offset of the first record to read per partition, as a map"
                  + " {\"orders:0\": 42, \"orders:1\": 17} (topic:partition). An offset below the"
                  + " partition's first is an error, as is one past its end.")
          .build();

  static final Option<Boolean> READ_COMMITTED =
      Option.bool("readCommitted")
          .defaultValue(true)
          .description(
              "Whether only records of committed transactions are read (isolation.level"
                  + " read_committed); the end of a bounded read is then the last stable offset.")
          .build();

  static final Option<Integer> SOURCE_BATCH_SIZE = CommonOptions.sourceBatchSize(1000);

  static final Option<Duration> POLL_TIMEOUT =
      Option.duration("pollTimeout")
          .defaultValue(Duration.ofSeconds(60))
          .description(
              "How long a reader waits for the records it knows are there before it fails with an"
                  + " error a retry may fix.")
          .build();

  static final Option<Boolean> CONTINUOUS =
      Option.bool("continuous")
          .defaultValue(false)
          .description(
              "false: read up to the end offsets the partitions had when the run planned, then the"
                  + " run ends. true: keep reading new records until the run is paused or stopped;"
                  + " the partitions are shared out among the channels (every channel reads"
                  + " several when there are more partitions), and partitions or topics created"
                  + " after the run planned are not read.")
          .build();

  static final OptionSet SOURCE_OPTIONS =
      OptionSet.of(
          concat(
              CONNECTION,
              List.of(
                  TOPICS,
                  TOPIC_PATTERN,
                  FORMAT,
                  CSV_DELIMITER,
                  COLUMNS,
                  START_FROM,
                  START_TIMESTAMP,
                  START_OFFSETS,
                  READ_COMMITTED,
                  CONTINUOUS,
                  SOURCE_BATCH_SIZE,
                  POLL_TIMEOUT)));

  // ---- sink -----------------------------------------------------------------------------------

  static final Option<String> TOPIC =
      Option.string("topic")
          .required()
          .validator(KafkaOptions::checkTopic)
          .description("The topic to write.")
          .build();

  static final Option<List<String>> KEY_COLUMNS =
      Option.list("keyColumns")
          .validator(Validator.notEmpty())
          .description(
              "The columns whose values form each record's key (a JSON object of them for json, a"
                  + " csv line for csv), so that the rows of one key land in one partition, in"
                  + " order, and compaction keeps the latest. Default: the source's key; no key"
                  + " when it has none (records then spread over the partitions).")
          .build();

  static final Option<Boolean> TRANSACTIONAL =
      Option.bool("transactional")
          .defaultValue(false)
          .description(
              "true: each split is written in one Kafka transaction, committed when the split is"
                  + " complete, so read_committed consumers see every row exactly once, also after"
                  + " a kill -9 and resume. false: idempotent writes without transactions; a"
                  + " resumed run writes again what followed its last checkpoint (at least once).")
          .build();

  static final Option<Duration> TRANSACTION_TIMEOUT =
      Option.duration("transactionTimeout")
          .defaultValue(Duration.ofMinutes(15))
          .description(
              "transactional: how long one split's transaction may stay open before the broker"
                  + " aborts it (the run then fails and resumes that split); at most the broker's"
                  + " transaction.max.timeout.ms (15 minutes unless raised).")
          .build();

  static final Option<Boolean> CREATE_TOPIC =
      Option.bool("createTopic")
          .defaultValue(true)
          .description(
              "Whether a missing topic is created (with partitions and replicationFactor) before"
                  + " anything is written.")
          .build();

  static final Option<Integer> PARTITIONS =
      Option.integer("partitions")
          .defaultValue(1)
          .validator(Validator.range(1, 100_000))
          .description("createTopic: the new topic's partitions.")
          .build();

  static final Option<Integer> REPLICATION_FACTOR =
      Option.integer("replicationFactor")
          .defaultValue(-1)
          .validator(Validator.range(-1, 32))
          .description("createTopic: the new topic's replicas; -1 takes the broker's default.")
          .build();

  static final Option<Compression> COMPRESSION =
      Option.enumeration("compression", Compression.class)
          .defaultValue(Compression.LZ4)
          .description("How record batches are compressed: none, gzip, snappy, lz4 or zstd.")
          .build();

  static final Option<Long> PRODUCER_BATCH_SIZE =
      Option.size("producerBatchSize")
          .defaultValue(256L << 10)
          .validator(Validator.range(1024L, 64L << 20))
          .description("Bytes of records the producer gathers per partition into one request.")
          .build();

  static final Option<Boolean> TOMBSTONES =
      Option.bool("tombstones")
          .defaultValue(true)
          .description(
              "cdc jobs: whether each delete's change event is followed by a record with the same"
                  + " key and a null value, so that compaction removes the key.")
          .build();

  static final Option<Envelope> ENVELOPE =
      Option.enumeration("envelope", Envelope.class)
          .defaultValue(Envelope.NONE)
          .description(
              "none: each record's value is the row. debezium: each value is a Debezium change"
                  + " event {before, after, source, op, ts_ms} (rows of a copy or snapshot are op"
                  + " r), keyed by the row's key; a cdc job's changes are always written so.")
          .build();

  static final OptionSet SINK_OPTIONS =
      OptionSet.of(
          concat(
              CONNECTION,
              List.of(
                  TOPIC,
                  ENVELOPE,
                  FORMAT,
                  CSV_DELIMITER,
                  KEY_COLUMNS,
                  TRANSACTIONAL,
                  TRANSACTION_TIMEOUT,
                  CREATE_TOPIC,
                  PARTITIONS,
                  REPLICATION_FACTOR,
                  COMPRESSION,
                  PRODUCER_BATCH_SIZE,
                  TOMBSTONES)));

  static final OptionSet CATALOG_OPTIONS = OptionSet.of(CONNECTION);

  // ---- choices --------------------------------------------------------------------------------

  enum SecurityProtocol implements Option.Choice {
    PLAINTEXT("plaintext"),
    SSL("ssl"),
    SASL_PLAINTEXT("sasl-plaintext"),
    SASL_SSL("sasl-ssl");

    private final String choice;

    SecurityProtocol(String choice) {
      this.choice = choice;
    }

    @Override
    public String choice() {
      return choice;
    }

    boolean sasl() {
      return this == SASL_PLAINTEXT || this == SASL_SSL;
    }

    boolean tls() {
      return this == SSL || this == SASL_SSL;
    }
  }

  enum SaslMechanism implements Option.Choice {
    PLAIN("plain", "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
    SCRAM_SHA_256(
        "scram-sha-256",
        "SCRAM-SHA-256",
        "org.apache.kafka.common.security.scram.ScramLoginModule"),
    SCRAM_SHA_512(
        "scram-sha-512",
        "SCRAM-SHA-512",
        "org.apache.kafka.common.security.scram.ScramLoginModule");

    private final String choice;
    final String kafkaName;
    final String loginModule;

    SaslMechanism(String choice, String kafkaName, String loginModule) {
      this.choice = choice;
      this.kafkaName = kafkaName;
      this.loginModule = loginModule;
    }

    @Override
    public String choice() {
      return choice;
    }
  }

  enum StartFrom {
    EARLIEST,
    LATEST,
    TIMESTAMP,
    OFFSETS
  }

  enum Envelope {
    NONE,
    DEBEZIUM
  }

  enum Compression {
    NONE,
    GZIP,
    SNAPPY,
    LZ4,
    ZSTD
  }

  // ---- parsing --------------------------------------------------------------------------------

  /** Client settings Ferry sets itself; a {@code properties} entry for one of them is refused. */
  static final List<String> RESERVED_PROPERTIES =
      List.of(
          "bootstrap.servers",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "transactional.id",
          "enable.idempotence",
          "isolation.level",
          "enable.auto.commit",
          "group.id",
          "security.protocol",
          "sasl.mechanism",
          "sasl.jaas.config");

  private static final ColumnList COLUMN_LIST =
      ColumnList.of("column", "[\"id int64\", {name: amount, type: decimal(12,2)}]");

  static List<Column> parseColumns(Object raw) {
    return COLUMN_LIST.parse(raw, entry -> Column.of(entry.name(), entry.requiredType()));
  }

  private static String checkServers(List<String> servers) {
    if (servers.isEmpty()) {
      return "give at least one broker as host:port";
    }
    for (String server : servers) {
      int colon = server.lastIndexOf(':');
      if (colon <= 0 || colon == server.length() - 1) {
        return "'" + server + "' is not host:port";
      }
      try {
        int port = Integer.parseInt(server.substring(colon + 1));
        if (port < 1 || port > 65535) {
          return "'" + server + "': the port must be 1..65535";
        }
      } catch (NumberFormatException e) {
        return "'" + server + "': the port is not a number";
      }
    }
    return null;
  }

  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  static String checkTopic(String topic) {
    if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      return "'"
          + topic
          + "' is not a Kafka topic name (1 to 249 of the characters a-z A-Z 0-9 . _ -)";
    }
    return null;
  }

  private static Pattern parsePattern(Object raw) {
    if (!(raw instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException("expected a regular expression, e.g. 'orders-.*'");
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a regular expression: " + e.getDescription());
    }
  }

  private static Character parseDelimiter(Object raw) {
    String text = raw instanceof String s ? s : null;
    if (text != null && text.equals("\\t")) {
      return '\t';
    }
    if (text == null
        || text.length() != 1
        || text.charAt(0) == '"'
        || text.charAt(0) == '\n'
        || text.charAt(0) == '\r') {
      throw new IllegalArgumentException(
          "expected one character other than a quote or a line break, e.g. ',' or '\\t'");
    }
    return text.charAt(0);
  }

  private static Map<String, String> parseProperties(Object raw) {
    if (!(raw instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "expected a map of Kafka client settings, e.g. {client.rack: r1}");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = String.valueOf(e.getKey());
      if (RESERVED_PROPERTIES.contains(name)) {
        throw new IllegalArgumentException(
            "'" + name + "' is set by Ferry" + reservedHint(name) + "; leave it out");
      }
      if (e.getValue() == null || e.getValue() instanceof Map || e.getValue() instanceof List) {
        throw new IllegalArgumentException("'" + name + "' needs a text or number value");
      }
      properties.put(name, String.valueOf(e.getValue()));
    }
    return properties;
  }

  private static String reservedHint(String name) {
    return switch (name) {
      case "bootstrap.servers" -> " from bootstrapServers";
      case "security.protocol" -> " from securityProtocol";
      case "sasl.mechanism", "sasl.jaas.config" -> " from saslMechanism, username and password";
      case "transactional.id" -> " from transactional";
      case "isolation.level" -> " from readCommitted";
      default -> "";
    };
  }

  private static Map<String, Long> parseOffsets(Object raw) {
    if (!(raw instanceof Map<?, ?> map) || map.isEmpty()) {
      throw new IllegalArgumentException(
          "expected a map of topic:partition to offset, e.g. {\"orders:0\": 42}");
    }
    Map<String, Long> offsets = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      int colon = key.lastIndexOf(':');
      try {
        if (colon <= 0 || Integer.parseInt(key.substring(colon + 1)) < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("'" + key + "' is not topic:partition, e.g. orders:0");
      }
      long offset;
      try {
        offset = Long.parseLong(String.valueOf(e.getValue()).trim());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "the offset of '" + key + "' is not a whole number: " + e.getValue());
      }
      if (offset < 0) {
        throw new IllegalArgumentException("the offset of '" + key + "' is negative");
      }
      offsets.put(key, offset);
    }
    return offsets;
  }

  private static List<Option<?>> concat(List<Option<?>> a, List<Option<?>> b) {
    List<Option<?>> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
