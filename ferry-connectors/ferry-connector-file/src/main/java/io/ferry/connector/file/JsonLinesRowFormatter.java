package io.ferry.connector.file;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Column;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON Lines: one object per row keyed by column name, every column present (NULL as JSON null).
 * Values are written as {@link JsonValues#toNode} writes them: numbers and booleans bare (decimals
 * with all their digits), JSON columns and nested values as JSON, everything else as its text. In a
 * charset other than UTF-*, characters outside ASCII are written as JSON escapes.
 */
final class JsonLinesRowFormatter extends RowFormatter {
  /** Holds one row: the generator writes here, and only a complete row goes to the file. */
  private final Line line = new Line();

  private JsonGenerator json;

  JsonLinesRowFormatter(Schema schema, TextLayout layout) {
    super(schema, layout);
    this.json = newGenerator();
  }

  private JsonGenerator newGenerator() {
    try {
      JsonGenerator generator = JsonValues.mapper().createGenerator(line);
      generator.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      generator.setRootValueSeparator(null);
      if (!layout.charset().name().startsWith("UTF-")) {
        // JSON escapes keep every character writable, whatever the charset lacks.
        generator.setHighestNonEscapedChar(0x7F);
      }
      return generator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  void appendHeader(TextBuffer out) {
    throw new IllegalStateException("jsonl has no header line");
  }

  @Override
  void appendRow(RowBatch batch, int row, TextBuffer out)
      throws IOException, UnwritableValueException {
    line.reset();
    try {
      json.writeStartObject();
      for (int c = 0; c < schema.size(); c++) {
        Column column = schema.column(c);
        json.writeFieldName(column.name());
        writeValue(batch.get(row, c), column);
      }
      json.writeEndObject();
      json.flush();
    } catch (UnwritableValueException e) {
      json = newGenerator(); // the old one is inside an unfinished object
      throw e;
    }
    // The row's characters go to the buffer as they are, without a String copy of them.
    if (!line.appendTo(out)) {
      int c = surrogateColumn(batch, row);
      throw unpairedSurrogate(c, batch.get(row, c));
    }
    out.append('\n');
  }

  /** The column of the first text value with a lone surrogate, for the dirty-row report. */
  private int surrogateColumn(RowBatch batch, int row) {
    for (int c = 0; c < schema.size(); c++) {
      if (batch.get(row, c) instanceof String s && hasLoneSurrogate(s)) {
        return c;
      }
    }
    return 0;
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** A {@link CharArrayWriter} that hands its characters over without copying them. */
  private static final class Line extends CharArrayWriter {
    Line() {
      super(256);
    }

    /** False when UTF-8 cannot write the line (a lone surrogate). */
    boolean appendTo(TextBuffer out) throws IOException {
      if (out.utf8()) {
        return out.appendUtf8(buf, 0, count);
      }
      out.append(buf, 0, count);
      return true;
    }
  }

  private void writeValue(Object value, Column column)
      throws IOException, UnwritableValueException {
    try {
      JsonValues.write(json, value, column.type());
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new UnwritableValueException(
          column.name(),
          value,
          e instanceof ClassCastException
              ? "a " + value.getClass().getSimpleName() + " is not a value of " + column.type()
              : e.getMessage());
    }
  }
}
