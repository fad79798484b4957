package io.ferry.engine.verify;

import io.ferry.spi.RowBatch;
import io.ferry.spi.SplitReader;
import java.util.function.UnaryOperator;

/**
 * Rows of a key-ordered reader one at a time, holding one batch: the streaming half of a merge.
 * Checks that keys really ascend, so a store that orders otherwise fails loudly instead of
 * reporting false differences.
 */
final class RowCursor implements AutoCloseable {
  private final SplitReader reader;
  private final UnaryOperator<RowBatch> pipeline;
  private final java.util.function.Function<Object[], Object[]> key;
  private final String side;
  private RowBatch batch;
  private int next;
  private Object[] lastKey;
  private long rows;

  /**
   * @param pipeline applied to each batch (the job's mapping for the source side)
   * @param key the key of a row, for the order check
   */
  RowCursor(
      SplitReader reader,
      UnaryOperator<RowBatch> pipeline,
      java.util.function.Function<Object[], Object[]> key,
      String side) {
    this.reader = reader;
    this.pipeline = pipeline;
    this.key = key;
    this.side = side;
  }

  /** The next row, or null at the end. */
  Object[] next() {
    while (batch == null || next >= batch.size()) {
      RowBatch b = reader.next();
      if (b == null) {
        return null;
      }
      batch = pipeline.apply(b);
      next = 0;
    }
    Object[] row = batch.row(next++);
    Object[] k = key.apply(row);
    if (lastKey != null && KeyOrder.compare(lastKey, k) > 0) {
      throw new IllegalStateException(
          "the "
              + side
              + " returned keys out of order ("
              + java.util.Arrays.toString(lastKey)
              + " before "
              + java.util.Arrays.toString(k)
              + "): its store orders them otherwise than Ferry's key order");
    }
    lastKey = k;
    rows++;
    return row;
  }

  long rows() {
    return rows;
  }

  @Override
  public void close() {
    reader.close();
  }
}
