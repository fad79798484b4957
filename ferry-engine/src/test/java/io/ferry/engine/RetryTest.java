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

/** The engine opens a split again after a retriable read failure (settings maxRetries). */
class RetryTest {
  @TempDir Path dir;

  @AfterEach
  void rearm() {
    MemoryConnector.FAILURES_ARMED.set(true);
  }

  private RunResult run(String table, String source, String settings) throws Exception {
    Engine engine =
        new Engine(
            ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir.resolve("state"));
    JobSpec spec =
        JobSpecLoader.parse(
            """
            source: {connector: memory, rows: 3000, splits: 3, batchSize: 100, %s}
            sink: {connector: memory, table: %s}
            settings: {channels: 2, flushInterval: 1ms, %s}
            """
                .formatted(source, table, settings),
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
  void withoutMaxRetriesALostConnectionPausesAsBefore() throws Exception {
    String table = "t-" + UUID.randomUUID();
    RunResult result = run(table, "failAt: 1550, failTimes: 1", "progressInterval: 1s");
    assertThat(result.state()).isEqualTo(RunState.PAUSED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.CONNECTION);
  }
}
