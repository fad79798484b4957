package io.ferry.connector.file;

import io.ferry.spi.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * RFC 4180 csv with PostgreSQL's NULL rule: NULL is the null marker unquoted; a value is quoted
 * when it holds the delimiter, the quote (then doubled), a carriage return or a line feed, when it
 * is empty, or when it equals the null marker, so that no value reads back as NULL. Lines end with
 * LF.
 */
final class CsvRowFormatter extends DelimitedRowFormatter {
  private final char quote;

  /** Whether delimiter and quote are ASCII, so the encoded bytes can be scanned for them. */
  private final boolean asciiSyntax;

  /**
   * The ASCII characters that make a value quoted, as bits: {@code lowSpecials} for 0-63, {@code
   * highSpecials} for 64-127 (a long shift uses the low 6 bits of the count). One test a character
   * instead of four.
   */
  private final long lowSpecials;

  private final long highSpecials;

  /**
   * {@code lowSpecials} and '?', the byte a lone surrogate becomes: what {@link #appendEncoded}
   * looks for.
   */
  private final long scanLow;

  CsvRowFormatter(Schema schema, TextLayout layout) {
    super(schema, layout, layout.quote());
    this.quote = layout.quote();
    this.asciiSyntax = delimiter < 0x80 && quote < 0x80;
    long low = 1L << '\n' | 1L << '\r';
    long high = 0;
    for (char c : new char[] {delimiter, quote}) {
      if (c < 64) {
        low |= 1L << c;
      } else if (c < 128) {
        high |= 1L << c;
      }
    }
    this.lowSpecials = low;
    this.highSpecials = high;
    this.scanLow = low | 1L << '?';
  }

  @Override
  String headerText(String name) {
    return quoted(name);
  }

  @Override
  void appendText(String text, int c, Object value, TextBuffer out)
      throws IOException, UnwritableValueException {
    if (!out.utf8()) {
      out.append(quoted(text));
    } else if (!(asciiSyntax ? appendEncoded(text, out) : appendUtf8(text, out))) {
      throw unpairedSurrogate(c, value);
    }
  }

  /**
   * The UTF-8 path when delimiter and quote are ASCII (they nearly always are): the JDK's
   * vectorized encoder first, then one scan of the bytes for what needs quotes. Multi-byte UTF-8
   * sequences never contain ASCII bytes, so the scan cannot mistake a part of one for a delimiter.
   * Measured 2-3 times faster than encoding char by char. False for a lone surrogate, which the JDK
   * encodes as '?': values with a '?' take the exact char-by-char path.
   */
  private boolean appendEncoded(String text, TextBuffer out) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int n = utf8.length;
    boolean quoted = n == 0 || (text.length() == nullMarker.length() && text.equals(nullMarker));
    int doubled = 0;
    for (int i = 0; i < n; i++) {
      int b = utf8[i];
      // One bit test for the ASCII bytes that matter ('?' and the specials); none for the others.
      if (b >= 0 && ((b < 64 ? scanLow : highSpecials) >>> b & 1L) != 0) {
        if (b == '?') {
          return appendUtf8(text, out);
        }
        if (b == quote) {
          doubled++;
        }
        quoted = true;
      }
    }
    if (!quoted) {
      out.ensure(n);
      System.arraycopy(utf8, 0, out.bytes, out.length, n);
      out.length += n;
      return true;
    }
    out.ensure(n + doubled + 2);
    byte[] b = out.bytes;
    int p = out.length;
    b[p++] = (byte) quote;
    if (doubled == 0) {
      System.arraycopy(utf8, 0, b, p, n);
      p += n;
    } else {
      for (int i = 0; i < n; i++) {
        if (utf8[i] == quote) {
          b[p++] = (byte) quote;
        }
        b[p++] = utf8[i];
      }
    }
    b[p++] = (byte) quote;
    out.length = p;
    return true;
  }

  /** The value as written, quoted if it must be: the path of charsets other than UTF-8. */
  private String quoted(String text) {
    if (!needsQuotes(text)) {
      return text;
    }
    StringBuilder quoted = new StringBuilder(text.length() + 8).append(quote);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == quote) {
        quoted.append(quote);
      }
      quoted.append(c);
    }
    return quoted.append(quote).toString();
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

  /**
   * Encodes a value as UTF-8 and quotes it in the same pass: it is copied unquoted until the first
   * character that needs quotes, then what was copied moves up one byte for the opening quote. Most
   * values need none, so most are read once and never moved. False for a lone surrogate.
   */
  private boolean appendUtf8(String text, TextBuffer out) throws IOException {
    int n = text.length();
    boolean quoted = n == 0 || (n == nullMarker.length() && text.equals(nullMarker));
    out.ensure(1);
    int valueMark = out.mark();
    if (quoted) {
      out.bytes[out.length++] = (byte) quote;
    }
    char[] chars = out.chars;
    int i = 0;
    while (i < n) {
      int end = TextBuffer.chunkEnd(text, i, n);
      int k = end - i;
      text.getChars(i, end, chars, 0);
      i = end;
      // 3 bytes a char at most (a doubled quote is 2, a pair 4 for 2 chars), + 2 quotes
      out.ensure(3 * k + 2);
      byte[] b = out.bytes;
      int start = out.at(valueMark);
      int p = out.length;
      for (int j = 0; j < k; j++) {
        char ch = chars[j];
        if (ch < 0x80) {
          if (((ch < 64 ? lowSpecials : highSpecials) >>> ch & 1L) != 0) {
            if (!quoted) {
              System.arraycopy(b, start, b, start + 1, p - start);
              b[start] = (byte) quote;
              p++;
              quoted = true;
            }
            if (ch == quote) {
              b[p++] = (byte) ch;
            }
          }
          b[p++] = (byte) ch;
        } else {
          if (ch == delimiter && !quoted) {
            System.arraycopy(b, start, b, start + 1, p - start);
            b[start] = (byte) quote;
            p++;
            quoted = true;
          }
          if (!Character.isSurrogate(ch)) {
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
      }
      out.length = p;
    }
    if (quoted) {
      out.ensure(1);
      out.bytes[out.length++] = (byte) quote;
    }
    return true;
  }
}
