package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.base.Values;
import io.ferry.spi.Column;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.io.IOException;
import java.nio.charset.CharsetEncoder;

/**
 * Writes rows as text of one format. Each row is checked whole before any of it is written, so a
 * value that cannot be written makes the row a dirty row without leaving half a line in the file.
 */
abstract class RowFormatter {
  protected final Schema schema;
  protected final TextLayout layout;

  /** Checks that text values fit the charset; null for Unicode charsets, which fit everything. */
  private final CharsetEncoder encoder;

  RowFormatter(Schema schema, TextLayout layout) {
    this.schema = requireNonNull(schema, "schema is null");
    this.layout = requireNonNull(layout, "layout is null");
    this.encoder =
        layout.charset().name().startsWith("UTF-") ? null : layout.charset().newEncoder();
  }

  static RowFormatter of(Schema schema, TextLayout layout) {
    return switch (layout.format()) {
      case CSV -> new CsvRowFormatter(schema, layout);
      case TSV -> new TsvRowFormatter(schema, layout);
      case JSONL -> new JsonLinesRowFormatter(schema, layout);
    };
  }

  /** Writes the header line: the column names. */
  abstract void appendHeader(TextBuffer out) throws IOException;

  /**
   * Writes row {@code row} of {@code batch} followed by a line feed, or nothing.
   *
   * @throws UnwritableValueException when a value cannot be written; nothing was written then
   */
  abstract void appendRow(RowBatch batch, int row, TextBuffer out)
      throws IOException, UnwritableValueException;

  /** The text form of a non-null value of column {@code c}, checked against the charset. */
  protected final String text(Object value, int c) throws UnwritableValueException {
    Column column = schema.column(c);
    String text;
    try {
      text = Values.format(value, column.type());
    } catch (RuntimeException e) {
      throw new UnwritableValueException(
          column.name(),
          value,
          "a " + value.getClass().getSimpleName() + " is not a value of " + column.type());
    }
    checkEncodable(text, column);
    return text;
  }

  protected final void checkEncodable(String text, Column column) throws UnwritableValueException {
    if (encoder != null && !isAsciiKind(column.type().kind()) && !encoder.canEncode(text)) {
      throw new UnwritableValueException(
          column.name(),
          text,
          "the value has characters that " + layout.charset().name() + " cannot write");
    }
  }

  private static boolean isAsciiKind(TypeKind kind) {
    return kind.isNumeric()
        || kind == TypeKind.BOOLEAN
        || kind == TypeKind.BYTES
        || kind == TypeKind.DATE
        || kind == TypeKind.TIME
        || kind == TypeKind.TIMESTAMP
        || kind == TypeKind.TIMESTAMP_TZ;
  }

  /** A value of a row cannot be written: the row goes to the dirty-data store. */
  static final class UnwritableValueException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String column;
    private final transient Object value;

    UnwritableValueException(String column, Object value, String reason) {
      super(reason, null, false, false);
      this.column = column;
      this.value = value;
    }

    String column() {
      return column;
    }

    Object value() {
      return value;
    }
  }
}
