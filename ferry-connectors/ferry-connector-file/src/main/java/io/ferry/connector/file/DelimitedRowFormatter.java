package io.ferry.connector.file;

import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.io.IOException;

/**
 * The loop of the delimited formats (csv, tsv): fields separated by the delimiter, NULL written as
 * the null marker, each value in its ASCII fast form where it has one (checked only when the
 * format's special characters or the null marker could appear in it), every other value as text the
 * format quotes or escapes ({@link #appendText}); a line feed ends each line.
 */
abstract class DelimitedRowFormatter extends RowFormatter {
  protected final char delimiter;
  protected final String nullMarker;
  private final int arity;
  private final boolean checkFastForms;

  /**
   * @param special the format's other special character (csv: the quote; tsv: the delimiter)
   */
  DelimitedRowFormatter(Schema schema, TextLayout layout, char special) {
    super(schema, layout);
    this.delimiter = layout.delimiter();
    this.nullMarker = layout.nullMarker();
    this.arity = schema.size();
    this.checkFastForms = fastFormsNeedCheck(delimiter, special, nullMarker);
  }

  /** A column name as the header writes it (quoted or escaped). */
  abstract String headerText(String name);

  /**
   * Appends a non-null value's text, quoted or escaped.
   *
   * @throws UnwritableValueException when the format cannot write it so that it reads back
   */
  abstract void appendText(String text, int c, Object value, TextBuffer out)
      throws IOException, UnwritableValueException;

  @Override
  final void appendHeader(TextBuffer out) throws IOException {
    for (int c = 0; c < schema.size(); c++) {
      if (c > 0) {
        out.append(delimiter);
      }
      out.append(headerText(schema.column(c).name()));
    }
    out.append('\n');
  }

  @Override
  final void appendRow(RowBatch batch, int row, TextBuffer out)
      throws IOException, UnwritableValueException {
    for (int c = 0; c < arity; c++) {
      if (c > 0) {
        out.append(delimiter);
      }
      Object value = batch.get(row, c);
      if (value == null) {
        out.append(nullMarker);
        continue;
      }
      int mark = out.mark();
      if (appendAsciiValue(value, c, out)) {
        if (checkFastForms) {
          // A special character or the null marker among the characters of numbers and dates.
          appendText(out.takeAscii(mark), c, value, out);
        }
        continue;
      }
      appendText(text(value, c), c, value, out);
    }
    out.append('\n');
  }
}
