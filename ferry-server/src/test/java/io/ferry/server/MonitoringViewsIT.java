package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring views computed from the metadata store — sync status per data source, runs over
 * time, the dependency graph — checked against runs whose results and row counts the test knows.
 * One server of its own, so that every run it counts is one of the test's.
 */
class MonitoringViewsIT {
  static TestServer server;
  static Path files;

  @BeforeAll
  static void start() throws Exception {
    files = java.nio.file.Files.createDirectories(Path.of("target", "mv-" + UUID.randomUUID()));
    server = new TestServer("--ferry.file-roots=" + files.toAbsolutePath());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static long dataSource(String alias, String connector, Map<String, Object> options) {
    Reply r =
        server.post(
            "/api/datasources", Map.of("alias", alias, "connector", connector, "options", options));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static long task(String name, String script) {
    Reply r = server.post("/api/tasks", Map.of("name", name, "mode", "script", "script", script));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static JsonNode runToEnd(long task) throws InterruptedException {
    long run = server.post("/api/tasks/" + task + "/runs", null).json().get("id").asLong();
    return await(
        "/api/runs/" + run,
        r -> List.of("SUCCEEDED", "FAILED", "STOPPED").contains(r.get("state").asText()));
  }

  private static JsonNode await(String path, Predicate<JsonNode> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get(path).json();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " never got there: " + last);
  }

  private static JsonNode syncOf(String alias) {
    for (JsonNode d : server.get("/api/monitoring/sync-status").json()) {
      if (d.get("alias").asText().equals(alias)) {
        return d;
      }
    }
    throw new AssertionError("no sync status for " + alias);
  }

  @Test
  void syncStatusHistoryAndDependenciesFollowTheRunsThatHappened() throws Exception {
    String gen = "gen-" + UUID.randomUUID();
    String missing = "missing-" + UUID.randomUUID();
    String unused = "unused-" + UUID.randomUUID();
    dataSource(gen, "datagen", Map.of("seed", 1));
    dataSource(
        missing, "file", Map.of("path", files.resolve("no-such.csv").toAbsolutePath().toString()));
    dataSource(unused, "datagen", Map.of("seed", 2));

    long copy =
        task(
            "copy-" + UUID.randomUUID(),
            "source: {datasource: " + gen + ", rows: 100}\nsink: {connector: blackhole}\n");
    long broken =
        task(
            "broken-" + UUID.randomUUID(),
            "source: {datasource: " + missing + "}\nsink: {connector: blackhole}\n");
    long later =
        task(
            "later-" + UUID.randomUUID(),
            "source: {datasource: " + gen + ", rows: 5}\nsink: {connector: blackhole}\n");

    // Nothing ran yet: the used sources never synced, the third is unused.
    assertThat(syncOf(gen).get("status").asText()).isEqualTo("NEVER_SYNCED");
    assertThat(syncOf(unused).get("status").asText()).isEqualTo("UNUSED");
    assertThat(syncOf(unused).get("tasks")).isEmpty();

    Instant before = Instant.now();
    JsonNode copied = runToEnd(copy);
    assertThat(copied.get("state").asText()).isEqualTo("SUCCEEDED");
    JsonNode failed = runToEnd(broken);
    assertThat(failed.get("state").asText()).isEqualTo("FAILED");

    JsonNode g = syncOf(gen);
    assertThat(g.get("status").asText()).as(g.toString()).isEqualTo("PARTIAL");
    assertThat(Instant.parse(g.get("lastSyncAt").asText()))
        .isEqualTo(Instant.parse(copied.get("endedAt").asText()));
    JsonNode copyTask = taskIn(g, copy);
    assertThat(copyTask.get("side").asText()).isEqualTo("source");
    assertThat(copyTask.get("lastState").asText()).isEqualTo("SUCCEEDED");
    assertThat(copyTask.get("lastRecordsWritten").asLong()).isEqualTo(100);
    assertThat(copyTask.get("lastRunId").asLong()).isEqualTo(copied.get("id").asLong());
    assertThat(taskIn(g, later).get("lastState").isNull()).isTrue();

    JsonNode m = syncOf(missing);
    assertThat(m.get("status").asText()).isEqualTo("FAILING");
    assertThat(m.get("lastSyncAt").isNull()).isTrue();
    assertThat(taskIn(m, broken).get("lastMessage").asText()).contains("no-such.csv");

    assertThat(runToEnd(later).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(syncOf(gen).get("status").asText()).isEqualTo("IN_SYNC");

    // Runs over time: three runs ended in the last hour, 105 rows written.
    JsonNode timeline = server.get("/api/monitoring/history?hours=1").json();
    assertThat(timeline.get("bucketMinutes").asInt()).isEqualTo(5);
    List<JsonNode> buckets = new ArrayList<>();
    timeline.get("buckets").forEach(buckets::add);
    assertThat(buckets).hasSize(12);
    assertThat(buckets.stream().mapToInt(b -> b.get("succeeded").asInt()).sum()).isEqualTo(2);
    assertThat(buckets.stream().mapToInt(b -> b.get("failed").asInt()).sum()).isEqualTo(1);
    assertThat(buckets.stream().mapToLong(b -> b.get("recordsWritten").asLong()).sum())
        .isEqualTo(105);
    JsonNode last = buckets.get(buckets.size() - 1);
    assertThat(Instant.parse(last.get("start").asText()))
        .isBefore(Instant.now())
        .isAfter(before.minus(Duration.ofMinutes(10)));
    Reply tooLong = server.get("/api/monitoring/history?hours=721");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body()).contains("hours");
    assertThat(server.get("/api/monitoring/history?hours=720").json().get("buckets").size())
        .isLessThanOrEqualTo(72);

    // The dependency graph: later waits for copy; broken has no schedule and stays out.
    Reply put =
        server.put(
            "/api/tasks/" + copy + "/schedule",
            Map.of("type", "periodic", "cycle", "day", "time", "02:00"));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    put =
        server.put(
            "/api/tasks/" + later + "/schedule",
            Map.of(
                "type",
                "periodic",
                "cycle",
                "day",
                "time",
                "03:00",
                "upstreamTaskIds",
                List.of(copy)));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    JsonNode graph = server.get("/api/monitoring/dependencies").json();
    List<Long> nodes = new ArrayList<>();
    graph.get("nodes").forEach(n -> nodes.add(n.get("taskId").asLong()));
    assertThat(nodes).contains(copy, later).doesNotContain(broken);
    assertThat(graph.get("edges").toString())
        .contains("{\"upstreamTaskId\":" + copy + ",\"taskId\":" + later + "}");
    assertThat(nodeOf(graph, later).get("latestState").isNull()).isTrue();

    // An instance run by hand colours its node.
    Reply made = server.post("/api/tasks/" + copy + "/instances", null);
    assertThat(made.status()).as(made.toString()).isBetween(200, 202);
    JsonNode done =
        await(
            "/api/monitoring/dependencies",
            gr -> "SUCCEEDED".equals(nodeOf(gr, copy).path("latestState").asText()));
    assertThat(nodeOf(done, copy).get("latestInstanceId").asLong())
        .isEqualTo(made.json().get("id").asLong());
    assertThat(nodeOf(done, copy).get("name").asText()).startsWith("copy-");
  }

  /**
   * The connections a run holds, read from its pools while it runs (a source held to 4,000 rows a
   * second over 2 channels), are counted against the data sources its script names; none remain
   * once it ended, and a data source no run uses shows 0.
   */
  @Test
  void theConnectionsOfARunCountAgainstItsDataSources() throws Exception {
    String db = TestDatabases.newName("ferry_mv");
    TestDatabases.createMariadb(db);
    TestDatabases.createPostgres(db);
    try {
      try (var c = TestDatabases.mariadb(db);
          var st = c.createStatement()) {
        st.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(40))");
        st.execute("INSERT INTO orders SELECT seq, CONCAT('n', seq) FROM seq_1_to_20000");
      }
      try (var c = TestDatabases.postgres(db);
          var st = c.createStatement()) {
        st.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(40))");
      }
      String src = "conn-src-" + UUID.randomUUID();
      String dst = "conn-dst-" + UUID.randomUUID();
      String idle = "conn-idle-" + UUID.randomUUID();
      dataSource(src, "mysql", Map.of("url", TestDatabases.MARIADB + db, "user", "root"));
      dataSource(dst, "postgresql", Map.of("url", TestDatabases.POSTGRES + db, "user", "postgres"));
      dataSource(idle, "mysql", Map.of("url", TestDatabases.MARIADB + db, "user", "root"));
      long task =
          task(
              "conn-" + UUID.randomUUID(),
              "source: {datasource: "
                  + src
                  + ", table: orders}\nsink: {datasource: "
                  + dst
                  + ", table: orders}\nsettings: {channels: 2, recordsPerSecond: 4000}\n");
      long run = server.post("/api/tasks/" + task + "/runs", null).json().get("id").asLong();

      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      double source = 0;
      double sink = 0;
      while ((source == 0 || sink == 0) && System.nanoTime() < deadline) {
        String page = server.get("/actuator/prometheus").body();
        // The gauge is read every 5 s: a data source created just now may not be there yet.
        if (page.contains(dst)) {
          source = connections(page, src, "active") + connections(page, src, "idle");
          sink = connections(page, dst, "active") + connections(page, dst, "idle");
          assertThat(connections(page, idle, "active") + connections(page, idle, "idle")).isZero();
        }
        Thread.sleep(200);
      }
      assertThat(server.get("/api/runs/" + run).json().get("state").asText())
          .as("still running when counted")
          .isEqualTo("RUNNING");
      // One reader per channel and the planning connection at most; at least one of each side.
      assertThat(source).isBetween(1.0, 3.0);
      assertThat(sink).isBetween(1.0, 3.0);

      JsonNode ended =
          await(
              "/api/runs/" + run,
              r -> !List.of("QUEUED", "CREATED", "RUNNING").contains(r.get("state").asText()));
      assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
      assertThat(ended.get("recordsWritten").asLong()).isEqualTo(20_000);
      await(
          "/api/monitoring/sync-status",
          x -> {
            String page = server.get("/actuator/prometheus").body();
            return connections(page, src, "active") + connections(page, src, "idle") == 0
                && connections(page, dst, "active") + connections(page, dst, "idle") == 0;
          });
    } finally {
      TestDatabases.dropMariadb(db);
      TestDatabases.dropPostgres(db);
    }
  }

  /** A series' value on the Prometheus page; fails when the series is not there. */
  private static double connections(String page, String alias, String state) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "(?m)^ferry_datasource_connections\\{datasource=\""
                    + java.util.regex.Pattern.quote(alias)
                    + "\",state=\""
                    + state
                    + "\"} (\\S+)$")
            .matcher(page);
    assertThat(m.find()).as("the " + state + " connections of " + alias + " in\n" + page).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static JsonNode taskIn(JsonNode dataSource, long task) {
    for (JsonNode t : dataSource.get("tasks")) {
      if (t.get("taskId").asLong() == task) {
        return t;
      }
    }
    throw new AssertionError("task " + task + " not in " + dataSource);
  }

  private static JsonNode nodeOf(JsonNode graph, long task) {
    for (JsonNode n : graph.get("nodes")) {
      if (n.get("taskId").asLong() == task) {
        return n;
      }
    }
    throw new AssertionError("task " + task + " not in " + graph);
  }
}
