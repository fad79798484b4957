package io.ferry.connector.postgresql;

import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Encodes rows as PostgreSQL {@code COPY ... FROM STDIN (FORMAT binary)} into one reusable byte
 * buffer, for targets whose every column has a type this encoder writes exactly ({@link
 * #encoderFor}); any other target is written by {@link CopyTextEncoder}.
 *
 * <p>Why: the server's text input functions were most of what a COPY costs it. Loading the bench's
 * 2,000,000 {@code orders} rows took a PostgreSQL backend ~6.0–7.3 CPU-s from text and ~4.5 s from
 * binary (same rows, same order; bench/README.md): {@code timestamp_in}, {@code numeric_in} and
 * {@code int8in} parse digits, their binary counterparts copy a few bytes. Encoding costs the
 * client about the same either way (0.4–0.5 µs a row, {@code CopyTextEncoderBench encode|binary});
 * binary sends ~16 % more bytes.
 *
 * <p>Exactness: the server applies the same column checks to binary input as to text ({@code
 * varchar(n)} and {@code bpchar(n)} lengths, numeric precision and scale, time and timestamp
 * precision, UTF-8 validity), so the stored value is the one the text path stores. Where that could
 * differ this encoder does not guess: a value it cannot write exactly as the server would read its
 * text — a fraction of a microsecond (the server rounds text), a date or timestamp outside the
 * years {@value #MIN_YEAR}..{@value #MAX_YEAR} (infinity included), a numeric beyond 16-bit digit
 * counts — throws {@link NeedsText}, and the writer copies the buffer again as text and stays with
 * text. Text the text path refuses (U+0000, a lone surrogate) is refused with the same message.
 *
 * <p>Not thread-safe: one encoder per writer.
 */
final class CopyBinaryEncoder implements CopyEncoder {
  /** The 11-byte signature, then flags and header-extension length, both 0. */
  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for dates and timestamps, in Unix seconds. */
  private static final long PG_EPOCH_SECONDS = 946_684_800L;

  private static final long PG_EPOCH_DAYS = 10_957L;

  /** The years written in binary; dates and timestamps outside go as text (see class comment). */
  static final int MIN_YEAR = -4712;

  static final int MAX_YEAR = 294_276;

  /** Encodes one non-null value: its 4-byte length, then its bytes. */
  @FunctionalInterface
  interface ValueEncoder {
    void encode(Object value, CopyBinaryEncoder out);
  }

  /** A value binary cannot carry exactly as text would: copy the rows as text instead. */
  static final class NeedsText extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NeedsText(String message) {
      super(message, null, false, false);
    }
  }

  private final ValueEncoder[] encoders;
  private final short columns;
  private byte[] buffer = new byte[64 * 1024];
  private int length;
  private final int[] groups = new int[8];

  CopyBinaryEncoder(List<ValueEncoder> encoders) {
    this.encoders = encoders.toArray(new ValueEncoder[0]);
    this.columns = (short) encoders.size();
  }

  /**
   * The encoder of a value of Ferry type {@code type} into a column of PostgreSQL type {@code
   * typeName}, or null when that pair is left to text: only pairs whose binary value is the one the
   * server would read from the text are here (no widening of floats, no narrowing of integers, no
   * string into a non-text type).
   */
  static ValueEncoder encoderFor(String typeName, DataType type) {
    String t = typeName.toLowerCase(Locale.ROOT);
    return switch (type.kind()) {
      case BOOLEAN -> t.equals("bool") ? (v, out) -> out.putBoolean((Boolean) v) : null;
      case INT8, INT16 ->
          switch (t) {
            case "int2" -> (v, out) -> out.putInt16(((Number) v).shortValue());
            case "int4" -> (v, out) -> out.putInt32(((Number) v).intValue());
            case "int8" -> (v, out) -> out.putInt64(((Number) v).longValue());
            default -> null;
          };
      case INT32 ->
          switch (t) {
            case "int4" -> (v, out) -> out.putInt32(((Number) v).intValue());
            case "int8" -> (v, out) -> out.putInt64(((Number) v).longValue());
            default -> null;
          };
      case INT64 -> t.equals("int8") ? (v, out) -> out.putInt64(((Number) v).longValue()) : null;
      case FLOAT32 ->
          t.equals("float4") ? (v, out) -> out.putInt32(Float.floatToRawIntBits((Float) v)) : null;
      case FLOAT64 ->
          t.equals("float8")
              ? (v, out) -> out.putInt64(Double.doubleToRawLongBits((Double) v))
              : null;
      case DECIMAL -> t.equals("numeric") ? (v, out) -> out.putNumeric((BigDecimal) v) : null;
      case STRING ->
          t.equals("text") || t.equals("varchar") || t.equals("bpchar")
              ? (v, out) -> out.putText((String) v)
              : null;
      case BYTES -> t.equals("bytea") ? (v, out) -> out.putBytes((byte[]) v) : null;
      case DATE -> t.equals("date") ? (v, out) -> out.putDate((LocalDate) v) : null;
      case TIME -> t.equals("time") ? (v, out) -> out.putTime((LocalTime) v) : null;
      case TIMESTAMP ->
          t.equals("timestamp") ? (v, out) -> out.putTimestamp((LocalDateTime) v) : null;
      case TIMESTAMP_TZ ->
          t.equals("timestamptz") ? (v, out) -> out.putTimestampTz((OffsetDateTime) v) : null;
      default -> null;
    };
  }

  @Override
  public void start() {
    length = 0;
    put(HEADER, 0, HEADER.length);
  }

  /** The trailer: a field count of -1. */
  @Override
  public void finish() {
    ensure(2);
    buffer[length++] = (byte) 0xff;
    buffer[length++] = (byte) 0xff;
  }

  /**
   * Appends one tuple; on an {@link CopyTextEncoder.EncodeException} the buffer is as before the
   * call. {@link NeedsText} leaves the buffer undefined (the COPY is abandoned).
   */
  @Override
  public void appendRow(CopyTextEncoder.Values2D rows, int row) {
    int mark = length;
    ValueEncoder[] enc = encoders;
    ensure(2);
    buffer[length] = (byte) (columns >> 8);
    buffer[length + 1] = (byte) columns;
    length += 2;
    for (int c = 0; c < enc.length; c++) {
      Object value = rows.get(row, c);
      if (value == null) {
        ensure(4);
        Arrays.fill(buffer, length, length + 4, (byte) 0xff);
        length += 4;
      } else {
        try {
          enc[c].encode(value, this);
        } catch (NeedsText e) {
          throw e;
        } catch (RuntimeException e) {
          length = mark;
          throw new CopyTextEncoder.EncodeException(c, String.valueOf(e.getMessage()));
        }
      }
    }
  }

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

  // ---- values: each writes its 4-byte length, then the value --------------------------------

  private void ensure(int extra) {
    if (extra > buffer.length - length) {
      long needed = (long) length + extra;
      if (needed > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("the value does not fit one COPY buffer (2 GB)");
      }
      buffer =
          Arrays.copyOf(
              buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(buffer.length * 2L, needed)));
    }
  }

  private void put(byte[] bytes, int from, int n) {
    ensure(n);
    System.arraycopy(bytes, from, buffer, length, n);
    length += n;
  }

  private static void int32At(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  private static void int16At(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 8);
    b[p + 1] = (byte) v;
  }

  private static void int64At(byte[] b, int p, long v) {
    int32At(b, p, (int) (v >>> 32));
    int32At(b, p + 4, (int) v);
  }

  void putBoolean(boolean v) {
    ensure(5);
    int32At(buffer, length, 1);
    buffer[length + 4] = (byte) (v ? 1 : 0);
    length += 5;
  }

  void putInt16(short v) {
    ensure(6);
    int32At(buffer, length, 2);
    int16At(buffer, length + 4, v);
    length += 6;
  }

  void putInt32(int v) {
    ensure(8);
    int32At(buffer, length, 4);
    int32At(buffer, length + 4, v);
    length += 8;
  }

  void putInt64(long v) {
    ensure(12);
    int32At(buffer, length, 8);
    int64At(buffer, length + 4, v);
    length += 12;
  }

  void putBytes(byte[] v) {
    ensure(4 + v.length);
    int32At(buffer, length, v.length);
    System.arraycopy(v, 0, buffer, length + 4, v.length);
    length += 4 + v.length;
  }

  /**
   * UTF-8 of {@code s} as it is, no escapes; the server checks it and the column's length as it
   * does text. U+0000 and lone surrogates (which {@code getBytes} turns into {@code ?}) are refused
   * as {@link CopyTextEncoder} refuses them.
   */
  void putText(String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    for (byte x : u) {
      if (x == 0 || x == '?') {
        CopyTextEncoder.refuseUnencodable(s);
        break;
      }
    }
    putBytes(u);
  }

  void putDate(LocalDate d) {
    int year = d.getYear();
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new NeedsText("date " + d);
    }
    ensure(8);
    int32At(buffer, length, 4);
    int32At(buffer, length + 4, (int) (d.toEpochDay() - PG_EPOCH_DAYS));
    length += 8;
  }

  void putTime(LocalTime t) {
    long nanos = t.toNanoOfDay();
    if (nanos % 1000 != 0) {
      throw new NeedsText("time " + t);
    }
    putInt64(nanos / 1000);
  }

  void putTimestamp(LocalDateTime ts) {
    int year = ts.getYear();
    if (year < MIN_YEAR || year > MAX_YEAR || ts.getNano() % 1000 != 0) {
      throw new NeedsText("timestamp " + ts);
    }
    putInt64(
        (ts.toEpochSecond(ZoneOffset.UTC) - PG_EPOCH_SECONDS) * 1_000_000L + ts.getNano() / 1000);
  }

  void putTimestampTz(OffsetDateTime ts) {
    int year = ts.getYear();
    if (year < MIN_YEAR + 1 || year > MAX_YEAR - 1 || ts.getNano() % 1000 != 0) {
      throw new NeedsText("timestamptz " + ts);
    }
    putInt64((ts.toEpochSecond() - PG_EPOCH_SECONDS) * 1_000_000L + ts.getNano() / 1000);
  }

  /** The sign words of numeric's binary form. */
  private static final int NUMERIC_POS = 0x0000;

  private static final int NUMERIC_NEG = 0x4000;

  /** numeric's largest display scale. */
  private static final int NUMERIC_DSCALE_MAX = 0x3FFF;

  private static final long[] POW10 = new long[19];

  static {
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /**
   * numeric's binary form: digit count, weight (of the first base-10000 digit), sign, display
   * scale, then the base-10000 digits. Values whose unscaled value fits a long take an arithmetic
   * path; others go through {@link BigDecimal#toPlainString()}. The display scale is the value's
   * scale (0 for a negative one), as {@code numeric_in} takes it from {@code toPlainString}'s text.
   */
  void putNumeric(BigDecimal d) {
    int scale = d.scale();
    int precision = d.precision();
    if (scale > NUMERIC_DSCALE_MAX) {
      throw new NeedsText("numeric scale " + scale);
    }
    long unscaled;
    int dscale;
    if (scale >= 0 && precision <= 18) {
      unscaled = d.unscaledValue().longValue();
      dscale = scale;
    } else if (scale < 0 && precision - scale <= 18) {
      unscaled = d.unscaledValue().longValue() * POW10[-scale];
      dscale = 0;
    } else {
      putNumericSlow(d);
      return;
    }
    int sign = unscaled < 0 ? NUMERIC_NEG : NUMERIC_POS;
    long u = Math.abs(unscaled);
    int pad = (4 - dscale % 4) % 4;
    if (u != 0 && CopyTextEncoder.digitCount(u) + pad > 18) {
      putNumericSlow(d);
      return;
    }
    u *= POW10[pad];
    int fracGroups = (dscale + pad) / 4;
    int[] g = groups;
    int n = 0;
    while (u != 0) {
      long q = u / 10000;
      g[n++] = (int) (u - q * 10000);
      u = q;
    }
    int lo = 0;
    while (lo < n && g[lo] == 0) {
      lo++;
    }
    int ndigits = n - lo;
    int weight = ndigits == 0 ? 0 : n - 1 - fracGroups;
    ensure(12 + 2 * ndigits);
    byte[] b = buffer;
    int p = length;
    int32At(b, p, 8 + 2 * ndigits);
    int16At(b, p + 4, ndigits);
    int16At(b, p + 6, weight);
    int16At(b, p + 8, sign);
    int16At(b, p + 10, dscale);
    p += 12;
    for (int i = n - 1; i >= lo; i--) {
      int16At(b, p, g[i]);
      p += 2;
    }
    length = p;
  }

  private void putNumericSlow(BigDecimal d) {
    String plain = d.abs().toPlainString();
    int point = plain.indexOf('.');
    String whole = point < 0 ? plain : plain.substring(0, point);
    String fraction = point < 0 ? "" : plain.substring(point + 1);
    int dscale = fraction.length();
    if (dscale > NUMERIC_DSCALE_MAX) {
      throw new NeedsText("numeric scale " + dscale);
    }
    int lead = (4 - whole.length() % 4) % 4;
    int trail = (4 - fraction.length() % 4) % 4;
    StringBuilder digits = new StringBuilder(lead + plain.length() + trail);
    digits.append("000", 0, lead).append(whole).append(fraction).append("000", 0, trail);
    int count = digits.length() / 4;
    int weight = (lead + whole.length()) / 4 - 1;
    int first = 0;
    int last = count - 1;
    while (first <= last && group(digits, first) == 0) {
      first++;
      weight--;
    }
    while (last >= first && group(digits, last) == 0) {
      last--;
    }
    int ndigits = last - first + 1;
    if (ndigits == 0) {
      weight = 0;
    }
    if (ndigits > Short.MAX_VALUE || weight > Short.MAX_VALUE || weight < Short.MIN_VALUE) {
      throw new NeedsText("numeric of " + plain.length() + " digits");
    }
    ensure(12 + 2 * ndigits);
    byte[] b = buffer;
    int p = length;
    int32At(b, p, 8 + 2 * ndigits);
    int16At(b, p + 4, ndigits);
    int16At(b, p + 6, weight);
    int16At(b, p + 8, d.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS);
    int16At(b, p + 10, dscale);
    p += 12;
    for (int i = first; i <= last; i++) {
      int16At(b, p, group(digits, i));
      p += 2;
    }
    length = p;
  }

  private static int group(CharSequence digits, int i) {
    int v = 0;
    for (int k = 4 * i; k < 4 * i + 4; k++) {
      v = v * 10 + (digits.charAt(k) - '0');
    }
    return v;
  }
}
