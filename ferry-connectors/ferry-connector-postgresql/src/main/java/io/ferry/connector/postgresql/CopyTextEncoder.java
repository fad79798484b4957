package io.ferry.connector.postgresql;

import io.ferry.connector.base.JsonValues;
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
 * <p>Hot path: strings are written as UTF-8 character by character straight into the buffer, and
 * integers, dates and times digit by digit, so a row costs no per-value String or byte[] (decimals
 * and floats go through their own {@code toString}, which is cheaper than reimplementing them).
 *
 * <p>Text rather than binary: the server parses text by the <em>target</em> column's type, so a
 * Ferry string lands in a uuid, enum, inet, interval or json column, an int8 in a smallint, a row
 * in jsonb, without the writer knowing type OIDs; and it measured faster to encode (see README).
 *
 * <p>Not thread-safe: one encoder per writer.
 */
final class CopyTextEncoder {
  private static final byte[] NULL = {'\\', 'N'};
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

  /** Appends one row, with its line feed; on failure the buffer is as before the call. */
  void appendRow(Values2D rows, int row) {
    int mark = length;
    ValueEncoder[] enc = encoders;
    for (int c = 0; c < enc.length; c++) {
      if (c > 0) {
        put((byte) '\t');
      }
      Object value = rows.get(row, c);
      if (value == null) {
        put(NULL);
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

  /** Bytes encoded since the last {@link #reset()}. */
  int length() {
    return length;
  }

  byte[] buffer() {
    return buffer;
  }

  /** Forgets the encoded bytes; keeps the buffer. */
  void reset() {
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
      case DECIMAL -> (v, out) -> out.putAscii(((BigDecimal) v).toPlainString());
      case STRING, JSON -> (v, out) -> out.putEscaped((String) v);
      case BYTES -> (v, out) -> out.putBytea((byte[]) v);
      case DATE -> (v, out) -> out.putDate((LocalDate) v);
      case TIME -> (v, out) -> out.putTime((LocalTime) v);
      case TIMESTAMP ->
          (v, out) -> {
            LocalDateTime ts = (LocalDateTime) v;
            out.putDate(ts.toLocalDate());
            out.put((byte) ' ');
            out.putTime(ts.toLocalTime());
          };
      case TIMESTAMP_TZ ->
          (v, out) -> {
            OffsetDateTime ts = (OffsetDateTime) v;
            out.putDate(ts.toLocalDate());
            out.put((byte) ' ');
            out.putTime(ts.toLocalTime());
            out.putOffset(ts.getOffset());
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

  private void ensure(int extra) {
    if (length + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
    }
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
  void putAscii(String s) {
    int n = s.length();
    ensure(n);
    byte[] b = buffer;
    int p = length;
    for (int i = 0; i < n; i++) {
      b[p++] = (byte) s.charAt(i);
    }
    length = p;
  }

  void putLong(long v) {
    ensure(20);
    if (v == Long.MIN_VALUE) {
      putAscii("-9223372036854775808");
      return;
    }
    if (v < 0) {
      buffer[length++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    int end = length + digits;
    int p = end;
    do {
      buffer[--p] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    length = end;
  }

  private void putDigits(int v, int width) {
    ensure(width);
    int p = length + width;
    for (int i = 0; i < width; i++) {
      buffer[--p] = (byte) ('0' + v % 10);
      v /= 10;
    }
    length += width;
  }

  /** ISO date; years before 1 are written the server's way, {@code 0044-03-15 BC}. */
  void putDate(LocalDate d) {
    int year = d.getYear();
    boolean bc = year <= 0;
    int y = bc ? 1 - year : year;
    if (y > 9999) {
      putLong(y);
    } else {
      putDigits(y, 4);
    }
    put((byte) '-');
    putDigits(d.getMonthValue(), 2);
    put((byte) '-');
    putDigits(d.getDayOfMonth(), 2);
    if (bc) {
      putAscii(" BC");
    }
  }

  /**
   * {@code HH:MM:SS[.fffffffff]}, trailing zeros of the fraction dropped; the server rounds digits
   * beyond its precision (microseconds).
   */
  void putTime(LocalTime t) {
    putDigits(t.getHour(), 2);
    put((byte) ':');
    putDigits(t.getMinute(), 2);
    put((byte) ':');
    putDigits(t.getSecond(), 2);
    int nanos = t.getNano();
    if (nanos != 0) {
      int width = 9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        width--;
      }
      put((byte) '.');
      putDigits(nanos, width);
    }
  }

  void putOffset(ZoneOffset offset) {
    int total = offset.getTotalSeconds();
    put((byte) (total < 0 ? '-' : '+'));
    total = Math.abs(total);
    putDigits(total / 3600, 2);
    put((byte) ':');
    putDigits((total / 60) % 60, 2);
    if (total % 60 != 0) {
      put((byte) ':');
      putDigits(total % 60, 2);
    }
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

  /**
   * UTF-8 of {@code s} with COPY's escapes for backslash, tab, LF and CR. U+0000 is refused here,
   * naming the column, rather than by the server, whose error names only the COPY line.
   */
  void putEscaped(CharSequence s) {
    int n = s.length();
    ensure(n + 16);
    byte[] b = buffer;
    int p = length;
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        if (p + 2 > b.length) {
          length = p;
          ensure(2 + 3 * (n - i));
          b = buffer;
        }
        switch (ch) {
          case 0 ->
              throw new IllegalArgumentException(
                  "the text holds the character U+0000 at character "
                      + i
                      + ", which PostgreSQL text, json and arrays cannot store");
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
        continue;
      }
      if (p + 4 > b.length) {
        length = p;
        ensure(4 + 3 * (n - i));
        b = buffer;
      }
      if (ch < 0x800) {
        b[p++] = (byte) (0xc0 | (ch >> 6));
        b[p++] = (byte) (0x80 | (ch & 0x3f));
      } else if (Character.isHighSurrogate(ch)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(ch, s.charAt(++i));
        b[p++] = (byte) (0xf0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(ch)) {
        throw new IllegalArgumentException(
            "the text holds a lone surrogate U+"
                + Integer.toHexString(ch).toUpperCase(java.util.Locale.ROOT)
                + " at character "
                + i
                + ", which UTF-8 cannot encode");
      } else {
        b[p++] = (byte) (0xe0 | (ch >> 12));
        b[p++] = (byte) (0x80 | ((ch >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (ch & 0x3f));
      }
    }
    length = p;
  }
}
