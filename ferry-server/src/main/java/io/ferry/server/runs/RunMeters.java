package io.ferry.server.runs;

import io.ferry.engine.Progress;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The runs' Prometheus counters: rows and bytes counted once, whatever the pauses and resumes, and
 * attempts counted by how they ended. Tags are bounded (a state, a kind), never a run.
 *
 * <ul>
 *   <li>{@code ferry.rows.read}, {@code ferry.rows.written}, {@code ferry.bytes.written}, {@code
 *       ferry.rows.filtered}, {@code ferry.rows.dirty{kind=read|convert|write}}: the committed
 *       counts (what the checkpoints hold), increased by what each attempt adds to the counts it
 *       resumed from, so rows of earlier attempts are never counted again.
 *   <li>{@code ferry.runs.ended{state=SUCCEEDED|FAILED|STOPPED}}: runs that ended for good.
 *   <li>{@code ferry.runs.paused}: attempts that ended PAUSED (by request, a shutdown or a fault a
 *       retry may fix); the run itself goes on when resumed.
 * </ul>
 */
final class RunMeters {
  private final MeterRegistry meters;
  private final Counter read;
  private final Counter written;
  private final Counter bytesWritten;
  private final Counter filtered;
  private final Counter dirtyOnRead;
  private final Counter dirtyOnConvert;
  private final Counter dirtyOnWrite;
  private final Counter paused;

  RunMeters(MeterRegistry meters) {
    this.meters = meters;
    this.read = counter("ferry.rows.read", "Rows read by runs of this server");
    this.written =
        counter("ferry.rows.written", "Rows runs of this server wrote: the sink took and flushed");
    this.bytesWritten =
        counter("ferry.bytes.written", "Estimated data size of the rows runs of this server wrote");
    this.filtered = counter("ferry.rows.filtered", "Rows filter transforms removed");
    this.dirtyOnRead = dirty("read", "Rows sources could not read");
    this.dirtyOnConvert = dirty("convert", "Rows transforms or type conversions could not handle");
    this.dirtyOnWrite = dirty("write", "Rows sinks rejected");
    this.paused =
        Counter.builder("ferry.runs.paused")
            .description("Run attempts that ended paused; a resume continues the run")
            .register(meters);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(meters);
  }

  private Counter dirty(String kind, String description) {
    return Counter.builder("ferry.rows.dirty")
        .tag("kind", kind)
        .description(description)
        .register(meters);
  }

  /**
   * What one attempt of a run has counted so far. Starts at the counts the attempt resumed from;
   * each count only grows (a sink that writes unfinished splits again lowers its committed counts
   * for a while: those rows were counted before).
   */
  final class Attempt {
    private RowCounts counted;

    private Attempt(RowCounts carriedOver) {
      this.counted = carriedOver;
    }

    /** Counts what the attempt committed since the last call. */
    synchronized void progress(Progress p) {
      RowCounts now = p.committed();
      read.increment(grown(counted.read(), now.read()));
      written.increment(grown(counted.written(), now.written()));
      bytesWritten.increment(grown(counted.bytesWritten(), now.bytesWritten()));
      filtered.increment(grown(counted.filtered(), now.filtered()));
      dirtyOnRead.increment(grown(counted.dirtyOnRead(), now.dirtyOnRead()));
      dirtyOnConvert.increment(grown(counted.dirtyOnConvert(), now.dirtyOnConvert()));
      dirtyOnWrite.increment(grown(counted.dirtyOnWrite(), now.dirtyOnWrite()));
      counted =
          new RowCounts(
              Math.max(counted.read(), now.read()),
              Math.max(counted.written(), now.written()),
              Math.max(counted.bytesRead(), now.bytesRead()),
              Math.max(counted.bytesWritten(), now.bytesWritten()),
              Math.max(counted.filtered(), now.filtered()),
              Math.max(counted.dirtyOnRead(), now.dirtyOnRead()),
              Math.max(counted.dirtyOnConvert(), now.dirtyOnConvert()),
              Math.max(counted.dirtyOnWrite(), now.dirtyOnWrite()));
    }

    /** Counts the last progress and how the attempt ended. */
    void ended(RunState state, Progress last) {
      progress(last);
      if (state == RunState.PAUSED) {
        paused.increment();
      } else if (state.isFinal()) {
        meters.counter("ferry.runs.ended", "state", state.name()).increment();
      }
    }
  }

  /**
   * @param carriedOver the counts the attempt resumed from ({@link RowCounts#ZERO} for a new run):
   *     earlier attempts counted them already
   */
  Attempt attempt(RowCounts carriedOver) {
    return new Attempt(carriedOver);
  }

  private static double grown(long before, long now) {
    return Math.max(0, now - before);
  }
}
