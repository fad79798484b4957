package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The COPY text the encoder writes, byte for byte, for the cases that are easy to get wrong. */
class CopyTextEncoderTest {
  /** One row of one value per type, as the text COPY receives. */
  private static String encode(List<DataType> types, Object... values) {
    CopyTextEncoder encoder =
        new CopyTextEncoder(types.stream().map(t -> CopyTextEncoder.encoderFor(t, false)).toList());
    encoder.appendRow((row, column) -> values[column], 0);
    return new String(encoder.buffer(), 0, encoder.length(), StandardCharsets.UTF_8);
  }

  private static String one(DataType type, Object value) {
    String line = encode(List.of(type), value);
    assertThat(line).endsWith("\n");
    return line.substring(0, line.length() - 1);
  }

  @Test
  void escapesTabNewlineCarriageReturnAndBackslash() {
    assertThat(one(DataType.STRING, "a\tb\nc\rd\\e")).isEqualTo("a\\tb\\nc\\rd\\\\e");
    assertThat(encode(List.of(DataType.STRING, DataType.STRING), "x", "y")).isEqualTo("x\ty\n");
  }

  @Test
  void nullIsBackslashNAndTheTextBackslashNIsEscaped() {
    assertThat(one(DataType.STRING, null)).isEqualTo("\\N");
    assertThat(one(DataType.STRING, "\\N")).isEqualTo("\\\\N");
    assertThat(one(DataType.STRING, "")).isEmpty();
    assertThat(one(DataType.STRING, "NULL")).isEqualTo("NULL");
  }

  @Test
  void writesUtf8BeyondTheBasicPlaneAndRefusesWhatPostgresCannotStore() {
    assertThat(one(DataType.STRING, "caf\u00e9 \u4e2d \uD83D\uDE80"))
        .isEqualTo("caf\u00e9 \u4e2d \uD83D\uDE80");
    assertThatThrownBy(() -> one(DataType.STRING, "a\u0000b"))
        .isInstanceOf(CopyTextEncoder.EncodeException.class)
        .hasMessageContaining("U+0000");
    assertThatThrownBy(() -> one(DataType.STRING, "a\uD800b"))
        .isInstanceOf(CopyTextEncoder.EncodeException.class)
        .hasMessageContaining("lone surrogate U+D800");
  }

  @Test
  void aFailedRowLeavesTheBufferAsItWas() {
    CopyTextEncoder encoder =
        new CopyTextEncoder(
            List.of(
                CopyTextEncoder.encoderFor(DataType.INT64, false),
                CopyTextEncoder.encoderFor(DataType.STRING, false)));
    Object[][] rows = {{1L, "ok"}, {2L, "bad\u0000"}};
    encoder.appendRow((r, c) -> rows[r][c], 0);
    int length = encoder.length();
    assertThatThrownBy(() -> encoder.appendRow((r, c) -> rows[r][c], 1))
        .isInstanceOfSatisfying(
            CopyTextEncoder.EncodeException.class, e -> assertThat(e.column).isEqualTo(1));
    assertThat(encoder.length()).isEqualTo(length);
  }

  @Test
  void byteaIsHexWithItsBackslashEscaped() {
    assertThat(one(DataType.BYTES, new byte[] {0, 0x5c, (byte) 0xff, '\t'}))
        .isEqualTo("\\\\x005cff09");
    assertThat(one(DataType.BYTES, new byte[0])).isEqualTo("\\\\x");
  }

  @Test
  void arraysQuoteEveryTextElementAndKeepNullApartFromTheTextNull() {
    DataType texts = DataType.array(DataType.STRING);
    // The array literal's own backslashes are escaped again for COPY.
    assertThat(one(texts, Arrays.asList("a,b", "q\"uote", null, "", "NULL", "back\\slash")))
        .isEqualTo("{\"a,b\",\"q\\\\\"uote\",NULL,\"\",\"NULL\",\"back\\\\\\\\slash\"}");
    assertThat(one(DataType.array(DataType.INT32), Arrays.asList(1, null, -3)))
        .isEqualTo("{1,NULL,-3}");
    assertThat(one(DataType.array(DataType.INT32), List.of())).isEqualTo("{}");
    assertThat(
            one(
                DataType.array(DataType.decimal(10, 2)),
                List.of(new BigDecimal("1.50"), new BigDecimal("-0.01"))))
        .isEqualTo("{1.50,-0.01}");
    assertThat(
            one(
                DataType.array(DataType.array(DataType.INT32)),
                List.of(List.of(1, 2), List.of(3, 4))))
        .isEqualTo("{{1,2},{3,4}}");
    assertThat(one(texts, List.of("tab\there"))).isEqualTo("{\"tab\\there\"}");
  }

  @Test
  void timestampsWithOffsetsDatesAndTimes() {
    assertThat(one(DataType.TIMESTAMP_TZ, OffsetDateTime.parse("2024-05-01T13:45:00.123456+05:30")))
        .isEqualTo("2024-05-01 13:45:00.123456+05:30");
    assertThat(one(DataType.TIMESTAMP_TZ, OffsetDateTime.parse("1969-12-31T23:59:59-09:30")))
        .isEqualTo("1969-12-31 23:59:59-09:30");
    assertThat(one(DataType.TIMESTAMP_TZ, OffsetDateTime.parse("2024-01-01T00:00:00+00:00:30")))
        .isEqualTo("2024-01-01 00:00:00+00:00:30");
    assertThat(one(DataType.TIMESTAMP_TZ, OffsetDateTime.parse("2024-01-01T00:00:00Z")))
        .isEqualTo("2024-01-01 00:00:00+00:00");
    assertThat(one(DataType.TIMESTAMP, LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4_000)))
        .isEqualTo("2024-02-29 01:02:03.000004");
    assertThat(one(DataType.DATE, LocalDate.of(-43, 3, 15))).isEqualTo("0044-03-15 BC");
    assertThat(one(DataType.DATE, LocalDate.of(1, 1, 1))).isEqualTo("0001-01-01");
    assertThat(one(DataType.TIME, LocalTime.of(23, 59, 59, 999_999_000)))
        .isEqualTo("23:59:59.999999");
    assertThat(one(DataType.TIME, LocalTime.MIDNIGHT)).isEqualTo("00:00:00");
  }

  @Test
  void numbersAndBooleans() {
    assertThat(one(DataType.INT64, Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
    assertThat(one(DataType.INT64, 0L)).isEqualTo("0");
    assertThat(one(DataType.INT8, (byte) -128)).isEqualTo("-128");
    assertThat(one(DataType.decimal(38, 10), new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(one(DataType.decimal(38, 10), new BigDecimal("-0.0000000001")))
        .isEqualTo("-0.0000000001");
    assertThat(one(DataType.FLOAT64, Double.NaN)).isEqualTo("NaN");
    assertThat(one(DataType.FLOAT32, Float.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    assertThat(one(DataType.BOOLEAN, true)).isEqualTo("t");
  }

  // ---- the fast paths: the same bytes as the plain definitions ------------------------------

  @Test
  void stringFastPathEscapesNonAsciiSurrogatePairsAndQuestionMarks() {
    assertThat(one(DataType.STRING, "plain ASCII, \"quotes\" and 'single'"))
        .isEqualTo("plain ASCII, \"quotes\" and 'single'");
    // An escape after a clean run, escapes next to each other, at both ends.
    assertThat(one(DataType.STRING, "\\\tC:\\orders\\inbox\\\n\r"))
        .isEqualTo("\\\\\\tC:\\\\orders\\\\inbox\\\\\\n\\r");
    // Non-ASCII next to escapes: 2-, 3- and 4-byte UTF-8.
    String mixed = "Gr\u00fc\u00dfe\t\u6771\u4eac\n\u2713 \uD83D\uDE00\\fa\u00e7ade";
    assertThat(one(DataType.STRING, mixed))
        .isEqualTo("Gr\u00fc\u00dfe\\t\u6771\u4eac\\n\u2713 \uD83D\uDE00\\\\fa\u00e7ade");
    assertThat(bytes(DataType.STRING, "\uD83D\uDE00"))
        .containsExactly(0xf0, 0x9f, 0x98, 0x80, '\n');
    // '?' is what the JDK writes for a lone surrogate: a real one is written, a lone one refused.
    assertThat(one(DataType.STRING, "why? \u00e9?")).isEqualTo("why? \u00e9?");
    assertThatThrownBy(() -> one(DataType.STRING, "ok? \uDE00"))
        .isInstanceOf(CopyTextEncoder.EncodeException.class)
        .hasMessageContaining("lone surrogate U+DE00 at character 4");
    assertThatThrownBy(() -> one(DataType.STRING, "\uD83D"))
        .hasMessageContaining("lone surrogate U+D83D at character 0");
    assertThatThrownBy(() -> one(DataType.STRING, "\u00e9\t\u0000"))
        .hasMessageContaining("U+0000 at character 2");
    // Other control characters are written as they are, as before.
    assertThat(bytes(DataType.STRING, "\u0001\u001f\u007f")).containsExactly(1, 0x1f, 0x7f, '\n');
  }

  @Test
  void longStringsGrowTheBufferAndCrossTheSlowPathsChunks() {
    // Longer than the initial 64 KB buffer and than a chunk of the char-by-char path ('?').
    String unit = "abc\t\u00e9\uD83D\uDE00?";
    String text = unit.repeat(40_000);
    String expected = "abc\\t\u00e9\uD83D\uDE00?".repeat(40_000);
    assertThat(one(DataType.STRING, text)).isEqualTo(expected);
    // A surrogate pair straddling the slow path's 65,536-char chunk boundary.
    String straddle = "?" + "x".repeat(65_534) + "\uD83D\uDE00y";
    assertThat(one(DataType.STRING, straddle)).isEqualTo(straddle);
  }

  @Test
  void integersDigitByDigit() {
    for (long v :
        new long[] {
          0,
          1,
          -1,
          9,
          10,
          -10,
          99,
          100,
          2_147_483_647L,
          2_147_483_648L,
          -2_147_483_648L,
          999_999_999_999_999_999L,
          1_000_000_000_000_000_000L,
          Long.MAX_VALUE,
          Long.MIN_VALUE + 1
        }) {
      assertThat(one(DataType.INT64, v)).isEqualTo(Long.toString(v));
    }
    assertThat(one(DataType.INT32, Integer.MIN_VALUE)).isEqualTo("-2147483648");
    assertThat(one(DataType.INT16, (short) -32768)).isEqualTo("-32768");
    for (long p = 1, k = 0; k < 19; k++, p *= 10) {
      assertThat(CopyTextEncoder.digitCount(p)).isEqualTo(k + 1);
      assertThat(CopyTextEncoder.digitCount(p - 1)).isEqualTo(Math.max(1, k));
    }
  }

  @Test
  void decimalsAsToPlainStringWithAndWithoutTheFastPath() {
    DataType dec = DataType.decimal(38, 10);
    for (String v :
        new String[] {
          "0",
          "0.00",
          "0E+3",
          "0E-7",
          "123.45",
          "-123.45",
          "0.05",
          "-0.05",
          "0.000123",
          "-0.000123",
          "1E+3",
          "-12E+5",
          "12345678901234567.8",
          "-999999999999999999",
          "9.99999999999999999",
          "1E-64",
          "1E+64",
          "1E-65",
          "1E+65",
          "-1E-100",
          "5E+200",
          // unscaled values beyond a long: toPlainString
          "123456789012345678901234567890.123456789",
          "-9223372036854775808",
          "-92233720368547758.08",
          "1234567890123456789",
          "1E-1000"
        }) {
      BigDecimal d = new BigDecimal(v);
      assertThat(one(dec, d)).as(v).isEqualTo(d.toPlainString());
    }
    BigDecimal huge = new BigDecimal(new java.math.BigInteger("9".repeat(200)), 3);
    assertThat(one(dec, huge)).isEqualTo(huge.toPlainString());
    assertThat(one(dec, new BigDecimal(java.math.BigInteger.valueOf(-42), -3))).isEqualTo("-42000");
    assertThat(one(dec, BigDecimal.valueOf(1234567, 2))).isEqualTo("12345.67");
  }

  @Test
  void fractionsOfSecondsAndYearsOutsideFourDigits() {
    assertThat(one(DataType.TIME, LocalTime.of(1, 2, 3, 100_000_000))).isEqualTo("01:02:03.1");
    assertThat(one(DataType.TIME, LocalTime.of(1, 2, 3, 120_000_000))).isEqualTo("01:02:03.12");
    assertThat(one(DataType.TIME, LocalTime.of(1, 2, 3, 123_000_000))).isEqualTo("01:02:03.123");
    assertThat(one(DataType.TIME, LocalTime.of(1, 2, 3, 123_400_000))).isEqualTo("01:02:03.1234");
    assertThat(one(DataType.TIME, LocalTime.of(1, 2, 3, 1_000))).isEqualTo("01:02:03.000001");
    assertThat(one(DataType.TIME, LocalTime.of(1, 2, 3, 1))).isEqualTo("01:02:03.000000001");
    assertThat(one(DataType.TIME, LocalTime.of(1, 2, 3, 999_999_999)))
        .isEqualTo("01:02:03.999999999");
    assertThat(one(DataType.TIME, LocalTime.of(1, 2, 3, 10))).isEqualTo("01:02:03.00000001");
    assertThat(one(DataType.TIMESTAMP, LocalDateTime.of(-4712, 1, 1, 12, 0, 0, 500_000_000)))
        .isEqualTo("4713-01-01 BC 12:00:00.5"); // the server reads BC anywhere in the value
    assertThat(one(DataType.DATE, LocalDate.of(0, 12, 31))).isEqualTo("0001-12-31 BC");
    assertThat(one(DataType.DATE, LocalDate.of(-9, 2, 3))).isEqualTo("0010-02-03 BC");
    assertThat(one(DataType.DATE, LocalDate.of(9999, 12, 31))).isEqualTo("9999-12-31");
    assertThat(one(DataType.DATE, LocalDate.of(10000, 1, 1))).isEqualTo("10000-01-01");
    assertThat(one(DataType.DATE, LocalDate.of(-10000, 1, 1))).isEqualTo("10001-01-01 BC");
    assertThat(one(DataType.DATE, LocalDate.of(-999_999_998, 1, 1)))
        .isEqualTo("999999999-01-01 BC");
    assertThat(one(DataType.TIMESTAMP_TZ, OffsetDateTime.parse("-0043-03-15T10:00:00.25-10:00")))
        .isEqualTo("0044-03-15 BC 10:00:00.25-10:00");
  }

  /** The special values of Ferry's TypeKind, as PostgreSQL writes them itself. */
  @Test
  void infinitiesAndTheEndOfADay() {
    assertThat(one(DataType.DATE, LocalDate.MAX)).isEqualTo("infinity");
    assertThat(one(DataType.DATE, LocalDate.MIN)).isEqualTo("-infinity");
    assertThat(one(DataType.TIMESTAMP, LocalDateTime.MAX)).isEqualTo("infinity");
    assertThat(one(DataType.TIMESTAMP, LocalDateTime.MIN)).isEqualTo("-infinity");
    assertThat(one(DataType.TIMESTAMP_TZ, OffsetDateTime.MAX)).isEqualTo("infinity");
    assertThat(one(DataType.TIMESTAMP_TZ, OffsetDateTime.MIN)).isEqualTo("-infinity");
    assertThat(one(DataType.time(0), LocalTime.MAX)).isEqualTo("24:00:00");
    assertThat(one(DataType.array(DataType.DATE), List.of(LocalDate.MAX, LocalDate.of(1, 2, 3))))
        .isEqualTo("{\"infinity\",\"0001-02-03\"}");
  }

  @Test
  void rowsAcrossTheBufferGrowthStayIntact() {
    CopyTextEncoder encoder =
        new CopyTextEncoder(
            List.of(
                CopyTextEncoder.encoderFor(DataType.INT64, false),
                CopyTextEncoder.encoderFor(DataType.STRING, false),
                CopyTextEncoder.encoderFor(DataType.TIMESTAMP, false)));
    StringBuilder expected = new StringBuilder();
    LocalDateTime ts = LocalDateTime.of(2024, 1, 1, 0, 0);
    for (int r = 0; r < 20_000; r++) {
      Object[] row = {(long) -r, r % 3 == 0 ? null : "n\u00f8te " + r, ts.plusSeconds(r)};
      encoder.appendRow((x, c) -> row[c], 0);
      expected
          .append(-r)
          .append('\t')
          .append(r % 3 == 0 ? "\\N" : "n\u00f8te " + r)
          .append('\t')
          .append(
              java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                  .format(ts.plusSeconds(r)))
          .append('\n');
    }
    assertThat(new String(encoder.buffer(), 0, encoder.length(), StandardCharsets.UTF_8))
        .isEqualTo(expected.toString());
  }

  private static int[] bytes(DataType type, Object value) {
    byte[] b = encode(List.of(type), value).getBytes(StandardCharsets.UTF_8);
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xff;
    }
    return out;
  }
}
