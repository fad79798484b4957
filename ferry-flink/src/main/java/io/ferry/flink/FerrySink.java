package io.ferry.flink;

import io.ferry.engine.TaskWork;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Ferry job's sink as a Flink Sink V2: each task's writer is the connector's {@link
 * io.ferry.spi.SinkWriter}, bracketing each split's batches as the local engine does and flushing
 * at every split's end and on every Flink checkpoint, before the barrier passes: a checkpoint never
 * holds a position whose rows are not in the target. The sink's prepare and commit run once, on the
 * driver ({@link FlinkRun}).
 */
final class FerrySink implements Sink<Chunk> {
  private static final long serialVersionUID = 1L;

  private final ShippedJob job;

  FerrySink(ShippedJob job) {
    this.job = job;
  }

  @Override
  public SinkWriter<Chunk> createWriter(WriterInitContext context) throws IOException {
    return new Writer(job, context.getTaskInfo().getIndexOfThisSubtask());
  }

  private static final class Writer implements SinkWriter<Chunk> {
    private final ShippedJob job;
    private final int subtask;
    private final TaskWork work;
    private final TaskWork.Writer writer;
    private TaskCounts counts;
    private int split = -1;

    Writer(ShippedJob job, int subtask) {
      this.job = job;
      this.subtask = subtask;
      TaskWork w = TaskWork.open(job.spec(), job.runKey, job.registry(), job.stateDirectory());
      try {
        this.writer = w.writer(subtask);
      } catch (RuntimeException e) {
        w.close();
        throw Failures.toFlink(e);
      }
      this.work = w;
    }

    private TaskCounts counts() {
      if (counts == null) {
        counts = TaskCounts.of(job.runKey, subtask);
      }
      return counts;
    }

    @Override
    public void write(Chunk chunk, Context context) {
      try {
        if (chunk.ordinal() != split) {
          split = chunk.ordinal();
          writer.beginSplit(split);
        }
        if (chunk.batch() != null) {
          writer.write(chunk.batch(), chunk.bytes());
        }
        if (chunk.endOfSplit()) {
          writer.endSplit(split);
          counts().add(writer.delta());
          counts().splitDone();
        } else {
          counts().add(writer.delta());
        }
      } catch (RuntimeException e) {
        counts().add(writer.delta());
        throw Failures.toFlink(e);
      }
    }

    @Override
    public void flush(boolean endOfInput) {
      try {
        writer.flush();
      } catch (RuntimeException e) {
        throw Failures.toFlink(e);
      } finally {
        counts().add(writer.delta());
      }
    }

    @Override
    public void close() {
      try {
        writer.close();
      } finally {
        work.close();
      }
    }
  }
}
