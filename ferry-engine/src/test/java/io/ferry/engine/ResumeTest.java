package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
  @TempDir Path dir;

  private Engine engine() {
    return new Engine(
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir.resolve("state"));
  }

  @AfterEach
  void rearm() {
    MemoryConnector.FAILURES_ARMED.set(true);
  }

  private JobSpec jobFile(String yaml) throws Exception {
    Path file = dir.resolve("job-" + UUID.randomUUID() + ".yaml");
    Files.writeString(file, yaml);
    return JobSpecLoader.load(file, Map.of());
  }

  /** Every id 0..rows-1 exactly once in the sink's flushed rows. */
  private static void assertExactlyOnce(String table, long rows) {
    Map<Long, Integer> seen = new TreeMap<>();
    for (Object[] row : new ArrayList<>(MemoryConnector.TABLES.get(table).committed)) {
      seen.merge((Long) row[0], 1, Integer::sum);
    }
    assertThat(seen).hasSize((int) rows);
    assertThat(seen.values()).allMatch(n -> n == 1);
    assertThat(seen.keySet().iterator().next()).isZero();
  }

  @Test
  void aPausedRunResumesWhereItsCheckpointIsWithoutLosingOrRepeatingARow() throws Exception {
    String table = "t-" + UUID.randomUUID();
    Engine engine = engine();
    JobSpec spec =
        jobFile(
            """
            name: pausing
            source: {connector: memory, rows: 20000, splits: 6, batchSize: 50, slowMillis: 2}
            sink: {connector: memory, table: %s}
            settings: {channels: 2, flushInterval: 20ms}
            """
                .formatted(table));
    JobRun run = engine.start(spec);
    while (run.progress().recordsWritten() < 2000) {
      Thread.sleep(5);
    }
    run.pause();
    RunResult paused = run.await(Duration.ofSeconds(30)).orElseThrow();

    assertThat(paused.state()).isEqualTo(RunState.PAUSED);
    assertThat(paused.failure()).isNull();
    MemoryConnector.Table t = MemoryConnector.TABLES.get(table);
    assertThat(t.published).isFalse();
    assertThat(t.aborted).isFalse();
    int flushedBeforePause = t.committed.size();
    assertThat(flushedBeforePause).isBetween(2000, 19_999);
    RunRecord record = engine.runOf(run.runKey()).orElseThrow();
    assertThat(record.state()).isEqualTo(RunState.PAUSED);
    assertThat(record.resumeCommand()).isEqualTo("ferry resume " + run.runKey());

    RunResult resumed = engine.resume(run.runKey(), Map.of()).await();

    assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(resumed.progress().recordsWritten()).isEqualTo(20000);
    assertThat(t.published).isTrue();
    assertExactlyOnce(table, 20000);
    assertThat(engine.runOf(run.runKey()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void aLostConnectionPausesTheRunWithItsReasonAndResumeFinishesIt() throws Exception {
    String table = "t-" + UUID.randomUUID();
    Engine engine = engine();
    JobSpec spec =
        jobFile(
            """
            source: {connector: memory, rows: 5000, splits: 4, failAt: 3333, batchSize: 100}
            sink: {connector: memory, table: %s}
            settings: {channels: 2, flushInterval: 1ms, retryBackoff: 10ms}
            """
                .formatted(table));
    RunResult paused = engine.start(spec).await();

    assertThat(paused.state()).isEqualTo(RunState.PAUSED);
    assertThat(paused.failure().code()).isEqualTo(ErrorCode.CONNECTION);
    RunRecord record = engine.runOf(paused.progress().runKey()).orElseThrow();
    assertThat(record.message()).isEqualTo("connection lost at row 3333");
    assertThat(MemoryConnector.TABLES.get(table).aborted).isFalse();

    MemoryConnector.FAILURES_ARMED.set(false); // the fault is repaired
    RunResult resumed = engine.resume(paused.progress().runKey(), Map.of()).await();
    assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    assertExactlyOnce(table, 5000);
  }

  @Test
  void anInterruptedRunIsReportedPausedAndResumes() throws Exception {
    String table = "t-" + UUID.randomUUID();
    Engine engine = engine();
    JobSpec spec =
        jobFile(
            """
            source: {connector: memory, rows: 3000, splits: 3, failAt: 2500, batchSize: 100}
            sink: {connector: memory, table: %s}
            settings: {channels: 1, flushInterval: 1ms, retryBackoff: 10ms}
            """
                .formatted(table));
    RunResult paused = engine.start(spec).await();
    String key = paused.progress().runKey();
    // What a killed process leaves behind: the record still says RUNNING with the counts it had
    // when it started, and nobody holds it; the checkpoint has what was committed since.
    FileCheckpointStore store = new FileCheckpointStore(dir.resolve("state"));
    RunRecord stored = store.run(key).orElseThrow();
    store.save(
        new RunRecord(
            key,
            stored.jobName(),
            stored.jobFile(),
            stored.params(),
            stored.settings(),
            stored.fingerprint(),
            RunState.RUNNING,
            stored.createdAt(),
            stored.createdAt(),
            0,
            0,
            0,
            0,
            0,
            null,
            0,
            Duration.ZERO));
    Checkpoint checkpoint = store.checkpoint(key).orElseThrow();

    RunRecord asItStands = engine.runOf(key).orElseThrow();
    assertThat(asItStands.state()).isEqualTo(RunState.PAUSED);
    assertThat(asItStands.message()).startsWith("interrupted");
    assertThat(asItStands.recordsWritten())
        .isEqualTo(checkpoint.counts().written())
        .isEqualTo(MemoryConnector.TABLES.get(table).committed.size())
        .isPositive();
    assertThat(asItStands.recordsRead()).isEqualTo(checkpoint.counts().read());
    assertThat(asItStands.bytesWritten()).isEqualTo(checkpoint.counts().bytesWritten());
    assertThat(asItStands.activeTime()).isEqualTo(checkpoint.activeTime()).isPositive();
    assertThat(asItStands.splitsTotal()).isEqualTo(3);
    assertThat(asItStands.splitsDone()).isEqualTo(checkpoint.splitsDone()).isEqualTo(2);
    assertThat(engine.runs()).extracting(RunRecord::runKey).contains(key);

    MemoryConnector.FAILURES_ARMED.set(false);
    assertThat(engine.resume(key, Map.of("channels", 3)).await().state())
        .isEqualTo(RunState.SUCCEEDED);
    assertExactlyOnce(table, 3000);
  }

  /** Starts a run of the job file and pauses it once some rows are written. */
  private static String startAndPause(Engine engine, JobSpec spec) throws Exception {
    JobRun run = engine.start(spec);
    while (run.progress().recordsWritten() < 500) {
      Thread.sleep(5);
    }
    run.pause();
    assertThat(run.await().state()).isEqualTo(RunState.PAUSED);
    return run.runKey();
  }

  /**
   * The command line (job file read again) and the server (job supplied) resume with the same
   * settings: the job's under the run's under the resume's overrides, after the file was edited.
   */
  @Test
  void bothResumePathsApplyTheSameSettingsAfterTheJobFileWasEdited() throws Exception {
    String table = "t-" + UUID.randomUUID();
    Engine engine = engine();
    Path file = dir.resolve("edited.yaml");
    String job =
        """
        source: {connector: memory, rows: 6000, splits: 4, batchSize: 50, slowMillis: 2}
        sink: {connector: memory, table: %s}
        settings: {channels: 2, flushInterval: 20ms}
        """
            .formatted(table);
    Files.writeString(file, job);
    // Started with an override, as ferry run --channels or a start request's settings do.
    JobSpec started = JobSpecLoader.load(file, Map.of()).withSetting("progressInterval", "300ms");
    String byFile = startAndPause(engine, started);
    String bySpec = startAndPause(engine, started);

    Files.writeString(
        file,
        job.replace(
            "{channels: 2, flushInterval: 20ms}",
            "{channels: 4, flushInterval: 50ms, errorLimit: 7}"));
    JobRun fromFile = engine.resume(byFile, Map.of("channels", 3));
    JobRun fromSpec =
        engine.resume(bySpec, JobSpecLoader.load(file, Map.of()), Map.of("channels", 3));

    for (JobRun run : List.of(fromFile, fromSpec)) {
      Settings s = run.settings();
      assertThat(s.channels()).as("the resume's override").isEqualTo(3);
      assertThat(s.flushInterval())
          .as("the run's, not the edited file's")
          .isEqualTo(Duration.ofMillis(20));
      assertThat(s.progressInterval())
          .as("the run's start override")
          .isEqualTo(Duration.ofMillis(300));
      assertThat(s.errorLimit()).as("a setting the file gained").isEqualTo(7);
      assertThat(run.await().state()).isEqualTo(RunState.SUCCEEDED);
    }
    assertThat(fromFile.settings().raw()).isEqualTo(fromSpec.settings().raw());
    assertThat(engine.runOf(byFile).orElseThrow().settings())
        .isEqualTo(engine.runOf(bySpec).orElseThrow().settings())
        .containsEntry("channels", 3);
  }

  private static final String COUNTED_JOB =
      """
      name: counted
      source: {connector: memory, rows: 20000, splits: 4, batchSize: 50, badAmountEvery: 97}
      transforms:
        - {type: filter, expression: "id %% 10 != 3"}
        - {type: cast, columns: {amount: "decimal(10,2)"}}
      sink: {connector: memory, table: %s, rejectEvery: 89}
      settings: {channels: 2, flushInterval: 20ms, errorLimit: 100000, recordsPerSecond: 10000}
      """;

  /**
   * A run paused half-way and resumed ends with the counts of a run that was never paused: rows
   * read, written (the sink's rejections left out), filtered, dirty by kind, bytes; its time is the
   * active time of both attempts, and no speed it reports passes the rate limit.
   */
  @Test
  void aPausedAndResumedRunCountsLikeOneThatRanThrough() throws Exception {
    Engine engine = engine();
    String through = "t-" + UUID.randomUUID();
    RunResult ranThrough = engine.start(jobFile(COUNTED_JOB.formatted(through))).await();
    assertThat(ranThrough.state()).isEqualTo(RunState.SUCCEEDED);

    String table = "t-" + UUID.randomUUID();
    long start = System.nanoTime();
    JobRun run = engine.start(jobFile(COUNTED_JOB.formatted(table)));
    while (run.progress().recordsWritten() < 9000) {
      Thread.sleep(5);
    }
    run.pause();
    RunResult paused = run.await(Duration.ofSeconds(30)).orElseThrow();
    assertThat(paused.state()).isEqualTo(RunState.PAUSED);
    assertThat(paused.progress().counts()).isEqualTo(paused.progress().committed());
    Thread.sleep(700);
    long resumedAt = System.nanoTime();
    JobRun resumedRun = engine.resume(run.runKey(), Map.of());
    List<Progress> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
    resumedRun.addListener(
        new RunListener() {
          @Override
          public void progress(JobRun r, Progress p) {
            reported.add(p);
          }
        });
    assertThat(resumedRun.carriedOver()).isEqualTo(paused.progress().counts());
    RunResult resumed = resumedRun.await();
    long end = System.nanoTime();

    assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    Progress expected = ranThrough.progress();
    Progress actual = resumed.progress();
    assertThat(actual.counts()).isEqualTo(expected.counts());
    assertThat(actual.counts().written())
        .isEqualTo(MemoryConnector.TABLES.get(table).committed.size())
        .isEqualTo(MemoryConnector.TABLES.get(through).committed.size());
    assertThat(actual.counts().filtered()).isEqualTo(2000);
    assertThat(actual.counts().dirtyOnConvert()).isPositive();
    assertThat(actual.counts().dirtyOnWrite()).isPositive();
    assertThat(actual.counts().bytesWritten()).isPositive();
    assertExactlyOnceExcept(table, 20000, id -> id % 10 == 3 || id % 97 == 0 || id % 89 == 0);
    // The whole active time: both attempts, not the 0.7 s pause between them.
    Duration resumedAttempt = Duration.ofNanos(end - resumedAt);
    assertThat(actual.elapsed())
        .isGreaterThanOrEqualTo(paused.progress().elapsed().plus(resumedAttempt.dividedBy(2)))
        .isLessThan(Duration.ofNanos(end - start).minusMillis(600));
    // 20,000 rows at 10,000 a second: about 2 s of work, whatever the pause.
    assertThat(actual.averageRecordsPerSecond()).isLessThanOrEqualTo(10_000 * 1.1);
    assertThat(reported).isNotEmpty();
    assertThat(reported).allSatisfy(p -> assertThat(p.recordsPerSecond()).isLessThan(13_000));
    RunRecord record = engine.runOf(run.runKey()).orElseThrow();
    assertThat(record.recordsWritten()).isEqualTo(actual.recordsWritten());
    assertThat(record.bytesWritten()).isEqualTo(actual.bytesWritten());
    assertThat(record.activeTime()).isEqualTo(actual.elapsed());
  }

  /** A checkpoint a Ferry before format version 2 wrote still resumes, and counts stay right. */
  @Test
  void aCheckpointOfTheFirstFormatStillResumes() throws Exception {
    String table = "t-" + UUID.randomUUID();
    Engine engine = engine();
    JobSpec spec =
        jobFile(
            """
            source: {connector: memory, rows: 4000, splits: 4, failAt: 2500, batchSize: 100}
            sink: {connector: memory, table: %s}
            settings: {channels: 1, flushInterval: 1ms, retryBackoff: 10ms}
            """
                .formatted(table));
    RunResult paused = engine.start(spec).await();
    assertThat(paused.state()).isEqualTo(RunState.PAUSED);
    String key = paused.progress().runKey();
    // The checkpoint as the first format had it: no version, rows written per split, the run's
    // rows read, dirty and filtered.
    Path file = dir.resolve("state/runs/" + key + "/checkpoint.json");
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    var v2 = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile());
    var v1 = json.createObjectNode();
    v1.set("runKey", v2.get("runKey"));
    v1.set("splitCodecVersion", v2.get("splitCodecVersion"));
    var splits = v1.putArray("splits");
    long written = 0;
    for (var split : v2.get("splits")) {
      var s1 = splits.addObject();
      s1.set("id", split.get("id"));
      s1.set("split", split.get("split"));
      s1.set("state", split.get("state"));
      s1.set("committed", split.get("committed"));
      long w = split.path("counts").path("written").asLong();
      s1.put("recordsWritten", w);
      written += w;
    }
    v1.put("recordsRead", written);
    v1.put("dirtyRecords", 0);
    v1.put("filteredRecords", 0);
    v1.set("savedAt", v2.get("savedAt"));
    Files.writeString(file, json.writeValueAsString(v1));
    assertThat(written).isEqualTo(2500);

    MemoryConnector.FAILURES_ARMED.set(false);
    RunResult resumed = engine.resume(key, Map.of()).await();
    assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    assertExactlyOnce(table, 4000);
    assertThat(resumed.progress().recordsWritten()).isEqualTo(4000);
    assertThat(resumed.progress().recordsRead()).isEqualTo(4000);
  }

  /** Every id 0..rows-1 exactly once in the sink's flushed rows, except those {@code left}. */
  private static void assertExactlyOnceExcept(
      String table, long rows, java.util.function.LongPredicate left) {
    Map<Long, Integer> seen = new TreeMap<>();
    for (Object[] row : new ArrayList<>(MemoryConnector.TABLES.get(table).committed)) {
      seen.merge((Long) row[0], 1, Integer::sum);
    }
    assertThat(seen.values()).allMatch(n -> n == 1);
    for (long id = 0; id < rows; id++) {
      assertThat(seen.containsKey(id)).as("id %d", id).isEqualTo(!left.test(id));
    }
  }

  @Test
  void rowsWrittenPastTheCheckpointAreDiscardedBeforeTheSplitIsReadAgain() throws Exception {
    String table = "t-" + UUID.randomUUID();
    Engine engine = engine();
    JobSpec spec =
        jobFile(
            """
            source: {connector: memory, rows: 4000, splits: 2, failAt: 3500, batchSize: 100}
            transforms: [{type: rename, columns: {id: order_id}}]
            sink: {connector: memory, table: %s}
            settings: {channels: 1, retryBackoff: 10ms}
            """
                .formatted(table));
    RunResult paused = engine.start(spec).await();
    assertThat(paused.state()).isEqualTo(RunState.PAUSED);
    String key = paused.progress().runKey();
    MemoryConnector.Table t = MemoryConnector.TABLES.get(table);
    assertThat(t.committed).hasSize(3500);
    // A crash between the sink's commit and the checkpoint's write: the target holds rows of
    // split range-1 (ids 2000..3499) that its checkpoint does not cover.
    FileCheckpointStore store = new FileCheckpointStore(dir.resolve("state"));
    Checkpoint saved = store.checkpoint(key).orElseThrow();
    List<Checkpoint.SplitCheckpoint> splits = new ArrayList<>(saved.splits());
    Checkpoint.SplitCheckpoint second = splits.get(1);
    splits.set(
        1, new Checkpoint.SplitCheckpoint(second.id(), second.split(), second.state(), null, null));
    store.save(
        new Checkpoint(
            Checkpoint.VERSION,
            key,
            saved.splitCodecVersion(),
            splits,
            saved.counts().minus(second.counts()),
            saved.activeTime(),
            saved.savedAt()));

    MemoryConnector.FAILURES_ARMED.set(false);
    RunResult resumed = engine.resume(key, Map.of()).await();

    assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    assertExactlyOnce(table, 4000);
    // Only the unfinished split, in the target's naming, from its first key on.
    assertThat(t.discarded)
        .containsExactly(
            new io.ferry.spi.KeyRange(
                List.of("order_id"),
                List.of(io.ferry.spi.DataType.INT64),
                new Object[] {2000L},
                true,
                new Object[] {3999L}));
  }

  @Test
  void aJobWithoutAFileResumesWithTheJobItsCallerGivesAgain() throws Exception {
    String table = "t-" + UUID.randomUUID();
    Engine engine = engine();
    String yaml =
        """
        source: {connector: memory, rows: 8000, splits: 4, batchSize: 50, slowMillis: 2}
        sink: {connector: memory, table: %s}
        settings: {channels: 2, flushInterval: 20ms}
        """
            .formatted(table);
    JobSpec spec = JobSpecLoader.parse(yaml, false, null, "fileless", Map.of());
    JobRun run = engine.start(spec);
    while (run.progress().recordsWritten() < 1000) {
      Thread.sleep(5);
    }
    run.pause();
    assertThat(run.await().state()).isEqualTo(RunState.PAUSED);

    assertThatThrownBy(() -> engine.resume(run.runKey(), Map.of()))
        .hasMessageContaining("did not come from a job file");
    JobSpec other =
        JobSpecLoader.parse(
            yaml.replace("rows: 8000", "rows: 9000"), false, null, "fileless", Map.of());
    assertThatThrownBy(() -> engine.resume(run.runKey(), other, Map.of()))
        .hasMessageContaining("changed since run");

    RunResult resumed = engine.resume(run.runKey(), spec, Map.of("channels", 3)).await();
    assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    assertExactlyOnce(table, 8000);
    // What it resumed with is the run's record from now on.
    assertThat(engine.runOf(run.runKey()).orElseThrow().settings()).containsEntry("channels", 3);
  }

  @Test
  void aStoppedPausedRunNoLongerResumes() throws Exception {
    Engine engine = engine();
    String yaml =
        """
        source: {connector: memory, rows: 3000, splits: 3, failAt: 10}
        sink: {connector: memory, table: stopped-%s}
        settings: {retryBackoff: 10ms}
        """
            .formatted(UUID.randomUUID());
    JobSpec spec = JobSpecLoader.parse(yaml, false, null, "stopped", Map.of());
    RunResult paused = engine.start(spec).await();
    assertThat(paused.state()).isEqualTo(RunState.PAUSED);
    String key = paused.progress().runKey();

    RunRecord stopped = engine.stopPaused(key, "stopped while paused");
    assertThat(stopped.state()).isEqualTo(RunState.STOPPED);
    assertThat(engine.runOf(key).orElseThrow().state()).isEqualTo(RunState.STOPPED);
    assertThatThrownBy(() -> engine.resume(key, spec, Map.of())).hasMessageContaining("STOPPED");
    assertThatThrownBy(() -> engine.stopPaused(key, "again")).hasMessageContaining("STOPPED");
  }

  @Test
  void aRotatedSecretDoesNotMakeItAnotherJob() throws Exception {
    Engine engine = engine();
    Path file = dir.resolve("secret.yaml");
    String job =
        """
        source: {connector: memory, rows: 3000, splits: 3, failAt: 10, token: %s}
        sink: {connector: memory, table: secret-%s}
        settings: {retryBackoff: 10ms}
        """;
    String table = UUID.randomUUID().toString();
    Files.writeString(file, job.formatted("first", table));
    RunResult paused = engine.start(JobSpecLoader.load(file, Map.of())).await();
    assertThat(paused.state()).isEqualTo(RunState.PAUSED);

    Files.writeString(file, job.formatted("rotated", table));
    MemoryConnector.FAILURES_ARMED.set(false);
    assertThat(engine.resume(paused.progress().runKey(), Map.of()).await().state())
        .isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void onlyPausedRunsOfAnUnchangedJobResume() throws Exception {
    Engine engine = engine();
    Path file = dir.resolve("job.yaml");
    Files.writeString(
        file,
        """
        source: {connector: memory, rows: 3000, splits: 3, failAt: 10}
        sink: {connector: memory, table: unchanged}
        settings: {retryBackoff: 10ms}
        """);
    RunResult paused = engine.start(JobSpecLoader.load(file, Map.of())).await();
    String key = paused.progress().runKey();
    assertThat(paused.state()).isEqualTo(RunState.PAUSED);

    Files.writeString(
        file,
        """
        source: {connector: memory, rows: 3001, splits: 3, failAt: 10}
        sink: {connector: memory, table: unchanged}
        settings: {retryBackoff: 10ms}
        """);
    assertThatThrownBy(() -> engine.resume(key, Map.of()))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("changed since run " + key + " started");

    assertThatThrownBy(() -> engine.resume("nope-1", Map.of()))
        .hasMessage("there is no run 'nope-1'");

    MemoryConnector.FAILURES_ARMED.set(false);
    JobRun stopped =
        engine.start(
            jobFile(
                """
                source: {connector: memory, rows: 100000, splits: 2, batchSize: 10, slowMillis: 5}
                sink: {connector: memory, table: stopped}
                """));
    stopped.stop();
    assertThat(stopped.await().state()).isEqualTo(RunState.STOPPED);
    assertThatThrownBy(() -> engine.resume(stopped.runKey(), Map.of()))
        .hasMessageContaining("is STOPPED; only a paused or interrupted run resumes");
  }

  @Test
  void aRunIsClaimedByOneProcessAtATime() {
    FileCheckpointStore store = new FileCheckpointStore(dir);
    CheckpointStore.Claim claim = store.claim("r-1").orElseThrow();
    assertThat(store.isClaimed("r-1")).isTrue();
    assertThat(store.claim("r-1")).isEmpty();
    claim.close();
    assertThat(store.isClaimed("r-1")).isFalse();
    assertThatThrownBy(() -> store.run("../etc")).hasMessageContaining("is not a run key");
  }

  @Test
  void checkpointsSurviveARoundTripThroughTheStore() {
    FileCheckpointStore store = new FileCheckpointStore(dir);
    Checkpoint checkpoint =
        new Checkpoint(
            Checkpoint.VERSION,
            "r-2",
            3,
            List.of(
                new Checkpoint.SplitCheckpoint(
                    "s0",
                    new byte[] {1, 2},
                    SplitProgress.State.DONE,
                    new io.ferry.spi.Position(2, new byte[] {9}, "id=9"),
                    new RowCounts(12, 10, 120, 100, 1, 0, 1, 0)),
                new Checkpoint.SplitCheckpoint(
                    "s1", new byte[] {3}, SplitProgress.State.PENDING, null, null)),
            new RowCounts(12, 10, 120, 100, 1, 0, 1, 0),
            Duration.ofSeconds(3),
            java.time.Instant.parse("2026-01-02T03:04:05Z"));
    store.save(checkpoint);
    Checkpoint back = store.checkpoint("r-2").orElseThrow();
    assertThat(back.splits()).hasSize(2);
    assertThat(back.splits().get(0).split()).containsExactly(1, 2);
    assertThat(back.splits().get(0).committed())
        .isEqualTo(new io.ferry.spi.Position(2, new byte[] {9}, "id=9"));
    assertThat(back.splits().get(0).committed().description()).isEqualTo("id=9");
    assertThat(back.splits().get(1).committed()).isNull();
    assertThat(back.savedAt()).isEqualTo(checkpoint.savedAt());
    assertThat(back.splitCodecVersion()).isEqualTo(3);
  }
}
