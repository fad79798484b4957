package io.ferry.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowComparisonTest {
  @Test
  void keysOrderByValueAndCodePointsAcrossClasses() {
    assertThat(KeyOrder.compare(2, 10L)).isNegative();
    assertThat(KeyOrder.compare(new BigDecimal("10.0"), 10L)).isZero();
    assertThat(KeyOrder.compare("B", "a")).isNegative(); // not by collation
    assertThat(KeyOrder.compare("\uFFFD", "😀")).isNegative(); // code points, not UTF-16 units
    assertThat(KeyOrder.compare(new byte[] {(byte) 0x80}, new byte[] {0x01})).isPositive();
    OffsetDateTime utc = OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    assertThat(KeyOrder.compare(utc, utc.withOffsetSameInstant(ZoneOffset.ofHours(8)))).isZero();
    assertThat(KeyOrder.compare(new Object[] {1, "b"}, new Object[] {1, "c"})).isNegative();
    assertThatThrownBy(() -> KeyOrder.compare("1", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesCompareCanonicallyAndNameTheColumnsThatDiffer() {
    Schema output =
        Schema.of(
                Column.of("id", DataType.INT64),
                Column.of("amount", DataType.decimal(38, 10)),
                Column.of("at", DataType.timestamp(6)),
                Column.of("ratio", DataType.FLOAT64),
                Column.of("note", DataType.STRING))
            .withKey(List.of("id"));
    Schema target =
        Schema.of(
            Column.of("ID", DataType.INT32),
            Column.of("amount", DataType.decimal(12, 2)),
            Column.of("at", DataType.timestamp(3)),
            Column.of("ratio", DataType.FLOAT32),
            Column.of("note", DataType.STRING),
            Column.of("not_written", DataType.STRING));
    RowComparison c = new RowComparison(output, target, List.of("id"));
    LocalDateTime at = LocalDateTime.of(2024, 3, 1, 10, 20, 30, 123_000_000);
    Object[] source = {7L, new BigDecimal("1.5000000000"), at, (double) 0.1f, ""};
    Object[] same = {7, new BigDecimal("1.50"), at, 0.1f, "", "anything"};
    assertThat(c.compareKeys(source, same)).isZero();
    assertThat(c.differences(source, same)).isEmpty();

    Object[] other = {7, new BigDecimal("1.49"), at.plusHours(1), 0.2f, null, "x"};
    assertThat(c.differences(source, other))
        .containsExactly(
            new Difference.ColumnDifference("amount", "1.5", "1.49"),
            new Difference.ColumnDifference(
                "at", "2024-03-01 10:20:30.123", "2024-03-01 11:20:30.123"),
            new Difference.ColumnDifference("ratio", "0.1", "0.2"),
            new Difference.ColumnDifference("note", "", null));
    assertThat(c.keyOfOutput(source)).containsExactly(java.util.Map.entry("id", "7"));
    assertThat(c.keyOfTarget(other)).containsExactly(java.util.Map.entry("id", "7"));
  }
}
