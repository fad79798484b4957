package io.ferry.server.runs;

import io.ferry.engine.ChangeProgress;
import io.ferry.engine.Progress;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 *   <li>{@code ferry.cdc.changes.applied{task,op=insert|update|delete}}: changes {@code kind: cdc}
 *       runs flushed to their targets, counted once over pauses and resumes (a resume starts from
 *       the counts its pause saved).
 *   <li>{@code ferry.cdc.lag.seconds{task}}: the lag of the task's executing cdc run, from the
 *       source's commit of its last flushed change to that flush; NaN while none executes.
 * </ul>
 *
 * The {@code task} tag is the task's name ({@value #SCRIPT_RUN} for a run of a script that belongs
 * to no task): bounded by the tasks, never a run.
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

  /** The {@code task} tag of runs that belong to no task. */
  static final String SCRIPT_RUN = "(script)";

  /** The lag gauges' values, by task; a task without an executing cdc run has none (NaN). */
  private final Map<String, Double> lags = new ConcurrentHashMap<>();

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

  /** Sets the task's cdc lag gauge, registered at its first value. */
  void lag(String task, Duration lag) {
    if (lags.put(task, lag.toMillis() / 1000.0) == null) {
      Gauge.builder("ferry.cdc.lag.seconds", lags, l -> l.getOrDefault(task, Double.NaN))
          .tag("task", task)
          .description("Lag of the task's cdc run: source commit to target flush")
          .baseUnit("seconds")
          .register(meters);
    }
  }

  /** The task's cdc run no longer executes here: its lag is unknown. */
  void lagGone(String task) {
    lags.remove(task);
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
    private final String task;

    /** Inserts, updates and deletes counted so far (cdc runs). */
    private final long[] changes;

    private Attempt(RowCounts carriedOver, String task, long[] changesCarriedOver) {
      this.counted = carriedOver;
      this.task = task;
      this.changes = changesCarriedOver.clone();
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
      ChangeProgress c = p.changes();
      if (c != null) {
        long[] now3 = totals(c);
        for (int i = 0; i < 3; i++) {
          double more = grown(changes[i], now3[i]);
          if (more > 0) {
            meters.counter("ferry.cdc.changes.applied", "task", task, "op", OPS[i]).increment(more);
          }
          changes[i] = Math.max(changes[i], now3[i]);
        }
        lag(task, c.lag() == null ? Duration.ZERO : c.lag());
      }
    }

    /** Counts the last progress and how the attempt ended. */
    void ended(RunState state, Progress last) {
      progress(last);
      if (last.changes() != null) {
        lagGone(task);
      }
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
    return attempt(carriedOver, SCRIPT_RUN, new long[3]);
  }

  /**
   * @param task the {@code task} tag
   * @param changesCarriedOver the inserts, updates and deletes the attempt resumed from
   */
  Attempt attempt(RowCounts carriedOver, String task, long[] changesCarriedOver) {
    return new Attempt(carriedOver, task, changesCarriedOver);
  }

  private static final String[] OPS = {"insert", "update", "delete"};

  /** Inserts, updates and deletes over all tables. */
  static long[] totals(ChangeProgress c) {
    long[] t = new long[3];
    for (ChangeProgress.TableProgress table : c.tables()) {
      t[0] += table.inserts();
      t[1] += table.updates();
      t[2] += table.deletes();
    }
    return t;
  }

  private static double grown(long before, long now) {
    return Math.max(0, now - before);
  }
}
