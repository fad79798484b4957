package io.ferry.connector.datagen;

/**
 * Makes one column's value for one row. Implementations are immutable and shared by every reader,
 * so they are thread-safe; they allocate nothing but the value, and return the same instance again
 * where the value class is immutable.
 */
@FunctionalInterface
interface ValueGenerator {
  /**
   * @param row the row index within the whole dataset (sequences use it)
   * @param hash the hash of (seed, row, column) (random and choice generators use it)
   */
  Object value(long row, long hash);
}
