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
}
