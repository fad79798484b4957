package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run's statistics through the server, across a pause and a resume: the run's record and progress
 * keep counting where the first attempt stopped, its speeds are over its active time, and the
 * Prometheus counters count every row once and a pause as a pause, not as a run that ended.
 */
class RunMetricsIT {
  private static final int ROWS = 30_000;
  private static final String SCRIPT =
      "source: {connector: datagen, rows: "
          + ROWS
          + ", seed: 7, batchSize: 50}\n"
          + "sink: {connector: blackhole}\n"
          + "settings: {channels: 2, recordsPerSecond: 10000, flushInterval: 100ms}\n";

  private static final String SCRIPT_TAG = "{task=\"(script)\"}";

  private TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aPausedAndResumedRunIsCountedOnceAndItsPauseEndsNothing() throws Exception {
    // The same job straight through: what the paused one must end with.
    long first = start("through");
    JsonNode through = awaitState(first, "SUCCEEDED");
    assertThat(through.get("recordsWritten").asLong()).isEqualTo(ROWS);
    long bytesRead =
        server.get("/api/runs/" + first + "/progress").json().get("bytesRead").asLong();
    assertThat(bytesRead).isPositive();
    assertThat(metric("ferry_bytes_read_total" + SCRIPT_TAG)).isEqualTo(bytesRead);
    // The blackhole sink takes rows at once and the source is held to 10,000 rows a second: the
    // writers waited for rows most of the run (3 s), the readers hardly for room.
    double waitedForReader = value("ferry_wait_for_reader_seconds_total" + SCRIPT_TAG);
    double waitedForWriter = value("ferry_wait_for_writer_seconds_total" + SCRIPT_TAG);
    assertThat(waitedForReader).isGreaterThan(1.0).isGreaterThan(waitedForWriter);
    assertThat(value("ferry_task_records_per_second" + SCRIPT_TAG)).isZero();
    assertThat(metric("ferry_rows_written_total{task=\"(script)\"}")).isEqualTo(ROWS);

    long run = start("paused");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (server.get("/api/runs/" + run + "/progress").json().path("recordsWritten").asLong()
        < 8_000) {
      assertThat(System.nanoTime()).as("rows flowing").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(server.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
    JsonNode paused = awaitState(run, "PAUSED");
    long writtenAtPause = paused.get("recordsWritten").asLong();
    assertThat(writtenAtPause).isBetween(8_000L, ROWS - 1L);
    assertThat(metric("ferry_runs_paused_total{task=\"(script)\"}")).isEqualTo(1);
    assertThat(metric("ferry_rows_written_total{task=\"(script)\"}"))
        .isEqualTo(ROWS + writtenAtPause);
    Thread.sleep(1_000);
    assertThat(server.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
    JsonNode ended = awaitState(run, "SUCCEEDED", "FAILED");

    assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
    for (String count : List.of("recordsRead", "recordsWritten", "bytesWritten", "dirtyRecords")) {
      assertThat(ended.get(count).asLong()).as(count).isEqualTo(through.get(count).asLong());
    }
    // Active time: both attempts, not the pause; about 3 s at 10,000 rows a second.
    long active = ended.get("activeMillis").asLong();
    assertThat(active)
        .isGreaterThanOrEqualTo(2_500)
        .isLessThanOrEqualTo(ended.get("durationMillis").asLong() - 900);
    assertThat(ended.get("recordsPerSecond").asDouble()).isBetween(5_000.0, 11_000.0);
    JsonNode progress = server.get("/api/runs/" + run + "/progress").json();
    assertThat(progress.get("elapsedMillis").asLong()).isEqualTo(active);
    assertThat(progress.get("recordsWritten").asLong()).isEqualTo(ROWS);
    assertThat(progress.get("bytesWritten").asLong())
        .isEqualTo(through.get("bytesWritten").asLong());

    // Every row once: the first run's and the paused run's; two runs ended, both succeeded.
    assertThat(metric("ferry_rows_written_total{task=\"(script)\"}")).isEqualTo(2L * ROWS);
    assertThat(metric("ferry_rows_read_total{task=\"(script)\"}")).isEqualTo(2L * ROWS);
    assertThat(metric("ferry_bytes_written_total{task=\"(script)\"}"))
        .isEqualTo(2 * through.get("bytesWritten").asLong());
    assertThat(metric("ferry_runs_ended_total{state=\"SUCCEEDED\",task=\"(script)\"}"))
        .isEqualTo(2);
    assertThat(metric("ferry_runs_paused_total{task=\"(script)\"}")).isEqualTo(1);
    assertThat(server.get("/actuator/prometheus").body())
        .doesNotContain("ferry_runs_ended_total{state=\"PAUSED\"}")
        .doesNotContain(ended.get("runKey").asText());

    everyMetricIsDocumentedAndTheDashboardNamesOnlyThose();
  }

  /**
   * docs/monitoring.md lists every metric the server exposes under {@code ferry_}, and those it
   * lists are there (but for those of cdc runs and data sources); the Grafana dashboard's queries
   * name only listed metrics.
   */
  private void everyMetricIsDocumentedAndTheDashboardNamesOnlyThose() throws Exception {
    String page = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/monitoring.md"));
    java.util.Set<String> documented = new java.util.TreeSet<>();
    Matcher d = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|").matcher(page);
    while (d.find()) {
      documented.add(d.group(1));
    }
    assertThat(documented).hasSizeGreaterThan(20);
    String exposed = server.get("/actuator/prometheus").body();
    java.util.Set<String> families = new java.util.TreeSet<>();
    Matcher f = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(exposed);
    while (f.find()) {
      String name = f.group(1);
      families.add(
          f.group(2).equals("counter") && !name.endsWith("_total") ? name + "_total" : name);
    }
    for (String name : families) {
      if (name.startsWith("ferry_")) {
        assertThat(documented).as("docs/monitoring.md lists " + name).contains(name);
      }
    }
    for (String name : documented) {
      // cdc meters appear with a cdc run (CdcTaskIT), data source ones with a data source
      // (MonitoringViewsIT); this server has neither.
      if (!name.startsWith("ferry_cdc_") && !name.startsWith("ferry_datasource_")) {
        assertThat(families).as(name + " on /actuator/prometheus").contains(name);
      }
    }
    JsonNode dashboard =
        TestServer.JSON.readTree(new java.io.File("../docs/grafana/ferry-dashboard.json"));
    List<String> queries = new java.util.ArrayList<>();
    dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
    dashboard.findValues("definition").forEach(e -> queries.add(e.asText()));
    assertThat(queries).hasSizeGreaterThan(10);
    Pattern metricName =
        Pattern.compile("\\b((?:ferry|process|system|jvm|hikaricp)_[a-z0-9_]+)\\b");
    for (String q : queries) {
      Matcher m = metricName.matcher(q);
      assertThat(m.find()).as("a metric in " + q).isTrue();
      do {
        assertThat(documented).as("query " + q).contains(m.group(1));
      } while (m.find());
    }
  }

  private long start(String name) {
    TestServer.Reply r = server.post("/api/runs", Map.of("name", name, "script", SCRIPT));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asLong();
  }

  /** A sample's value from {@code /actuator/prometheus}, by name and labels as it prints them. */
  private long metric(String sample) {
    return Math.round(value(sample));
  }

  private double value(String sample) {
    String text = server.get("/actuator/prometheus").body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as("%s in%n%s", sample, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private JsonNode awaitState(long run, String... states) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (List.of(states).contains(last.get("state").asText())) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never reached " + List.of(states) + ": " + last);
  }
}
