package io.ferry.connector.jdbc;

import java.util.Arrays;
import java.util.List;

/**
 * The rows a sink writer holds until they are committed: at most {@code batchSize} rows of the
 * target columns, in target column order, values of the incoming Ferry types. Kept so a batch can
 * be re-executed after a reconnect or replayed row by row to isolate bad rows. Row-major in one
 * array: no object per row.
 */
public final class RowBuffer {
  private final int arity;
  private final Object[] values;
  private int size;

  RowBuffer(int arity, int capacity) {
    this.arity = arity;
    this.values = new Object[arity * capacity];
  }

  /**
   * A buffer holding {@code rows} (each {@code arity} values, copied), as a sink writer would hand
   * it to {@link BulkWriter#load}: for dialect modules' unit tests of their bulk writers and
   * encoders.
   *
   * @throws IllegalArgumentException when a row has another number of values than {@code arity}
   */
  public static RowBuffer of(int arity, List<Object[]> rows) {
    if (arity < 1) {
      throw new IllegalArgumentException("a row buffer needs at least one column, got " + arity);
    }
    RowBuffer buffer = new RowBuffer(arity, Math.max(1, rows.size()));
    for (Object[] row : rows) {
      if (row.length != arity) {
        throw new IllegalArgumentException(
            "row " + buffer.size() + " has " + row.length + " values, the buffer " + arity);
      }
      int r = buffer.addRow();
      for (int c = 0; c < arity; c++) {
        buffer.set(r, c, row[c]);
      }
    }
    return buffer;
  }

  /** Values per row: the number of target columns. */
  public int arity() {
    return arity;
  }

  public int size() {
    return size;
  }

  /** The value of target column {@code column} (0-based) in row {@code row}; null for NULL. */
  public Object get(int row, int column) {
    return values[row * arity + column];
  }

  boolean isFull() {
    return (size + 1) * arity > values.length;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Appends a row; {@link #set} fills it. */
  int addRow() {
    return size++;
  }

  void set(int row, int column, Object value) {
    values[row * arity + column] = value;
  }

  /** Drops the last row (a row whose values could not be taken). */
  void removeLast() {
    size--;
    Arrays.fill(values, size * arity, size * arity + arity, null);
  }

  void clear() {
    Arrays.fill(values, 0, size * arity, null);
    size = 0;
  }
}
