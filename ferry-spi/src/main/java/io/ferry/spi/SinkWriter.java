package io.ferry.spi;

/**
 * Writes batches on one thread. It may buffer; {@link #flush()} makes everything written so far
 * durable in the target before it returns, and only then does the engine record the positions of
 * those rows. A row the target rejects goes to {@link ConnectorContext#dirtyRows()} with the
 * reason, and the writer continues.
 *
 * <p>The engine brackets the batches of each split with {@link #beginSplit} and {@link #endSplit}:
 * a writer receives one split at a time, so its batches between the two calls all belong to that
 * split. Sinks that keep rows split by split ({@link SinkResume.WholeSplit}) rely on it; others can
 * ignore both calls.
 */
public interface SinkWriter extends AutoCloseable {
  /**
   * The batches that follow, up to {@link #endSplit}, belong to split {@code split}. The default
   * does nothing.
   *
   * @param split the split's 0-based place in the run's plan, the same in every attempt of the run
   */
  default void beginSplit(int split) {}

  /**
   * Every row of the split was written and {@link #flush() flushed}: a sink that keeps whole splits
   * makes them final now (an interrupted run keeps them). The engine records the split as done only
   * after this returns. The default does nothing.
   */
  default void endSplit(int split) {}

  /** Writes or buffers the batch; must not keep the batch after returning. */
  void write(RowBatch batch);

  /** Makes every row written so far durable. */
  void flush();

  /**
   * Releases resources. Rows written after the last flush may be lost: the engine flushes first.
   */
  @Override
  void close();
}
