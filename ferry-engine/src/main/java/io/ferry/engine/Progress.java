package io.ferry.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A snapshot of a run's statistics.
 *
 * @param recordsRead rows the source emitted
 * @param recordsWritten rows handed to the sink
 * @param bytesWritten estimated in-memory size of the rows handed to the sink
 * @param dirtyRecords rows that went to the dirty-data store
 * @param filteredRecords rows a filter transform removed on purpose
 * @param estimatedRecords rows the source expects to emit, or -1 when unknown
 * @param recordsPerSecond write rate since the previous snapshot (the current speed)
 * @param bytesPerSecond byte rate since the previous snapshot
 * @param waitForWriter time readers spent waiting for room in a full channel: the sink is the
 *     slower side when this grows
 * @param waitForReader time writers spent waiting for rows: the source is the slower side when this
 *     grows
 */
public record Progress(
    String runKey,
    RunState state,
    Instant startedAt,
    Duration elapsed,
    long recordsRead,
    long recordsWritten,
    long bytesWritten,
    long dirtyRecords,
    long filteredRecords,
    long estimatedRecords,
    int splitsTotal,
    int splitsDone,
    double recordsPerSecond,
    double bytesPerSecond,
    Duration waitForWriter,
    Duration waitForReader,
    List<SplitProgress> splits) {

  /** Done share in percent: by rows when the total is known, otherwise by splits. */
  public OptionalDouble percent() {
    if (state == RunState.SUCCEEDED) {
      return OptionalDouble.of(100.0);
    }
    long handled = recordsWritten + dirtyRecords + filteredRecords;
    if (estimatedRecords > 0) {
      return OptionalDouble.of(Math.min(99.9, 100.0 * handled / estimatedRecords));
    }
    if (splitsTotal > 0) {
      return OptionalDouble.of(100.0 * splitsDone / splitsTotal);
    }
    return OptionalDouble.empty();
  }

  /** Time left at the average speed so far; empty when the total is unknown. */
  public Optional<Duration> eta() {
    double seconds = elapsed.toNanos() / 1e9;
    long handled = recordsWritten + dirtyRecords + filteredRecords;
    if (estimatedRecords <= 0 || handled == 0 || seconds <= 0 || state.isFinal()) {
      return Optional.empty();
    }
    double rate = handled / seconds;
    long left = Math.max(0, estimatedRecords - handled);
    return Optional.of(Duration.ofMillis((long) (1000 * left / rate)));
  }

  /** Average rows per second since the start. */
  public double averageRecordsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : recordsWritten / seconds;
  }

  /** Average bytes per second since the start. */
  public double averageBytesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : bytesWritten / seconds;
  }
}
