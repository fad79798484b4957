package io.ferry.connector.file;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * An unsynchronized byte buffer in front of an {@link OutputStream} that the row formatters encode
 * text into directly.
 *
 * <p>Why bytes and not characters through an {@code OutputStreamWriter}: the JDK's writers lock on
 * every call, and its UTF-8 encoder drops a whole chunk to its slow path for one non-ASCII
 * character. For UTF-8 (the default) this class encodes by hand: ASCII is one byte a character and
 * everything else is a few shifts. Other charsets go through a {@link CharsetEncoder}; every
 * charset the file connector accepts writes ASCII as single ASCII bytes (see {@link
 * FileOptions#ENCODING}), so numbers, dates and the format's own punctuation are written as ASCII
 * bytes whatever the charset.
 *
 * <p>Rows: the buffer keeps the bytes of the row in progress until {@link #endRow}, so a row that
 * turns out unwritable halfway can be taken back ({@link #discardRow}). Only completed rows are
 * handed to the stream; a row larger than the buffer grows it for as long as it lasts.
 *
 * <p>Formatters in this package write into {@link #bytes} themselves after {@link #ensure}: the
 * fused scan-and-copy loops of csv and tsv need no call per character.
 */
final class TextBuffer {
  /** Characters a hand-encoding loop takes at a time, so long values need no huge reservation. */
  static final int CHUNK = 4096;

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  private final OutputStream out;
  private final int capacity;

  /** Null for UTF-8, which this class encodes itself. */
  private final CharsetEncoder encoder;

  /** Scratch for characters copied out of a string in bulk ({@code String.getChars}). */
  final char[] chars = new char[CHUNK];

  byte[] bytes;
  int length;

  /** Where the row in progress starts in {@link #bytes}; everything before it is complete. */
  private int rowStart;

  TextBuffer(OutputStream out, Charset charset, int capacity) {
    this.out = out;
    this.capacity = capacity;
    this.bytes = new byte[capacity];
    this.encoder =
        charset.equals(StandardCharsets.UTF_8)
            ? null
            : charset
                .newEncoder()
                // REPORT: a character the charset lacks fails loudly instead of turning into '?'.
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  boolean utf8() {
    return encoder == null;
  }

  /** The row in progress is complete. */
  void endRow() {
    rowStart = length;
  }

  /** Takes back everything written since the last complete row. */
  void discardRow() {
    length = rowStart;
  }

  /** A position in the row in progress that stays valid when {@link #ensure} moves the row. */
  int mark() {
    return length - rowStart;
  }

  /** The index in {@link #bytes} of a {@link #mark}. */
  int at(int mark) {
    return rowStart + mark;
  }

  /** Makes room for {@code n} more bytes at {@link #length}; may move the row in progress. */
  void ensure(int n) throws IOException {
    if (n > bytes.length - length) {
      makeRoom(n);
    }
  }

  private void makeRoom(int n) throws IOException {
    if (rowStart > 0) {
      out.write(bytes, 0, rowStart);
      System.arraycopy(bytes, rowStart, bytes, 0, length - rowStart);
      length -= rowStart;
      rowStart = 0;
    }
    if (bytes.length > capacity && length + n <= capacity) {
      bytes = Arrays.copyOf(bytes, capacity); // back to size after a large row
    } else if (n > bytes.length - length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
    }
  }

  /** Hands the complete rows to the stream (which may buffer them further). */
  void flushBuffer() throws IOException {
    if (rowStart > 0) {
      out.write(bytes, 0, rowStart);
      System.arraycopy(bytes, rowStart, bytes, 0, length - rowStart);
      length -= rowStart;
      rowStart = 0;
    }
    if (bytes.length > capacity && length <= capacity) {
      bytes = Arrays.copyOf(bytes, capacity);
    }
  }

  /** Writes one character. */
  void append(char c) throws IOException {
    if (c < 0x80) {
      ensure(1);
      bytes[length++] = (byte) c;
    } else {
      append(String.valueOf(c));
    }
  }

  /** Writes a string in the buffer's charset. */
  void append(String s) throws IOException {
    if (encoder != null) {
      encode(CharBuffer.wrap(s));
    } else if (!appendUtf8(s)) {
      throw new MalformedInputException(1);
    }
  }

  /** Writes characters in the buffer's charset. */
  void append(char[] text, int from, int count) throws IOException {
    if (encoder != null) {
      encode(CharBuffer.wrap(text, from, count));
    } else if (!appendUtf8(text, from, from + count)) {
      throw new MalformedInputException(1);
    }
  }

  /** Writes a string known to hold only ASCII characters (numbers' and dates' text). */
  void appendAscii(String s) throws IOException {
    int n = s.length();
    ensure(n);
    // getBytes(int, int, byte[], int) keeps the low byte of each character: exact for ASCII, and
    // a plain array copy for the JDK's Latin-1 strings.
    s.getBytes(0, n, bytes, length);
    length += n;
  }

  /**
   * Writes a string as UTF-8; false when it holds a surrogate that is not half of a pair, which
   * UTF-8 cannot write (what was written of it is left for {@link #discardRow}).
   */
  boolean appendUtf8(String s) throws IOException {
    int n = s.length();
    int i = 0;
    while (i < n) {
      int end = chunkEnd(s, i, n);
      s.getChars(i, end, chars, 0);
      if (!appendUtf8(chars, 0, end - i)) {
        return false;
      }
      i = end;
    }
    return true;
  }

  /** Where the chunk of {@code s} that starts at {@code i} ends, never between a surrogate pair. */
  static int chunkEnd(String s, int i, int n) {
    int end = Math.min(n, i + CHUNK);
    return end < n && Character.isHighSurrogate(s.charAt(end - 1)) ? end - 1 : end;
  }

  /** Writes characters as UTF-8; false for a lone surrogate, as {@link #appendUtf8(String)}. */
  boolean appendUtf8(char[] text, int from, int to) throws IOException {
    int i = from;
    while (i < to) {
      int end = Math.min(to, i + CHUNK);
      if (end < to && Character.isHighSurrogate(text[end - 1])) {
        end--;
      }
      ensure(3 * (end - i)); // UTF-8 needs at most 3 bytes a UTF-16 char
      byte[] b = bytes;
      int p = length;
      while (i < end) {
        char c = text[i++];
        if (c < 0x80) {
          b[p++] = (byte) c;
        } else if (!Character.isSurrogate(c)) {
          p = putBmp(b, p, c);
        } else if (Character.isHighSurrogate(c) && i < end && Character.isLowSurrogate(text[i])) {
          p = putPair(b, p, c, text[i++]);
        } else {
          length = p;
          return false;
        }
      }
      length = p;
    }
    return true;
  }

  /** Encodes a non-ASCII, non-surrogate char as UTF-8 at {@code p}; returns the new end. */
  static int putBmp(byte[] b, int p, char c) {
    if (c < 0x800) {
      b[p] = (byte) (0xC0 | c >> 6);
      b[p + 1] = (byte) (0x80 | c & 0x3F);
      return p + 2;
    }
    b[p] = (byte) (0xE0 | c >> 12);
    b[p + 1] = (byte) (0x80 | c >> 6 & 0x3F);
    b[p + 2] = (byte) (0x80 | c & 0x3F);
    return p + 3;
  }

  /** Encodes a surrogate pair as the 4 bytes of its code point at {@code p}. */
  static int putPair(byte[] b, int p, char high, char low) {
    int cp = Character.toCodePoint(high, low);
    b[p] = (byte) (0xF0 | cp >> 18);
    b[p + 1] = (byte) (0x80 | cp >> 12 & 0x3F);
    b[p + 2] = (byte) (0x80 | cp >> 6 & 0x3F);
    b[p + 3] = (byte) (0x80 | cp & 0x3F);
    return p + 4;
  }

  /**
   * Encodes through the charset's encoder, flushed at the end so that a stateful encoder is back in
   * its initial (ASCII) state for the ASCII bytes written directly after.
   */
  private void encode(CharBuffer in) throws IOException {
    encoder.reset();
    boolean flushing = false;
    int room = 64;
    while (true) {
      ensure(room);
      ByteBuffer dst = ByteBuffer.wrap(bytes, length, bytes.length - length);
      CoderResult result = flushing ? encoder.flush(dst) : encoder.encode(in, dst, true);
      length = dst.position();
      if (result.isOverflow()) {
        room = bytes.length - length + 64;
      } else if (result.isError()) {
        result.throwException();
      } else if (flushing) {
        return;
      } else {
        flushing = true;
      }
    }
  }

  /** The bytes from {@code mark} on as a string, taken out of the buffer. */
  String takeAscii(int mark) {
    int from = at(mark);
    String s = new String(bytes, from, length - from, StandardCharsets.ISO_8859_1);
    length = from;
    return s;
  }

  // ---- Values whose text is ASCII, formatted without building strings ----------------------
  // Each writes exactly the text Values.format gives for the value; the unit tests compare them.

  void appendBoolean(boolean value) throws IOException {
    byte[] text = value ? TRUE : FALSE;
    ensure(text.length);
    System.arraycopy(text, 0, bytes, length, text.length);
    length += text.length;
  }

  /** {@code Long.toString}. */
  void appendLong(long value) throws IOException {
    ensure(20);
    length = putLong(bytes, length, value);
  }

  private static int putLong(byte[] b, int p, long v) {
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        byte[] min = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(min, 0, b, p, min.length);
        return p + min.length;
      }
      b[p++] = '-';
      v = -v;
    }
    int end = p + digitCount(v);
    putDigits(b, end, v);
    return end;
  }

  /**
   * "00" to "99": {@link #putDigits} writes two digits per division, as {@code Long.toString} does;
   * half the divisions of one digit at a time (ids, counts, prices, years on every row).
   */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  /** Writes the decimal digits of {@code v >= 0} so that the last one is at {@code end - 1}. */
  private static void putDigits(byte[] b, int end, long v) {
    int q = end;
    while (v >= 100) {
      long next = v / 100;
      int pair = (int) (v - next * 100) << 1;
      b[--q] = DIGIT_PAIRS[pair + 1];
      b[--q] = DIGIT_PAIRS[pair];
      v = next;
    }
    if (v >= 10) {
      int pair = (int) v << 1;
      b[--q] = DIGIT_PAIRS[pair + 1];
      b[--q] = DIGIT_PAIRS[pair];
    } else {
      b[--q] = (byte) ('0' + (int) v);
    }
  }

  /** The number of decimal digits of {@code v >= 0}. */
  static int digitCount(long v) {
    long limit = 10;
    for (int n = 1; n < 19; n++) {
      if (v < limit) {
        return n;
      }
      limit *= 10;
    }
    return 19;
  }

  /**
   * {@code BigDecimal.toPlainString}. Values whose unscaled value fits 18 digits (all of a
   * DECIMAL(18, s) column) are written from that long and the scale; others through the JDK.
   */
  void appendDecimal(BigDecimal value) throws IOException {
    int scale = value.scale();
    if (scale < 0 || scale > 18 || value.precision() > 18) {
      appendAscii(value.toPlainString());
      return;
    }
    long unscaled = value.unscaledValue().longValue();
    ensure(40);
    byte[] b = bytes;
    int p = length;
    if (unscaled < 0) {
      b[p++] = '-';
      unscaled = -unscaled;
    }
    int digits = digitCount(unscaled);
    if (scale == 0) {
      putDigits(b, p + digits, unscaled);
      length = p + digits;
      return;
    }
    if (digits > scale) {
      // int part, point, fraction: write all digits, then move the fraction up one for the point
      int end = p + digits + 1;
      putDigits(b, end - 1, unscaled);
      System.arraycopy(b, end - 1 - scale, b, end - scale, scale);
      b[end - 1 - scale] = '.';
      length = end;
    } else {
      b[p++] = '0';
      b[p++] = '.';
      for (int z = scale - digits; z > 0; z--) {
        b[p++] = '0';
      }
      putDigits(b, p + digits, unscaled);
      length = p + digits;
    }
  }

  /** {@code LocalDate.toString}, which is also {@code ISO_LOCAL_DATE}. */
  void appendDate(LocalDate date) throws IOException {
    ensure(16);
    length = putDate(bytes, length, date.getYear(), date.getMonthValue(), date.getDayOfMonth());
  }

  private static int putDate(byte[] b, int p, int year, int month, int day) {
    // A year is at least 4 digits; a sign for negative years and for years past 9999.
    long y = year;
    if (y < 0) {
      b[p++] = '-';
      y = -y;
    } else if (y > 9999) {
      b[p++] = '+';
    }
    int n = Math.max(4, digitCount(y));
    putDigits(b, p + n, y);
    for (int i = p + n - digitCount(y) - 1; i >= p; i--) {
      b[i] = '0';
    }
    p += n;
    b[p] = '-';
    put2(b, p + 1, month);
    b[p + 3] = '-';
    put2(b, p + 4, day);
    return p + 6;
  }

  /** {@code LocalTime.toString}: seconds only when not zero, the fraction in groups of 3. */
  void appendTime(LocalTime time) throws IOException {
    ensure(18);
    byte[] b = bytes;
    int p = length;
    put2(b, p, time.getHour());
    b[p + 2] = ':';
    put2(b, p + 3, time.getMinute());
    p += 5;
    int second = time.getSecond();
    int nano = time.getNano();
    if (second > 0 || nano > 0) {
      b[p] = ':';
      put2(b, p + 1, second);
      p += 3;
      if (nano > 0) {
        b[p++] = '.';
        if (nano % 1_000_000 == 0) {
          putFixed(b, p, nano / 1_000_000, 3);
          p += 3;
        } else if (nano % 1000 == 0) {
          putFixed(b, p, nano / 1000, 6);
          p += 6;
        } else {
          putFixed(b, p, nano, 9);
          p += 9;
        }
      }
    }
    length = p;
  }

  /** {@code ISO_LOCAL_DATE_TIME}. */
  void appendTimestamp(LocalDateTime ts) throws IOException {
    ensure(40);
    int p = putDate(bytes, length, ts.getYear(), ts.getMonthValue(), ts.getDayOfMonth());
    bytes[p] = 'T';
    length = putIsoTime(bytes, p + 1, ts.getHour(), ts.getMinute(), ts.getSecond(), ts.getNano());
  }

  /** {@code ISO_OFFSET_DATE_TIME}: the offset as Z, +HH:MM, or +HH:MM:ss when it has seconds. */
  void appendTimestampTz(OffsetDateTime ts) throws IOException {
    ensure(48);
    byte[] b = bytes;
    int p = putDate(b, length, ts.getYear(), ts.getMonthValue(), ts.getDayOfMonth());
    b[p] = 'T';
    p = putIsoTime(b, p + 1, ts.getHour(), ts.getMinute(), ts.getSecond(), ts.getNano());
    int offset = ts.getOffset().getTotalSeconds();
    if (offset == 0) {
      b[p++] = 'Z';
    } else {
      b[p++] = (byte) (offset < 0 ? '-' : '+');
      int abs = Math.abs(offset);
      put2(b, p, abs / 3600);
      b[p + 2] = ':';
      put2(b, p + 3, abs / 60 % 60);
      p += 5;
      if (abs % 60 != 0) {
        b[p] = ':';
        put2(b, p + 1, abs % 60);
        p += 3;
      }
    }
    length = p;
  }

  /**
   * {@code ISO_LOCAL_TIME}: seconds always, the fraction only when not zero, trailing zeros cut.
   */
  private static int putIsoTime(byte[] b, int p, int hour, int minute, int second, int nano) {
    put2(b, p, hour);
    b[p + 2] = ':';
    put2(b, p + 3, minute);
    b[p + 5] = ':';
    put2(b, p + 6, second);
    p += 8;
    if (nano > 0) {
      b[p++] = '.';
      int digits = 9;
      while (nano % 10 == 0) {
        nano /= 10;
        digits--;
      }
      putFixed(b, p, nano, digits);
      p += digits;
    }
    return p;
  }

  private static void put2(byte[] b, int p, int v) {
    b[p] = (byte) ('0' + v / 10);
    b[p + 1] = (byte) ('0' + v % 10);
  }

  /** Writes {@code v} as exactly {@code width} digits, zero-padded on the left. */
  private static void putFixed(byte[] b, int p, int v, int width) {
    for (int i = p + width - 1; i >= p; i--) {
      b[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
  }
}
