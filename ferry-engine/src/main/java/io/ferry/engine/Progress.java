package io.ferry.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A snapshot of a run's statistics, over all its attempts: a resumed run continues the counts and
 * the active time of the attempts before.
 *
 * @param startedAt when the run was created (its first attempt)
 * @param elapsed how long the run has been running, over all attempts, paused time left out
 * @param counts the rows so far. While the run runs, {@code written} includes rows the sink took
 *     but has not flushed yet (they are flushed within {@code flushInterval}); once an attempt
 *     ended (paused, killed, ended) every count is {@code committed}
 * @param committed the counts behind the last checkpoint: what the target holds for sure
 * @param estimatedRecords rows the source expects to emit, or -1 when unknown
 * @param recordsPerSecond write rate over the last few seconds (the current speed)
 * @param bytesPerSecond byte rate over the last few seconds
 * @param waitForWriter time readers spent waiting for room in a full channel: the sink is the
 *     slower side when this grows
 * @param waitForReader time writers spent waiting for rows: the source is the slower side when this
 *     grows
 * @param changes what a {@code kind: cdc} run captures and applies (phase, log position, lag,
 *     per-table inserts, updates, deletes and snapshot progress); null for other kinds
 */
public record Progress(
    String runKey,
    RunState state,
    Instant startedAt,
    Duration elapsed,
    RowCounts counts,
    RowCounts committed,
    long estimatedRecords,
    int splitsTotal,
    int splitsDone,
    double recordsPerSecond,
    double bytesPerSecond,
    Duration waitForWriter,
    Duration waitForReader,
    List<SplitProgress> splits,
    ChangeProgress changes) {

  /** Rows the source emitted. */
  public long recordsRead() {
    return counts.read();
  }

  /** Rows the sink accepted (see {@link #counts}); rows it rejected are dirty. */
  public long recordsWritten() {
    return counts.written();
  }

  /** Estimated data size of the rows written. */
  public long bytesWritten() {
    return counts.bytesWritten();
  }

  /** Dirty rows of every kind. */
  public long dirtyRecords() {
    return counts.dirty();
  }

  /** Rows a filter transform removed on purpose. */
  public long filteredRecords() {
    return counts.filtered();
  }

  /** Done share in percent: by rows when the total is known, otherwise by splits. */
  public OptionalDouble percent() {
    if (state == RunState.SUCCEEDED) {
      return OptionalDouble.of(100.0);
    }
    if (estimatedRecords > 0) {
      return OptionalDouble.of(Math.min(99.9, 100.0 * counts.handled() / estimatedRecords));
    }
    if (splitsTotal > 0) {
      return OptionalDouble.of(100.0 * splitsDone / splitsTotal);
    }
    return OptionalDouble.empty();
  }

  /**
   * Time left at the current speed (the average over the active time while there is none yet);
   * empty when the total is unknown.
   */
  public Optional<Duration> eta() {
    long handled = counts.handled();
    if (estimatedRecords <= 0 || handled == 0 || state.isFinal()) {
      return Optional.empty();
    }
    double rate = recordsPerSecond > 0 ? recordsPerSecond : averageRate(handled);
    if (rate <= 0) {
      return Optional.empty();
    }
    long left = Math.max(0, estimatedRecords - handled);
    return Optional.of(Duration.ofMillis((long) (1000 * left / rate)));
  }

  /** Average rows written per second of active time. */
  public double averageRecordsPerSecond() {
    return averageRate(counts.written());
  }

  /** Average bytes written per second of active time. */
  public double averageBytesPerSecond() {
    return averageRate(counts.bytesWritten());
  }

  private double averageRate(long amount) {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : amount / seconds;
  }
}
