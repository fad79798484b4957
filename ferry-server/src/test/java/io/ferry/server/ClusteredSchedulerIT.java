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
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
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
