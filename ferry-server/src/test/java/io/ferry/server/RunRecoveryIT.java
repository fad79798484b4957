package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import io.ferry.server.runs.RunRecovery;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.SqlText;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One node on H2, with one run slot: the runs a dead node left (rows written as that node would
 * have left them) are taken over as {@link RunRecovery} says, and an instance's start is its run's.
 * {@code ClusteredSchedulerIT} kills and freezes real nodes.
 */
class RunRecoveryIT {
  static TestServer server;

  @BeforeAll
  static void start() {
    server =
        new TestServer(
            "--ferry.max-concurrent-runs=1", "--ferry.cpu-cores=16", "--ferry.memory-mb=4096");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static final String SLOW =
      "source: {connector: datagen, rows: 100000, rowsPerSecond: 200, batchSize: 10}\n"
          + "sink: {connector: blackhole}\nsettings: {channels: 1}\n";

  /** A run paused here, its row then made to look as a dead node left it: RUNNING there. */
  private static long orphan(String name, String requested, int takeovers) throws Exception {
    Reply started = server.post("/api/runs", Map.of("name", name, "script", SLOW));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long run = started.json().get("id").asLong();
    await(run, r -> r.get("state").asText().equals("RUNNING"));
    assertThat(server.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("PAUSED"));
    server
        .bean(JdbcClient.class)
        .sql(
            "UPDATE ferry_task_run SET state = 'RUNNING', node = 'ghost', requested = ?,"
                + " takeovers = ? WHERE id = ?")
        .params(SqlText.orNull(requested), takeovers, run)
        .update();
    return run;
  }

  @Test
  void theRunsOfADeadNodeDoWhatWasAskedOfItAndTheRestContinue() throws Exception {
    long stopped = orphan("stop-asked", "stop", 0);
    long paused = orphan("pause-asked", "pause", 0);
    long worn =
        orphan("continued-thrice", null, io.ferry.server.runs.RunLauncher.MAX_CONTINUATIONS);
    long continued = orphan("continues", null, 0);

    JsonNode s = await(stopped, r -> r.get("state").asText().equals("STOPPED"));
    assertThat(s.get("message").asText()).startsWith("stopped as asked: node ghost stopped");
    JsonNode p = await(paused, r -> r.get("node").asText().equals(me()));
    assertThat(p.get("state").asText()).isEqualTo("PAUSED");
    assertThat(p.get("message").asText()).startsWith("paused as asked: node ghost stopped");
    JsonNode w = await(worn, r -> r.get("node").asText().equals(me()));
    assertThat(w.get("state").asText()).isEqualTo("PAUSED");
    assertThat(w.get("message").asText())
        .contains("it was continued automatically 3 times already, so it waits for a person");
    JsonNode c =
        await(
            continued,
            r -> r.get("state").asText().equals("RUNNING") && r.get("node").asText().equals(me()));
    long before = c.get("recordsWritten").asLong();
    await(continued, r -> r.get("recordsWritten").asLong() > before + 100);
    assertThat(server.admin("GET", "/api/runs/" + continued + "/log/download", null).body())
        .contains("node ghost stopped (no heartbeat for 12 s) while the run was RUNNING");
    // Ended, so that the one run slot is free for the other test.
    for (long run : new long[] {continued, paused, worn}) {
      assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
      await(run, r -> r.get("state").asText().equals("STOPPED"));
    }
  }

  private static String me() {
    return server.bean(FerryProperties.class).nodeId();
  }

  @Test
  void anInstanceStartsWhenItsRunStartsNotWhenItWaitsInTheQueue() throws Exception {
    // The only run slot is taken until the blocker is stopped.
    long blocker =
        server
            .post("/api/runs", Map.of("name", "blocker", "script", SLOW))
            .json()
            .get("id")
            .asLong();
    await(blocker, r -> r.get("state").asText().equals("RUNNING"));
    Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "queued-instance",
                "mode",
                "script",
                "script",
                "source: {connector: datagen, rows: 10}\nsink: {connector: blackhole}\n"));
    long taskId = task.json().get("id").asLong();
    Reply made = server.post("/api/tasks/" + taskId + "/instances", null);
    assertThat(made.status()).as(made.toString()).isIn(200, 201, 202);
    long instance = made.json().get("id").asLong();

    JsonNode waiting = awaitInstance(instance, i -> i.hasNonNull("runId"));
    Thread.sleep(500);
    waiting = server.get("/api/instances/" + instance).json();
    JsonNode queued = server.get("/api/runs/" + waiting.get("runId").asLong()).json();
    assertThat(queued.get("state").asText()).isEqualTo("QUEUED");
    assertThat(waiting.get("state").asText()).isEqualTo("RUNNING");
    assertThat(waiting.get("startedAt").isNull())
        .as("no start while its run waits for a slot: %s", waiting)
        .isTrue();
    assertThat(server.post("/api/runs/" + blocker + "/stop", null).status()).isEqualTo(202);

    JsonNode done = awaitInstance(instance, i -> i.get("state").asText().equals("SUCCEEDED"));
    JsonNode run = server.get("/api/runs/" + done.get("runId").asLong()).json();
    JsonNode blocked = server.get("/api/runs/" + blocker).json();
    assertThat(done.get("startedAt").asText()).isEqualTo(run.get("startedAt").asText());
    assertThat(Instant.parse(done.get("startedAt").asText()))
        .as("the run started once the slot was free")
        .isAfterOrEqualTo(Instant.parse(blocked.get("endedAt").asText()).minusMillis(50));
    assertThat(Instant.parse(done.get("startedAt").asText()))
        .isAfter(Instant.parse(done.get("createdAt").asText()));
    assertThat(done.get("node").asText()).isEqualTo(me());
  }

  private static JsonNode await(long run, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never got there: " + last);
  }

  private static JsonNode awaitInstance(long instance, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/instances/" + instance).json();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("instance " + instance + " never got there: " + last);
  }
}
