package io.ferry.connector.hdfs;

import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SplitReader;
import java.io.IOException;

/**
 * Reads an ORC or Parquet file row by row into batches, each with the count of rows handed on as
 * its position ({@link RowPosition}); a reopened reader skips that many rows.
 */
abstract class ColumnarReader implements SplitReader {
  private final HdfsAccess access;
  private final String file;
  private final int arity;
  private final int batchSize;
  private long rows;
  private boolean done;

  ColumnarReader(HdfsAccess access, String file, int arity, int batchSize, long skipped) {
    this.access = access;
    this.file = file;
    this.arity = arity;
    this.batchSize = batchSize;
    this.rows = skipped;
  }

  /**
   * Fills {@code row} with the next row's values, in the source's column order.
   *
   * @return false at the end of the file
   */
  abstract boolean nextRow(Object[] row) throws IOException;

  abstract void closeFile() throws IOException;

  @Override
  public final RowBatch next() {
    if (done) {
      return null;
    }
    RowBatch batch = new RowBatch(arity, batchSize);
    Object[] row = new Object[arity];
    try {
      while (!batch.isFull()) {
        if (!nextRow(row)) {
          done = true;
          break;
        }
        batch.addRow(row.clone());
        rows++;
      }
    } catch (IOException e) {
      throw access.failure("read " + file, e);
    }
    if (batch.isEmpty()) {
      return null;
    }
    return batch.position(RowPosition.of(rows));
  }

  @Override
  public final void close() {
    try {
      closeFile();
    } catch (IOException | RuntimeException e) {
      // nothing to keep from a file being closed
    }
  }

  /** A file that does not hold what the source's columns say. */
  static FerryException mismatch(String file, String problem) {
    return new FerryException(
        ColumnarTypes.UNSUPPORTED_TYPE, file + ": " + problem, "columns", null);
  }
}
