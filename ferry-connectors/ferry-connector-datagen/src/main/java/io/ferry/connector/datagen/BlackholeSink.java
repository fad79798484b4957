package io.ferry.connector.datagen;

import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.util.concurrent.atomic.LongAdder;

/** Counts rows and drops them; {@code flush} has nothing to make durable. */
final class BlackholeSink implements Sink {
  private final LongAdder rows = new LongAdder();

  @Override
  public void prepare(Schema schema) {}

  /** Nothing written can be lost or doubled, so runs into a blackhole pause and resume. */
  @Override
  public SinkResume resumeModel() {
    return SinkResume.byKeyRange(this::prepare, range -> {});
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    return new SinkWriter() {
      // Counted per writer and added once: no shared counter on the hot path.
      private long written;

      @Override
      public void write(RowBatch batch) {
        written += batch.size();
      }

      @Override
      public void flush() {
        rows.add(written);
        written = 0;
      }

      @Override
      public void close() {
        flush();
      }
    };
  }

  /** Rows the writers received and flushed or closed. */
  long rowsDiscarded() {
    return rows.sum();
  }
}
