package io.ferry.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.engine.ChangeProgress;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kind: cdc} job from a binlog MariaDB into Kafka through the engine: the snapshot's rows
 * arrive as Debezium op r events, then inserts, updates, a key change and a delete as c / u / d
 * events (with tombstones), each keyed by the row key, in log order.
 */
@Timeout(120)
class KafkaCdcTest {
  @Test
  void aTableArrivesAsDebeziumChangeEvents(@TempDir Path dir) throws Exception {
    BinlogMariaDb server = BinlogMariaDb.shared();
    String db = "kafka_cdc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String prefix = KafkaTestBroker.uniqueTopic("cdc");
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(""), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
      s.execute("CREATE TABLE " + db + ".items (id BIGINT PRIMARY KEY, name VARCHAR(40), qty INT)");
      s.execute("INSERT INTO " + db + ".items VALUES (1, 'one', 1), (2, 'two', 2)");
    }
    try {
      String job =
          """
          kind: cdc
          source: {connector: mysql, host: %s, port: %d, user: %s, password: "%s", database: %s, tables: [items]}
          sink: {connector: kafka, bootstrapServers: ['%s'], topic: "%s-${table}", envelope: debezium}
          settings: {flushInterval: 100ms, progressInterval: 100ms}
          """
              .formatted(
                  server.host(),
                  server.port(),
                  server.user(),
                  server.password(),
                  db,
                  KafkaTestBroker.get().bootstrap(),
                  prefix);
      Engine engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir);
      JobRun run = engine.start(JobSpecLoader.parse(job, false, null, "kafka-cdc", Map.of()));
      await(() -> streaming(run) || run.state().isFinal(), "the run streams");
      assertThat(run.state()).as("run: %s", run.progress()).isEqualTo(RunState.RUNNING);
      try (Connection c =
              DriverManager.getConnection(server.jdbcUrl(db), server.user(), server.password());
          Statement s = c.createStatement()) {
        s.execute("INSERT INTO items VALUES (3, 'three', 3)");
        s.execute("UPDATE items SET qty = 20 WHERE id = 2");
        s.execute("UPDATE items SET id = 10 WHERE id = 1");
        s.execute("DELETE FROM items WHERE id = 3");
      }
      String topic = prefix + "-items";
      // r, r, c, u, d + tombstone + c (the key change), d + tombstone
      await(() -> topicSize(topic) >= 9, "nine records");
      run.pause();
      assertThat(run.await().state()).isEqualTo(RunState.PAUSED);

      List<String> events = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : KafkaTestBroker.get().readAll(topic)) {
        JsonNode key = JsonValues.mapper().readTree(r.key());
        if (r.value() == null) {
          events.add(key + " tombstone");
          continue;
        }
        JsonNode v = JsonValues.mapper().readTree(r.value());
        if (v.get("op").asText().equals("r")) {
          // The snapshot's rows come through the batch path, which does not know the table.
          assertThat(v.get("source").get("snapshot").asText()).isEqualTo("true");
          assertThat(v.get("source").get("table").isNull()).isTrue();
        } else {
          assertThat(v.get("source").get("db").asText()).isEqualTo(db);
          assertThat(v.get("source").get("table").asText()).isEqualTo("items");
        }
        events.add(key + " " + v.get("op").asText() + " " + v.get("before") + " " + v.get("after"));
      }
      assertThat(events.subList(0, 2))
          .containsExactlyInAnyOrder(
              "{\"id\":1} r null {\"id\":1,\"name\":\"one\",\"qty\":1}",
              "{\"id\":2} r null {\"id\":2,\"name\":\"two\",\"qty\":2}");
      assertThat(events.subList(2, events.size()))
          .containsExactly(
              "{\"id\":3} c null {\"id\":3,\"name\":\"three\",\"qty\":3}",
              "{\"id\":2} u {\"id\":2,\"name\":\"two\",\"qty\":2}"
                  + " {\"id\":2,\"name\":\"two\",\"qty\":20}",
              "{\"id\":1} d {\"id\":1,\"name\":\"one\",\"qty\":1} null",
              "{\"id\":1} tombstone",
              "{\"id\":10} c null {\"id\":10,\"name\":\"one\",\"qty\":1}",
              "{\"id\":3} d {\"id\":3,\"name\":\"three\",\"qty\":3} null",
              "{\"id\":3} tombstone");
    } finally {
      try (Connection c =
              DriverManager.getConnection(server.jdbcUrl(""), server.user(), server.password());
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      }
    }
  }

  private static int topicSize(String topic) {
    try (var admin = KafkaTestBroker.get().admin()) {
      if (!admin.listTopics().names().get().contains(topic)) {
        return 0;
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return KafkaTestBroker.get().readAll(topic).size();
  }

  private static boolean streaming(JobRun run) {
    ChangeProgress c = run.progress().changes();
    return c != null && c.phase() == ChangeProgress.Phase.STREAMING;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
