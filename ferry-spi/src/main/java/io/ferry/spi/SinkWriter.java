package io.ferry.spi;

/**
 * Writes batches on one thread. It may buffer; {@link #flush()} makes everything written so far
 * durable in the target before it returns, and only then does the engine record the positions of
 * those rows. A row the target rejects goes to {@link ConnectorContext#dirtyRows()} with the
 * reason, and the writer continues.
 */
public interface SinkWriter extends AutoCloseable {
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
