package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LoadDataTextTest {
  private static String encode(Schema schema, int[] fractions, Object... row) throws IOException {
    LoadDataText text = new LoadDataText(schema, fractions, ZoneOffset.ofHours(8));
    text.addRow(row, 0);
    return new String(text.stream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static int[] sixes(int n) {
    int[] f = new int[n];
    java.util.Arrays.fill(f, 6);
    return f;
  }

  @Test
  void escapesWhatTheFieldsAndLinesClausesGiveMeaningTo() throws IOException {
    Schema schema = Schema.of(Column.of("s", DataType.STRING), Column.of("n", DataType.STRING));
    assertThat(encode(schema, sixes(2), "a\tb\nc\rd\\e\0f \uD83D\uDE80 \u4E2D", null))
        .isEqualTo("a\\tb\\nc\\rd\\\\e\\0f \uD83D\uDE80 \u4E2D\t\\N\n");
    assertThat(encode(schema, sixes(2), "", "\\N")).isEqualTo("\t\\\\N\n");
  }

  @Test
  void writesNumbersBytesAndTimesAsMySqlLiterals() throws IOException {
    Schema schema =
        Schema.of(
            Column.of("b", DataType.BOOLEAN),
            Column.of("l", DataType.INT64),
            Column.of("m", DataType.INT64),
            Column.of("d", DataType.decimal(65, 30)),
            Column.of("x", DataType.BYTES),
            Column.of("day", DataType.DATE),
            Column.of("t", DataType.TIME),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("tz", DataType.TIMESTAMP_TZ),
            Column.of("f", DataType.FLOAT64));
    String line =
        encode(
            schema,
            sixes(10),
            true,
            Long.MIN_VALUE,
            0L,
            new BigDecimal("-1.500000000000000000000000000000"),
            new byte[] {0, -1, 10},
            LocalDate.of(1, 2, 3),
            LocalTime.of(23, 59, 59, 999_999_000),
            LocalDateTime.of(2024, 2, 29, 1, 2, 3),
            OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 1000, ZoneOffset.UTC),
            0.1);
    assertThat(line)
        .isEqualTo(
            "1\t-9223372036854775808\t0\t-1.500000000000000000000000000000\t00ff0a\t0001-02-03"
                + "\t23:59:59.999999\t2024-02-29 01:02:03\t2024-01-01 08:00:00.000001\t0.1\n");
  }

  @Test
  void rejectsWhatMySqlWouldChangeSilentlyAndLeavesTheBufferAsItWas() {
    Schema schema = Schema.of(Column.of("id", DataType.INT64), Column.of("ts", DataType.TIMESTAMP));
    LoadDataText text = new LoadDataText(schema, new int[] {6, 3}, ZoneOffset.UTC);
    text.addRow(new Object[] {1L, LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_000_000)}, 0);
    int length = text.length();
    LoadDataText.RejectedValue e =
        catchThrowableOfType(
            LoadDataText.RejectedValue.class,
            () ->
                text.addRow(
                    new Object[] {2L, LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_400_000)}, 0));
    assertThat(e.column).isEqualTo(1);
    assertThat(e.getMessage()).contains("fractional-second digits", "(3)");
    assertThat(text.length()).isEqualTo(length);
    assertThat(text.lines()).isEqualTo(1);
    Schema strings = Schema.of(Column.of("s", DataType.STRING));
    LoadDataText t2 = new LoadDataText(strings, sixes(1), ZoneOffset.UTC);
    assertThat(
            catchThrowableOfType(
                    LoadDataText.RejectedValue.class, () -> t2.addRow(new Object[] {"a\uD83D"}, 0))
                .getMessage())
        .contains("unpaired");
    Schema doubles = Schema.of(Column.of("f", DataType.FLOAT64));
    LoadDataText t3 = new LoadDataText(doubles, sixes(1), ZoneOffset.UTC);
    assertThat(
            catchThrowableOfType(
                LoadDataText.RejectedValue.class, () -> t3.addRow(new Object[] {Double.NaN}, 0)))
        .isNotNull();
  }

  /** The text encoding by definition: escapes, then each code point as UTF-8. */
  private static String reference(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                case 0 -> out.append("\\0");
                default -> out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }

  @Test
  void copiesAsciiRunsAndEncodesEverythingElseCharByChar() throws IOException {
    Schema schema = Schema.of(Column.of("s", DataType.STRING), Column.of("n", DataType.INT32));
    String[] values = {
      "",
      "plain ascii, quotes ' \" and DEL \u007F",
      "\\",
      "\\\\\\",
      "ends with an escape\n",
      "\tstarts with one",
      "\u0001\u001F control chars other than the escaped ones stay as they are",
      "\u00E9t\u00E9 \u00FCber \u00DF",
      "\u00FF\u0100\u07FF\u0800\uFFFF",
      "\u4E2D\u6587\ttab\u4E2D",
      "\uD83D\uDE80",
      "a\uD83D\uDE80b\uD800\uDC00\uDBFF\uDFFF\\",
      "x".repeat(70_000) + "\u00E9\n" + "y".repeat(10)
    };
    for (String v : values) {
      assertThat(encode(schema, sixes(2), v, -7))
          .as("encoding of %s", v.length() > 40 ? v.substring(0, 40) : v)
          .isEqualTo(reference(v) + "\t-7\n");
    }
    // Random strings over a mix of ASCII, escapes, 2- and 3-byte chars and surrogate pairs.
    Random random = new Random(42);
    String alphabet = "abcXYZ019 \t\n\r\\\0'\"\u00E9\u00FF\u0100\u07FF\u0800\u4E2D\uFFFD";
    LoadDataText text = new LoadDataText(schema, sixes(2), ZoneOffset.UTC);
    StringBuilder expected = new StringBuilder();
    for (int r = 0; r < 2_000; r++) {
      StringBuilder v = new StringBuilder();
      for (int k = random.nextInt(60); k > 0; k--) {
        if (random.nextInt(10) == 0) {
          v.appendCodePoint(0x10000 + random.nextInt(0x100000));
        } else {
          v.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      text.addRow(new Object[] {v.toString(), r}, 0);
      expected.append(reference(v.toString())).append('\t').append(r).append('\n');
    }
    assertThat(new String(text.stream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo(expected.toString());
  }

  @Test
  void rejectsEveryUnpairedSurrogate() {
    Schema schema = Schema.of(Column.of("s", DataType.STRING));
    for (String v : new String[] {"\uD83D", "ab\uDE80c", "\uDE80\uD83D", "\u00E9\uD83Dx"}) {
      LoadDataText text = new LoadDataText(schema, sixes(1), ZoneOffset.UTC);
      LoadDataText.RejectedValue e =
          catchThrowableOfType(
              LoadDataText.RejectedValue.class, () -> text.addRow(new Object[] {v}, 0));
      assertThat(e.getMessage()).contains("unpaired UTF-16 surrogate at index");
      assertThat(e.column).isEqualTo(0);
      assertThat(text.length()).isZero();
    }
  }

  @Test
  void writesIntegersOfEveryLengthAndSign() throws IOException {
    Schema schema =
        Schema.of(
            Column.of("a", DataType.INT8),
            Column.of("b", DataType.INT16),
            Column.of("c", DataType.INT32),
            Column.of("d", DataType.INT64));
    assertThat(
            encode(
                schema, sixes(4), (byte) -128, (short) -32768, Integer.MIN_VALUE, Long.MAX_VALUE))
        .isEqualTo("-128\t-32768\t-2147483648\t9223372036854775807\n");
    assertThat(encode(schema, sixes(4), (byte) 0, (short) 9, -10, -1L))
        .isEqualTo("0\t9\t-10\t-1\n");
    Schema longs = Schema.of(Column.of("l", DataType.INT64));
    for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10 * 10; p *= 10) {
      for (long v : new long[] {p - 1, p, p + 1, -p, -(p - 1), p * 9, -(p * 9)}) {
        assertThat(encode(longs, sixes(1), v)).isEqualTo(v + "\n");
      }
      if (p > Long.MAX_VALUE / 10) {
        break;
      }
    }
    Random random = new Random(7);
    for (int k = 0; k < 10_000; k++) {
      long v = random.nextLong() >> random.nextInt(64);
      assertThat(encode(longs, sixes(1), v)).isEqualTo(v + "\n");
      assertThat(LoadDataText.digitCount(Math.abs(v == Long.MIN_VALUE ? 0 : v)))
          .isEqualTo(Long.toString(Math.abs(v == Long.MIN_VALUE ? 0 : v)).length());
    }
  }

  @Test
  void writesDecimalsAsToPlainStringDoes() throws IOException {
    Schema schema = Schema.of(Column.of("d", DataType.decimal(65, 30)));
    String[] values = {
      "0",
      "0.00",
      "-0.05",
      "0.05",
      "12.30",
      "-12.30",
      "1234567890.12",
      "-9999999999.99",
      "999999999999999999",
      "-999999999999999999",
      "0.999999999999999999",
      "-0.000000000000000001",
      "1234567890123456789",
      "12345678901234567890.123",
      "-1.500000000000000000000000000000",
      "1E+3",
      "-1.2E+5",
      "5E-20",
      "99999999999999999999999999999999999.999999999999999999999999999999"
    };
    for (String v : values) {
      BigDecimal d = new BigDecimal(v);
      assertThat(encode(schema, sixes(1), d)).as(v).isEqualTo(d.toPlainString() + "\n");
    }
    Random random = new Random(11);
    for (int k = 0; k < 10_000; k++) {
      BigDecimal d =
          BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(20));
      assertThat(encode(schema, sixes(1), d)).as("%s", d).isEqualTo(d.toPlainString() + "\n");
    }
  }

  @Test
  void writesTimesWithTheFractionsOfSecondsTheyHave() throws IOException {
    Schema schema =
        Schema.of(
            Column.of("t", DataType.TIME),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("d", DataType.DATE));
    int[] sixes = sixes(3);
    assertThat(
            encode(
                schema,
                sixes,
                LocalTime.of(0, 0, 0, 1000),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 500_000_000),
                LocalDate.of(1, 1, 1)))
        .isEqualTo("00:00:00.000001\t9999-12-31 23:59:59.500000\t0001-01-01\n");
    assertThat(
            encode(
                schema,
                sixes,
                LocalTime.of(10, 9, 8, 123_456_000),
                LocalDateTime.of(1000, 1, 1, 0, 0, 0, 10_000),
                LocalDate.of(2024, 10, 9)))
        .isEqualTo("10:09:08.123456\t1000-01-01 00:00:00.000010\t2024-10-09\n");
    // A column of 3 digits takes milliseconds and writes them as microseconds.
    assertThat(
            encode(
                schema,
                new int[] {3, 3, 0},
                LocalTime.of(1, 2, 3, 120_000_000),
                LocalDateTime.of(2024, 2, 29, 1, 2, 3, 999_000_000),
                LocalDate.of(2024, 2, 29)))
        .isEqualTo("01:02:03.120000\t2024-02-29 01:02:03.999000\t2024-02-29\n");
    LoadDataText.RejectedValue e =
        catchThrowableOfType(
            LoadDataText.RejectedValue.class,
            () -> encode(schema, sixes, LocalTime.MIDNIGHT, null, LocalDate.of(10_000, 1, 1)));
    assertThat(e.column).isEqualTo(2);
    assertThat(e.getMessage()).contains("years MySQL and MariaDB store (0001 to 9999)");
    // BC (year 0 is 1 BC) and the infinities would be stored as zero dates: refused.
    e =
        catchThrowableOfType(
            LoadDataText.RejectedValue.class,
            () -> encode(schema, sixes, null, null, LocalDate.of(0, 1, 1)));
    assertThat(e.column).isEqualTo(2);
    assertThat(e.getMessage()).contains("0000-01-01 (1 BC) is outside the years");
    e =
        catchThrowableOfType(
            LoadDataText.RejectedValue.class,
            () -> encode(schema, sixes, null, LocalDateTime.MIN, null));
    assertThat(e.column).isEqualTo(1);
    assertThat(e.getMessage()).startsWith("-infinity cannot be stored");
    // TIME 24:00:00, which MySQL's TIME holds.
    assertThat(encode(schema, sixes, LocalTime.MAX, null, null)).isEqualTo("24:00:00\t\\N\t\\N\n");
  }

  @Test
  void timestampTzInfinitiesAreRefusedBeforeTheZoneShift() {
    Schema schema = Schema.of(Column.of("tz", DataType.TIMESTAMP_TZ));
    LoadDataText.RejectedValue e =
        catchThrowableOfType(
            LoadDataText.RejectedValue.class,
            () -> encode(schema, new int[] {6}, OffsetDateTime.MAX));
    assertThat(e.column).isZero();
    assertThat(e.getMessage()).startsWith("infinity cannot be stored");
  }

  @Test
  void growsTheBufferForLongValuesAndManyRows() throws IOException {
    Schema schema = Schema.of(Column.of("s", DataType.STRING), Column.of("x", DataType.BYTES));
    LoadDataText text = new LoadDataText(schema, sixes(2), ZoneOffset.UTC);
    StringBuilder expected = new StringBuilder();
    for (int r = 0; r < 3_000; r++) {
      String v = "\u4E2D".repeat(r % 50) + "\\" + "a".repeat(r);
      text.addRow(new Object[] {v, new byte[] {(byte) r}}, 0);
      expected.append(reference(v)).append('\t').append(String.format("%02x", r & 0xFF));
      expected.append('\n');
    }
    assertThat(text.lines()).isEqualTo(3_000);
    assertThat(new String(text.stream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo(expected.toString());
  }

  @Test
  void parsesLineAndColumnOfServerWarnings() {
    LoadWarning mariadb =
        LoadWarning.parse(
            1366, "Incorrect integer value: 'x' for column `ferry_1`.`t`.`qty` at row 12");
    assertThat(mariadb.line()).isEqualTo(12);
    assertThat(mariadb.column()).isEqualTo("qty");
    LoadWarning mysql = LoadWarning.parse(1265, "Data truncated for column 'v' at row 2");
    assertThat(mysql.line()).isEqualTo(2);
    assertThat(mysql.column()).isEqualTo("v");
    LoadWarning dup = LoadWarning.parse(1062, "Duplicate entry '1' for key 'PRIMARY'");
    assertThat(dup.line()).isEqualTo(-1);
    assertThat(dup.column()).isNull();
  }

  @Test
  void parsesDecimalTextAsBigDecimalDoes() {
    String[] texts = {
      "0",
      "-0.00",
      "0.05",
      "-0.05",
      "12.30",
      "1.",
      ".5",
      "-999999999999999999",
      "999999999999999999",
      "99999999999999999.9",
      "0.000000000000000001",
      "1234567890123456789",
      "-12345678901234567.89",
      "1E+3",
      "1e3"
    };
    for (String t : texts) {
      BigDecimal d = MySqlTypeMapping.parseDecimal(t);
      assertThat(d).as(t).isEqualTo(new BigDecimal(t));
      assertThat(d.scale()).as(t).isEqualTo(new BigDecimal(t).scale());
    }
    Random random = new Random(3);
    for (int k = 0; k < 10_000; k++) {
      String t =
          BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(19))
              .toPlainString();
      assertThat(MySqlTypeMapping.parseDecimal(t)).as(t).isEqualTo(new BigDecimal(t));
    }
    for (String bad : new String[] {"", "-", ".", "1.2.3", "x"}) {
      assertThat(
              catchThrowableOfType(
                  NumberFormatException.class, () -> MySqlTypeMapping.parseDecimal(bad)))
          .as(bad)
          .isNotNull();
    }
  }

  @Test
  void parsesMySqlTemporalText() {
    assertThat(MySqlTemporal.dateTime("2024-02-29 01:02:03.000004"))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4000));
    assertThat(MySqlTemporal.dateTime("2024-02-29 01:02:03"))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 1, 2, 3));
    assertThat(MySqlTemporal.time("23:59:59.5")).isEqualTo(LocalTime.of(23, 59, 59, 500_000_000));
    assertThat(
            catchThrowableOfType(
                MySqlTemporal.ZeroDate.class, () -> MySqlTemporal.date("0000-00-00")))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                MySqlTemporal.ZeroDate.class, () -> MySqlTemporal.date("2024-00-10")))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                    IllegalArgumentException.class, () -> MySqlTemporal.time("-01:00:00"))
                .getMessage())
        .contains("not a time of day");
    assertThat(
            catchThrowableOfType(
                    IllegalArgumentException.class, () -> MySqlTemporal.time("838:59:59"))
                .getMessage())
        .contains("not a time of day");
  }
}
