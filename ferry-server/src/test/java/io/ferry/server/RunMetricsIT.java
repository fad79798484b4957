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
    JsonNode through = awaitState(start("through"), "SUCCEEDED");
    assertThat(through.get("recordsWritten").asLong()).isEqualTo(ROWS);
    assertThat(metric("ferry_rows_written_total")).isEqualTo(ROWS);

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
    assertThat(metric("ferry_runs_paused_total")).isEqualTo(1);
    assertThat(metric("ferry_rows_written_total")).isEqualTo(ROWS + writtenAtPause);
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
    assertThat(metric("ferry_rows_written_total")).isEqualTo(2L * ROWS);
    assertThat(metric("ferry_rows_read_total")).isEqualTo(2L * ROWS);
    assertThat(metric("ferry_bytes_written_total"))
        .isEqualTo(2 * through.get("bytesWritten").asLong());
    assertThat(metric("ferry_runs_ended_total{state=\"SUCCEEDED\"}")).isEqualTo(2);
    assertThat(metric("ferry_runs_paused_total")).isEqualTo(1);
    assertThat(server.get("/actuator/prometheus").body())
        .doesNotContain("ferry_runs_ended_total{state=\"PAUSED\"}")
        .doesNotContain(ended.get("runKey").asText());
  }

  private long start(String name) {
    TestServer.Reply r = server.post("/api/runs", Map.of("name", name, "script", SCRIPT));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asLong();
  }

  /** A sample's value from {@code /actuator/prometheus}, by name and labels as it prints them. */
  private long metric(String sample) {
    String text = server.get("/actuator/prometheus").body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as("%s in%n%s", sample, text).isTrue();
    return Math.round(Double.parseDouble(m.group(1)));
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
