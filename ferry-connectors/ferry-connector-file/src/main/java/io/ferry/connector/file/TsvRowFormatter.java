package io.ferry.connector.file;

import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.io.IOException;

/**
 * Text in the PostgreSQL {@code COPY} / MySQL {@code LOAD DATA} format: NULL is the null marker; in
 * values a backslash is written {@code \\}, a line feed {@code \n}, a carriage return {@code \r},
 * and the delimiter {@code \t} (a tab) or a backslash before it (any other delimiter). A value
 * whose escaped text equals the null marker cannot be written and becomes a dirty row.
 */
final class TsvRowFormatter extends RowFormatter {
  private final char delimiter;
  private final String nullMarker;
  private final String[] texts;
  private final StringBuilder escaped = new StringBuilder();

  TsvRowFormatter(Schema schema, TextLayout layout) {
    super(schema, layout);
    this.delimiter = layout.delimiter();
    this.nullMarker = layout.nullMarker();
    this.texts = new String[schema.size()];
  }

  @Override
  void appendHeader(TextBuffer out) throws IOException {
    for (int c = 0; c < schema.size(); c++) {
      if (c > 0) {
        out.append(delimiter);
      }
      out.append(escape(schema.column(c).name()));
    }
    out.append('\n');
  }

  @Override
  void appendRow(RowBatch batch, int row, TextBuffer out)
      throws IOException, UnwritableValueException {
    int arity = texts.length;
    for (int c = 0; c < arity; c++) {
      Object value = batch.get(row, c);
      if (value == null) {
        texts[c] = null;
        continue;
      }
      String text = escape(text(value, c));
      if (text.equals(nullMarker)) {
        throw new UnwritableValueException(
            schema.column(c).name(),
            value,
            "the value would read back as NULL: it equals the nullMarker '" + nullMarker + "'");
      }
      texts[c] = text;
    }
    for (int c = 0; c < arity; c++) {
      if (c > 0) {
        out.append(delimiter);
      }
      out.append(texts[c] == null ? nullMarker : texts[c]);
    }
    out.append('\n');
  }

  private String escape(String text) {
    int n = text.length();
    int i = 0;
    while (i < n && !special(text.charAt(i))) {
      i++;
    }
    if (i == n) {
      return text;
    }
    escaped.setLength(0);
    escaped.append(text, 0, i);
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        escaped.append("\\\\");
      } else if (c == '\n') {
        escaped.append("\\n");
      } else if (c == '\r') {
        escaped.append("\\r");
      } else if (c == delimiter) {
        escaped.append('\\').append(delimiter == '\t' ? 't' : delimiter);
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private boolean special(char c) {
    return c == '\\' || c == '\n' || c == '\r' || c == delimiter;
  }
}
