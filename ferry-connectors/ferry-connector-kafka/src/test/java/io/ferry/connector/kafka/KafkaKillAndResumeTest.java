package io.ferry.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of {@code ferry run} (a child JVM with this class path; the broker is the
 * one in this JVM), then {@code ferry resume} until the run ends:
 *
 * <ul>
 *   <li>into a transactional Kafka sink: every row is in the topic exactly once for read_committed
 *       consumers (splits left open are aborted, splits committed before the checkpoint are not
 *       written again);
 *   <li>from a Kafka source: readers continue from the offsets in the checkpoint, and the target
 *       holds every record's row.
 * </ul>
 */
class KafkaKillAndResumeTest {
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final int ROWS = 40_000;

  @Test
  void killedRunsIntoATransactionalTopicLeaveEveryRowExactlyOnce() throws Exception {
    String db =
        "ferry_kafka_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String topic = KafkaTestBroker.uniqueTopic("kill-sink");
    Path work = Files.createDirectories(Path.of("target", "kill-resume", topic).toAbsolutePath());
    try (Connection m = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = m.createStatement()) {
      s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4");
      s.execute("USE " + db);
      s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, sku VARCHAR(32), qty INT)");
      s.execute(
          "INSERT INTO orders SELECT seq, CONCAT('SKU-', seq % 9973), seq % 17 FROM seq_1_to_"
              + ROWS);
    }
    try {
      Path job =
          Files.writeString(
              work.resolve("job.yaml"),
              """
              source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: orders, splitsPerChannel: 6}
              sink: {connector: kafka, bootstrapServers: ['%s'], topic: %s, partitions: 3, transactional: true}
              settings: {channels: 2, flushInterval: 200ms, recordsPerSecond: 10000}
              """
                  .formatted(db, KafkaTestBroker.get().bootstrap(), topic));
      int kills = runKillingAndResuming(work, job, 2);
      assertThat(kills).as("the run must have been killed mid-copy").isGreaterThanOrEqualTo(2);
      ObjectMapper json = new ObjectMapper();
      Map<Long, Integer> seen = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : KafkaTestBroker.get().readAll(topic)) {
        JsonNode value = json.readTree(r.value());
        long id = value.get("id").asLong();
        seen.merge(id, 1, Integer::sum);
        assertThat(value.get("sku").asText()).isEqualTo("SKU-" + id % 9973);
        assertThat(value.get("qty").asInt()).isEqualTo((int) (id % 17));
        assertThat(json.readTree(r.key()).get("id").asLong()).isEqualTo(id);
      }
      assertThat(seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
          .as("ids written more than once")
          .isEmpty();
      assertThat(seen).hasSize(ROWS);
    } finally {
      try (Connection m = DriverManager.getConnection(MARIADB, "root", "");
          Statement s = m.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      }
    }
  }

  @Test
  void killedRunsFromATopicContinueFromTheirOffsets() throws Exception {
    String db =
        "ferry_kafka_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String topic = KafkaTestBroker.uniqueTopic("kill-source");
    KafkaTestBroker broker = KafkaTestBroker.get();
    broker.createTopic(topic, 3);
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 1; i <= ROWS; i++) {
        String value = "{\"id\": " + i + ", \"note\": \"row " + i + " ✓\"}";
        producer.send(
            new ProducerRecord<>(topic, i % 3, null, value.getBytes(StandardCharsets.UTF_8)));
      }
    }
    Path work = Files.createDirectories(Path.of("target", "kill-resume", topic).toAbsolutePath());
    try (Connection p = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = p.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    try {
      try (Connection p = DriverManager.getConnection(POSTGRES + db, "postgres", "");
          Statement s = p.createStatement()) {
        s.execute(
            "CREATE TABLE events (id BIGINT PRIMARY KEY, note TEXT, part INT, off BIGINT,"
                + " UNIQUE (part, off))");
      }
      Path job =
          Files.writeString(
              work.resolve("job.yaml"),
              """
              source: {connector: kafka, bootstrapServers: ['%s'], topics: [%s], batchSize: 200,
                       columns: ["id int64", "note string", "_partition int32", "_offset int64"]}
              sink: {connector: postgresql, host: 127.0.0.1, port: 5432, user: postgres, database: %s,
                     table: events, writeMode: upsert, keys: [id]}
              mapping: [id, note, _partition -> part, _offset -> off]
              settings: {channels: 3, flushInterval: 200ms, recordsPerSecond: 10000}
              """
                  .formatted(broker.bootstrap(), topic, db));
      // Once is enough here: the suite resumes after every batch position already.
      int kills = runKillingAndResuming(work, job, 1);
      assertThat(kills).as("the run must have been killed mid-copy").isEqualTo(1);
      try (Connection p = DriverManager.getConnection(POSTGRES + db, "postgres", "");
          Statement s = p.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*), count(DISTINCT id), min(id), max(id),"
                      + " count(*) FILTER (WHERE note = 'row ' || id || ' ✓' AND part = id % 3),"
                      + " count(DISTINCT (part, off)) FROM events")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(ROWS);
        assertThat(r.getLong(2)).isEqualTo(ROWS);
        assertThat(r.getLong(3)).isEqualTo(1);
        assertThat(r.getLong(4)).isEqualTo(ROWS);
        assertThat(r.getLong(5)).as("rows whose note and partition match their id").isEqualTo(ROWS);
        assertThat(r.getLong(6)).isEqualTo(ROWS);
      }
    } finally {
      try (Connection p = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
          Statement s = p.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  /**
   * A continuous read never ends by itself: records produced while it runs arrive, a SIGKILL and
   * {@code ferry resume} continue from the checkpointed offsets (three partitions shared by two
   * channels, so one reader reads two partitions), and a SIGTERM pauses it with its checkpoint.
   */
  @Test
  void aContinuousReadTakesNewRecordsSurvivesAKillAndPausesOnSigterm() throws Exception {
    String db =
        "ferry_kafka_stream_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String topic = KafkaTestBroker.uniqueTopic("continuous");
    KafkaTestBroker broker = KafkaTestBroker.get();
    broker.createTopic(topic, 3);
    Path work = Files.createDirectories(Path.of("target", "continuous", topic).toAbsolutePath());
    Path err = work.resolve("ferry.err");
    try (Connection p = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = p.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    try (KafkaProducer<byte[], byte[]> producer = broker.producer();
        Connection target = DriverManager.getConnection(POSTGRES + db, "postgres", "")) {
      try (Statement s = target.createStatement()) {
        s.execute(
            "CREATE TABLE events (id BIGINT PRIMARY KEY, note TEXT, part INT, off BIGINT,"
                + " UNIQUE (part, off))");
      }
      produce(producer, topic, 1, 300);
      Path job =
          Files.writeString(
              work.resolve("job.yaml"),
              """
              source: {connector: kafka, bootstrapServers: ['%s'], topics: [%s], batchSize: 100,
                       continuous: true,
                       columns: ["id int64", "note string", "_partition int32", "_offset int64"]}
              sink: {connector: postgresql, host: 127.0.0.1, port: 5432, user: postgres, database: %s,
                     table: events, writeMode: upsert, keys: [id]}
              mapping: [id, note, _partition -> part, _offset -> off]
              settings: {channels: 2, flushInterval: 200ms}
              """
                  .formatted(broker.bootstrap(), topic, db));
      Process run = ferry(work, err, "run", "-v", job.toString());
      awaitRows(target, 300, run, err);
      produce(producer, topic, 301, 500);
      awaitRows(target, 500, run, err);
      assertThat(run.isAlive())
          .as("a continuous run goes on after the records at its start")
          .isTrue();

      run.destroyForcibly(); // SIGKILL
      run.waitFor(30, TimeUnit.SECONDS);
      produce(producer, topic, 501, 650);
      String key = lastRunKey(err);
      assertThat(key).as(Files.readString(err)).isNotNull();
      Process resumed = ferry(work, err, "resume", "-v", key);
      awaitRows(target, 650, resumed, err);

      resumed.destroy(); // SIGTERM: pause with the checkpoint
      assertThat(resumed.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(resumed.exitValue()).as(Files.readString(err)).isEqualTo(5); // paused
      try (Statement s = target.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*), count(DISTINCT id), min(id), max(id),"
                      + " count(*) FILTER (WHERE note = 'row ' || id AND part = id % 3),"
                      + " count(DISTINCT (part, off)) FROM events")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(650);
        assertThat(r.getLong(2)).isEqualTo(650);
        assertThat(r.getLong(3)).isEqualTo(1);
        assertThat(r.getLong(4)).isEqualTo(650);
        assertThat(r.getLong(5)).as("rows whose note and partition match their id").isEqualTo(650);
        assertThat(r.getLong(6)).isEqualTo(650);
      }
    } finally {
      try (Connection p = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
          Statement s = p.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  private static void produce(
      KafkaProducer<byte[], byte[]> producer, String topic, int from, int to) throws Exception {
    for (int i = from; i <= to; i++) {
      String value = "{\"id\": " + i + ", \"note\": \"row " + i + "\"}";
      producer.send(
          new ProducerRecord<>(topic, i % 3, null, value.getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  /** Waits until the target holds {@code rows} rows while {@code run} goes on. */
  private static void awaitRows(Connection target, long rows, Process run, Path err)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    long seen = -1;
    while (System.nanoTime() < deadline) {
      try (Statement s = target.createStatement();
          ResultSet r = s.executeQuery("SELECT count(*) FROM events")) {
        r.next();
        seen = r.getLong(1);
      }
      if (seen >= rows) {
        return;
      }
      assertThat(run.isAlive()).as("the run ended: %s", Files.readString(err)).isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError(
        "the target holds " + seen + " rows, not " + rows + ": " + Files.readString(err));
  }

  /**
   * Runs the job, SIGKILLs it up to {@code most} times mid-copy and resumes it; returns the kills.
   */
  private static int runKillingAndResuming(Path work, Path job, int most) throws Exception {
    Path err = work.resolve("ferry.err");
    Random random = new Random(work.hashCode());
    String key = null;
    int kills = 0;
    int started = 0;
    int exit;
    while (true) {
      Process process =
          key == null
              ? ferry(work, err, "run", "-v", job.toString())
              : ferry(work, err, "resume", "-v", key);
      // Killed only once it has planned (or taken up its checkpoint) and started copying.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (process.isAlive() && runLines(err) <= started && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      started++;
      boolean ended = process.waitFor(1500 + random.nextInt(1000), TimeUnit.MILLISECONDS);
      if (ended || kills == most) {
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        exit = process.exitValue();
        break;
      }
      process.destroyForcibly(); // SIGKILL: no pause, no last flush, no abort
      process.waitFor(30, TimeUnit.SECONDS);
      kills++;
      if (key == null) {
        key = lastRunKey(err);
        assertThat(key).as("run key in %s", Files.readString(err)).isNotNull();
      }
    }
    assertThat(exit).as(Files.readString(err)).isZero();
    return kills;
  }

  private static Process ferry(Path work, Path err, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.ferry.cli.Ferry");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().put("FERRY_STATE_DIR", work.resolve("state").toString());
    return builder
        .redirectOutput(work.resolve("ferry.out").toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
        .start();
  }

  /** How many runs and resumes logged their plan so far. */
  private static int runLines(Path err) throws Exception {
    if (!Files.exists(err)) {
      return 0;
    }
    Matcher m = RUN_LINE.matcher(Files.readString(err));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static final Pattern RUN_LINE = Pattern.compile("Run (\\S+): \\d+ splits");

  private static String lastRunKey(Path err) throws Exception {
    if (!Files.exists(err)) {
      return null;
    }
    Matcher m = Pattern.compile("Run (\\S+): \\d+ splits").matcher(Files.readString(err));
    String key = null;
    while (m.find()) {
      key = m.group(1);
    }
    return key;
  }
}
