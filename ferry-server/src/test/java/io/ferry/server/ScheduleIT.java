package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schedules over the API against real runs (datagen → blackhole or files) on a server with its H2
 * store: second-level cron schedules, depend-on-previous, upstream tasks, timeouts, retries,
 * offline-on-failure, backfill with scheduling parameters.
 */
class ScheduleIT {
  static TestServer server;

  /** The folder the tasks' files are in: jobs may use files under ferry.file-roots only. */
  static Path files;

  @BeforeAll
  static void start() throws Exception {
    files =
        Files.createDirectories(Path.of("target", "schedule-files-" + UUID.randomUUID()))
            .toAbsolutePath();
    // Room for several instances at once: each test's schedules reserve 1 core, 64 MB.
    server =
        new TestServer(
            "--ferry.cpu-cores=16",
            "--ferry.memory-mb=4096",
            "--ferry.max-concurrent-runs=8",
            "--ferry.file-roots=" + files);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static long task(String script) {
    Reply r =
        server.post(
            "/api/tasks",
            Map.of("name", "t-" + UUID.randomUUID(), "mode", "script", "script", script));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static String slow(int rows, int rowsPerSecond) {
    return "source: {connector: datagen, rows: "
        + rows
        + ", rowsPerSecond: "
        + rowsPerSecond
        + ", batchSize: 10}\nsink: {connector: blackhole}\nsettings: {channels: 1}\n";
  }

  /** A schedule with small resources, so that several instances fit on the node. */
  private static Map<String, Object> schedule(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpuCores", 1);
    m.put("memoryMb", 64);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static JsonNode put(long task, Map<String, Object> schedule) {
    Reply r = server.put("/api/tasks/" + task + "/schedule", schedule);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static List<JsonNode> instances(long task) {
    List<JsonNode> out = new ArrayList<>();
    server.get("/api/tasks/" + task + "/instances?size=500").json().get("items").forEach(out::add);
    out.sort(Comparator.comparing((JsonNode n) -> n.get("plannedTime").asText()));
    return out;
  }

  private static List<JsonNode> awaitInstances(
      long task, Predicate<List<JsonNode>> done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> last = List.of();
    while (System.nanoTime() < deadline) {
      last = instances(task);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("instances of task " + task + " never got there: " + last);
  }

  private static long count(List<JsonNode> instances, String state) {
    return instances.stream().filter(i -> i.get("state").asText().equals(state)).count();
  }

  private static Instant at(JsonNode instance, String field) {
    return Instant.parse(instance.get(field).asText());
  }

  @Test
  void theScheduleApiValidatesPreviewsAndRefusesIllegalMoves() {
    Reply preview =
        server.post(
            "/api/schedules/preview",
            Map.of(
                "type", "periodic", "cycle", "week", "time", "02:30", "weekdays", List.of(1, 3)));
    assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
    assertThat(preview.json().get("cron").asText()).isEqualTo("0 30 2 ? * MON,WED");
    assertThat(preview.json().get("timeoutMinutes").asLong()).isEqualTo(24 * 60);
    assertThat(preview.json().get("nextFireTimes")).hasSize(5);

    long task = task(slow(10, 1000));
    Reply bad =
        server.put(
            "/api/tasks/" + task + "/schedule",
            Map.of("type", "periodic", "cycle", "minute", "interval", 90));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("problems").get(0).get("field").asText()).isEqualTo("interval");
    Reply noIdempotence =
        server.put(
            "/api/tasks/" + task + "/schedule",
            Map.of("type", "periodic", "cycle", "day", "time", "01:00", "retries", 2));
    assertThat(noIdempotence.status()).isEqualTo(400);
    assertThat(noIdempotence.body()).contains("idempotent");
    Reply selfUpstream =
        server.put(
            "/api/tasks/" + task + "/schedule",
            Map.of(
                "type",
                "periodic",
                "cycle",
                "day",
                "time",
                "01:00",
                "upstreamTaskIds",
                List.of(task)));
    assertThat(selfUpstream.json().get("problems").get(0).get("field").asText())
        .isEqualTo("upstreamTaskIds[0]");

    assertThat(server.post("/api/tasks/" + task + "/online", null).status()).isEqualTo(409);
    assertThat(server.get("/api/tasks/31337/schedule").status()).isEqualTo(404);

    JsonNode set = put(task, schedule("type", "periodic", "cycle", "hour", "interval", 6));
    assertThat(set.get("cron").asText()).isEqualTo("0 0 0/6 * * ?");
    assertThat(set.get("online").asBoolean()).isFalse();
    assertThat(set.get("nextFireTimes")).isEmpty();
    JsonNode online = server.post("/api/tasks/" + task + "/online", null).json();
    assertThat(online.get("online").asBoolean()).isTrue();
    assertThat(online.get("nextFireTimes")).hasSize(5);
    assertThat(server.get("/api/tasks/" + task).json().get("online").asBoolean()).isTrue();
    assertThat(server.get("/api/tasks?online=true&size=500").json().findValuesAsText("id"))
        .contains(String.valueOf(task));
    assertThat(server.delete("/api/tasks/" + task + "/schedule").status()).isEqualTo(409);
    Reply batch = server.post("/api/tasks/batch-offline", Map.of("ids", List.of(task)));
    assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
    assertThat(server.get("/api/tasks/" + task).json().get("online").asBoolean()).isFalse();
    assertThat(server.post("/api/tasks/batch-online", Map.of("ids", List.of(task, 31337))).status())
        .isEqualTo(400);

    // Outside its effective range a task runs neither by schedule nor by hand.
    LocalDate yesterday = LocalDate.now(ZoneId.systemDefault()).minusDays(1);
    put(
        task,
        schedule(
            "type",
            "periodic",
            "cycle",
            "day",
            "time",
            "01:00",
            "effectiveTo",
            yesterday.toString()));
    assertThat(server.post("/api/tasks/" + task + "/runs", null).status()).isEqualTo(409);
    assertThat(server.post("/api/tasks/" + task + "/instances", null).status()).isEqualTo(409);
    Reply never = server.post("/api/tasks/" + task + "/online", null);
    assertThat(never.status()).isEqualTo(409);
    assertThat(never.body()).contains("effective range ended");
    assertThat(server.get("/api/audit?size=500").json().findValuesAsText("action"))
        .contains("schedule", "online", "offline");
  }

  @Test
  void aSecondLevelScheduleFiresRealRunsUntilTheTaskGoesOffline() throws Exception {
    long task = task(slow(100, 100_000));
    put(task, schedule("type", "periodic", "cycle", "cron", "cron", "0/2 * * * * ?"));
    server.post("/api/tasks/" + task + "/online", null);
    List<JsonNode> done =
        awaitInstances(task, l -> count(l, "SUCCEEDED") >= 3, Duration.ofSeconds(30));
    server.post("/api/tasks/" + task + "/offline", null);
    for (JsonNode i : done) {
      if (i.get("state").asText().equals("SUCCEEDED")) {
        assertThat(i.get("trigger").asText()).isEqualTo("schedule");
        assertThat(at(i, "plannedTime").getEpochSecond() % 2).isZero();
        assertThat(i.get("recordsWritten").asLong()).isEqualTo(100);
        JsonNode run = server.get("/api/runs/" + i.get("runId").asLong()).json();
        assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("instanceId").asLong()).isEqualTo(i.get("id").asLong());
      }
    }
    assertThat(done.stream().map(i -> i.get("plannedTime").asText()).distinct())
        .hasSize(done.size());
    // Offline: nothing more fires.
    Thread.sleep(500);
    int made = instances(task).size();
    Thread.sleep(4_500);
    assertThat(instances(task)).hasSize(made);
  }

  @Test
  void dependOnPreviousRunsOneCycleAfterTheOtherAndSkipsWhatWaitsWhenGoingOffline()
      throws Exception {
    // Each run takes about 2 s, the schedule fires every second.
    long serial = task(slow(200, 100));
    long parallel = task(slow(200, 100));
    put(
        serial,
        schedule(
            "type",
            "periodic",
            "cycle",
            "cron",
            "cron",
            "* * * * * ?",
            "dependOnPrevious",
            true,
            "timeoutMinutes",
            1));
    put(
        parallel,
        schedule("type", "periodic", "cycle", "cron", "cron", "* * * * * ?", "timeoutMinutes", 1));
    server.post("/api/tasks/batch-online", Map.of("ids", List.of(serial, parallel)));
    awaitInstances(serial, l -> count(l, "SUCCEEDED") >= 2, Duration.ofSeconds(40));
    server.post("/api/tasks/batch-offline", Map.of("ids", List.of(serial, parallel)));

    List<JsonNode> s =
        awaitInstances(
            serial,
            l ->
                l.stream()
                    .noneMatch(
                        i -> List.of("WAITING", "RUNNING").contains(i.get("state").asText())),
            Duration.ofSeconds(30));
    List<JsonNode> ran = s.stream().filter(i -> i.hasNonNull("startedAt")).toList();
    for (int k = 1; k < ran.size(); k++) {
      assertThat(at(ran.get(k), "startedAt"))
          .as("instance %s starts after %s ended", ran.get(k).get("id"), ran.get(k - 1).get("id"))
          .isAfterOrEqualTo(at(ran.get(k - 1), "endedAt"));
    }
    assertThat(count(s, "SKIPPED"))
        .as("cycles that waited when the task went offline")
        .isPositive();
    assertThat(s.stream().filter(i -> i.get("state").asText().equals("SKIPPED")))
        .allMatch(i -> i.get("message").asText().contains("offline"));

    List<JsonNode> p =
        awaitInstances(
            parallel,
            l ->
                l.stream()
                    .noneMatch(
                        i -> List.of("WAITING", "RUNNING").contains(i.get("state").asText())),
            Duration.ofSeconds(30));
    List<JsonNode> overlapping =
        p.stream().filter(i -> i.hasNonNull("endedAt") && i.hasNonNull("startedAt")).toList();
    boolean overlap = false;
    for (int k = 1; k < overlapping.size(); k++) {
      overlap |=
          at(overlapping.get(k), "startedAt").isBefore(at(overlapping.get(k - 1), "endedAt"));
    }
    assertThat(overlap).as("without the option, cycles overlap").isTrue();
  }

  @Test
  void anInstanceThatOutlivesItsTimeoutIsStoppedAndTimedOut() throws Exception {
    // Every 2 s: the default timeout is three periods, 6 s; the run would take 100 s.
    long task = task(slow(10_000, 100));
    JsonNode set =
        put(
            task,
            schedule(
                "type",
                "periodic",
                "cycle",
                "cron",
                "cron",
                "0/2 * * * * ?",
                "dependOnPrevious",
                true));
    server.post("/api/tasks/" + task + "/online", null);
    List<JsonNode> l =
        awaitInstances(task, x -> count(x, "TIMED_OUT") >= 1, Duration.ofSeconds(40));
    server.post("/api/tasks/" + task + "/offline", null);
    JsonNode timedOut =
        l.stream().filter(i -> i.get("state").asText().equals("TIMED_OUT")).findFirst().get();
    assertThat(Duration.between(at(timedOut, "startedAt"), at(timedOut, "endedAt")))
        .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(12));
    assertThat(timedOut.get("message").asText()).contains("timed out");
    long run = timedOut.get("runId").asLong();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!server.get("/api/runs/" + run).json().get("state").asText().equals("STOPPED")
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(server.get("/api/runs/" + run).json().get("state").asText()).isEqualTo("STOPPED");
  }

  @Test
  void aFailedInstanceIsRetriedThenTakesItsTaskOffline() throws Exception {
    Path missing = files.resolve("no-such-" + UUID.randomUUID() + ".csv");
    long task =
        task("source: {connector: file, path: '" + missing + "'}\nsink: {connector: blackhole}\n");
    put(
        task,
        schedule(
            "type",
            "once",
            "retries",
            2,
            "retryDelaySeconds",
            1,
            "idempotent",
            true,
            "offlineOnFailure",
            true));
    server.post("/api/tasks/" + task + "/online", null); // once, when online: at once
    List<JsonNode> l = awaitInstances(task, x -> count(x, "FAILED") == 1, Duration.ofSeconds(40));
    JsonNode failed = l.get(0);
    assertThat(l).hasSize(1);
    assertThat(failed.get("trigger").asText()).isEqualTo("online");
    assertThat(failed.get("attempt").asInt()).isEqualTo(3);
    JsonNode runs = server.get("/api/runs?taskId=" + task + "&size=50").json();
    assertThat(runs.get("total").asInt()).isEqualTo(3);
    assertThat(runs.get("items").findValuesAsText("state")).containsOnly("FAILED");
    assertThat(runs.get("items").findValuesAsText("instanceId"))
        .containsOnly(failed.get("id").asText());
    assertThat(server.get("/api/tasks/" + task).json().get("online").asBoolean()).isFalse();
    assertThat(server.get("/api/audit?size=100").json().findValuesAsText("detail"))
        .contains("instance " + failed.get("id").asLong() + " FAILED");

    // A rerun is a new instance of the same planned time.
    Reply rerun = server.post("/api/instances/" + failed.get("id").asLong() + "/rerun", null);
    assertThat(rerun.status()).as(rerun.toString()).isEqualTo(202);
    assertThat(rerun.json().get("plannedTime").asText())
        .isEqualTo(failed.get("plannedTime").asText());
    assertThat(rerun.json().get("trigger").asText()).isEqualTo("rerun");
  }

  @Test
  void aScheduledInstanceThatStartedStillRetriesAfterItsTaskWentOffline() throws Exception {
    Path later = files.resolve("later-" + UUID.randomUUID() + ".csv");
    long task =
        task("source: {connector: file, path: '" + later + "'}\nsink: {connector: blackhole}\n");
    put(
        task,
        schedule(
            "type",
            "periodic",
            "cycle",
            "cron",
            "cron",
            "0/30 * * * * ?",
            "retries",
            1,
            "retryDelaySeconds",
            4,
            "idempotent",
            true));
    server.post("/api/tasks/" + task + "/online", null);
    List<JsonNode> l =
        awaitInstances(
            task,
            x -> x.stream().anyMatch(i -> i.get("attempt").asInt() == 2),
            Duration.ofSeconds(40));
    JsonNode retrying = l.stream().filter(i -> i.get("attempt").asInt() == 2).findFirst().get();
    server.post("/api/tasks/" + task + "/offline", null);
    Files.writeString(later, "id\n1\n2\n");

    List<JsonNode> after =
        awaitInstances(
            task,
            x ->
                x.stream()
                    .anyMatch(
                        i ->
                            i.get("id").asLong() == retrying.get("id").asLong()
                                && i.get("state").asText().equals("SUCCEEDED")),
            Duration.ofSeconds(30));
    JsonNode done =
        after.stream()
            .filter(i -> i.get("id").asLong() == retrying.get("id").asLong())
            .findFirst()
            .get();
    assertThat(done.get("trigger").asText()).isEqualTo("schedule");
    assertThat(done.get("recordsWritten").asLong()).isEqualTo(2);
  }

  @Test
  void backfillMakesOneInstancePerCycleWithItsSchedulingParametersAndUpstreamGatesIt()
      throws Exception {
    Path out = files.resolve("backfill-" + UUID.randomUUID());
    long upstream = task(slow(10, 100_000));
    long downstream =
        task(
            "source: {connector: datagen, rows: 10, seed: 7}\n"
                + "sink: {connector: file, path: '"
                + out
                + "/orders-${bizdate}-$[hh24mi].csv'}\n");
    String daily = "02:00";
    put(upstream, schedule("type", "periodic", "cycle", "day", "time", daily));
    put(
        downstream,
        schedule(
            "type",
            "periodic",
            "cycle",
            "day",
            "time",
            daily,
            "dependOnPrevious",
            true,
            "upstreamTaskIds",
            List.of(upstream)));

    // The downstream cycles first: they wait for the upstream's instances of the same day.
    Reply made =
        server.post(
            "/api/tasks/" + downstream + "/backfill",
            Map.of("from", "2026-11-01", "to", "2026-11-03"));
    assertThat(made.status()).as(made.toString()).isEqualTo(202);
    assertThat(made.json()).hasSize(3);
    awaitInstances(
        downstream,
        l -> l.size() == 3 && l.get(0).get("message").asText("").contains("upstream task"),
        Duration.ofSeconds(10));
    server.post(
        "/api/tasks/" + upstream + "/backfill", Map.of("from", "2026-11-01", "to", "2026-11-03"));

    List<JsonNode> down =
        awaitInstances(downstream, l -> count(l, "SUCCEEDED") == 3, Duration.ofSeconds(60));
    List<JsonNode> up = instances(upstream);
    assertThat(up).hasSize(3);
    for (int k = 0; k < 3; k++) {
      assertThat(down.get(k).get("plannedTime").asText())
          .isEqualTo(up.get(k).get("plannedTime").asText());
      assertThat(down.get(k).get("trigger").asText()).isEqualTo("backfill");
      assertThat(at(down.get(k), "startedAt")).isAfterOrEqualTo(at(up.get(k), "endedAt"));
    }
    // ${bizdate} is the day before the planned day; $[hh24mi] the planned time.
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactly(
              "orders-20261031-0200.csv", "orders-20261101-0200.csv", "orders-20261102-0200.csv");
    }
    assertThat(Files.readAllLines(out.resolve("orders-20261101-0200.csv"))).hasSize(11);
  }

  @Test
  void anInstanceWaitsUntilItsNodeHasTheResourcesItReserves() throws Exception {
    // The node has 16 cores (ferry.cpu-cores): two instances of 12 cannot run side by side.
    long first = task(slow(300, 100));
    long second = task(slow(300, 100));
    for (long t : List.of(first, second)) {
      put(t, Map.of("type", "once", "cpuCores", 12, "memoryMb", 64));
    }
    server.post("/api/tasks/batch-online", Map.of("ids", List.of(first, second)));
    List<JsonNode> waiting =
        awaitInstances(
            second,
            l ->
                l.size() == 1
                    && l.get(0).get("message").asText("").startsWith("waiting for resources"),
            Duration.ofSeconds(20));
    assertThat(waiting.get(0).get("message").asText()).contains("12 CPU cores");
    JsonNode a =
        awaitInstances(first, l -> count(l, "SUCCEEDED") == 1, Duration.ofSeconds(30)).get(0);
    JsonNode b =
        awaitInstances(second, l -> count(l, "SUCCEEDED") == 1, Duration.ofSeconds(30)).get(0);
    assertThat(at(b, "startedAt")).isAfterOrEqualTo(at(a, "endedAt"));
  }

  @Test
  void aOneTimeScheduleRunsAtItsSecondAndAPeriodicOneCanRunOnGoingOnline() throws Exception {
    long once = task(slow(10, 100_000));
    java.time.LocalDateTime runAt =
        java.time.LocalDateTime.now(ZoneId.systemDefault())
            .plusSeconds(3)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    JsonNode set = put(once, schedule("type", "once", "runAt", runAt.toString()));
    assertThat(set.get("cron").isNull()).isTrue();
    JsonNode ran;
    try (TestServer.Socket socket = server.socket("")) {
      server.post("/api/tasks/" + once + "/online", null);
      assertThat(instances(once)).isEmpty();
      ran = awaitInstances(once, l -> count(l, "SUCCEEDED") == 1, Duration.ofSeconds(20)).get(0);
      // Instance changes are pushed over the WebSocket too.
      List<String> states = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!states.contains("SUCCEEDED") && System.nanoTime() < deadline) {
        JsonNode m = socket.messages.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        if (m != null
            && m.get("type").asText().equals("instance")
            && m.get("taskId").asLong() == once) {
          states.add(m.get("state").asText());
        }
      }
      assertThat(states).contains("WAITING", "RUNNING", "SUCCEEDED");
    }
    assertThat(at(ran, "plannedTime")).isEqualTo(runAt.atZone(ZoneId.systemDefault()).toInstant());
    assertThat(ran.get("trigger").asText()).isEqualTo("schedule");

    long daily = task(slow(10, 100_000));
    put(daily, schedule("type", "periodic", "cycle", "day", "time", "03:00", "runOnOnline", true));
    server.post("/api/tasks/" + daily + "/online", null);
    JsonNode now =
        awaitInstances(daily, l -> count(l, "SUCCEEDED") == 1, Duration.ofSeconds(20)).get(0);
    assertThat(now.get("trigger").asText()).isEqualTo("online");
    // Editing the schedule of an online task changes its cron.
    JsonNode edited = put(daily, schedule("type", "periodic", "cycle", "day", "time", "04:15"));
    assertThat(edited.get("cron").asText()).isEqualTo("0 15 4 * * ?");
    assertThat(edited.get("nextFireTimes").get(0).asText()).contains("04:15");
    server.post("/api/tasks/batch-offline", Map.of("ids", List.of(once, daily)));
  }

  /**
   * Fires missed while no node could fire them (the node holding the trigger died, the cluster was
   * down) are made on recovery, each with its own planned time: the recent ones run, the ones later
   * than the schedule's timeout (at least a minute) are kept as SKIPPED; no planned time is lost,
   * none moves off the schedule's grid.
   */
  @Test
  void firesMissedWhileNoNodeRanAreMadeOnRecoveryWithTheirPlannedTimes() throws Exception {
    Path dataDir = Path.of("target", "server-missed-" + UUID.randomUUID()).toAbsolutePath();
    try (TestServer own =
        new TestServer(
            dataDir,
            "--ferry.cpu-cores=16",
            "--ferry.memory-mb=4096",
            // Quartz keeps one registry per JVM by scheduler name: this node's must not be the
            // class's shared server's, or stopping it would stop that one's.
            "--spring.quartz.scheduler-name=ferry-missed")) {
      Reply created =
          own.post(
              "/api/tasks",
              Map.of("name", "missed", "mode", "script", "script", slow(10, 100_000)));
      long task = created.json().get("id").asLong();
      // Every 20 s, so that nothing fires on its own while the test moves the trigger back.
      Reply set =
          own.put(
              "/api/tasks/" + task + "/schedule",
              schedule("type", "periodic", "cycle", "cron", "cron", "0/20 * * * * ?"));
      assertThat(set.status()).as(set.toString()).isEqualTo(200);
      assertThat(own.post("/api/tasks/" + task + "/online", null).status()).isEqualTo(200);
      own.stop();

      // While the server is down, its trigger is as if armed and last fired two minutes ago.
      long now = System.currentTimeMillis();
      long missedFrom = (now / 20_000 - 6) * 20_000;
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection(
                  "jdbc:h2:file:" + dataDir.resolve("metadata/ferry"), "sa", "");
          java.sql.Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM QRTZ_FIRED_TRIGGERS");
        assertThat(
                st.executeUpdate(
                    "UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 'WAITING', START_TIME = "
                        + missedFrom
                        + ", NEXT_FIRE_TIME = "
                        + missedFrom
                        + " WHERE TRIGGER_NAME = 'task-"
                        + task
                        + "'"))
            .isEqualTo(1);
      }
      own.start();
      Instant restarted = Instant.now();
      Instant missed = Instant.ofEpochMilli(missedFrom);

      List<JsonNode> made = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        made.clear();
        own.get("/api/tasks/" + task + "/instances?size=500")
            .json()
            .get("items")
            .forEach(made::add);
        made.sort(Comparator.comparing((JsonNode n) -> n.get("plannedTime").asText()));
        boolean settled =
            made.stream()
                .filter(i -> !at(i, "plannedTime").isAfter(restarted))
                .allMatch(i -> Set.of("SUCCEEDED", "SKIPPED").contains(i.get("state").asText()));
        if (made.size() >= 6 && settled) {
          break;
        }
        Thread.sleep(300);
      }
      own.post("/api/tasks/" + task + "/offline", null);
      List<JsonNode> recovered =
          made.stream().filter(i -> !at(i, "plannedTime").isAfter(restarted)).toList();
      assertThat(recovered).as("instances %s", made).hasSizeGreaterThanOrEqualTo(6);
      assertThat(at(recovered.get(0), "plannedTime")).isEqualTo(missed);
      for (int k = 0; k < recovered.size(); k++) {
        JsonNode i = recovered.get(k);
        Instant planned = at(i, "plannedTime");
        assertThat(planned).as("%s", made).isEqualTo(missed.plusSeconds(20L * k));
        assertThat(i.get("trigger").asText()).isEqualTo("schedule");
        Duration late = Duration.between(planned, restarted);
        if (late.compareTo(Duration.ofSeconds(75)) > 0) {
          assertThat(i.get("state").asText()).as("%s", i).isEqualTo("SKIPPED");
          assertThat(i.get("message").asText())
              .startsWith("missed: no node could fire it until ")
              .endsWith("after its planned time, later than the schedule's timeout");
          assertThat(i.get("runId").isNull()).as("%s", i).isTrue();
        } else if (late.compareTo(Duration.ofSeconds(45)) < 0) {
          assertThat(i.get("state").asText()).as("%s", i).isEqualTo("SUCCEEDED");
          assertThat(i.get("recordsWritten").asLong()).isEqualTo(10);
        }
      }
    }
  }
}
