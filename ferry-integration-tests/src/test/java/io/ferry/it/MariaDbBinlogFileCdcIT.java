package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.engine.ChangeProgress;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kind: cdc} job from the binlog MariaDB ({@link BinlogMariaDb}) into the file sink: each
 * change becomes a JSON Lines change record (op, before, after, position, commit time), in log
 * order; a paused and resumed run appends what followed without repeating a record.
 */
@Timeout(60)
class MariaDbBinlogFileCdcIT {
  private static BinlogMariaDb server;
  private static final String DB = "cdc_file_items";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeAll
  static void database() throws Exception {
    server = BinlogMariaDb.shared();
    try (Connection c = source(null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB);
      s.execute("CREATE DATABASE " + DB);
      s.execute("CREATE TABLE " + DB + ".items (id BIGINT PRIMARY KEY, name VARCHAR(40), qty INT)");
    }
  }

  @AfterAll
  static void drop() throws Exception {
    try (Connection c = source(null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB);
    }
  }

  private static Connection source(String database) throws SQLException {
    return DriverManager.getConnection(
        server.jdbcUrl(database == null ? "" : database), server.user(), server.password());
  }

  private String job() {
    return """
        name: cdc-file
        kind: cdc
        source:
          connector: mysql
          host: %s
          port: %d
          user: %s
          password: "%s"
          database: %s
          tables: [items]
        sink:
          connector: file
          path: "%s/${table}.jsonl"
          format: jsonl
        cdc:
          startup: latest
        settings:
          flushInterval: 100ms
          progressInterval: 100ms
        """
        .formatted(
            server.host(), server.port(), server.user(), server.password(), DB, dir.resolve("out"));
  }

  private List<JsonNode> records() {
    Path file = dir.resolve("out").resolve("items.jsonl");
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        out.add(JSON.readTree(line));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static boolean streaming(JobRun run) {
    ChangeProgress c = run.progress().changes();
    return c != null && c.phase() == ChangeProgress.Phase.STREAMING;
  }

  private static void execute(String... sql) throws SQLException {
    try (Connection c = source(DB);
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  @Test
  void changesBecomeChangeRecordsInLogOrderOnceAcrossAPause() throws Exception {
    JobSpec spec = JobSpecLoader.parse(job(), false, null, "cdc-file", Map.of());
    Engine engine =
        new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir.resolve("s"));
    JobRun run = engine.start(spec);
    await(() -> streaming(run) || run.state().isFinal(), "the run streams");
    assertThat(run.state()).as("run: %s", run.progress()).isEqualTo(RunState.RUNNING);

    execute(
        "INSERT INTO items VALUES (1, 'one', 1), (2, 'two', 2)",
        "UPDATE items SET name = 'two''', qty = 20 WHERE id = 2",
        "UPDATE items SET id = 10 WHERE id = 1",
        "DELETE FROM items WHERE id = 2");
    await(() -> records().size() >= 5, "five change records");
    List<JsonNode> records = records();
    assertThat(records).hasSize(5);
    assertThat(records.stream().map(r -> r.get("op").asText()))
        .containsExactly("insert", "insert", "update", "update", "delete");
    assertThat(records.get(0).get("after").toString())
        .isEqualTo("{\"id\":1,\"name\":\"one\",\"qty\":1}");
    assertThat(records.get(0).get("before").isNull()).isTrue();
    assertThat(records.get(2).get("before").get("name").asText()).isEqualTo("two");
    assertThat(records.get(2).get("after").get("qty").asInt()).isEqualTo(20);
    assertThat(records.get(3).get("before").get("id").asLong()).isEqualTo(1);
    assertThat(records.get(3).get("after").get("id").asLong()).isEqualTo(10);
    assertThat(records.get(4).get("after").isNull()).isTrue();
    for (JsonNode r : records) {
      assertThat(r.get("table").asText()).isEqualTo(DB + ".items");
      assertThat(r.get("position").asText()).isNotBlank();
      assertThat(r.get("committedAt").asText()).endsWith("Z");
    }

    run.pause();
    assertThat(run.await().state()).isEqualTo(RunState.PAUSED);
    execute("INSERT INTO items VALUES (3, 'while paused', 3)");
    JobRun resumed = engine.resume(run.runKey(), spec, Map.of());
    await(() -> records().size() >= 6, "the change made while paused");
    execute("DELETE FROM items WHERE id = 10");
    await(() -> records().size() >= 7, "a change after the resume");
    resumed.pause();
    assertThat(resumed.await().state()).isEqualTo(RunState.PAUSED);

    records = records();
    assertThat(records).hasSize(7);
    assertThat(records.get(5).get("after").get("name").asText()).isEqualTo("while paused");
    assertThat(records.get(6).get("op").asText()).isEqualTo("delete");
    assertThat(new HashSet<>(records.stream().map(r -> r.get("position").asText()).toList()))
        .as("each change once")
        .hasSize(7);
  }
}
