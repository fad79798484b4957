package io.ferry.connector.file;

import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.io.IOException;

/**
 * RFC 4180 csv with PostgreSQL's NULL rule: NULL is the null marker unquoted; a value is quoted
 * when it holds the delimiter, the quote (then doubled), a carriage return or a line feed, when it
 * is empty, or when it equals the null marker, so that no value reads back as NULL. Lines end with
 * LF.
 */
final class CsvRowFormatter extends RowFormatter {
  private final char delimiter;
  private final char quote;
  private final String nullMarker;
  private final String[] texts;

  CsvRowFormatter(Schema schema, TextLayout layout) {
    super(schema, layout);
    this.delimiter = layout.delimiter();
    this.quote = layout.quote();
    this.nullMarker = layout.nullMarker();
    this.texts = new String[schema.size()];
  }

  @Override
  void appendHeader(TextBuffer out) throws IOException {
    for (int c = 0; c < schema.size(); c++) {
      if (c > 0) {
        out.append(delimiter);
      }
      appendValue(schema.column(c).name(), out);
    }
    out.append('\n');
  }

  @Override
  void appendRow(RowBatch batch, int row, TextBuffer out)
      throws IOException, UnwritableValueException {
    int arity = texts.length;
    for (int c = 0; c < arity; c++) {
      Object value = batch.get(row, c);
      texts[c] = value == null ? null : text(value, c);
    }
    for (int c = 0; c < arity; c++) {
      if (c > 0) {
        out.append(delimiter);
      }
      String text = texts[c];
      if (text == null) {
        out.append(nullMarker);
      } else {
        appendValue(text, out);
      }
    }
    out.append('\n');
  }

  private void appendValue(String text, TextBuffer out) throws IOException {
    if (!needsQuotes(text)) {
      out.append(text);
      return;
    }
    out.append(quote);
    int from = 0;
    for (int i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) {
      out.append(text.substring(from, i + 1)).append(quote);
      from = i + 1;
    }
    out.append(from == 0 ? text : text.substring(from)).append(quote);
  }

  private boolean needsQuotes(String text) {
    int n = text.length();
    if (n == 0 || text.equals(nullMarker)) {
      return true;
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == delimiter || c == quote || c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }
}
