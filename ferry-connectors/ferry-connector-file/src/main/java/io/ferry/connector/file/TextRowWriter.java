package io.ferry.connector.file;

import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes rows as the text of one file into an output stream, from {@link TextSinkFormat#open}. A
 * row with a value the format or charset cannot write goes to the dirty-data store, and nothing of
 * it reaches the stream. Memory is a fixed text buffer (larger only while a larger row lasts) and,
 * when compressed, the compressor's buffer.
 */
public final class TextRowWriter {
  private static final int TEXT_BUFFER = 64 << 10;

  private final Schema schema;
  private final RowFormatter formatter;
  private final OutputStream stream;
  private final TextBuffer buffer;
  private final String name;
  private final DirtyRowSink dirtyRows;
  private long rows;

  TextRowWriter(
      OutputStream out,
      Schema schema,
      TextLayout layout,
      Compression compression,
      boolean withHeader,
      String name,
      DirtyRowSink dirtyRows)
      throws IOException {
    this.schema = schema;
    this.formatter = RowFormatter.of(schema, layout);
    this.name = name;
    this.dirtyRows = dirtyRows;
    this.stream = compression.compress(out);
    // The formatters encode into this buffer themselves: no Writer, no charset encoder for UTF-8.
    this.buffer = new TextBuffer(stream, layout.charset(), TEXT_BUFFER);
    if (withHeader) {
      formatter.appendHeader(buffer);
      buffer.endRow();
    }
  }

  /** Writes (buffers) every row of {@code batch}; the batch is not kept. */
  public void write(RowBatch batch) throws IOException {
    int size = batch.size();
    for (int r = 0; r < size; r++) {
      rows++;
      try {
        formatter.appendRow(batch, r, buffer);
        buffer.endRow();
      } catch (RowFormatter.UnwritableValueException e) {
        buffer.discardRow(); // nothing of a dirty row reaches the file
        dirtyRows.accept(
            new DirtyRow(
                name + ":row " + rows, rowMap(batch, r), e.column(), e.value(), e.getMessage()));
      }
    }
  }

  private Map<String, Object> rowMap(RowBatch batch, int r) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int c = 0; c < schema.size(); c++) {
      map.put(schema.column(c).name(), batch.get(r, c));
    }
    return map;
  }

  /**
   * Pushes every row written so far into the stream (gzip with a sync flush, so the bytes so far
   * decompress) and flushes the stream.
   */
  public void flush() throws IOException {
    buffer.flushBuffer();
    stream.flush();
  }

  /** Ends the text (the compressed stream's trailer) and closes the stream. */
  public void finish() throws IOException {
    buffer.flushBuffer();
    stream.close();
  }

  /** Rows received so far, dirty ones included. */
  public long rows() {
    return rows;
  }
}
