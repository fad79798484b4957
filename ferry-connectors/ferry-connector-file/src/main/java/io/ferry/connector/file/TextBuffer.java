package io.ferry.connector.file;

import java.io.IOException;
import java.io.Writer;

/**
 * An unsynchronized character buffer in front of a {@link Writer}. The JDK's buffered writers take
 * a lock on every call; with ten values a row that is tens of millions of lock operations per file.
 */
final class TextBuffer {
  private final char[] chars;
  private final Writer out;
  private int length;

  TextBuffer(Writer out, int capacity) {
    this.out = out;
    this.chars = new char[capacity];
  }

  TextBuffer append(char c) throws IOException {
    if (length == chars.length) {
      flushBuffer();
    }
    chars[length++] = c;
    return this;
  }

  TextBuffer append(String s) throws IOException {
    int n = s.length();
    if (n > chars.length - length) {
      flushBuffer();
      if (n > chars.length) {
        out.write(s);
        return this;
      }
    }
    s.getChars(0, n, chars, length);
    length += n;
    return this;
  }

  /** Hands the buffered characters to the writer (which may buffer them further). */
  void flushBuffer() throws IOException {
    if (length > 0) {
      out.write(chars, 0, length);
      length = 0;
    }
  }
}
