package io.ferry.connector.file;

import io.ferry.spi.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text in the PostgreSQL {@code COPY} / MySQL {@code LOAD DATA} format: NULL is the null marker; in
 * values a backslash is written {@code \\}, a line feed {@code \n}, a carriage return {@code \r},
 * and the delimiter {@code \t} (a tab) or a backslash before it (any other delimiter). A value
 * whose escaped text equals the null marker cannot be written and becomes a dirty row.
 */
final class TsvRowFormatter extends DelimitedRowFormatter {
  private final StringBuilder escaped = new StringBuilder();

  /** The null marker as UTF-8, to compare with a value's escaped bytes. */
  private final byte[] nullBytes;

  TsvRowFormatter(Schema schema, TextLayout layout) {
    super(schema, layout, layout.delimiter());
    this.nullBytes = nullMarker.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  String headerText(String name) {
    return escape(name);
  }

  @Override
  void appendText(String text, int c, Object value, TextBuffer out)
      throws IOException, UnwritableValueException {
    if (out.utf8()) {
      int mark = out.mark();
      if (!appendUtf8(text, out)) {
        throw unpairedSurrogate(c, value);
      }
      int from = out.at(mark);
      if (out.length - from == nullBytes.length
          && Arrays.equals(out.bytes, from, out.length, nullBytes, 0, nullBytes.length)) {
        throw readsAsNull(c, value);
      }
      return;
    }
    String escapedText = escape(text);
    if (escapedText.equals(nullMarker)) {
      throw readsAsNull(c, value);
    }
    out.append(escapedText);
  }

  private UnwritableValueException readsAsNull(int c, Object value) {
    return new UnwritableValueException(
        schema.column(c).name(),
        value,
        "the value would read back as NULL: it equals the nullMarker '" + nullMarker + "'");
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

  /**
   * Encodes a value as UTF-8 and escapes it in the same pass, one test a character for the common
   * case (an ASCII character other than backslash, CR, LF and the delimiter). False for a lone
   * surrogate.
   */
  private boolean appendUtf8(String text, TextBuffer out) throws IOException {
    int n = text.length();
    char[] chars = out.chars;
    char d = delimiter;
    byte dEscape = (byte) (d == '\t' ? 't' : d);
    int i = 0;
    while (i < n) {
      int end = TextBuffer.chunkEnd(text, i, n);
      int k = end - i;
      text.getChars(i, end, chars, 0);
      i = end;
      out.ensure(4 * k); // 4 bytes a char at most: a backslash and a 3-byte delimiter
      byte[] b = out.bytes;
      int p = out.length;
      for (int j = 0; j < k; j++) {
        char ch = chars[j];
        if (ch < 0x80 && ch != '\\' && ch != '\n' && ch != '\r' && ch != d) {
          b[p++] = (byte) ch;
        } else if (ch == '\\') {
          b[p++] = '\\';
          b[p++] = '\\';
        } else if (ch == '\n') {
          b[p++] = '\\';
          b[p++] = 'n';
        } else if (ch == '\r') {
          b[p++] = '\\';
          b[p++] = 'r';
        } else if (ch == d) {
          b[p++] = '\\';
          if (d < 0x80) {
            b[p++] = dEscape;
          } else {
            p = TextBuffer.putBmp(b, p, d);
          }
        } else if (!Character.isSurrogate(ch)) {
          p = TextBuffer.putBmp(b, p, ch);
        } else if (Character.isHighSurrogate(ch)
            && j + 1 < k
            && Character.isLowSurrogate(chars[j + 1])) {
          p = TextBuffer.putPair(b, p, ch, chars[++j]);
        } else {
          out.length = p;
          return false;
        }
      }
      out.length = p;
    }
    return true;
  }
}
