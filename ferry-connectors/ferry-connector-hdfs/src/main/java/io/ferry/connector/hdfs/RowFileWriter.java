package io.ferry.connector.hdfs;

import io.ferry.spi.RowBatch;
import java.io.IOException;

/** Writes one split's rows into one file of the sink's type. */
interface RowFileWriter {
  /** Writes the rows; one that cannot be written goes to the dirty-data store. */
  void write(RowBatch batch) throws IOException;

  /** Pushes what was written as far as the format allows (text only; a no-op otherwise). */
  void flush() throws IOException;

  /** Completes the file (its footer, the codec's trailer) and closes it: the bytes are durable. */
  void finish() throws IOException;

  /** Closes the file without completing it; never throws. */
  void abandon();

  /** Opens writers of one file type. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param file the path to create
     * @param name the file's output name, for the locations of dirty rows
     */
    RowFileWriter open(org.apache.hadoop.fs.Path file, String name) throws IOException;
  }
}
