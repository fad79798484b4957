package io.ferry.connector.mysql;

import io.ferry.connector.base.JsonValues;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Rows encoded as the text {@code LOAD DATA ... CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\t'
 * ESCAPED BY '\\' LINES TERMINATED BY '\n'} reads, in one reusable byte buffer (no temporary file,
 * no per-value {@code byte[]}): NULL is {@code \N}; tab, newline, carriage return, backslash and
 * NUL are escaped; strings are written as UTF-8 straight from their chars; bytes are hex (the
 * statement applies {@code UNHEX}); numbers, dates and times are MySQL literals.
 *
 * <p>A value the target cannot hold exactly (NaN, fractional seconds finer than the column keeps, a
 * lone surrogate) rejects the whole row: {@link #addRow} leaves the buffer as it was and throws
 * {@link RejectedValue} naming the column.
 */
final class LoadDataText {
  private static final byte[] NULL = {'\\', 'N'};
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  private final Schema schema;
  private final TypeKind[] kinds;
  private final int[] nanoUnit;
  private final ZoneId sessionZone;
  private byte[] buf = new byte[64 * 1024];
  private int length;
  private int lines;

  /**
   * @param schema the columns of the rows, in the statement's column order
   * @param fractionDigits fractional-second digits each target column keeps (0..6; ignored for
   *     columns that are not times)
   * @param sessionZone the session's {@code time_zone}, which turns {@code timestamp_tz} values
   *     into the wall-clock text MySQL's TIMESTAMP expects
   */
  LoadDataText(Schema schema, int[] fractionDigits, ZoneId sessionZone) {
    this.schema = schema;
    this.kinds = new TypeKind[schema.size()];
    this.nanoUnit = new int[schema.size()];
    for (int c = 0; c < kinds.length; c++) {
      kinds[c] = schema.column(c).type().kind();
      int digits = Math.min(6, Math.max(0, fractionDigits[c]));
      nanoUnit[c] = POW10[9 - digits];
    }
    this.sessionZone = sessionZone;
  }

  /** A value the target column cannot hold exactly; the row was not encoded. */
  static final class RejectedValue extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int column;
    final transient Object value;

    RejectedValue(int column, Object value, String message) {
      super(message, null, false, false);
      this.column = column;
      this.value = value;
    }
  }

  /** Bytes encoded so far. */
  int length() {
    return length;
  }

  /** Lines (rows) encoded so far. */
  int lines() {
    return lines;
  }

  void clear() {
    length = 0;
    lines = 0;
  }

  /** The encoded text as a stream for the driver; valid until the next change. */
  InputStream stream() {
    return new ByteArrayInputStream(buf, 0, length);
  }

  /**
   * Appends one row.
   *
   * @param values the row's values, {@code values[offset + c]} for column {@code c}
   * @throws RejectedValue when a value cannot be written exactly; nothing was appended
   */
  void addRow(Object[] values, int offset) {
    int start = length;
    try {
      for (int c = 0; c < kinds.length; c++) {
        if (c > 0) {
          put((byte) '\t');
        }
        Object v = values[offset + c];
        if (v == null) {
          put(NULL);
        } else {
          field(c, v);
        }
      }
      put((byte) '\n');
    } catch (RejectedValue e) {
      length = start;
      throw e;
    } catch (RuntimeException e) {
      length = start;
      throw new RejectedValue(-1, null, e.getMessage());
    }
    lines++;
  }

  private void field(int c, Object v) {
    switch (kinds[c]) {
      case STRING, JSON -> string((String) v, c);
      case BOOLEAN -> put((Boolean) v ? (byte) '1' : (byte) '0');
      case INT8, INT16, INT32 -> integer(((Number) v).intValue());
      case INT64 -> integer((Long) v);
      case FLOAT32 -> {
        float f = (Float) v;
        if (Float.isNaN(f) || Float.isInfinite(f)) {
          throw new RejectedValue(c, v, f + " cannot be stored in MySQL");
        }
        ascii(Float.toString(f));
      }
      case FLOAT64 -> {
        double d = (Double) v;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new RejectedValue(c, v, d + " cannot be stored in MySQL");
        }
        ascii(Double.toString(d));
      }
      case DECIMAL -> ascii(((BigDecimal) v).toPlainString());
      case BYTES -> hex((byte[]) v);
      case DATE -> date((LocalDate) v, c);
      case TIME -> time((LocalTime) v, c);
      case TIMESTAMP -> timestamp((LocalDateTime) v, c);
      case TIMESTAMP_TZ ->
          timestamp(((OffsetDateTime) v).atZoneSameInstant(sessionZone).toLocalDateTime(), c);
      case ROW, ARRAY, MAP -> string(JsonValues.toJson(v, schema.column(c).type()), c);
    }
  }

  // ---- text ---------------------------------------------------------------------------------

  /** UTF-8 from the chars, escaping what the FIELDS/LINES clauses give meaning to. */
  private void string(String s, int column) {
    int n = s.length();
    ensure(n * 3);
    byte[] b = buf;
    int p = length;
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        switch (ch) {
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
          case '\\' -> {
            b[p++] = '\\';
            b[p++] = '\\';
          }
          case 0 -> {
            b[p++] = '\\';
            b[p++] = '0';
          }
          default -> b[p++] = (byte) ch;
        }
      } else if (ch < 0x800) {
        b[p++] = (byte) (0xC0 | (ch >> 6));
        b[p++] = (byte) (0x80 | (ch & 0x3F));
      } else if (Character.isSurrogate(ch)) {
        char low = i + 1 < n ? s.charAt(i + 1) : 0;
        if (!Character.isHighSurrogate(ch) || !Character.isLowSurrogate(low)) {
          length = p;
          throw new RejectedValue(
              column, s, "contains an unpaired UTF-16 surrogate at index " + i + " (not Unicode)");
        }
        int cp = Character.toCodePoint(ch, low);
        i++;
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        b[p++] = (byte) (0xE0 | (ch >> 12));
        b[p++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (ch & 0x3F));
      }
    }
    length = p;
  }

  /** Text known to be ASCII without characters to escape (numbers). */
  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[length++] = (byte) s.charAt(i);
    }
  }

  private void hex(byte[] bytes) {
    ensure(bytes.length * 2);
    for (byte x : bytes) {
      buf[length++] = HEX[(x >> 4) & 0xF];
      buf[length++] = HEX[x & 0xF];
    }
  }

  private void integer(long v) {
    if (v == Long.MIN_VALUE) {
      ascii("-9223372036854775808");
      return;
    }
    ensure(20);
    if (v < 0) {
      buf[length++] = '-';
      v = -v;
    }
    int end = length + digitCount(v);
    for (int p = end - 1; p >= length; p--) {
      buf[p] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    length = end;
  }

  private static int digitCount(long v) {
    int n = 1;
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }

  /** {@code value} with exactly {@code width} digits, zero-padded. */
  private void digits(int value, int width) {
    for (int p = length + width - 1; p >= length; p--) {
      buf[p] = (byte) ('0' + (value % 10));
      value /= 10;
    }
    length += width;
  }

  private void date(LocalDate d, int column) {
    int year = d.getYear();
    if (year < 0 || year > 9999) {
      throw new RejectedValue(column, d, d + " is outside MySQL's years 0000-9999");
    }
    ensure(10);
    digits(year, 4);
    buf[length++] = '-';
    digits(d.getMonthValue(), 2);
    buf[length++] = '-';
    digits(d.getDayOfMonth(), 2);
  }

  private void time(LocalTime t, int column) {
    ensure(15);
    digits(t.getHour(), 2);
    buf[length++] = ':';
    digits(t.getMinute(), 2);
    buf[length++] = ':';
    digits(t.getSecond(), 2);
    fraction(t.getNano(), column, t);
  }

  private void timestamp(LocalDateTime t, int column) {
    date(t.toLocalDate(), column);
    ensure(1);
    buf[length++] = ' ';
    time(t.toLocalTime(), column);
  }

  /** Microseconds at most, and no finer than the column keeps: MySQL would round silently. */
  private void fraction(int nanos, int column, Object value) {
    if (nanos == 0) {
      return;
    }
    if (nanos % nanoUnit[column] != 0) {
      int digits = 9 - String.valueOf(nanoUnit[column]).length() + 1;
      throw new RejectedValue(
          column,
          value,
          value + " has more fractional-second digits than the column keeps (" + digits + ")");
    }
    ensure(7);
    buf[length++] = '.';
    digits(nanos / 1000, 6);
  }

  // ---- buffer -------------------------------------------------------------------------------

  private void put(byte b) {
    ensure(1);
    buf[length++] = b;
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, length, bytes.length);
    length += bytes.length;
  }

  private void ensure(int more) {
    if (length + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
    }
  }
}
