package io.ferry.connector.datagen;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints rows. Each writer formats a whole batch first and prints it under the stream's lock, so
 * lines of different writers never interleave; {@code maxRows} is shared by all writers.
 */
final class ConsoleSink implements Sink {
  private final PrintStream out;
  private final PrintStream err;
  private final ConsoleConnector.Format format;
  private final long maxRows;
  private final AtomicLong received = new AtomicLong();
  private Schema schema;

  /**
   * @param maxRows rows to print at most, or null for all
   */
  ConsoleSink(PrintStream out, PrintStream err, ConsoleConnector.Format format, Long maxRows) {
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
    this.format = requireNonNull(format, "format is null");
    this.maxRows = maxRows == null ? Long.MAX_VALUE : maxRows;
  }

  @Override
  public void prepare(Schema schema) {
    this.schema = requireNonNull(schema, "schema is null");
    if (format == ConsoleConnector.Format.TSV) {
      StringBuilder header = new StringBuilder();
      for (int c = 0; c < schema.size(); c++) {
        if (c > 0) {
          header.append('\t');
        }
        appendEscaped(header, schema.column(c).name());
      }
      synchronized (out) {
        out.println(header);
      }
    }
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    if (schema == null) {
      throw new IllegalStateException("prepare must run before writers are created");
    }
    return new SinkWriter() {
      @Override
      public void write(RowBatch batch) {
        long first = received.getAndAdd(batch.size());
        int printable = (int) Math.max(0, Math.min(batch.size(), maxRows - first));
        if (printable == 0) {
          return;
        }
        StringBuilder text = new StringBuilder(printable * 64);
        for (int r = 0; r < printable; r++) {
          if (format == ConsoleConnector.Format.TSV) {
            appendTsv(text, batch, r);
          } else {
            appendJson(text, batch, r);
          }
          text.append(System.lineSeparator());
        }
        synchronized (out) {
          out.print(text);
        }
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {
        out.flush();
      }
    };
  }

  @Override
  public void commit() {
    long omitted = received.get() - maxRows;
    if (omitted > 0) {
      err.println("console: printed " + maxRows + " of " + received.get() + " rows (maxRows)");
    }
  }

  /** Rows the writers received, printed or not. */
  long rowsReceived() {
    return received.get();
  }

  private void appendTsv(StringBuilder text, RowBatch batch, int row) {
    for (int c = 0; c < schema.size(); c++) {
      if (c > 0) {
        text.append('\t');
      }
      Object value = batch.get(row, c);
      if (value == null) {
        text.append("\\N");
      } else {
        appendEscaped(text, Values.format(value, schema.column(c).type()));
      }
    }
  }

  private void appendJson(StringBuilder text, RowBatch batch, int row) {
    ObjectNode object = JsonValues.mapper().createObjectNode();
    for (int c = 0; c < schema.size(); c++) {
      object.set(
          schema.column(c).name(), JsonValues.toNode(batch.get(row, c), schema.column(c).type()));
    }
    text.append(object);
  }

  /** Backslash escapes keep one row on one line and NULL ({@code \N}) apart from text. */
  private static void appendEscaped(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(ch);
      }
    }
  }
}
