package io.ferry.server.runs;

import io.ferry.engine.ChangeProgress;
import io.ferry.engine.Progress;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs' Prometheus meters, per task: rows and bytes counted once, whatever the pauses and
 * resumes, and attempts counted by how they ended. Tags are bounded (a task, a state, a kind, a
 * captured table), never a run.
 *
 * <ul>
 *   <li>{@code ferry.rows.read}, {@code ferry.rows.written}, {@code ferry.bytes.read}, {@code
 *       ferry.bytes.written}, {@code ferry.rows.filtered}, {@code
 *       ferry.rows.dirty{kind=read|convert|write}}, all with {@code task}: the committed counts
 *       (what the checkpoints hold), increased by what each attempt adds to the counts it resumed
 *       from, so rows of earlier attempts are never counted again.
 *   <li>{@code ferry.wait.for.writer}, {@code ferry.wait.for.reader} {@code {task}} (seconds): time
 *       readers waited for room in full channels (the sink is slower), and writers waited for rows
 *       (the source is slower).
 *   <li>{@code ferry.runs.ended{task,state=SUCCEEDED|FAILED|STOPPED}}: runs that ended for good.
 *   <li>{@code ferry.runs.paused{task}}: attempts that ended PAUSED (by request, a shutdown or a
 *       fault a retry may fix); the run itself goes on when resumed.
 *   <li>{@code ferry.cdc.changes.applied{task,table,op=insert|update|delete}}: changes {@code kind:
 *       cdc} runs flushed to their targets, counted once over pauses and resumes (a resume starts
 *       from the counts its pause saved); their rate is the events per second.
 *   <li>{@code ferry.cdc.lag.seconds{task}} and {@code ferry.cdc.table.lag.seconds{task,table}}:
 *       the lag of the task's executing cdc run, from the source's commit of its last flushed
 *       change to that flush; NaN while none executes here.
 * </ul>
 *
 * The {@code task} tag is the task's name ({@value #SCRIPT_RUN} for a run of a script that belongs
 * to no task): bounded by the tasks, never a run.
 */
final class RunMeters {
  private final MeterRegistry meters;

  /** The {@code task} tag of runs that belong to no task. */
  static final String SCRIPT_RUN = "(script)";

  /** The lag gauges' values, by task; a task without an executing cdc run has none (NaN). */
  private final Map<String, Double> lags = new ConcurrentHashMap<>();

  /** The per-table lag gauges' values, by task and table. */
  private final Map<TaskTable, Double> tableLags = new ConcurrentHashMap<>();

  private record TaskTable(String task, String table) {}

  RunMeters(MeterRegistry meters) {
    this.meters = meters;
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

  private void tableLag(String task, String table, Duration lag) {
    TaskTable key = new TaskTable(task, table);
    if (tableLags.put(key, lag == null ? 0 : lag.toMillis() / 1000.0) == null) {
      Gauge.builder("ferry.cdc.table.lag", tableLags, l -> l.getOrDefault(key, Double.NaN))
          .tags("task", task, "table", table)
          .description("Lag of one captured table of the task's cdc run")
          .baseUnit("seconds")
          .register(meters);
    }
  }

  /** The task's cdc run no longer executes here: its lag is unknown. */
  void lagGone(String task) {
    lags.remove(task);
    tableLags.keySet().removeIf(k -> k.task().equals(task));
  }

  private Counter counter(String name, String description, String task, String... tags) {
    return Counter.builder(name)
        .description(description)
        .tag("task", task)
        .tags(tags)
        .register(meters);
  }

  /**
   * What one attempt of a run has counted so far. Starts at the counts the attempt resumed from;
   * each count only grows (a sink that writes unfinished splits again lowers its committed counts
   * for a while: those rows were counted before).
   */
  final class Attempt {
    private final String task;
    private final Counter read;
    private final Counter written;
    private final Counter bytesRead;
    private final Counter bytesWritten;
    private final Counter filtered;
    private final Counter dirtyOnRead;
    private final Counter dirtyOnConvert;
    private final Counter dirtyOnWrite;
    private final Counter waitForWriter;
    private final Counter waitForReader;
    private RowCounts counted;

    /** Channel waits counted so far, in nanoseconds: the engine counts them per attempt. */
    private long waitedForWriter;

    private long waitedForReader;

    /** Inserts, updates and deletes counted so far (cdc runs), by table. */
    private final Map<String, long[]> changes;

    private Attempt(RowCounts carriedOver, String task, Map<String, long[]> changesCarriedOver) {
      this.counted = carriedOver;
      this.task = task;
      this.changes = new HashMap<>();
      changesCarriedOver.forEach((t, c) -> changes.put(t, c.clone()));
      read = counter("ferry.rows.read", "Rows read by runs of this server", task);
      written =
          counter(
              "ferry.rows.written",
              "Rows runs of this server wrote: the sink took and flushed",
              task);
      bytesRead =
          counter(
              "ferry.bytes.read", "Estimated data size of the rows runs of this server read", task);
      bytesWritten =
          counter(
              "ferry.bytes.written",
              "Estimated data size of the rows runs of this server wrote",
              task);
      filtered = counter("ferry.rows.filtered", "Rows filter transforms removed", task);
      dirtyOnRead = counter("ferry.rows.dirty", "Rows that became dirty", task, "kind", "read");
      dirtyOnConvert =
          counter("ferry.rows.dirty", "Rows that became dirty", task, "kind", "convert");
      dirtyOnWrite = counter("ferry.rows.dirty", "Rows that became dirty", task, "kind", "write");
      waitForWriter =
          Counter.builder("ferry.wait.for.writer")
              .description("Time readers waited for room in full channels: the sink is slower")
              .baseUnit("seconds")
              .tag("task", task)
              .register(meters);
      waitForReader =
          Counter.builder("ferry.wait.for.reader")
              .description("Time writers waited for rows: the source is slower")
              .baseUnit("seconds")
              .tag("task", task)
              .register(meters);
    }

    /** Counts what the attempt committed since the last call. */
    synchronized void progress(Progress p) {
      RowCounts now = p.committed();
      read.increment(grown(counted.read(), now.read()));
      written.increment(grown(counted.written(), now.written()));
      bytesRead.increment(grown(counted.bytesRead(), now.bytesRead()));
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
      if (p.waitForWriter() != null) {
        long w = p.waitForWriter().toNanos();
        waitForWriter.increment(grown(waitedForWriter, w) / 1e9);
        waitedForWriter = Math.max(waitedForWriter, w);
      }
      if (p.waitForReader() != null) {
        long w = p.waitForReader().toNanos();
        waitForReader.increment(grown(waitedForReader, w) / 1e9);
        waitedForReader = Math.max(waitedForReader, w);
      }
      ChangeProgress c = p.changes();
      if (c != null) {
        for (ChangeProgress.TableProgress t : c.tables()) {
          long[] before = changes.computeIfAbsent(t.table(), k -> new long[3]);
          long[] now3 = {t.inserts(), t.updates(), t.deletes()};
          for (int i = 0; i < 3; i++) {
            double more = grown(before[i], now3[i]);
            if (more > 0) {
              Counter.builder("ferry.cdc.changes.applied")
                  .description("Changes cdc runs flushed to their targets")
                  .tags("task", task, "table", t.table(), "op", OPS[i])
                  .register(meters)
                  .increment(more);
            }
            before[i] = Math.max(before[i], now3[i]);
          }
          tableLag(task, t.table(), t.lag());
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
        counter(
                "ferry.runs.paused",
                "Run attempts that ended paused; a resume continues the run",
                task)
            .increment();
      } else if (state.isFinal()) {
        counter("ferry.runs.ended", "Runs that ended for good", task, "state", state.name())
            .increment();
      }
    }
  }

  /**
   * @param carriedOver the counts the attempt resumed from ({@link RowCounts#ZERO} for a new run):
   *     earlier attempts counted them already
   * @param task the {@code task} tag
   * @param changesCarriedOver the inserts, updates and deletes the attempt resumed from, by table
   */
  Attempt attempt(RowCounts carriedOver, String task, Map<String, long[]> changesCarriedOver) {
    return new Attempt(carriedOver, task, changesCarriedOver);
  }

  private static final String[] OPS = {"insert", "update", "delete"};

  private static double grown(long before, long now) {
    return Math.max(0, now - before);
  }
}
