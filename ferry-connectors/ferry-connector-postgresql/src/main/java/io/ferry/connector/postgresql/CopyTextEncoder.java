package io.ferry.connector.postgresql;

import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes rows as PostgreSQL {@code COPY ... FROM STDIN} text format (tab-separated, {@code \N} for
 * NULL, backslash escapes) into one reusable byte buffer.
 *
 * <p>Hot path (the writer's largest cost in the bench profile): every value reserves its worst-case
 * length once and is then written without further checks. Strings take the JDK's vectorized UTF-8
 * encoding and are scanned for the four bytes COPY escapes, clean runs copied in one go (one
 * short-lived byte[] per string, which measured faster than any char-by-char loop); integers,
 * dates, times and decimals whose unscaled value fits a long are written digit by digit with no
 * String; floats and larger decimals go through their own {@code toString}.
 *
 * <p>Text rather than binary: the server parses text by the <em>target</em> column's type, so a
 * Ferry string lands in a uuid, enum, inet, interval or json column, an int8 in a smallint, a row
 * in jsonb, without the writer knowing type OIDs; and it measured faster to encode (see README).
 *
 * <p>Not thread-safe: one encoder per writer.
 */
final class CopyTextEncoder implements CopyEncoder {
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Encodes one non-null value of a column. */
  @FunctionalInterface
  interface ValueEncoder {
    void encode(Object value, CopyTextEncoder out);
  }

  /** Where rows come from: a {@link RowBatch}, a {@link io.ferry.connector.jdbc.RowBuffer}. */
  @FunctionalInterface
  interface Values2D {
    Object get(int row, int column);
  }

  /** A value that cannot be encoded; names its column. */
  static final class EncodeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final int column;

    EncodeException(int column, String message) {
      super(message);
      this.column = column;
    }
  }

  private final ValueEncoder[] encoders;
  private byte[] buffer;
  private int length;

  /** An encoder of rows of {@code schema}, values by their Ferry types. */
  CopyTextEncoder(Schema schema) {
    this(schema.columns().stream().map(c -> encoderFor(c.type(), false)).toList());
  }

  /** An encoder with one value encoder per column. */
  CopyTextEncoder(List<ValueEncoder> encoders) {
    this.encoders = encoders.toArray(new ValueEncoder[0]);
    this.buffer = new byte[64 * 1024];
  }

  /** Text has no header: forgets what was encoded before. */
  @Override
  public void start() {
    length = 0;
  }

  /** Appends one row, with its line feed; on failure the buffer is as before the call. */
  @Override
  public void appendRow(Values2D rows, int row) {
    int mark = length;
    ValueEncoder[] enc = encoders;
    for (int c = 0; c < enc.length; c++) {
      if (c > 0) {
        put((byte) '\t');
      }
      Object value = rows.get(row, c);
      if (value == null) {
        ensure(2);
        buffer[length] = '\\';
        buffer[length + 1] = 'N';
        length += 2;
      } else {
        try {
          enc[c].encode(value, this);
        } catch (RuntimeException e) {
          length = mark;
          throw new EncodeException(c, String.valueOf(e.getMessage()));
        }
      }
    }
    put((byte) '\n');
  }

  void appendRow(RowBatch batch, int row) {
    appendRow(batch::get, row);
  }

  /** Text has no trailer. */
  @Override
  public void finish() {}

  @Override
  public int length() {
    return length;
  }

  @Override
  public byte[] buffer() {
    return buffer;
  }

  @Override
  public void reset() {
    length = 0;
  }

  /** Drops the bytes after {@code mark} (a row that failed half-way). */
  void truncate(int mark) {
    length = mark;
  }

  // ---- per-type encoders ------------------------------------------------------------------

  /**
   * @param jsonTarget the target column is json/jsonb: arrays are written as JSON arrays, not as
   *     PostgreSQL array literals
   */
  static ValueEncoder encoderFor(DataType type, boolean jsonTarget) {
    if (jsonTarget && type.kind() == io.ferry.spi.TypeKind.ARRAY) {
      return (v, out) -> out.putEscaped(JsonValues.toJson(v, type));
    }
    return switch (type.kind()) {
      case BOOLEAN -> (v, out) -> out.put((byte) (((Boolean) v) ? 't' : 'f'));
      case INT8, INT16, INT32, INT64 -> (v, out) -> out.putLong(((Number) v).longValue());
      case FLOAT32 -> (v, out) -> out.putAscii(Float.toString((Float) v));
      case FLOAT64 -> (v, out) -> out.putAscii(Double.toString((Double) v));
      case DECIMAL -> (v, out) -> out.putDecimal((BigDecimal) v);
      case STRING, JSON -> (v, out) -> out.putEscaped((String) v);
      case BYTES -> (v, out) -> out.putBytea((byte[]) v);
      case DATE ->
          (v, out) -> {
            if (!out.putSpecial(v)) {
              out.putDate((LocalDate) v);
            }
          };
      case TIME ->
          (v, out) -> {
            if (!out.putSpecial(v)) {
              out.putTime((LocalTime) v);
            }
          };
      case TIMESTAMP ->
          (v, out) -> {
            if (!out.putSpecial(v)) {
              out.putTimestamp((LocalDateTime) v);
            }
          };
      case TIMESTAMP_TZ ->
          (v, out) -> {
            if (!out.putSpecial(v)) {
              OffsetDateTime ts = (OffsetDateTime) v;
              out.putTimestamp(ts.toLocalDateTime());
              out.putOffset(ts.getOffset());
            }
          };
      case ARRAY ->
          (v, out) -> {
            StringBuilder literal = new StringBuilder(64);
            appendArrayLiteral(literal, (List<?>) v, type.elementType());
            out.putEscaped(literal);
          };
      case MAP, ROW -> (v, out) -> out.putEscaped(JsonValues.toJson(v, type));
    };
  }

  /**
   * A PostgreSQL array literal: {@code {1,2,NULL}}, {@code {"a","b \"q\""}}, nested lists as a
   * multi-dimensional array {@code {{1,2},{3,4}}} (the server requires them rectangular).
   */
  static void appendArrayLiteral(StringBuilder sb, List<?> list, DataType elementType) {
    sb.append('{');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object e = list.get(i);
      if (e == null) {
        sb.append("NULL");
      } else if (elementType.kind() == io.ferry.spi.TypeKind.ARRAY) {
        appendArrayLiteral(sb, (List<?>) e, elementType.elementType());
      } else {
        switch (elementType.kind()) {
          case BOOLEAN, INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, DECIMAL ->
              sb.append(e instanceof BigDecimal d ? d.toPlainString() : e.toString());
          default -> {
            sb.append('"');
            String text = elementText(e, elementType);
            for (int k = 0; k < text.length(); k++) {
              char ch = text.charAt(k);
              if (ch == '"' || ch == '\\') {
                sb.append('\\');
              }
              sb.append(ch);
            }
            sb.append('"');
          }
        }
      }
    }
    sb.append('}');
  }

  private static final ThreadLocal<CopyTextEncoder> ELEMENT_TEXT =
      ThreadLocal.withInitial(
          () -> new CopyTextEncoder(Schema.of(io.ferry.spi.Column.of("e", DataType.STRING))));

  /** An array element's text as the server's input function for the element type reads it. */
  private static String elementText(Object e, DataType type) {
    return switch (type.kind()) {
      case STRING, JSON -> (String) e;
      case BYTES -> "\\x" + java.util.HexFormat.of().formatHex((byte[]) e);
      case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> {
        CopyTextEncoder scratch = ELEMENT_TEXT.get();
        scratch.reset();
        encoderFor(type, false).encode(e, scratch);
        yield new String(
            scratch.buffer, 0, scratch.length, java.nio.charset.StandardCharsets.US_ASCII);
      }
      case MAP, ROW -> JsonValues.toJson(e, type);
      default -> e.toString();
    };
  }

  // ---- primitive writes -------------------------------------------------------------------
  //
  // Each value reserves its worst-case length once (ensure) and then writes into the array
  // without further checks: the per-byte capacity checks and calls were most of the encoder's
  // cost in the profile. Numbers are written two digits at a time from a table, in int arithmetic
  // where the value fits (int division is cheaper than long division).

  /** "00" to "99": the two digits of i at 2i and 2i+1. */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  /** 10^0 to 10^18. */
  private static final long[] POW10 = new long[19];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /** Room for at least {@code extra} more bytes. */
  private void ensure(int extra) {
    if (extra > buffer.length - length) {
      grow(extra);
    }
  }

  private void grow(int extra) {
    long needed = (long) length + extra;
    if (needed > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the value does not fit one COPY buffer (2 GB)");
    }
    buffer =
        Arrays.copyOf(
            buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(buffer.length * 2L, needed)));
  }

  void put(byte b) {
    if (length == buffer.length) {
      ensure(1);
    }
    buffer[length++] = b;
  }

  void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  /** Text known to be ASCII without characters COPY escapes (numbers). */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is the low byte of each char
  void putAscii(String s) {
    int n = s.length();
    ensure(n);
    // For a Latin-1 string (every ASCII string) this is one array copy.
    s.getBytes(0, n, buffer, length);
    length += n;
  }

  /** Decimal digits of {@code v >= 0}. */
  static int digitCount(long v) {
    if (v < 10) {
      return 1;
    }
    // log10 from the bit length (1233/4096 ~ log10(2)), corrected by one comparison.
    int t = ((64 - Long.numberOfLeadingZeros(v)) * 1233) >>> 12;
    return t >= POW10.length || v >= POW10[t] ? t + 1 : t;
  }

  /** Writes the digits of {@code v >= 0} so that the last one is at {@code end - 1}. */
  private static void writeDigits(byte[] b, int end, long v) {
    int p = end;
    while (v > Integer.MAX_VALUE) {
      long q = v / 100;
      int r = (int) (v - q * 100) << 1;
      b[--p] = DIGIT_PAIRS[r + 1];
      b[--p] = DIGIT_PAIRS[r];
      v = q;
    }
    int i = (int) v;
    while (i >= 100) {
      int q = i / 100;
      int r = (i - q * 100) << 1;
      b[--p] = DIGIT_PAIRS[r + 1];
      b[--p] = DIGIT_PAIRS[r];
      i = q;
    }
    if (i >= 10) {
      b[--p] = DIGIT_PAIRS[(i << 1) + 1];
      b[--p] = DIGIT_PAIRS[i << 1];
    } else {
      b[--p] = (byte) ('0' + i);
    }
  }

  /** Writes {@code v >= 0} in exactly {@code width} digits, zero-padded, from {@code p}. */
  private static void writePadded(byte[] b, int p, int v, int width) {
    for (int k = p + width - 1; k >= p; k--) {
      b[k] = (byte) ('0' + v % 10);
      v /= 10;
    }
  }

  /** Writes the two digits of {@code 0 <= v < 100} at {@code p}. */
  private static void write2(byte[] b, int p, int v) {
    b[p] = DIGIT_PAIRS[v << 1];
    b[p + 1] = DIGIT_PAIRS[(v << 1) + 1];
  }

  void putLong(long v) {
    ensure(20);
    byte[] b = buffer;
    int p = length;
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        putAscii("-9223372036854775808");
        return;
      }
      b[p++] = '-';
      v = -v;
    }
    int end = p + digitCount(v);
    writeDigits(b, end, v);
    length = end;
  }

  /**
   * {@link BigDecimal#toPlainString()} without its Strings when the unscaled value fits a long (18
   * digits or fewer, which covers numeric(18,s) and the usual money columns): {@code
   * unscaledValue()} of such a value is a small BigInteger, the digits are written directly. Larger
   * values and extreme scales take {@code toPlainString}.
   */
  void putDecimal(BigDecimal d) {
    int scale = d.scale();
    if (scale < -MAX_FAST_SCALE || scale > MAX_FAST_SCALE || d.precision() > 18) {
      putAscii(d.toPlainString());
      return;
    }
    long unscaled = d.unscaledValue().longValue();
    if (scale == 0) {
      putLong(unscaled);
      return;
    }
    if (unscaled == 0 && scale < 0) {
      put((byte) '0'); // toPlainString of 0E+3 is "0", not "0000"
      return;
    }
    // sign, 18 digits, "0." and up to MAX_FAST_SCALE zeros
    ensure(21 + MAX_FAST_SCALE);
    byte[] b = buffer;
    int p = length;
    if (unscaled < 0) {
      b[p++] = '-';
      unscaled = -unscaled;
    }
    int digits = digitCount(unscaled);
    if (scale < 0) {
      // no decimal point: the digits, then -scale zeros
      writeDigits(b, p + digits, unscaled);
      p += digits;
      Arrays.fill(b, p, p - scale, (byte) '0');
      length = p - scale;
    } else if (digits > scale) {
      // the point inside the digits: 123.45
      int point = p + digits - scale;
      long factor = POW10[scale];
      long whole = unscaled / factor;
      writeDigits(b, point, whole);
      b[point] = '.';
      writePaddedLong(b, point + 1, unscaled - whole * factor, scale);
      length = point + 1 + scale;
    } else {
      // 0.00123: "0.", scale - digits zeros, the digits
      b[p++] = '0';
      b[p++] = '.';
      Arrays.fill(b, p, p + scale - digits, (byte) '0');
      p += scale - digits;
      writeDigits(b, p + digits, unscaled);
      length = p + digits;
    }
  }

  private static final int MAX_FAST_SCALE = 64;

  /** {@code v >= 0} in exactly {@code width <= 18} digits, zero-padded, from {@code p}. */
  private static void writePaddedLong(byte[] b, int p, long v, int width) {
    int end = p + width;
    int digits = digitCount(v);
    Arrays.fill(b, p, end - digits, (byte) '0');
    writeDigits(b, end, v);
  }

  /**
   * Writes an infinity or the end of a day (see {@link io.ferry.spi.TypeKind}) as the server's own
   * text, {@code infinity}, {@code -infinity} or {@code 24:00:00}; false, having written nothing,
   * for any other value.
   */
  boolean putSpecial(Object value) {
    String special = Values.specialText(value);
    if (special == null) {
      return false;
    }
    putAscii(special);
    return true;
  }

  /** Longest date: a 10-digit year (BC), -MM-DD and " BC". */
  private static final int DATE_MAX = 10 + 6 + 3;

  /** Longest time: HH:MM:SS.fffffffff */
  private static final int TIME_MAX = 18;

  void putDate(LocalDate d) {
    ensure(DATE_MAX);
    length = writeDate(buffer, length, d);
  }

  void putTime(LocalTime t) {
    ensure(TIME_MAX);
    length = writeTime(buffer, length, t);
  }

  /** {@code yyyy-mm-dd hh:mm:ss[.fffffffff]}, one capacity check for the whole value. */
  void putTimestamp(LocalDateTime ts) {
    ensure(DATE_MAX + 1 + TIME_MAX);
    byte[] b = buffer;
    int p = writeDate(b, length, ts.toLocalDate());
    b[p++] = ' ';
    length = writeTime(b, p, ts.toLocalTime());
  }

  /** ISO date; years before 1 are written the server's way, {@code 0044-03-15 BC}. */
  private static int writeDate(byte[] b, int p, LocalDate d) {
    int year = d.getYear();
    boolean bc = year <= 0;
    int y = bc ? 1 - year : year;
    if (y > 9999) {
      int digits = digitCount(y);
      writeDigits(b, p + digits, y);
      p += digits;
    } else {
      write2(b, p, y / 100);
      write2(b, p + 2, y % 100);
      p += 4;
    }
    b[p] = '-';
    write2(b, p + 1, d.getMonthValue());
    b[p + 3] = '-';
    write2(b, p + 4, d.getDayOfMonth());
    p += 6;
    if (bc) {
      b[p++] = ' ';
      b[p++] = 'B';
      b[p++] = 'C';
    }
    return p;
  }

  /**
   * {@code HH:MM:SS[.fffffffff]}, trailing zeros of the fraction dropped; the server rounds digits
   * beyond its precision (microseconds).
   */
  private static int writeTime(byte[] b, int p, LocalTime t) {
    write2(b, p, t.getHour());
    b[p + 2] = ':';
    write2(b, p + 3, t.getMinute());
    b[p + 5] = ':';
    write2(b, p + 6, t.getSecond());
    p += 8;
    int nanos = t.getNano();
    if (nanos != 0) {
      // Milli- and microsecond values (the usual ones) are cut to width in one division.
      int width = 9;
      if (nanos % 1_000_000 == 0) {
        nanos /= 1_000_000;
        width = 3;
      } else if (nanos % 1000 == 0) {
        nanos /= 1000;
        width = 6;
      }
      while (nanos % 10 == 0) {
        nanos /= 10;
        width--;
      }
      b[p++] = '.';
      writePadded(b, p, nanos, width);
      p += width;
    }
    return p;
  }

  void putOffset(ZoneOffset offset) {
    ensure(9);
    byte[] b = buffer;
    int p = length;
    int total = offset.getTotalSeconds();
    b[p++] = (byte) (total < 0 ? '-' : '+');
    total = Math.abs(total);
    write2(b, p, total / 3600);
    b[p + 2] = ':';
    write2(b, p + 3, (total / 60) % 60);
    p += 5;
    if (total % 60 != 0) {
      b[p] = ':';
      write2(b, p + 1, total % 60);
      p += 3;
    }
    length = p;
  }

  /** bytea in hex form, {@code \x0aff}, with its backslash escaped for COPY: {@code \\x0aff}. */
  void putBytea(byte[] bytes) {
    ensure(3 + 2 * bytes.length);
    byte[] b = buffer;
    int p = length;
    b[p++] = '\\';
    b[p++] = '\\';
    b[p++] = 'x';
    for (byte x : bytes) {
      b[p++] = HEX[(x >> 4) & 0xf];
      b[p++] = HEX[x & 0xf];
    }
    length = p;
  }

  /** Text of an array literal or a JSON document (not on the hot path). */
  void putEscaped(CharSequence s) {
    putEscaped(s.toString());
  }

  private static final boolean[] SPECIAL = new boolean[256];

  static {
    for (int x : new int[] {0, '\t', '\n', '\r', '\\', '?'}) {
      SPECIAL[x] = true;
    }
  }

  /**
   * UTF-8 of {@code s} with COPY's escapes for backslash, tab, LF and CR.
   *
   * <p>Fast path: {@code getBytes(UTF_8)} of an ASCII string is one vectorized check and copy in
   * the JDK (and a non-ASCII one is encoded there too), which measured 2–3× faster than encoding
   * char by char with {@code charAt}, its one short-lived array included. The bytes are then
   * scanned with one table look-up each; the run before the first byte that needs attention is
   * copied in one go. Multi-byte UTF-8 sequences hold no byte below 0x80, so the scan cannot
   * mistake them for an escape. U+0000 and '?' (the encoder's replacement for a lone surrogate,
   * which must be refused rather than written) send the string to {@link #putEscapedSlow}, which
   * refuses what must be refused with the character's position.
   */
  void putEscaped(String s) {
    byte[] u = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int m = u.length;
    int k = 0;
    boolean[] special = SPECIAL;
    while (k < m && !special[u[k] & 0xff]) {
      k++;
    }
    ensure((int) Math.min(Integer.MAX_VALUE, 2L * m - k));
    byte[] b = buffer;
    int p = length;
    System.arraycopy(u, 0, b, p, k);
    p += k;
    for (; k < m; k++) {
      byte x = u[k];
      if (!special[x & 0xff]) {
        b[p++] = x;
        continue;
      }
      switch (x) {
        case '\\' -> {
          b[p++] = '\\';
          b[p++] = '\\';
        }
        case '\t' -> {
          b[p++] = '\\';
          b[p++] = 't';
        }
        case '\n' -> {
          b[p++] = '\\';
          b[p++] = 'n';
        }
        case '\r' -> {
          b[p++] = '\\';
          b[p++] = 'r';
        }
        default -> {
          // U+0000 or '?': the precise path decides (refuses, or writes the same bytes).
          putEscapedSlow(s);
          return;
        }
      }
    }
    length = p;
  }

  private static IllegalArgumentException nul(int i) {
    return new IllegalArgumentException(
        "the text holds the character U+0000 at character "
            + i
            + ", which PostgreSQL text, json and arrays cannot store");
  }

  private static IllegalArgumentException loneSurrogate(char ch, int i) {
    return new IllegalArgumentException(
        "the text holds a lone surrogate U+"
            + Integer.toHexString(ch).toUpperCase(java.util.Locale.ROOT)
            + " at character "
            + i
            + ", which UTF-8 cannot encode");
  }

  /**
   * Refuses, as {@link #putEscapedSlow} does and with its messages, text holding U+0000 or a lone
   * surrogate; returns for any other text. For writers that send text unescaped (binary COPY).
   */
  static void refuseUnencodable(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch == 0) {
        throw nul(i);
      }
      if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        throw loneSurrogate(ch, i);
      }
    }
  }

  /** Characters per capacity check of long strings in {@link #putEscapedSlow}. */
  private static final int CHUNK = 1 << 16;

  /**
   * {@link #putEscaped(String)} char by char, for strings holding U+0000 or '?'. U+0000 and lone
   * surrogates are refused here, naming the column, rather than by the server, whose error names
   * only the COPY line. Capacity is reserved for the worst case (4 bytes a char: an escape is 2,
   * other BMP chars 3, a surrogate pair 4 for two chars) once per string, or per {@value #CHUNK}
   * chars of a long one.
   */
  void putEscapedSlow(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      int end = i + Math.min(n - i, CHUNK);
      ensure(4 * (end - i));
      byte[] b = buffer;
      int p = length;
      while (i < end) {
        char ch = s.charAt(i);
        if (ch >= 0x20 && ch < 0x80 && ch != '\\') {
          b[p++] = (byte) ch;
          i++;
          continue;
        }
        if (ch < 0x80) {
          switch (ch) {
            case 0 -> throw nul(i);
            case '\\' -> {
              b[p++] = '\\';
              b[p++] = '\\';
            }
            case '\t' -> {
              b[p++] = '\\';
              b[p++] = 't';
            }
            case '\n' -> {
              b[p++] = '\\';
              b[p++] = 'n';
            }
            case '\r' -> {
              b[p++] = '\\';
              b[p++] = 'r';
            }
            default -> b[p++] = (byte) ch;
          }
        } else if (ch < 0x800) {
          b[p++] = (byte) (0xc0 | (ch >> 6));
          b[p++] = (byte) (0x80 | (ch & 0x3f));
        } else if (Character.isHighSurrogate(ch)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          // May take the char after this chunk's end: the 4 bytes reserved for ch suffice.
          int cp = Character.toCodePoint(ch, s.charAt(++i));
          b[p++] = (byte) (0xf0 | (cp >> 18));
          b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          b[p++] = (byte) (0x80 | (cp & 0x3f));
        } else if (Character.isSurrogate(ch)) {
          throw loneSurrogate(ch, i);
        } else {
          b[p++] = (byte) (0xe0 | (ch >> 12));
          b[p++] = (byte) (0x80 | ((ch >> 6) & 0x3f));
          b[p++] = (byte) (0x80 | (ch & 0x3f));
        }
        i++;
      }
      length = p;
    }
  }
}
