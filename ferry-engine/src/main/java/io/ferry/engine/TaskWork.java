package io.ferry.engine;

import io.ferry.engine.internal.BatchSizer;
import io.ferry.engine.internal.RetryingReader;
import io.ferry.engine.internal.RowPipeline;
import io.ferry.engine.internal.Tally;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Split;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The engine's share of a run that another engine executes (Flink): what one of its tasks does with
 * the splits it is given and the rows it writes, with the same code a local run uses — the
 * connectors' readers with the engine's reader retry, the transforms, the mapping and the type
 * conversion, dirty-row handling under the error limit, and the discard of what an interrupted
 * attempt wrote past a split's checkpoint. One per task; created from the job as the run's driver
 * prepared it ({@link ExternalRun}), under the same run key. Counts come out as {@link RowCounts}
 * deltas that the caller keeps with its own checkpointed state.
 *
 * <p>Each task prepares the job again (connectors do no I/O when created) and binds the mapping
 * against the source's and the target's columns; the driver already prepared the target ({@link
 * io.ferry.spi.Sink#prepare}), so a task's writers set writing up again with the sink's resume
 * model ({@link SinkResume.Resumable#reopen}), which destroys nothing.
 */
public final class TaskWork implements AutoCloseable {
  /** The sink cannot continue an earlier attempt's output, which a task restart needs. */
  public static final ErrorCode SINK_NOT_RESUMABLE = ErrorCode.user("engine.sink-not-resumable");

  private final PreparedJob job;
  private final RowPipeline pipeline;
  private final SinkResume.Resumable model;
  private boolean reopened;

  private TaskWork(PreparedJob job, RowPipeline pipeline, SinkResume.Resumable model) {
    this.job = job;
    this.pipeline = pipeline;
    this.model = model;
  }

  /**
   * Prepares the job for one task of run {@code runKey}.
   *
   * @param stateDirectory where the run keeps scratch space and dirty rows on this machine
   * @throws JobSpecException when the job is invalid here (a connector not installed)
   */
  public static TaskWork open(
      JobSpec spec, String runKey, ConnectorRegistry registry, Path stateDirectory) {
    PreparedJob job =
        PreparedJob.prepare(spec, registry, stateDirectory, LocalFiles.unrestricted(), runKey);
    try {
      SinkResume.Resumable model = resumable(job);
      return new TaskWork(job, job.bind(), model);
    } catch (RuntimeException e) {
      job.close();
      throw e;
    }
  }

  static SinkResume.Resumable resumable(PreparedJob job) {
    if (!(job.sink().resumeModel() instanceof SinkResume.Resumable model)) {
      throw new FerryException(
          SINK_NOT_RESUMABLE,
          "the "
              + job.spec().sink().connector()
              + " sink cannot continue an earlier attempt's output, so a task that fails could"
              + " not be restarted without duplicating rows; run the job on the local engine");
    }
    return model;
  }

  /** Decodes a split the driver planned. */
  public Split split(int codecVersion, byte[] encoded) {
    return job.source().splitCodec().decode(codecVersion, encoded);
  }

  /**
   * Whether the sink keeps a run's rows split by split: then a split that has to be written again
   * starts from its beginning, and positions inside it are not used.
   */
  public boolean wholeSplits() {
    return model instanceof SinkResume.WholeSplit;
  }

  /** The job's engine settings. */
  public Settings settings() {
    return job.settings();
  }

  /**
   * Removes from the target what an earlier attempt of this task may have written for the split
   * past {@code committed}, before the split is written again (see {@link JobRun}'s resume).
   */
  public synchronized void discard(Split split, int ordinal, Position committed) {
    reopen();
    Discards.discard(job.runKey(), job.source(), pipeline, model, split, ordinal, committed);
  }

  private synchronized void reopen() {
    if (!reopened) {
      model.reopen(pipeline.output());
      reopened = true;
    }
  }

  /**
   * Opens a reader of a split that runs the rows through the job's pipeline.
   *
   * @param after the split's position to continue after, or null for its start
   * @param stop whether the task is ending, so a failure is not retried
   */
  public Reader reader(Split split, Position after, BooleanSupplier stop) {
    return new Reader(split, after, stop);
  }

  /** A writer of the task's rows, {@code index} unique within the run. */
  public Writer writer(int index) {
    reopen();
    return new Writer(job.sink().createWriter(index));
  }

  /** A batch the pipeline let through, and the reader's counts since the piece before. */
  public record Piece(RowBatch batch, long bytes, RowCounts counts) {}

  /** Reads one split through the pipeline; one thread. */
  public final class Reader implements AutoCloseable {
    private final RetryingReader reader;
    private final String location;
    private final Tally tally = new Tally();
    private final RowPipeline.Counters counters;
    private RowCounts handedOn = RowCounts.ZERO;

    private Reader(Split split, Position after, BooleanSupplier stop) {
      this.reader =
          new RetryingReader(job.source(), split, after, job.settings(), job.runKey(), stop);
      this.location = "split " + split.id();
      this.counters = new RowPipeline.Counters(tally.filtered, job.dirtyRows().onConvert());
    }

    /**
     * The next batch, converted; null once the split is exhausted. The batch carries the split's
     * position after it; it may be empty when the pipeline removed every row.
     */
    public Piece next() {
      job.dirtyRows().countOn(tally);
      try {
        RowBatch batch = reader.next();
        if (batch == null) {
          return null;
        }
        int rows = batch.size();
        long bytesRead = BatchSizer.estimate(batch);
        tally.read.add(rows);
        tally.bytesRead.add(bytesRead);
        RowBatch out = pipeline.apply(batch, location, counters);
        long bytes = out == batch && out.size() == rows ? bytesRead : BatchSizer.estimate(out);
        return new Piece(out, bytes, delta());
      } finally {
        job.dirtyRows().countOn(null);
      }
    }

    /** The counts not handed on with a piece yet (dirty rows of a batch a failure cut short). */
    public RowCounts delta() {
      RowCounts now = tally.counts();
      RowCounts d = now.minus(handedOn);
      handedOn = now;
      return d;
    }

    @Override
    public void close() {
      reader.close();
    }
  }

  /** Writes batches into the sink; one thread. */
  public final class Writer implements AutoCloseable {
    private final SinkWriter writer;
    private final Tally tally = new Tally();
    private RowCounts reported = RowCounts.ZERO;

    private Writer(SinkWriter writer) {
      this.writer = writer;
    }

    public void beginSplit(int ordinal) {
      writer.beginSplit(ordinal);
    }

    public void write(RowBatch batch, long bytes) {
      if (batch.isEmpty()) {
        return;
      }
      job.dirtyRows().countOn(tally);
      try {
        writer.write(batch);
        tally.handed.add(batch.size());
        tally.bytesHanded.add(bytes);
      } finally {
        job.dirtyRows().countOn(null);
      }
    }

    public void flush() {
      job.dirtyRows().countOn(tally);
      try {
        writer.flush();
      } finally {
        job.dirtyRows().countOn(null);
      }
    }

    /** Flushes and makes the split's output final (a sink that keeps whole splits). */
    public void endSplit(int ordinal) {
      flush();
      writer.endSplit(ordinal);
    }

    /** The writer's counts (rows written, bytes, rows the sink rejected) since the last call. */
    public RowCounts delta() {
      RowCounts now = tally.counts();
      RowCounts d = now.minus(reported);
      reported = now;
      return d;
    }

    @Override
    public void close() {
      writer.close();
    }
  }

  @Override
  public void close() {
    job.close();
  }
}
