package io.ferry.connector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison every suite test relies on must tell apart what a store could get wrong. */
class ValueComparisonTest {
  private static final DataType ROW = DataType.parse("row<id int64, tags array<bytes>>");

  @Test
  void tellsApartWhatLooksAlike() {
    assertThat(
            ValueComparison.equal(
                new BigDecimal("1.50"), new BigDecimal("1.5"), DataType.decimal(4, 2)))
        .isFalse();
    assertThat(ValueComparison.equal(1, 1L, DataType.INT64)).isFalse();
    assertThat(ValueComparison.equal("", null, DataType.STRING)).isFalse();
    assertThat(ValueComparison.equal(new byte[] {1}, new byte[] {2}, DataType.BYTES)).isFalse();
    OffsetDateTime t = OffsetDateTime.of(2024, 1, 1, 8, 0, 0, 0, ZoneOffset.ofHours(8));
    assertThat(
            ValueComparison.equal(
                t, t.withOffsetSameInstant(ZoneOffset.UTC), DataType.TIMESTAMP_TZ))
        .isFalse();
    assertThat(
            ValueComparison.equal(
                new Object[] {1L, List.of(new byte[] {1})},
                new Object[] {1L, List.of(new byte[] {9})},
                ROW))
        .isFalse();
    assertThat(
            ValueComparison.equal(
                Map.of("a", 1L), Map.of("a", 2L), DataType.map(DataType.STRING, DataType.INT64)))
        .isFalse();
  }

  @Test
  void equalsByContentAndJsonAsADocument() {
    assertThat(
            ValueComparison.equal(
                new Object[] {1L, List.of(new byte[] {1})},
                new Object[] {1L, Arrays.asList(new byte[] {1})},
                ROW))
        .isTrue();
    assertThat(
            ValueComparison.equal("{\"a\": 1, \"b\": [2]}", "{\"b\":[2],\"a\":1}", DataType.JSON))
        .isTrue();
    assertThat(ValueComparison.key(new byte[] {1, 2}, DataType.BYTES))
        .isEqualTo(ValueComparison.key(new byte[] {1, 2}, DataType.BYTES));
  }

  @Test
  void rowAssertionsNameTheFirstDifferenceAndDuplicates() {
    Schema schema =
        Schema.of(Column.of("id", DataType.INT64), Column.of("price", DataType.decimal(4, 2)));
    List<Object[]> expected =
        List.of(new Object[] {1L, new BigDecimal("1.50")}, new Object[] {2L, null});
    assertThatThrownBy(
            () ->
                Rows.assertRowsEqual(
                    schema,
                    List.of(new Object[] {1L, new BigDecimal("1.5")}, new Object[] {2L, null}),
                    expected))
        .hasMessageContaining(
            "row 0 differs: column 'price' (decimal(4,2)): expected 1.50 (BigDecimal), got 1.5 (BigDecimal)");
    assertThatThrownBy(
            () ->
                Rows.assertSameRows(
                    schema, List.of(expected.get(1), expected.get(0), expected.get(0)), expected))
        .hasMessageContaining("0 missing")
        .hasMessageContaining("1 unexpected or duplicated");
    Rows.assertSameRows(schema, List.of(expected.get(1), expected.get(0)), expected);
  }

  @Test
  void conformityChecksScaleAndFractions() {
    assertThat(ValueComparison.nonConformity(new BigDecimal("1.5"), DataType.decimal(4, 2)))
        .contains("scale 1");
    assertThat(ValueComparison.nonConformity(java.time.LocalTime.of(1, 2, 3, 1), DataType.time(3)))
        .contains("fractional digits");
    // 24:00:00 and the infinities fit a time type of any digits.
    assertThat(ValueComparison.nonConformity(java.time.LocalTime.MAX, DataType.time(0))).isNull();
    assertThat(ValueComparison.nonConformity(java.time.LocalDateTime.MAX, DataType.timestamp(3)))
        .isNull();
    assertThat(ValueComparison.nonConformity(List.of(1L), DataType.array(DataType.INT32)))
        .contains("element");
    assertThat(ValueComparison.nonConformity(new BigDecimal("1.50"), DataType.decimal(4, 2)))
        .isNull();
  }
}
