package io.ferry.engine;

import io.ferry.engine.internal.RowPipeline;
import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run that another engine executes (Flink), as the process that drives it sees it: the same run
 * record, claim and state changes as a local run ({@link JobRun}), the plan of splits, the sink's
 * preparation before any task writes and its commit (or abort) once every task ended, the error
 * limits over the whole run, and the verification after the copy. The tasks do the rows with {@link
 * TaskWork}; their counts come back to {@link #progress} and {@link #finish}.
 *
 * <p>Not for {@code kind: cdc} jobs. A run on another engine is not paused and resumed by Ferry:
 * the other engine restarts failed tasks from its own checkpoints.
 */
public final class ExternalRun {
  private static final Logger log = LoggerFactory.getLogger(ExternalRun.class);

  /** The job cannot run on another engine (a cdc job, a sink that cannot resume). */
  public static final ErrorCode UNSUPPORTED = ErrorCode.user("engine.unsupported");

  private final PreparedJob job;
  private final RowPipeline pipeline;
  private final CheckpointStore store;
  private final CheckpointStore.Claim claim;
  private final List<Planned> splits;
  private final int codecVersion;
  private final long estimatedRecords;
  private final long startNanos = System.nanoTime();
  private RunRecord record;
  private long lastNanos = startNanos;
  private long lastWritten;
  private long lastBytes;
  private double rps;
  private double bps;

  /** One split of the plan: its place in it, id, encoded form and expected rows. */
  public record Planned(int ordinal, String id, byte[] encoded, OptionalLong estimatedRows) {}

  ExternalRun(
      PreparedJob job,
      RowPipeline pipeline,
      CheckpointStore store,
      RunRecord record,
      CheckpointStore.Claim claim,
      int parallelism) {
    this.job = job;
    this.pipeline = pipeline;
    this.store = store;
    this.record = record;
    this.claim = claim;
    Codec<Split> codec = job.source().splitCodec();
    this.codecVersion = codec.version();
    List<Planned> planned = new ArrayList<>();
    long estimate = 0;
    boolean known = true;
    for (Split split : job.source().planner().plan(parallelism)) {
      planned.add(
          new Planned(planned.size(), split.id(), codec.encode(split), split.estimatedRows()));
      if (split.estimatedRows().isPresent()) {
        estimate += split.estimatedRows().getAsLong();
      } else {
        known = false;
      }
    }
    this.splits = List.copyOf(planned);
    this.estimatedRecords =
        known && !planned.isEmpty()
            ? estimate
            : job.source().estimatedRows().orElse(planned.isEmpty() ? 0 : -1);
    log.info(
        "Run {}: {} splits for {} parallel tasks", record.runKey(), splits.size(), parallelism);
    job.sink().prepare(pipeline.output());
    moveTo(RunState.RUNNING, null, RowCounts.ZERO, 0);
  }

  public String runKey() {
    return job.runKey();
  }

  public JobSpec spec() {
    return job.spec();
  }

  public Settings settings() {
    return job.settings();
  }

  /** The splits to read, in plan order. */
  public List<Planned> splits() {
    return splits;
  }

  /** The version of the source's split encoding, for {@link TaskWork#split}. */
  public int splitCodecVersion() {
    return codecVersion;
  }

  /** The statistics for the counts the tasks reported so far. */
  public synchronized Progress progress(RowCounts counts, int splitsDone) {
    long now = System.nanoTime();
    double seconds = (now - lastNanos) / 1e9;
    if (seconds >= 1) {
      rps = Math.max(0, (counts.written() - lastWritten) / seconds);
      bps = Math.max(0, (counts.bytesWritten() - lastBytes) / seconds);
      lastNanos = now;
      lastWritten = counts.written();
      lastBytes = counts.bytesWritten();
    }
    return progress(record.state(), counts, splitsDone, rps, bps);
  }

  private Progress progress(
      RunState state, RowCounts counts, int splitsDone, double rowsPerSecond, double perSecond) {
    List<SplitProgress> list = new ArrayList<>();
    for (Planned p : splits) {
      list.add(
          new SplitProgress(
              p.id(),
              state == RunState.SUCCEEDED ? SplitProgress.State.DONE : SplitProgress.State.PENDING,
              0,
              null));
    }
    return new Progress(
        runKey(),
        state,
        record.createdAt(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        counts,
        counts,
        estimatedRecords,
        splits.size(),
        splitsDone,
        rowsPerSecond,
        perSecond,
        Duration.ZERO,
        Duration.ZERO,
        List.copyOf(list),
        null);
  }

  /**
   * The dirty rows so far past the job's limit: the error that fails the run, or null. The other
   * engine's tasks each enforce the limit on their own rows; this checks the whole run's.
   */
  public FerryException overLimit(RowCounts counts) {
    long limit = job.settings().errorLimit();
    if (counts.dirty() > limit) {
      return new FerryException(
          ErrorCode.ERROR_LIMIT,
          counts.dirty()
              + " dirty rows exceed the limit of "
              + limit
              + " (settings.errorLimit); all are in "
              + job.dirtyData().file());
    }
    return null;
  }

  /**
   * Ends the run: on success the whole run's error limits are checked, the sink commits and the
   * target is verified as the job's {@code verify} setting says; otherwise the sink aborts. The run
   * record gets its end state and counts, and the claim is released.
   *
   * @param counts the tasks' final counts
   * @param error why the other engine's job failed, or null when it finished
   * @param stopped whether it was cancelled on request
   */
  public RunResult finish(RowCounts counts, int splitsDone, FerryException error, boolean stopped) {
    RunState end;
    FerryException failure = error;
    if (failure == null && !stopped) {
      failure = overLimit(counts);
      if (failure == null) {
        try {
          job.errorLimit().checkShare(counts.read());
        } catch (FerryException e) {
          failure = e;
        }
      }
    }
    if (failure == null && !stopped) {
      try {
        job.sink().commit();
      } catch (FerryException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure =
            new FerryException(
                ErrorCode.INTERNAL,
                "internal error: " + e.getClass().getName() + ": " + e.getMessage(),
                e);
      }
    }
    end = failure != null ? RunState.FAILED : stopped ? RunState.STOPPED : RunState.SUCCEEDED;
    if (end != RunState.SUCCEEDED) {
      try {
        job.sink().abort();
      } catch (RuntimeException e) {
        log.warn("Run {}: the sink's abort failed: {}", runKey(), e.toString());
      }
    }
    RunResult.Verification verification = null;
    if (end == RunState.SUCCEEDED) {
      try {
        verification =
            // No checkpoint: a run on Flink is never resumed by Ferry (docs/flink.md).
            Engine.afterCopy(
                    job,
                    pipeline,
                    Engine.defaultReport(job.stateDirectory(), job.spec().name()),
                    null)
                .map(r -> new RunResult.Verification(r, null))
                .orElse(null);
      } catch (FerryException e) {
        verification = new RunResult.Verification(null, e);
      }
    }
    try {
      job.close();
    } catch (RuntimeException e) {
      log.warn("Run {}: closing the source or sink failed: {}", runKey(), e.toString());
    }
    Progress last = progress(end, counts, splitsDone, 0, 0);
    try {
      moveTo(end, failure == null ? null : failure.getMessage(), counts, splitsDone);
    } finally {
      claim.close();
    }
    return new RunResult(
        end,
        last,
        failure,
        job.dirtyData().isEmpty() ? null : job.dirtyData().file(),
        verification);
  }

  private synchronized void moveTo(
      RunState next, String message, RowCounts counts, int splitsDone) {
    record = record.with(next, progress(next, counts, splitsDone, 0, 0), message);
    store.save(record);
  }
}
