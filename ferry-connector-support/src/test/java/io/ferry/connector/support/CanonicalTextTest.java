package io.ferry.connector.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalTextTest {
  private static final List<DataType> TWO = List.of(DataType.STRING, DataType.STRING);

  private static String row(String a, String b) {
    return CanonicalText.row(new Object[] {a, b}, TWO);
  }

  @Test
  void rowsThatDifferNeverShareATextOrAChecksum() {
    List<String> rows =
        List.of(
            row("a", null),
            row(null, "a"),
            row("12", "3"),
            row("1", "23"),
            row(null, "x"),
            row("", "x"),
            row("N", "x"),
            row("NULL", "x"),
            row("N;", "x"),
            row(null, null),
            row("", ""),
            row("", null),
            row(null, ""),
            row("a;1:b", "c"),
            row("a", "b;1:c"),
            row("1:a;", null),
            row("1:a;N;", null),
            row("1:a", ";N"));
    assertThat(rows).doesNotHaveDuplicates();
    assertThat(rows.get(0)).isEqualTo("1:a;N;");
    assertThat(rows.get(1)).isEqualTo("N;1:a;");
    assertThat(rows.get(13)).isEqualTo("5:a;1:b;1:c;");
    assertThat(rows.get(14)).isEqualTo("1:a;5:b;1:c;");
    assertThat(rows.stream().map(CanonicalText::md5).toList()).doesNotHaveDuplicates();
  }

  @Test
  void otherKindsNeedNoLengthAsTheirTextsHoldNoSeparator() {
    List<DataType> types =
        List.of(DataType.INT64, DataType.decimal(12, 2), DataType.DATE, DataType.STRING);
    assertThat(
            CanonicalText.row(
                new Object[] {-12L, new BigDecimal("1.5"), LocalDate.of(2024, 6, 1), "x"}, types))
        .isEqualTo("-12;1.50;2024-06-01;1:x;");
    assertThat(CanonicalText.row(new Object[] {null, null, null, null}, types))
        .isEqualTo("N;N;N;N;");
  }

  @Test
  void lengthsCountUtf8Bytes() {
    assertThat(CanonicalText.row(new Object[] {"😀é"}, List.of(DataType.STRING)))
        .isEqualTo("6:😀é;");
  }

  @Test
  void decimalsHashAtTheirScaleUnlessUnconstrained() {
    BigDecimal v = new BigDecimal("1.5");
    assertThat(CanonicalText.hashText(v, DataType.decimal(12, 2))).isEqualTo("1.50");
    assertThat(CanonicalText.hashText(new BigDecimal("100"), DataType.decimal(12, 0)))
        .isEqualTo("100");
    DataType byValue = DataType.decimal(DataType.UNCONSTRAINED_DECIMAL_PRECISION, 0);
    assertThat(CanonicalText.hashText(new BigDecimal("1.5000"), byValue)).isEqualTo("1.5");
    assertThat(CanonicalText.hashText(new BigDecimal("100.00"), byValue)).isEqualTo("100");
  }

  @Test
  void numbersCompareByValueWhateverTheirScaleOrClass() {
    DataType d = DataType.decimal(38, 10);
    assertThat(CanonicalText.of(new BigDecimal("1.5000000000"), d)).isEqualTo("1.5");
    assertThat(CanonicalText.of(new BigDecimal("2.00"), d)).isEqualTo("2");
    assertThat(CanonicalText.of(new BigDecimal("0.000"), d)).isEqualTo("0");
    assertThat(CanonicalText.of(new BigDecimal("100"), d)).isEqualTo("100");
    assertThat(CanonicalText.of(100L, DataType.INT64)).isEqualTo("100");
    assertThat(CanonicalText.of(true, DataType.BOOLEAN)).isEqualTo("1");
  }

  @Test
  void temporalValuesKeepTheTypesFractionTruncatedAndZonedOnesAreUtc() {
    LocalDateTime ts = LocalDateTime.of(2024, 6, 1, 12, 0, 0, 123_456_789);
    assertThat(CanonicalText.of(ts, DataType.timestamp(6))).isEqualTo("2024-06-01 12:00:00.123456");
    assertThat(CanonicalText.of(ts, DataType.timestamp(3))).isEqualTo("2024-06-01 12:00:00.123");
    assertThat(CanonicalText.of(ts, DataType.timestamp(0))).isEqualTo("2024-06-01 12:00:00");
    assertThat(CanonicalText.of(LocalTime.of(1, 2, 3), DataType.time(2))).isEqualTo("01:02:03.00");
    OffsetDateTime shanghai = OffsetDateTime.of(ts, ZoneOffset.ofHours(8));
    assertThat(CanonicalText.of(shanghai, DataType.timestampTz(0)))
        .isEqualTo("2024-06-01 04:00:00");
  }

  @Test
  void floatsCompareAtTheirWidthWithOneZeroAndOneNaN() {
    assertThat(CanonicalText.of(-0.0, DataType.FLOAT64))
        .isEqualTo(CanonicalText.of(0.0, DataType.FLOAT64));
    assertThat(CanonicalText.of(Float.NaN, DataType.FLOAT32)).isEqualTo("NaN");
    // A float32 widened to float64 keeps its value: compared as float32 it is the same.
    assertThat(CanonicalText.of((double) 0.1f, DataType.FLOAT32))
        .isEqualTo(CanonicalText.of(0.1f, DataType.FLOAT32));
  }

  @Test
  void jsonIgnoresKeyOrderAndWhiteSpace() {
    assertThat(CanonicalText.of("{\"b\": 1, \"a\": [1, 2]}", DataType.JSON))
        .isEqualTo(CanonicalText.of("{\"a\":[1,2],\"b\":1}", DataType.JSON));
  }

  @Test
  void bytesAreLowerCaseHex() {
    assertThat(CanonicalText.of(new byte[] {0x0c, (byte) 0xf3}, DataType.BYTES)).isEqualTo("0cf3");
  }

  @Test
  void checksumsSumSoADuplicateRowDoesNotCancel() {
    CanonicalText.Accumulator once = new CanonicalText.Accumulator();
    once.add("1:a;");
    CanonicalText.Accumulator twice = new CanonicalText.Accumulator();
    twice.add("1:a;");
    twice.add("1:a;");
    CanonicalText.Accumulator none = new CanonicalText.Accumulator();
    assertThat(twice.result().sum()).isNotEqualTo("0");
    assertThat(Arrays.asList(once.result(), twice.result(), none.result())).doesNotHaveDuplicates();
  }
}
