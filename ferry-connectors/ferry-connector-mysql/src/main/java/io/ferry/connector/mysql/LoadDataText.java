package io.ferry.connector.mysql;

import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
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
 * <p>A value the target cannot hold exactly (NaN, an infinity or a date outside the years 0001 to
 * 9999, fractional seconds finer than the column keeps, a lone surrogate) rejects the whole row:
 * {@link #addRow} leaves the buffer as it was and throws {@link RejectedValue} naming the column.
 */
final class LoadDataText {
  private static final byte[] NULL = {'\\', 'N'};
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };
  private static final long[] LONG_POW10 = new long[19];
  private static final byte[] MIN_LONG =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  /** Tens and ones digit of 0..99, to write numbers two digits at a time. */
  private static final byte[] TENS = new byte[100];

  private static final byte[] ONES = new byte[100];

  /** The letter after the backslash for the ASCII chars that are escaped, else 0. */
  private static final byte[] ESCAPES = new byte[128];

  static {
    LONG_POW10[0] = 1;
    for (int k = 1; k < LONG_POW10.length; k++) {
      LONG_POW10[k] = LONG_POW10[k - 1] * 10;
    }
    for (int k = 0; k < 100; k++) {
      TENS[k] = (byte) ('0' + k / 10);
      ONES[k] = (byte) ('0' + k % 10);
    }
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
    ESCAPES['\\'] = '\\';
    ESCAPES[0] = '0';
  }

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
    int last = kinds.length - 1;
    try {
      for (int c = 0; c <= last; c++) {
        Object v = values[offset + c];
        // Every value reserves room for itself and the byte after it (tab or newline) with one
        // ensure(): the terminator below needs no check of its own.
        if (v == null) {
          ensure(NULL.length + 1);
          buf[length++] = '\\';
          buf[length++] = 'N';
        } else {
          field(c, v);
        }
        buf[length++] = c == last ? (byte) '\n' : (byte) '\t';
      }
      if (last < 0) {
        put((byte) '\n');
      }
    } catch (RejectedValue e) {
      length = start;
      throw e;
    } catch (RuntimeException e) {
      length = start;
      throw new RejectedValue(-1, null, e.getMessage());
    }
    lines++;
  }

  /** Writes a non-null value, after reserving its worst-case length plus one byte. */
  private void field(int c, Object v) {
    switch (kinds[c]) {
      case STRING, JSON -> string((String) v, c);
      case BOOLEAN -> {
        ensure(2);
        buf[length++] = (Boolean) v ? (byte) '1' : (byte) '0';
      }
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
      case DECIMAL -> decimal((BigDecimal) v);
      case BYTES -> hex((byte[]) v);
      case DATE -> {
        ensure(11);
        date((LocalDate) v, c);
      }
      case TIME -> {
        if (Values.isEndOfDay(v)) {
          ascii(Values.specialText(v));
        } else {
          ensure(16);
          time((LocalTime) v, c);
        }
      }
      case TIMESTAMP -> timestamp((LocalDateTime) v, c);
      case TIMESTAMP_TZ -> {
        LocalDateTime local;
        try {
          local = MySqlTemporal.storableWallClock((OffsetDateTime) v, sessionZone);
        } catch (IllegalArgumentException e) {
          throw new RejectedValue(c, v, e.getMessage());
        }
        timestamp(local, c);
      }
      case ROW, ARRAY, MAP -> string(JsonValues.toJson(v, schema.column(c).type()), c);
    }
  }

  // ---- text ---------------------------------------------------------------------------------

  /**
   * UTF-8 from the chars, escaping what the FIELDS/LINES clauses give meaning to.
   *
   * <p>Fast path: most text is printable ASCII, so the loop looks for runs of chars that are copied
   * as they are (0x20..0x7F except the backslash) and copies each run with one {@link
   * String#getBytes(int, int, byte[], int)}, which for a Latin-1 string (the JDK's compact form of
   * ASCII text) is an array copy. Only escapes, other control characters and non-ASCII chars are
   * handled one at a time. That deprecated method keeps the low 8 bits of each char: exactly the
   * byte for the chars of a run, and the run never holds any other.
   */
  @SuppressWarnings("deprecation")
  private void string(String s, int column) {
    int n = s.length();
    // Worst case 3 bytes a char: an escape is 2, a BMP char 3, a surrogate pair 4 for 2 chars.
    ensure(3 * n + 1);
    byte[] b = buf;
    int p = length;
    int i = 0;
    while (true) {
      int run = i;
      while (i < n && plain(s.charAt(i))) {
        i++;
      }
      if (i > run) {
        s.getBytes(run, i, b, p);
        p += i - run;
      }
      if (i == n) {
        break;
      }
      char ch = s.charAt(i);
      if (ch < 0x80) {
        byte escape = ESCAPES[ch];
        if (escape != 0) {
          b[p++] = '\\';
          b[p++] = escape;
        } else {
          b[p++] = (byte) ch;
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
      i++;
    }
    length = p;
  }

  /** A char written as its own single byte: printable ASCII and DEL, but not the backslash. */
  private static boolean plain(char ch) {
    return (char) (ch - 0x20) < 0x60 && ch != '\\';
  }

  /** Text known to be ASCII without characters to escape (floats). */
  @SuppressWarnings("deprecation")
  private void ascii(String s) {
    int n = s.length();
    ensure(n + 1);
    // The low 8 bits of ASCII chars are their bytes; for a Latin-1 string this is an array copy.
    s.getBytes(0, n, buf, length);
    length += n;
  }

  private void hex(byte[] bytes) {
    ensure(bytes.length * 2 + 1);
    byte[] b = buf;
    int p = length;
    for (byte x : bytes) {
      b[p++] = HEX[(x >> 4) & 0xF];
      b[p++] = HEX[x & 0xF];
    }
    length = p;
  }

  /** Digits written straight into the buffer: no {@code Long.toString} and no String per value. */
  private void integer(long v) {
    // Sign and 19 digits, plus the terminator.
    ensure(21);
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        System.arraycopy(MIN_LONG, 0, buf, length, MIN_LONG.length);
        length += MIN_LONG.length;
        return;
      }
      buf[length++] = '-';
      v = -v;
    }
    int end = length + digitCount(v);
    writeDigits(v, end);
    length = end;
  }

  /** The digits of {@code v} (at least 0) ending just before {@code end}, two at a time. */
  private void writeDigits(long v, int end) {
    byte[] b = buf;
    int p = end;
    while (v >= 100) {
      long q = v / 100;
      int r = (int) (v - q * 100);
      b[--p] = ONES[r];
      b[--p] = TENS[r];
      v = q;
    }
    int r = (int) v;
    b[--p] = ONES[r];
    if (r >= 10) {
      b[--p] = TENS[r];
    }
  }

  /**
   * Decimal digits of {@code v >= 0}, without a division loop: the bit length times log10(2)
   * (1233/4096) is the digit count or one more, and one comparison tells which. {@code v | 1} makes
   * 0 count as one digit and changes no other answer.
   */
  static int digitCount(long v) {
    long w = v | 1;
    int t = ((64 - Long.numberOfLeadingZeros(w)) * 1233) >>> 12;
    return t + 1 - (w < LONG_POW10[t] ? 1 : 0);
  }

  /**
   * What {@link BigDecimal#toPlainString()} writes, without the String: for a value of at most 18
   * digits and a scale of 0 to 18 (every DECIMAL(18, s) and most wider ones) the unscaled value is
   * a long, written digit by digit with the point inserted; anything else goes through {@code
   * toPlainString()}.
   */
  private void decimal(BigDecimal d) {
    int scale = d.scale();
    if (scale < 0 || scale > 18 || d.precision() > 18) {
      ascii(d.toPlainString());
      return;
    }
    // scaleByPowerOfTen only moves the scale (no arithmetic); longValueExact of a scale-0 value
    // of at most 18 digits is its compact long.
    long unscaled = d.scaleByPowerOfTen(scale).longValueExact();
    // Sign, 18 digits, a leading "0", the point, and the terminator.
    ensure(22);
    if (unscaled < 0) {
      buf[length++] = '-';
      unscaled = -unscaled;
    }
    if (scale == 0) {
      int end = length + digitCount(unscaled);
      writeDigits(unscaled, end);
      length = end;
      return;
    }
    // The digits with at least one before the point: 5 at scale 2 is 0.05.
    int digits = Math.max(digitCount(unscaled), scale + 1);
    int end = length + digits + 1;
    long pow = LONG_POW10[scale];
    long integerPart = unscaled / pow;
    long fractionPart = unscaled - integerPart * pow;
    // The fraction, zero-padded to exactly scale digits, after the point.
    byte[] b = buf;
    int p = end;
    for (int k = 0; k < scale; k++) {
      long q = fractionPart / 10;
      b[--p] = (byte) ('0' + (fractionPart - q * 10));
      fractionPart = q;
    }
    b[--p] = '.';
    writeDigits(integerPart, p);
    length = end;
  }

  /** {@code value} (0..99) as two digits. */
  private void twoDigits(int value) {
    buf[length] = TENS[value];
    buf[length + 1] = ONES[value];
    length += 2;
  }

  /** The caller reserved 10 bytes. */
  private void date(LocalDate d, int column) {
    int year = d.getYear();
    if (year < 1 || year > 9999) {
      try {
        MySqlTemporal.checkStorable(d);
      } catch (IllegalArgumentException e) {
        throw new RejectedValue(column, d, e.getMessage());
      }
    }
    twoDigits(year / 100);
    twoDigits(year % 100);
    buf[length++] = '-';
    twoDigits(d.getMonthValue());
    buf[length++] = '-';
    twoDigits(d.getDayOfMonth());
  }

  /** The caller reserved 15 bytes. */
  private void time(LocalTime t, int column) {
    twoDigits(t.getHour());
    buf[length++] = ':';
    twoDigits(t.getMinute());
    buf[length++] = ':';
    twoDigits(t.getSecond());
    fraction(t.getNano(), column, t);
  }

  private void timestamp(LocalDateTime t, int column) {
    // Date, space, time with 6 fraction digits, and the terminator.
    ensure(27);
    date(t.toLocalDate(), column);
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
    buf[length++] = '.';
    int micros = nanos / 1000;
    twoDigits(micros / 10_000);
    twoDigits(micros / 100 % 100);
    twoDigits(micros % 100);
  }

  // ---- buffer -------------------------------------------------------------------------------

  private void put(byte b) {
    ensure(1);
    buf[length++] = b;
  }

  private void ensure(int more) {
    if (length + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
    }
  }
}
