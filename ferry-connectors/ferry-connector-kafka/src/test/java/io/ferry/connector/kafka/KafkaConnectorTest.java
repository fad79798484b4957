package io.ferry.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Catalog;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The connector's own behaviour beyond the shared suites, against the broker of this JVM. */
class KafkaConnectorTest {
  private final Connector kafka = new KafkaConnector();
  private final KafkaTestBroker broker = KafkaTestBroker.get();
  private final ObjectMapper json = io.ferry.connector.support.JsonValues.mapper();

  private Map<String, Object> sinkOptions(String topic, Consumer<Map<String, Object>> more) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("bootstrapServers", broker.bootstrap());
    o.put("topic", topic);
    more.accept(o);
    return o;
  }

  private Map<String, Object> sourceOptions(
      String topic, Schema schema, Consumer<Map<String, Object>> more) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("bootstrapServers", broker.bootstrap());
    o.put("topics", List.of(topic));
    o.put("columns", KafkaSourceSuiteTest.columns(schema));
    more.accept(o);
    return o;
  }

  @Test
  void csvValuesCarryEveryTypeThereAndBack() {
    Schema schema = TestDatasets.typesSchema(t -> true);
    List<Object[]> rows = TestDatasets.typesRows(schema);
    String topic = KafkaTestBroker.uniqueTopic("csv-types");
    TestConnectorContext ctx = new TestConnectorContext("csv-types");
    Pipelines.write(
        kafka,
        sinkOptions(
            topic,
            o -> {
              o.put("format", "csv");
              o.put("csvDelimiter", ";");
              o.put("keyColumns", List.of("id"));
            }),
        ctx,
        schema,
        rows,
        7);
    try (Source source =
        Pipelines.source(
            kafka,
            sourceOptions(
                topic,
                schema,
                o -> {
                  o.put("format", "csv");
                  o.put("csvDelimiter", ";");
                }),
            ctx)) {
      Rows.assertRowsEqual(schema, Pipelines.readAll(source), rows);
    }
    assertThat(ctx.dirtyRows().rows()).isEmpty();
    // A csv key: the key column's value as one field.
    ConsumerRecord<byte[], byte[]> first = broker.readAll(topic).get(0);
    assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("0");
  }

  /**
   * A distribution loads the connector with its own class loader while the thread's context class
   * loader is the application's: the clients must still find their classes.
   */
  @Test
  void worksWhenTheContextClassLoaderCannotSeeKafka() {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(new java.net.URLClassLoader(new java.net.URL[0], null));
    try {
      Schema schema = TestDatasets.standardSchema(t -> true);
      List<Object[]> rows = TestDatasets.standardRows(schema, 50);
      String topic = KafkaTestBroker.uniqueTopic("loader");
      TestConnectorContext ctx = new TestConnectorContext("loader");
      Pipelines.write(
          kafka, sinkOptions(topic, o -> o.put("transactional", true)), ctx, schema, rows, 20);
      try (Source source = Pipelines.source(kafka, sourceOptions(topic, schema, o -> {}), ctx)) {
        Rows.assertRowsEqual(schema, Pipelines.readAll(source), rows);
      }
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @Test
  void aSplitCommittedJustBeforeAKillIsNotWrittenAgain() {
    Schema schema = TestDatasets.standardSchema(t -> true);
    List<Object[]> rows = TestDatasets.standardRows(schema, 300);
    String topic = KafkaTestBroker.uniqueTopic("marker");
    TestConnectorContext ctx = new TestConnectorContext("marker");
    Map<String, Object> options =
        sinkOptions(
            topic,
            o -> {
              o.put("transactional", true);
              o.put("keyColumns", List.of("id"));
            });
    // The first attempt commits split 0 and dies before the engine records it.
    Sink first = Pipelines.sink(kafka, options, ctx);
    first.prepare(schema);
    SinkWriter w = first.createWriter(0);
    w.beginSplit(0);
    w.write(batch(schema, rows.subList(0, 200)));
    w.flush();
    w.endSplit(0);
    w.beginSplit(1);
    w.write(batch(schema, rows.subList(200, 250)));
    w.flush(); // split 1 stays open: the process dies here
    // The resumed run (same run key, new process): both splits are unfinished for the engine.
    Sink second = Pipelines.sink(kafka, options, ctx);
    SinkResume.WholeSplit model = (SinkResume.WholeSplit) second.resumeModel();
    model.reopen(schema);
    model.discardSplit(0);
    model.discardSplit(1);
    try (SinkWriter again = second.createWriter(0)) {
      again.beginSplit(0);
      again.write(batch(schema, rows.subList(0, 200)));
      again.flush();
      again.endSplit(0);
      again.beginSplit(1);
      again.write(batch(schema, rows.subList(200, 300)));
      again.flush();
      again.endSplit(1);
    }
    second.commit();
    second.close();
    w.close(); // fenced by the second attempt: closing only releases it
    first.close();
    List<Long> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : broker.readAll(topic)) {
      ids.add(readTree(r.value()).get("id").asLong());
    }
    assertThat(ids).hasSize(300).doesNotHaveDuplicates();
    // The run's commit removed its markers.
    try (var admin = broker.admin()) {
      assertThat(admin.listGroups().all().get())
          .noneMatch(g -> g.groupId().startsWith("ferry-" + ctx.runKey()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void changesBecomeDebeziumEnvelopesKeyedByTheRowKey() throws Exception {
    Schema schema =
        Schema.of(
                new Column("id", DataType.INT64, false),
                Column.of("name", DataType.STRING),
                Column.of("price", DataType.decimal(10, 2)))
            .withKey(List.of("id"));
    String topic = KafkaTestBroker.uniqueTopic("cdc");
    TestConnectorContext ctx = new TestConnectorContext("cdc");
    Catalog.TableRef table = new Catalog.TableRef("shop", "items");
    Position pos = new Position(1, new byte[] {1}, "p");
    Instant at = Instant.parse("2024-05-01T10:00:00Z");
    try (Sink sink = Pipelines.sink(kafka, sinkOptions(topic, o -> {}), ctx);
        ChangeWriter writer =
            sink.changeWriter(
                new ChangeWriter.Target(
                    table, schema, List.of("id"), ChangeWriter.DeleteMode.DELETE, null, null))) {
      Object[] a = {1L, "apple", new BigDecimal("1.50")};
      Object[] b = {1L, "apple", new BigDecimal("1.75")};
      Object[] moved = {2L, "apple", new BigDecimal("1.75")};
      writer.apply(
          List.of(
              new ChangeEvent.RowChange(ChangeEvent.Kind.INSERT, table, schema, null, a, pos, at),
              new ChangeEvent.RowChange(ChangeEvent.Kind.UPDATE, table, schema, a, b, pos, at),
              new ChangeEvent.RowChange(ChangeEvent.Kind.UPDATE, table, schema, b, moved, pos, at),
              new ChangeEvent.RowChange(
                  ChangeEvent.Kind.DELETE, table, schema, moved, null, pos, at)));
      writer.flush();
    }
    List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic);
    // Decimals keep their scale in the event's text.
    assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8))
        .contains("\"after\":{\"id\":1,\"name\":\"apple\",\"price\":1.50}");
    List<String> shape = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String key = readTree(r.key()).toString();
      if (r.value() == null) {
        shape.add(key + " tombstone");
        continue;
      }
      JsonNode v = readTree(r.value());
      assertThat(v.get("source").get("db").asText()).isEqualTo("shop");
      assertThat(v.get("source").get("table").asText()).isEqualTo("items");
      assertThat(v.get("source").get("ts_ms").asLong()).isEqualTo(at.toEpochMilli());
      assertThat(v.get("ts_ms").isNumber()).isTrue();
      shape.add(key + " " + v.get("op").asText() + " " + v.get("before") + " " + v.get("after"));
    }
    assertThat(shape)
        .containsExactly(
            "{\"id\":1} c null {\"id\":1,\"name\":\"apple\",\"price\":1.5}",
            "{\"id\":1} u {\"id\":1,\"name\":\"apple\",\"price\":1.5}"
                + " {\"id\":1,\"name\":\"apple\",\"price\":1.75}",
            "{\"id\":1} d {\"id\":1,\"name\":\"apple\",\"price\":1.75} null",
            "{\"id\":1} tombstone",
            "{\"id\":2} c null {\"id\":2,\"name\":\"apple\",\"price\":1.75}",
            "{\"id\":2} d {\"id\":2,\"name\":\"apple\",\"price\":1.75} null",
            "{\"id\":2} tombstone");
  }

  @Test
  void readsStartAtLatestATimestampOrGivenOffsets() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("start");
    broker.createTopic(topic, 2);
    broker.send(topic, 0, List.of("{\"id\": 1}", "{\"id\": 2}", "{\"id\": 3}"));
    long middle = System.currentTimeMillis();
    Thread.sleep(20);
    broker.send(topic, 1, List.of("{\"id\": 4}", "{\"id\": 5}"));
    Schema schema =
        Schema.of(
            Column.of("id", DataType.INT64),
            Column.of("_partition", DataType.INT32),
            Column.of("_offset", DataType.INT64));
    TestConnectorContext ctx = new TestConnectorContext("start");
    assertThat(ids(Pipelines.source(kafka, sourceOptions(topic, schema, o -> {}), ctx)))
        .containsExactly("1@0:0", "2@0:1", "3@0:2", "4@1:0", "5@1:1");
    assertThat(
            ids(
                Pipelines.source(
                    kafka, sourceOptions(topic, schema, o -> o.put("startFrom", "latest")), ctx)))
        .isEmpty();
    assertThat(
            ids(
                Pipelines.source(
                    kafka,
                    sourceOptions(
                        topic,
                        schema,
                        o -> {
                          o.put("startFrom", "timestamp");
                          o.put("startTimestamp", middle);
                        }),
                    ctx)))
        .containsExactly("4@1:0", "5@1:1");
    assertThat(
            ids(
                Pipelines.source(
                    kafka,
                    sourceOptions(
                        topic,
                        schema,
                        o -> {
                          o.put("startFrom", "offsets");
                          o.put("startOffsets", Map.of(topic + ":0", 2, topic + ":1", 1));
                        }),
                    ctx)))
        .containsExactly("3@0:2", "5@1:1");
    FerryException past =
        catchThrowableOfType(
            FerryException.class,
            () ->
                Pipelines.source(
                        kafka,
                        sourceOptions(
                            topic,
                            schema,
                            o -> {
                              o.put("startFrom", "offsets");
                              o.put("startOffsets", Map.of(topic + ":0", 9));
                            }),
                        ctx)
                    .planner()
                    .plan(1));
    assertThat(past.option()).isEqualTo("startOffsets");
    assertThat(past.getMessage()).contains("offset 9 of '" + topic + ":0'").contains("0 to 3");
    // A pattern finds the topic; the live check names a topic that is not there.
    assertThat(
            ids(
                Pipelines.source(
                    kafka,
                    Map.of(
                        "bootstrapServers", broker.bootstrap(),
                        "topicPattern", topic.replace("-", "."),
                        "columns", List.of("id int64", "_partition int32", "_offset int64")),
                    ctx)))
        .hasSize(5);
    try (Source missing =
        Pipelines.source(
            kafka,
            Map.of(
                "bootstrapServers",
                broker.bootstrap(),
                "topics",
                "no-such-topic-" + topic,
                "columns",
                List.of("id int64")),
            ctx)) {
      assertThat(missing.check())
          .extracting(OptionProblem::option, OptionProblem::message)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "topics",
                  "there is no topic 'no-such-topic-" + topic + "' on " + broker.bootstrap()));
    }
  }

  private static List<String> ids(Source source) {
    try (source) {
      return Pipelines.readAll(source).stream().map(r -> r[0] + "@" + r[1] + ":" + r[2]).toList();
    }
  }

  @Test
  void optionsThatDoNotFitTogetherAreRefusedNamingTheOption() {
    TestConnectorContext ctx = new TestConnectorContext("options");
    Map<String, Object> both = new LinkedHashMap<>();
    both.put("bootstrapServers", "127.0.0.1:9092");
    both.put("topics", "a");
    both.put("topicPattern", "a.*");
    both.put("columns", List.of("id int64"));
    assertThat(problems(() -> Pipelines.source(kafka, both, ctx))).containsKey("topics");

    Map<String, Object> timestamp = new LinkedHashMap<>(both);
    timestamp.remove("topicPattern");
    timestamp.put("startFrom", "timestamp");
    assertThat(problems(() -> Pipelines.source(kafka, timestamp, ctx)))
        .containsEntry(
            "startTimestamp",
            "startFrom timestamp needs startTimestamp (milliseconds since the epoch)");

    Map<String, Object> reserved =
        Map.of(
            "bootstrapServers", "127.0.0.1:9092",
            "topic", "t",
            "properties", Map.of("transactional.id", "x"));
    assertThat(problems(() -> Pipelines.sink(kafka, reserved, ctx)))
        .containsEntry(
            "properties", "'transactional.id' is set by Ferry from transactional; leave it out");

    // A setting the Kafka client itself rejects names the option that carried it.
    Map<String, Object> clientRejects =
        Map.of(
            "bootstrapServers", broker.bootstrap(),
            "topic", KafkaTestBroker.uniqueTopic("rejects"),
            "properties", Map.of("linger.ms", "soon"));
    FerryException rejected =
        catchThrowableOfType(
            FerryException.class,
            () -> {
              try (Sink sink = Pipelines.sink(kafka, clientRejects, ctx)) {
                sink.prepare(Schema.of(Column.of("id", DataType.INT64)));
                sink.createWriter(0).close();
              }
            });
    assertThat(rejected.option()).isEqualTo("properties");
    assertThat(rejected.getMessage()).contains("linger.ms");

    Map<String, Object> badServer = Map.of("bootstrapServers", "localhost", "topic", "t");
    assertThat(problems(() -> Pipelines.sink(kafka, badServer, ctx)))
        .containsEntry("bootstrapServers", "'localhost' is not host:port");

    Map<String, Object> badTopic = Map.of("bootstrapServers", "127.0.0.1:1", "topic", "a b");
    assertThat(problems(() -> Pipelines.sink(kafka, badTopic, ctx))).containsKey("topic");

    Map<String, Object> sasl =
        Map.of(
            "bootstrapServers", "127.0.0.1:1", "topic", "t", "securityProtocol", "sasl-plaintext");
    assertThat(problems(() -> Pipelines.sink(kafka, sasl, ctx)))
        .containsKeys("username", "password");

    Map<String, Object> metadataType = new LinkedHashMap<>(timestamp);
    metadataType.remove("startFrom");
    metadataType.put("columns", List.of("id int64", "_offset string"));
    assertThat(problems(() -> Pipelines.source(kafka, metadataType, ctx)))
        .containsEntry(
            "columns", "column '_offset' reads the record's own field and is of type int64");
  }

  private static Map<String, String> problems(Runnable create) {
    InvalidOptionsException e = catchThrowableOfType(InvalidOptionsException.class, create::run);
    assertThat(e).as("options must be refused").isNotNull();
    Map<String, String> byOption = new LinkedHashMap<>();
    for (OptionProblem p : e.problems()) {
      byOption.put(p.option(), p.message());
    }
    return byOption;
  }

  @Test
  void theCatalogListsTopicsWithTheirPartitions() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("catalog");
    broker.createTopic(topic, 2);
    broker.send(topic, 1, List.of("{}", "{}", "{}"));
    Connector.Role<Catalog> role = kafka.catalog().orElseThrow();
    try (Catalog catalog =
        role.create(
            role.options().parse(Map.of("bootstrapServers", broker.bootstrap())),
            new TestConnectorContext("catalog"))) {
      assertThat(catalog.tables(null)).contains(new Catalog.TableRef(null, topic));
      assertThat(catalog.tables(null)).noneMatch(t -> t.name().startsWith("__"));
      Catalog.TableInfo info = catalog.table(new Catalog.TableRef(null, topic));
      assertThat(info.rowEstimate()).hasValue(3);
      assertThat(info.comment())
          .startsWith("2 partitions; partition 0: leader 1, 1 replicas, 1 in sync, offsets 0 to 0")
          .contains("partition 1: leader 1, 1 replicas, 1 in sync, offsets 0 to 3");
      assertThat(info.columns())
          .extracting(Catalog.ColumnInfo::name)
          .contains("_partition", "_offset", "value");
      FerryException missing =
          catchThrowableOfType(
              FerryException.class,
              () -> catalog.table(new Catalog.TableRef(null, "no-such-" + topic)));
      assertThat(missing.code().code()).isEqualTo("not-found");
    }
  }

  @Test
  void everyTextHasASimplifiedChineseTranslation() throws Exception {
    Properties zh = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/META-INF/ferry/i18n/zh-CN.xml")) {
      assertThat(in).as("META-INF/ferry/i18n/zh-CN.xml").isNotNull();
      zh.loadFromXML(in);
    }
    List<String> missing = new ArrayList<>();
    if (!isChinese(zh.getProperty(kafka.description()))) {
      missing.add("description");
    }
    for (var role :
        List.of(
            kafka.source().get().options(),
            kafka.sink().get().options(),
            kafka.catalog().get().options())) {
      for (var option : role.options()) {
        if (!isChinese(zh.getProperty(option.description()))) {
          missing.add(option.name() + ": " + option.description());
        }
        if (!isChinese(zh.getProperty("label." + option.name()))) {
          missing.add("label." + option.name());
        }
      }
    }
    assertThat(missing).as("texts without a translation").isEmpty();
  }

  private static boolean isChinese(String text) {
    return text != null
        && text.codePoints()
            .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }

  private static RowBatch batch(Schema schema, List<Object[]> rows) {
    RowBatch b = new RowBatch(schema.size(), rows.size());
    rows.forEach(r -> b.addRow(r.clone()));
    return b;
  }

  private JsonNode readTree(byte[] bytes) {
    try {
      return json.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
