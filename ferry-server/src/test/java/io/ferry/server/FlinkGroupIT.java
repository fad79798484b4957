package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.flink.session.FlinkSessionCluster;
import io.ferry.server.TestServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task in a {@code flink} resource group: its runs are submitted to the group's Flink session
 * cluster (in a JVM of its own whose class path has Flink and nothing of Ferry) by the server, from
 * a run process of their own, with the installation's jars. A MariaDB → PostgreSQL copy is read
 * back row by row; a stop mid-way cancels the Flink job and the run ends STOPPED; a run process
 * whose server died (kill -9) cancels its Flink job before it halts.
 */
@Timeout(600)
class FlinkGroupIT {
  /** The PostgreSQL data source's password (trust ignores it): never in the run's log. */
  private static final String SECRET = "flink-s3cret-" + Long.toHexString(System.nanoTime());

  private static final String META = TestDatabases.newName("h22_flink_meta");
  private static final String SOURCE = TestDatabases.newName("h22_flink_src");
  private static final String TARGET = TestDatabases.newName("h22_flink_dst");
  private static FlinkSessionCluster cluster;
  private static TestServer server;
  private static long task;

  @BeforeAll
  static void start() throws Exception {
    cluster = FlinkSessionCluster.start(Path.of("target", "h22-flink-group"), 2);
    TestDatabases.createPostgres(META);
    TestDatabases.createPostgres(TARGET);
    ClusteredSchedulerIT.orders(SOURCE);
    server =
        new TestServer(
            "--spring.datasource.url=" + TestDatabases.POSTGRES + META,
            "--spring.datasource.username=postgres",
            // The installation the runs ship (lib/, connectors/); Flink is on this class path.
            "--ferry.runs.flink-home=" + cluster.home());
    Reply group =
        server.post(
            "/api/resource-groups",
            Map.of("name", "flink-h22", "kind", "flink", "flinkAddress", cluster.master()));
    assertThat(group.status()).as(group.toString()).isEqualTo(201);
    dataSource("maria", "mysql", TestDatabases.MARIADB + SOURCE, "root", "");
    dataSource("pg", "postgresql", TestDatabases.POSTGRES + TARGET, "postgres", SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    TestDatabases.dropPostgres(META);
    TestDatabases.dropPostgres(TARGET);
    TestDatabases.dropMariadb(SOURCE);
  }

  @Test
  void aRunOfAFlinkGroupCopiesOnTheClusterExactly() throws Exception {
    long t =
        task(
            "flink-copy",
            """
            source: {datasource: maria, table: orders, splitsPerChannel: 3}
            sink: {datasource: pg, table: orders_copy, createTable: true, writeMode: insert}
            settings: {channels: 2, flushInterval: 1s}
            """);
    assertThat(server.get("/api/tasks/" + t).json().get("resourceGroup").asText())
        .isEqualTo("flink-h22");

    long run = startRun(t);
    JsonNode done = await(run, "SUCCEEDED", Duration.ofSeconds(240));

    assertThat(done.get("recordsRead").asLong()).isEqualTo(ClusteredSchedulerIT.ROWS);
    assertThat(done.get("recordsWritten").asLong()).isEqualTo(ClusteredSchedulerIT.ROWS);
    assertThat(done.get("resourceGroup").asText()).isEqualTo("flink-h22");
    try (var s = TestDatabases.mariadb(SOURCE);
        var d = TestDatabases.postgres(TARGET)) {
      assertThat(ClusteredSchedulerIT.rows(d, "orders_copy"))
          .hasSize(ClusteredSchedulerIT.ROWS)
          .isEqualTo(ClusteredSchedulerIT.rows(s, "orders"));
    }
    String log = log(run);
    assertThat(log)
        .contains(
            "submitted to the Flink session cluster "
                + cluster.master()
                + " of resource group flink-h22")
        .contains("2 parallel tasks")
        .doesNotContain(SECRET);
    assertThat(flinkJobState(done.get("runKey").asText())).isEqualTo("FINISHED");
    // The run's spec (a manual run's default: 2 cores, 1,024 MB) became its slots' resources,
    // shared by its 2 parallel tasks, as the cluster's slot manager logs the job's requirements.
    assertThat(Files.readString(Path.of("target", "h22-flink-group", "cluster.log")))
        .contains("ResourceProfile{cpuCores=1, taskHeapMemory=512.000mb");
  }

  @Test
  void aStopCancelsTheFlinkJob() throws Exception {
    long t =
        task(
            "flink-paced",
            """
            source: {connector: datagen, rows: 1000000, rowsPerSecond: 200, batchSize: 20}
            sink: {connector: blackhole}
            settings: {channels: 1, progressInterval: 500ms}
            """);
    long run = startRun(t);
    JsonNode moving =
        ClusteredSchedulerIT.awaitRun(
            server,
            run,
            r -> r.get("state").asText().equals("RUNNING") && r.get("recordsWritten").asLong() > 0,
            Duration.ofSeconds(180));
    String runKey = moving.get("runKey").asText();
    assertThat(flinkJobState(runKey)).isEqualTo("RUNNING");
    Reply pause = server.post("/api/runs/" + run + "/pause", null);
    assertThat(pause.status()).isEqualTo(409);
    assertThat(pause.body()).contains("executes on the Flink cluster of resource group flink-h22");

    assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);

    JsonNode stopped = await(run, "STOPPED", Duration.ofSeconds(90));
    assertThat(stopped.get("recordsWritten").asLong()).isPositive().isLessThan(1_000_000);
    assertThat(flinkJobState(runKey)).isEqualTo("CANCELED");
    for (JsonNode job : flinkJobs()) {
      assertThat(job.get("state").asText()).as(job.toString()).isNotIn("RUNNING", "CREATED");
    }
  }

  @Test
  void aRunProcessWhoseServerDiedCancelsItsFlinkJob() throws Exception {
    java.nio.file.Path dir =
        java.nio.file.Files.createTempDirectory(Path.of("target"), "h22-flink-parent");
    java.nio.file.Path job =
        java.nio.file.Files.writeString(
            dir.resolve("job.yaml"),
            """
            name: flink-orphan
            source: {connector: datagen, rows: 1000000, rowsPerSecond: 200, batchSize: 20}
            sink: {connector: blackhole}
            settings: {channels: 1, progressInterval: 500ms}
            """);
    Process parent =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                Parent.class.getName(),
                job.toString(),
                TestDatabases.POSTGRES + META,
                dir.toString(),
                cluster.master(),
                cluster.home().toString())
            .redirectError(dir.resolve("parent.log").toFile())
            .start();
    try (java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                parent.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).as("the parent's run; see " + dir.resolve("parent.log")).startsWith("run ");
      String runKey = line.substring(4).trim();
      assertThat(flinkJobState(runKey)).isIn("CREATED", "INITIALIZING", "RUNNING");

      parent.destroyForcibly(); // kill -9: the server is gone, its run process notices
      parent.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!flinkJobState(runKey).equals("CANCELED") && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(flinkJobState(runKey)).as("the orphaned Flink job").isEqualTo("CANCELED");
    }
  }

  /**
   * A server stand-in in a JVM of its own: submits a run of the flink group from its run process,
   * says its run key, waits.
   */
  public static final class Parent {
    public static void main(String[] args) throws Exception {
      io.ferry.server.runs.ChildRunProcess child =
          io.ferry.server.runs.ChildRunProcess.start(
              new io.ferry.server.runs.ChildRunProcess.Launch(
                  io.ferry.engine.JobSpecLoader.load(Path.of(args[0]), Map.of()),
                  null,
                  Map.of(),
                  new io.ferry.engine.RunResources(1, 256),
                  new io.ferry.server.runs.ChildRunProcess.Metadata(
                      args[1], "postgres", null, Duration.ofSeconds(30)),
                  Path.of(args[2]),
                  null,
                  java.util.List.of(),
                  new io.ferry.server.runs.ChildRunProcess.Flink(
                      "flink-h22", args[3], Path.of(args[4]), java.util.List.of())),
              System.err::println,
              Duration.ofSeconds(20),
              Duration.ofMinutes(3));
      System.out.println("run " + child.runKey());
      System.out.flush();
      child.await();
    }
  }

  private static long task(String name, String script) {
    Map<String, Object> t = new HashMap<>(Map.of("name", name, "mode", "script", "script", script));
    t.put("resourceGroup", "flink-h22");
    Reply r = server.post("/api/tasks", t);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static long startRun(long task) {
    Reply r = server.post("/api/tasks/" + task + "/runs", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asLong();
  }

  private static void dataSource(
      String alias, String connector, String url, String user, String password) {
    Reply r =
        server.post(
            "/api/datasources",
            Map.of(
                "alias",
                alias,
                "connector",
                connector,
                "options",
                Map.of("url", url, "user", user, "password", password)));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  /** Waits for the run's state; a failure shows the run's log. */
  private static JsonNode await(long run, String state, Duration timeout) throws Exception {
    try {
      return ClusteredSchedulerIT.await(server, run, state, timeout);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + log(run), e);
    }
  }

  private static String log(long run) {
    return server.admin("GET", "/api/runs/" + run + "/log/download", null).body();
  }

  /** The cluster's jobs as its REST API lists them. */
  private static JsonNode flinkJobs() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + cluster.master() + "/jobs/overview"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestServer.JSON.readTree(r.body()).get("jobs");
  }

  /** The state of the Flink job of a run ({@code ferry RUN_KEY}), as the cluster has it. */
  private static String flinkJobState(String runKey) throws Exception {
    for (JsonNode job : flinkJobs()) {
      if (job.get("name").asText().equals("ferry " + runKey)) {
        return job.get("state").asText();
      }
    }
    throw new AssertionError("no Flink job of run " + runKey + ": " + flinkJobs());
  }
}
