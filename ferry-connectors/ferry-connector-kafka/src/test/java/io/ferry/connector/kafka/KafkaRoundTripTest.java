package io.ferry.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs through the engine against the real servers: MariaDB → Kafka (transactional JSON, keyed by
 * id) → PostgreSQL, compared row by row; and a topic with broken records read into PostgreSQL,
 * whose dirty-data file names topic, partition, offset and column.
 */
class KafkaRoundTripTest {
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final int ROWS = 5000;
  private static final String COLUMNS = "id, name, amount, created, active, note";

  @Test
  void mariaDbToKafkaToPostgreSqlArrivesExactly(@TempDir Path state) throws Exception {
    String db = "ferry_kafka_rt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String topic = KafkaTestBroker.uniqueTopic("roundtrip");
    String bootstrap = KafkaTestBroker.get().bootstrap();
    try (Connection m = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = m.createStatement()) {
      s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4");
      s.execute("USE " + db);
      s.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, name VARCHAR(64) NULL, amount"
              + " DECIMAL(12,2), created DATETIME(3), active BOOLEAN NULL, note TEXT NULL)");
      s.execute(
          "INSERT INTO orders SELECT seq, CASE WHEN seq % 11 = 0 THEN NULL ELSE CONCAT('name ✓ ',"
              + " seq, ' \"q\", x') END, (seq % 100000) / 100, '2024-02-29 12:00:00' + INTERVAL"
              + " seq * 1001000 MICROSECOND, CASE seq % 3 WHEN 0 THEN NULL WHEN 1 THEN TRUE"
              + " ELSE FALSE END, CASE WHEN seq % 5 = 0 THEN '' ELSE CONCAT('line1\\nline2 ',"
              + " seq) END FROM seq_1_to_"
              + ROWS);
    }
    try (Connection p = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = p.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    try {
      try (Connection p = DriverManager.getConnection(POSTGRES + db, "postgres", "");
          Statement s = p.createStatement()) {
        s.execute(
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, name VARCHAR(64), amount NUMERIC(12,2),"
                + " created TIMESTAMP(3), active BOOLEAN, note TEXT)");
      }
      Engine engine =
          new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
      RunResult toKafka =
          engine
              .start(
                  JobSpecLoader.parse(
                      """
                      source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: orders}
                      sink: {connector: kafka, bootstrapServers: ['%s'], topic: %s, partitions: 3, transactional: true}
                      settings: {channels: 2}
                      """
                          .formatted(db, bootstrap, topic),
                      false,
                      null,
                      "mariadb-to-kafka",
                      Map.of()))
              .await();
      assertThat(toKafka.state())
          .as("failure: %s", toKafka.failure())
          .isEqualTo(RunState.SUCCEEDED);
      assertThat(toKafka.allRowsArrived()).isTrue();

      // Keyed by the table's key: the key is {"id": n}, and each key's partition is Kafka's.
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
          KafkaTestBroker.get().readAll(topic);
      assertThat(records).hasSize(ROWS);
      ObjectMapper json = new ObjectMapper();
      for (var r : records.subList(0, 10)) {
        JsonNode key = json.readTree(r.key());
        assertThat(key.size()).isEqualTo(1);
        assertThat(json.readTree(r.value()).get("id").asLong()).isEqualTo(key.get("id").asLong());
      }

      RunResult toPostgres =
          engine
              .start(
                  JobSpecLoader.parse(
                      """
                      source: {connector: kafka, bootstrapServers: ['%s'], topics: [%s], batchSize: 500,
                               columns: ["id int64", "name string", "amount decimal(12,2)",
                                         "created timestamp(3)", "active boolean", "note string"]}
                      sink: {connector: postgresql, host: 127.0.0.1, port: 5432, user: postgres, database: %s, table: orders}
                      settings: {channels: 3}
                      """
                          .formatted(bootstrap, topic, db),
                      false,
                      null,
                      "kafka-to-postgresql",
                      Map.of()))
              .await();
      assertThat(toPostgres.state())
          .as("failure: %s", toPostgres.failure())
          .isEqualTo(RunState.SUCCEEDED);
      assertThat(toPostgres.allRowsArrived()).isTrue();
      assertThat(rows(MARIADB + db, "root"))
          .containsExactlyElementsOf(rows(POSTGRES + db, "postgres"));
    } finally {
      try (Connection m = DriverManager.getConnection(MARIADB, "root", "");
          Statement s = m.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      }
      try (Connection p = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
          Statement s = p.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  @Test
  void brokenRecordsGoToTheDirtyDataFileWithTopicPartitionOffsetAndColumn(@TempDir Path state)
      throws Exception {
    KafkaTestBroker broker = KafkaTestBroker.get();
    String topic = KafkaTestBroker.uniqueTopic("dirty");
    broker.createTopic(topic, 2);
    broker.send(
        topic,
        0,
        List.of(
            "{\"id\": 1, \"amount\": 1.50}",
            "{\"id\": 2, \"amount\": \"lots\"}", // offset 1: amount is not a number
            "{\"id\": 3, \"amount\": 3.00}"));
    broker.send(
        topic,
        1,
        List.of(
            "{\"id\": 4, \"amount\": 4.25}",
            "{\"id\": 5, \"amount\": 5.00", // offset 1: not JSON
            "{\"id\": 6, \"amount\": 6.00}"));
    Path out = state.resolve("out.jsonl");
    Path dirty = state.resolve("dirty.jsonl");
    Engine engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
    RunResult result =
        engine
            .start(
                JobSpecLoader.parse(
                    """
                    source: {connector: kafka, bootstrapServers: ['%s'], topics: [%s],
                             columns: ["id int64", "amount decimal(12,2)"]}
                    sink: {connector: file, path: '%s', format: jsonl}
                    settings: {errorLimit: 5, dirtyDataPath: '%s'}
                    """
                        .formatted(broker.bootstrap(), topic, out, dirty),
                    false,
                    null,
                    "kafka-dirty",
                    Map.of()))
            .await();
    assertThat(result.state()).as("failure: %s", result.failure()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.progress().dirtyRecords()).isEqualTo(2);
    ObjectMapper json = new ObjectMapper();
    List<Long> ids = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      ids.add(json.readTree(line).get("id").asLong());
    }
    assertThat(ids).containsExactlyInAnyOrder(1L, 3L, 4L, 6L);
    List<JsonNode> bad = new ArrayList<>();
    for (String line : Files.readAllLines(dirty)) {
      bad.add(json.readTree(line));
    }
    assertThat(bad).hasSize(2);
    JsonNode badValue =
        bad.stream()
            .filter(n -> n.path("location").asText().contains("partition 0"))
            .findFirst()
            .get();
    assertThat(badValue.path("location").asText())
        .isEqualTo("topic " + topic + " partition 0 offset 1");
    assertThat(badValue.path("column").asText()).isEqualTo("amount");
    assertThat(badValue.path("value").asText()).contains("lots");
    assertThat(badValue.path("row").path("_raw").asText())
        .isEqualTo("{\"id\": 2, \"amount\": \"lots\"}");
    JsonNode notJson =
        bad.stream()
            .filter(n -> n.path("location").asText().contains("partition 1"))
            .findFirst()
            .get();
    assertThat(notJson.path("location").asText())
        .isEqualTo("topic " + topic + " partition 1 offset 1");
    assertThat(notJson.path("column").isNull() || notJson.path("column").isMissingNode()).isTrue();
    assertThat(notJson.path("reason").asText()).contains("not JSON");
  }

  private static List<String> rows(String url, String user) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT " + COLUMNS + " FROM orders ORDER BY id")) {
      while (r.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
          Object v = r.getObject(i);
          if (v instanceof java.math.BigDecimal d) {
            v = d.toPlainString();
          } else if (v instanceof java.sql.Timestamp t) {
            v = t.toLocalDateTime();
          } else if (v instanceof Number n && i == 5) {
            v = n.intValue() != 0; // MariaDB's BOOLEAN is TINYINT(1)
          }
          row.append(v).append('|');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
