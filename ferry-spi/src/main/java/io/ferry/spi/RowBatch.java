package io.ferry.spi;

import java.util.Arrays;

/**
 * A batch of rows travelling from a {@link SplitReader} to a {@link SinkWriter}: the unit of
 * hand-off, so the per-row cost of moving data stays a few array stores.
 *
 * <p>Values are stored row-major in one array; their Java classes are fixed by {@link TypeKind}. A
 * batch belongs to one thread at a time: the reader fills it, the engine hands it over, the writer
 * consumes it. A writer must not keep a reference to the batch after {@code write} returns.
 *
 * <p>A reader sets {@link #position()} to the split position after the batch's last row, so that
 * reading again from that position continues with the row after it.
 */
public final class RowBatch {
  private final int arity;
  private Object[] values;
  private int size;
  private Position position;

  /**
   * @param arity columns per row
   * @param capacity rows the batch can hold before it grows
   */
  public RowBatch(int arity, int capacity) {
    if (arity < 0 || capacity < 0) {
      throw new IllegalArgumentException("arity and capacity must be >= 0");
    }
    this.arity = arity;
    this.values = new Object[Math.max(1, arity * Math.max(1, capacity))];
  }

  /** Columns per row. */
  public int arity() {
    return arity;
  }

  /** Rows in the batch. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Rows the batch holds before it has to grow. */
  public int capacity() {
    return arity == 0 ? Integer.MAX_VALUE : values.length / arity;
  }

  /** True once the batch reached its initial capacity: the reader should emit it. */
  public boolean isFull() {
    return size >= capacity();
  }

  /** Appends a row of nulls and returns its index; set its values with {@link #set}. */
  public int addRow() {
    int offset = size * arity;
    if (offset + arity > values.length) {
      values = Arrays.copyOf(values, Math.max(values.length * 2, offset + arity));
    }
    return size++;
  }

  /** Appends a row copied from {@code row}, which must have {@link #arity()} values. */
  public int addRow(Object... row) {
    if (row.length != arity) {
      throw new IllegalArgumentException("row has " + row.length + " values, expected " + arity);
    }
    int index = addRow();
    System.arraycopy(row, 0, values, index * arity, arity);
    return index;
  }

  public Object get(int row, int column) {
    return values[checkedOffset(row, column)];
  }

  public void set(int row, int column, Object value) {
    values[checkedOffset(row, column)] = value;
  }

  /** A copy of one row's values. */
  public Object[] row(int row) {
    return Arrays.copyOfRange(values, checkedOffset(row, 0), row * arity + arity);
  }

  /**
   * Keeps only the rows whose {@code keep} flag is set, in order. Used by filters and by the engine
   * to drop rows that went to the dirty-data store.
   */
  public void retain(boolean[] keep) {
    int out = 0;
    for (int r = 0; r < size; r++) {
      if (keep[r]) {
        if (out != r) {
          System.arraycopy(values, r * arity, values, out * arity, arity);
        }
        out++;
      }
    }
    Arrays.fill(values, out * arity, size * arity, null);
    size = out;
  }

  /** Removes all rows; the position stays. */
  public void clear() {
    Arrays.fill(values, 0, size * arity, null);
    size = 0;
  }

  /** The split position after the last row of this batch; null when the reader has none. */
  public Position position() {
    return position;
  }

  public RowBatch position(Position position) {
    this.position = position;
    return this;
  }

  private int checkedOffset(int row, int column) {
    if (row < 0 || row >= size || column < 0 || column >= arity) {
      throw new IndexOutOfBoundsException(
          "row " + row + ", column " + column + " outside " + size + "x" + arity);
    }
    return row * arity + column;
  }
}
