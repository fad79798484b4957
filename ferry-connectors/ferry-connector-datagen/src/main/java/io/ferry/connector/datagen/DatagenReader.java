package io.ferry.connector.datagen;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SplitReader;
import java.util.concurrent.TimeUnit;

/** Emits one split's rows from {@code next} to {@code end}, optionally paced. */
final class DatagenReader implements SplitReader {
  private final GeneratedColumn[] columns;
  private final long end;
  private final int batchRows;
  private final Long rowsPerSecond;
  private long next;
  private long emitted;
  private long startNanos;

  DatagenReader(GeneratedColumn[] columns, long end, long next, int batchSize, Long rowsPerSecond) {
    this.columns = columns;
    this.end = end;
    this.next = next;
    this.rowsPerSecond = rowsPerSecond;
    // Paced readers emit at least ten batches a second, so the pace stays smooth.
    this.batchRows =
        rowsPerSecond == null
            ? batchSize
            : (int) Math.max(1, Math.min(batchSize, rowsPerSecond / 10));
  }

  @Override
  public RowBatch next() {
    if (next >= end) {
      return null;
    }
    int count = (int) Math.min(batchRows, end - next);
    pace();
    RowBatch batch = new RowBatch(columns.length, count);
    for (int r = 0; r < count; r++) {
      batch.addRow();
    }
    for (int c = 0; c < columns.length; c++) {
      columns[c].fill(batch, c, next, count);
    }
    next += count;
    emitted += count;
    return batch.position(DatagenSource.position(next));
  }

  /** Waits until the rows emitted so far are due at {@code rowsPerSecond}. */
  private void pace() {
    if (rowsPerSecond == null) {
      return;
    }
    if (startNanos == 0) {
      startNanos = System.nanoTime();
      return;
    }
    long due = startNanos + (long) (emitted * 1e9 / rowsPerSecond);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FerryException(ErrorCode.INTERNAL, "interrupted while pacing datagen rows", e);
      }
    }
  }

  @Override
  public void close() {}
}
