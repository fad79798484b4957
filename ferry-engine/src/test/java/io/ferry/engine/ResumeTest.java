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
            settings: {channels: 2, flushInterval: 1ms}
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
            settings: {channels: 1, flushInterval: 1ms}
            """
                .formatted(table));
    RunResult paused = engine.start(spec).await();
    String key = paused.progress().runKey();
    // What a killed process leaves behind: the record still says RUNNING, and nobody holds it.
    FileCheckpointStore store = new FileCheckpointStore(dir.resolve("state"));
    RunRecord stored = store.run(key).orElseThrow();
    store.save(stored.with(RunState.RUNNING, null, null));

    RunRecord asItStands = engine.runOf(key).orElseThrow();
    assertThat(asItStands.state()).isEqualTo(RunState.PAUSED);
    assertThat(asItStands.message()).startsWith("interrupted");
    assertThat(engine.runs()).extracting(RunRecord::runKey).contains(key);

    MemoryConnector.FAILURES_ARMED.set(false);
    assertThat(engine.resume(key, Map.of("channels", 3)).await().state())
        .isEqualTo(RunState.SUCCEEDED);
    assertExactlyOnce(table, 3000);
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
            settings: {channels: 1}
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
        1, new Checkpoint.SplitCheckpoint(second.id(), second.split(), second.state(), null, 0));
    store.save(new Checkpoint(key, saved.splitCodecVersion(), splits, 2000, 0, 0, saved.savedAt()));

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
        """);
    RunResult paused = engine.start(JobSpecLoader.load(file, Map.of())).await();
    String key = paused.progress().runKey();
    assertThat(paused.state()).isEqualTo(RunState.PAUSED);

    Files.writeString(
        file,
        """
        source: {connector: memory, rows: 3001, splits: 3, failAt: 10}
        sink: {connector: memory, table: unchanged}
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
            "r-2",
            3,
            List.of(
                new Checkpoint.SplitCheckpoint(
                    "s0",
                    new byte[] {1, 2},
                    SplitProgress.State.DONE,
                    new io.ferry.spi.Position(2, new byte[] {9}, "id=9"),
                    10),
                new Checkpoint.SplitCheckpoint(
                    "s1", new byte[] {3}, SplitProgress.State.PENDING, null, 0)),
            12,
            1,
            1,
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
