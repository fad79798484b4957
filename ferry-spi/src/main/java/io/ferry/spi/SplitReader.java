package io.ferry.spi;

/**
 * Reads one split, batch by batch, on one thread.
 *
 * <p>{@link #next()} blocks until a batch is read. Every batch carries, in {@link
 * RowBatch#position()}, the position after its last row: opening a reader of the same split after
 * that position yields exactly the rows that follow. The engine records a position only once the
 * sink has flushed every row before it.
 *
 * <p>A reader never holds more than a bounded number of rows in memory, whatever the split's size
 * (a streaming cursor, a buffered file read).
 */
public interface SplitReader extends AutoCloseable {
  /**
   * Returns the next batch, or null once the split is exhausted. A batch may be empty only when it
   * moves the position forward (for example past rows that went to the dirty-data store), or when
   * the split is unbounded (a stream read until the run stops) and nothing new arrived for a while:
   * such a reader returns within about a second, so that the engine can flush, checkpoint or stop
   * between batches.
   *
   * @throws FerryException on a read failure; retriable ones may succeed when the split is reopened
   *     from the last recorded position
   */
  RowBatch next();

  /** Releases the split's resources; may be called before the split is exhausted. */
  @Override
  void close();
}
