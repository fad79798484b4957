package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes on one PostgreSQL metadata store: Quartz's clustered job store fires each
 * planned time on one node, each instance runs once, and a run is controlled from either node.
 */
class ClusteredSchedulerIT {

  private static List<String> args(String db, String node) {
    return List.of(
        "--spring.datasource.url=" + TestDatabases.POSTGRES + db,
        "--spring.datasource.username=postgres",
        "--ferry.node-id=" + node,
        "--ferry.cpu-cores=16",
        "--ferry.memory-mb=4096");
  }

  @Test
  void twoNodesFireEachInstanceOnceAndControlEachOthersRuns() throws Exception {
    String db = TestDatabases.newName("ferry_cluster");
    TestDatabases.createPostgres(db);
    try (TestServer a = new TestServer(args(db, "node-a").toArray(String[]::new));
        TestServer b = new TestServer(args(db, "node-b").toArray(String[]::new))) {
      Reply task =
          a.post(
              "/api/tasks",
              Map.of(
                  "name", "every-second",
                  "mode", "script",
                  "script",
                      "source: {connector: datagen, rows: 50}\nsink: {connector: blackhole}\n"));
      long id = task.json().get("id").asLong();
      Reply set =
          b.put(
              "/api/tasks/" + id + "/schedule",
              Map.of(
                  "type", "periodic",
                  "cycle", "cron",
                  "cron", "* * * * * ?",
                  "cpuCores", 1,
                  "memoryMb", 64));
      assertThat(set.status()).as(set.toString()).isEqualTo(200);
      assertThat(b.post("/api/tasks/" + id + "/online", null).status()).isEqualTo(200);
      Thread.sleep(10_000);
      assertThat(a.post("/api/tasks/" + id + "/offline", null).status()).isEqualTo(200);

      List<JsonNode> instances = settled(a, id);
      assertThat(instances).hasSizeGreaterThanOrEqualTo(6);
      // Every second between the first and the last planned time: one instance, no gap.
      List<Instant> planned =
          instances.stream().map(i -> Instant.parse(i.get("plannedTime").asText())).toList();
      for (int k = 1; k < planned.size(); k++) {
        assertThat(Duration.between(planned.get(k - 1), planned.get(k)))
            .as("planned times %s", planned)
            .isEqualTo(Duration.ofSeconds(1));
      }
      assertThat(instances).allMatch(i -> i.get("state").asText().equals("SUCCEEDED"));
      // One run per instance, whichever node ran it.
      JsonNode runs = b.get("/api/runs?taskId=" + id + "&size=500").json();
      assertThat(runs.get("total").asInt()).isEqualTo(instances.size());
      assertThat(runs.get("items").findValuesAsText("instanceId"))
          .doesNotHaveDuplicates()
          .hasSize(instances.size());

      // A run executing on node a is paused, resumed and stopped through node b and back.
      String slow =
          "source: {connector: datagen, rows: 1000000, rowsPerSecond: 500, batchSize: 50}\n"
              + "sink: {connector: blackhole}\nsettings: {channels: 1}\n";
      long run =
          a.post("/api/runs", Map.of("name", "slow", "script", slow)).json().get("id").asLong();
      await(a, run, "RUNNING");
      assertThat(a.get("/api/runs/" + run).json().get("node").asText()).isEqualTo("node-a");
      assertThat(b.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
      await(b, run, "PAUSED");
      assertThat(b.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
      await(b, run, "RUNNING");
      assertThat(b.get("/api/runs/" + run).json().get("node").asText()).isEqualTo("node-b");
      assertThat(a.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
      JsonNode stopped = await(a, run, "STOPPED");
      assertThat(stopped.get("recordsWritten").asLong()).isPositive();
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }

  @Test
  void theRunsOfANodeThatDiesAreTakenOverAsPausedAndResumeOnAnother() throws Exception {
    String db = TestDatabases.newName("ferry_cluster");
    TestDatabases.createPostgres(db);
    int port;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    java.nio.file.Path dir = java.nio.file.Path.of("target", "node-dead-" + db).toAbsolutePath();
    java.nio.file.Files.createDirectories(dir);
    List<String> command =
        new ArrayList<>(
            List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FerryServer.class.getName(),
                "--server.port=" + port,
                "--ferry.data-dir=" + dir,
                "--ferry.admin.password=" + TestServer.ADMIN_PASSWORD,
                "--ferry.lease=PT6S"));
    command.addAll(args(db, "node-dead"));
    // A node in its own JVM, so that it can die at once (SIGKILL) in the middle of a run.
    Process dead =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    try (TestServer b = new TestServer(args(db, "node-b").toArray(String[]::new))) {
      String base = "http://127.0.0.1:" + port;
      awaitHealthy(base, dead);
      String slow =
          "source: {connector: datagen, rows: 20000, rowsPerSecond: 2000, batchSize: 50}\n"
              + "sink: {connector: blackhole}\nsettings: {channels: 1}\n";
      Reply started = remote(base, "POST", "/api/runs", Map.of("name", "orphan", "script", slow));
      assertThat(started.status()).as(started.toString()).isEqualTo(202);
      long run = started.json().get("id").asLong();
      await(b, run, "RUNNING");
      Thread.sleep(2_000);
      dead.destroyForcibly().waitFor();

      // Two leases (12 s) without a heartbeat, then node b's next check takes the run over.
      JsonNode paused = await(b, run, "PAUSED", Duration.ofSeconds(60));
      assertThat(paused.get("message").asText()).contains("node node-dead stopped");
      assertThat(paused.get("node").asText()).isEqualTo("node-b");
      assertThat(b.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
      JsonNode done = await(b, run, "SUCCEEDED", Duration.ofSeconds(60));
      assertThat(done.get("recordsWritten").asLong()).isEqualTo(20000);
    } finally {
      dead.destroyForcibly().waitFor();
      TestDatabases.dropPostgres(db);
    }
  }

  private static void awaitHealthy(String base, Process process) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("the child server exited").isTrue();
      try {
        if (remote(base, "GET", "/actuator/health", null).status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the child server did not start in 90 s");
  }

  private static Reply remote(String base, String method, String path, Object body) {
    try {
      java.net.http.HttpRequest.Builder request =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
              .header(
                  "Authorization",
                  "Basic "
                      + java.util.Base64.getEncoder()
                          .encodeToString(("admin:" + TestServer.ADMIN_PASSWORD).getBytes()))
              .header("Content-Type", "application/json")
              .method(
                  method,
                  body == null
                      ? java.net.http.HttpRequest.BodyPublishers.noBody()
                      : java.net.http.HttpRequest.BodyPublishers.ofString(
                          TestServer.JSON.writeValueAsString(body)));
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonNode> settled(TestServer server, long task) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<JsonNode> out = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      out.clear();
      server
          .get("/api/tasks/" + task + "/instances?size=500")
          .json()
          .get("items")
          .forEach(out::add);
      if (out.stream()
          .noneMatch(i -> List.of("WAITING", "RUNNING").contains(i.get("state").asText()))) {
        break;
      }
      Thread.sleep(200);
    }
    out.sort((x, y) -> x.get("plannedTime").asText().compareTo(y.get("plannedTime").asText()));
    return out;
  }

  private static JsonNode await(TestServer server, long run, String state)
      throws InterruptedException {
    return await(server, run, state, Duration.ofSeconds(30));
  }

  private static JsonNode await(TestServer server, long run, String state, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (last.get("state").asText().equals(state)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never became " + state + ": " + last);
  }
}
