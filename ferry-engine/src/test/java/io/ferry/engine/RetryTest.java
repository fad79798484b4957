package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine opens a split again after a retriable read failure, and replaces a writer after a
 * retriable write failure, reading its unfinished splits again from their checkpoints (settings
 * maxRetries).
 */
class RetryTest {
  @TempDir Path dir;

  @AfterEach
  void rearm() {
    MemoryConnector.FAILURES_ARMED.set(true);
  }

  private RunResult run(String table, String source, String settings) throws Exception {
    return execute("rows: 3000, " + source, "table: " + table, "flushInterval: 1ms, " + settings);
  }

  private RunResult runInto(String table, String sink, String settings) throws Exception {
    return execute("rows: 3000", "table: " + table + ", " + sink, settings);
  }

  private RunResult execute(String source, String sink, String settings) throws Exception {
    Engine engine =
        new Engine(
            ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir.resolve("state"));
    JobSpec spec =
        JobSpecLoader.parse(
            """
            source: {connector: memory, splits: 3, batchSize: 100, %s}
            sink: {connector: memory, %s}
            settings: {channels: 2, %s}
            """
                .formatted(source, sink, settings),
            false,
            null,
            "retried",
            Map.of());
    return engine.start(spec).await();
  }

  private static void assertExactlyOnce(String table, long rows) {
    Map<Long, Integer> seen = new TreeMap<>();
    for (Object[] row : new ArrayList<>(MemoryConnector.TABLES.get(table).committed)) {
      seen.merge((Long) row[0], 1, Integer::sum);
    }
    assertThat(seen).hasSize((int) rows);
    assertThat(seen.values()).allMatch(n -> n == 1);
  }

  @Test
  void aConnectionLostMidSplitIsReadAgainFromTheLastBatchAndTheRunFinishesExact() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result = run(table, "failAt: 1550, failTimes: 2", "maxRetries: 3, retryBackoff: 5ms");
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.failure()).isNull();
    assertExactlyOnce(table, 3000);
    assertThat(result.progress().recordsRead()).isEqualTo(3000);
    assertThat(result.progress().recordsWritten()).isEqualTo(3000);
  }

  @Test
  void whenRetriesAreUsedUpTheRunPausesWithTheFailure() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result = run(table, "failAt: 1550, failTimes: 3", "maxRetries: 2, retryBackoff: 5ms");
    assertThat(result.state()).isEqualTo(RunState.PAUSED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.CONNECTION);
  }

  @Test
  void anErrorNoRetryCanFixFailsAtOnce() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result =
        run(
            table,
            "failAt: 1550, failTimes: 1, failRetriable: false",
            "maxRetries: 3, retryBackoff: 5ms");
    assertThat(result.state()).isEqualTo(RunState.FAILED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void withoutRetriesALostConnectionPausesAsBefore() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result = run(table, "failAt: 1550, failTimes: 1", "maxRetries: 0");
    assertThat(result.state()).isEqualTo(RunState.PAUSED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.CONNECTION);
  }

  @Test
  void aWriterThatLostItsConnectionMidSplitIsReplacedAndEveryRowLandsExactlyOnce()
      throws Exception {
    String table = "t-" + UUID.randomUUID();
    // Eager: the rows of a batch land as they are written, as in a database committing each
    // statement, so the failed writer leaves rows past the split's checkpoint behind.
    RunResult result =
        runInto(
            table,
            "eager: true, writeFailAt: 1550, writeFailTimes: 2",
            "maxRetries: 3, retryBackoff: 5ms, flushInterval: 1h");
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.failure()).isNull();
    assertExactlyOnce(table, 3000);
    MemoryConnector.Table written = MemoryConnector.TABLES.get(table);
    // Two channels' first writers and one replacement per failure.
    assertThat(written.writers).isEqualTo(4);
    // The split was read again from its checkpoint (its start: flushed only at a split's end),
    // after its rows past it were discarded; so was a split the channel had begun to read after it.
    assertThat(written.discarded)
        .filteredOn(range -> range.upper()[0].equals(1999L))
        .hasSize(2)
        .allSatisfy(range -> assertThat(range.lower()).containsExactly(1000L));
    assertThat(result.progress().recordsRead()).isEqualTo(3000);
    assertThat(result.progress().recordsWritten()).isEqualTo(3000);
  }

  @Test
  void aWriterRetryContinuesFromTheSplitsLastFlush() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result =
        runInto(
            table,
            "eager: true, writeFailAt: 1550, writeFailTimes: 1",
            "maxRetries: 1, retryBackoff: 5ms, flushInterval: 0ms");
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertExactlyOnce(table, 3000);
    // Flushed after every batch: the split went on after a position inside it.
    assertThat(MemoryConnector.TABLES.get(table).discarded)
        .filteredOn(range -> range.upper()[0].equals(1999L))
        .singleElement()
        .satisfies(range -> assertThat((Long) range.lower()[0]).isGreaterThan(1000L));
    assertThat(result.progress().recordsWritten()).isEqualTo(3000);
  }

  @Test
  void whenWriterRetriesAreUsedUpTheRunPausesWithTheFailure() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result =
        runInto(
            table,
            "eager: true, writeFailAt: 1550, writeFailTimes: 3",
            "maxRetries: 2, retryBackoff: 5ms, flushInterval: 1ms");
    assertThat(result.state()).isEqualTo(RunState.PAUSED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.CONNECTION);
    assertThat(MemoryConnector.TABLES.get(table).writers).isEqualTo(4);
  }

  @Test
  void aWriterErrorNoRetryCanFixFailsAtOnce() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result =
        runInto(
            table,
            "writeFailAt: 1550, writeFailTimes: 1, writeFailRetriable: false",
            "maxRetries: 3, retryBackoff: 5ms, flushInterval: 1ms");
    assertThat(result.state()).isEqualTo(RunState.FAILED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(MemoryConnector.TABLES.get(table).writers).isEqualTo(2);
    assertThat(MemoryConnector.TABLES.get(table).discarded).isEmpty();
  }

  @Test
  void aWriterOfASinkThatCannotResumeIsNotRetriedAndTheErrorSaysWhy() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result =
        runInto(
            table,
            "resumable: false, writeFailAt: 1550, writeFailTimes: 1",
            "maxRetries: 3, retryBackoff: 5ms, flushInterval: 1ms");
    assertThat(result.state()).isEqualTo(RunState.FAILED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.CONNECTION);
    assertThat(result.failure().getMessage()).contains("not retried").contains("discard");
    assertThat(MemoryConnector.TABLES.get(table).writers).isEqualTo(2);
  }

  @Test
  void aConnectorThatStillRetriesOnItsOwnKeepsItsMaxRetriesOutOfTheJobSetting() throws Exception {
    // The memory sink declares maxRetries with a default, as a connector that retries on its own.
    Engine engine =
        new Engine(
            ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir.resolve("state"));
    JobSpec spec =
        JobSpecLoader.parse(
            """
            source: {connector: memory, rows: 10}
            sink: {connector: memory, table: t-%s, maxRetries: 7}
            """
                .formatted(UUID.randomUUID()),
            false,
            null,
            "own",
            Map.of());
    JobRun run = engine.start(spec);
    assertThat(run.settings().maxRetries()).isEqualTo(3);
    assertThat(run.await().state()).isEqualTo(RunState.SUCCEEDED);
  }
}
