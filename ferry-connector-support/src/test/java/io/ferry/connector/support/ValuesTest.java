package io.ferry.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Test
  void textRoundTripsForEveryScalarType() {
    Object[][] cases = {
      {DataType.BOOLEAN, true},
      {DataType.INT8, (byte) -128},
      {DataType.INT16, (short) 32767},
      {DataType.INT32, Integer.MIN_VALUE},
      {DataType.INT64, Long.MAX_VALUE},
      {DataType.FLOAT32, 1.25f},
      {DataType.FLOAT64, -0.1},
      {DataType.decimal(12, 2), new BigDecimal("-1234567890.12")},
      {DataType.STRING, "订单 🚢 \"quoted\", tab\t"},
      {DataType.BYTES, new byte[] {0, -1, 42}},
      {DataType.DATE, LocalDate.of(1, 1, 1)},
      {DataType.TIME, LocalTime.of(23, 59, 59, 123_456_000)},
      {DataType.TIMESTAMP, LocalDateTime.of(2024, 2, 29, 13, 45, 0, 1000)},
      {DataType.TIMESTAMP_TZ, OffsetDateTime.of(2024, 5, 1, 8, 0, 0, 0, ZoneOffset.ofHours(8))},
      {DataType.JSON, "{\"a\":[1,2.50,null]}"},
    };
    for (Object[] c : cases) {
      DataType type = (DataType) c[0];
      String text = Values.format(c[1], type);
      assertThat(Values.parse(text, type)).as("%s via '%s'", type, text).isEqualTo(c[1]);
      assertThat(Values.conforms(c[1], type)).isTrue();
    }
  }

  @Test
  void nestedValuesGoThroughJson() {
    DataType type =
        DataType.parse("row<id int64, tags array<string>, attrs map<string,decimal(5,1)>>");
    Object[] value = {7L, List.of("a", "b"), Map.of("x", new BigDecimal("1.5"))};
    String json = Values.format(value, type);
    assertThat(json).isEqualTo("{\"id\":7,\"tags\":[\"a\",\"b\"],\"attrs\":{\"x\":1.5}}");
    Object[] back = (Object[]) Values.parse(json, type);
    assertThat(back).containsExactly(7L, List.of("a", "b"), Map.of("x", new BigDecimal("1.5")));
  }

  @Test
  void parsingAcceptsCommonVariants() {
    assertThat(Values.parse("2024-01-02 03:04:05", DataType.TIMESTAMP))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
    assertThat(Values.parse("2024-01-02 03:04:05.5+08:00", DataType.TIMESTAMP_TZ))
        .isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000, ZoneOffset.ofHours(8)));
    assertThat(Values.parse("12.0", DataType.INT32)).isEqualTo(12);
    assertThat(Values.parse(" 42 ", DataType.INT64)).isEqualTo(42L);
    assertThat(Values.parse("1.5", DataType.decimal(5, 3))).isEqualTo(new BigDecimal("1.500"));
    assertThat(Values.parse("", DataType.STRING)).isEqualTo("");
  }

  @Test
  void anUnconstrainedDecimalKeepsEachValuesOwnScale() {
    DataType any = DataType.decimal(DataType.UNCONSTRAINED_DECIMAL_PRECISION, 0);
    assertThat(any.isUnconstrainedDecimal()).isTrue();
    assertThat(DataType.decimal(38, 0).isUnconstrainedDecimal()).isFalse();
    assertThat(
            Values.cast(
                new BigDecimal("-12345678901234567890.1234567890"),
                DataType.decimal(38, 10),
                any,
                SHANGHAI))
        .isEqualTo(new BigDecimal("-12345678901234567890.1234567890"));
    assertThat(Values.parse("1.50", any)).isEqualTo(new BigDecimal("1.50"));
    assertThatThrownBy(() -> Values.parse("1" + "0".repeat(1000), any))
        .hasMessageContaining("is too large for decimal(1000,0)");
  }

  @Test
  void badTextSaysWhatIsWrong() {
    assertThatThrownBy(() -> Values.parse("12.5", DataType.INT32))
        .hasMessage("'12.5' is not a valid int32");
    assertThatThrownBy(() -> Values.parse("300", DataType.INT8))
        .hasMessage("300 is out of range for int8");
    assertThatThrownBy(() -> Values.parse("1.234", DataType.decimal(5, 2)))
        .hasMessage("1.234 has more than 2 decimal places for decimal(5,2)");
    assertThatThrownBy(() -> Values.parse("12345", DataType.decimal(5, 2)))
        .hasMessage("12345 is too large for decimal(5,2)");
    assertThatThrownBy(() -> Values.parse("2024-13-01", DataType.DATE))
        .hasMessage("'2024-13-01' is not a valid date (expected ISO-8601)");
    assertThatThrownBy(() -> Values.parse("{oops", DataType.JSON))
        .hasMessageContaining("is not valid JSON");
    assertThatThrownBy(() -> Values.parse("maybe", DataType.BOOLEAN))
        .hasMessage("'maybe' is not a boolean");
  }

  @Test
  void castsLoseNothingSilently() {
    assertThat(Values.cast(5, DataType.INT32, DataType.INT64, SHANGHAI)).isEqualTo(5L);
    assertThat(Values.cast(5L, DataType.INT64, DataType.decimal(10, 2), SHANGHAI))
        .isEqualTo(new BigDecimal("5.00"));
    assertThat(
            Values.cast(new BigDecimal("7.00"), DataType.decimal(10, 2), DataType.INT16, SHANGHAI))
        .isEqualTo((short) 7);
    assertThat(Values.cast(true, DataType.BOOLEAN, DataType.INT32, SHANGHAI)).isEqualTo(1);
    assertThat(Values.cast(12L, DataType.INT64, DataType.STRING, SHANGHAI)).isEqualTo("12");
    assertThat(
            Values.cast(
                LocalDateTime.of(2024, 1, 1, 8, 0),
                DataType.TIMESTAMP,
                DataType.TIMESTAMP_TZ,
                SHANGHAI))
        .isEqualTo(OffsetDateTime.of(2024, 1, 1, 8, 0, 0, 0, ZoneOffset.ofHours(8)));
    assertThat(
            Values.cast(
                OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                DataType.TIMESTAMP_TZ,
                DataType.TIMESTAMP,
                SHANGHAI))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 8, 0));
    assertThat(Values.cast(LocalDate.of(2024, 1, 1), DataType.DATE, DataType.TIMESTAMP, SHANGHAI))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
    assertThat(Values.cast(null, DataType.INT32, DataType.DATE, SHANGHAI)).isNull();
    LocalDateTime whole = LocalDateTime.of(2024, 1, 1, 8, 0, 1);
    assertThat(Values.cast(whole, DataType.timestamp(0), DataType.TIMESTAMP, SHANGHAI))
        .isEqualTo(whole);
    assertThat(
            Values.cast(
                whole.withNano(123_000_000), DataType.TIMESTAMP, DataType.timestamp(3), SHANGHAI))
        .isEqualTo(whole.withNano(123_000_000));
    assertThatThrownBy(
            () ->
                Values.cast(
                    whole.withNano(123_400_000),
                    DataType.TIMESTAMP,
                    DataType.timestamp(3),
                    SHANGHAI))
        .hasMessageContaining("more fractional digits than the 3 of timestamp(3)");

    assertThatThrownBy(
            () ->
                Values.cast(
                    new BigDecimal("7.5"), DataType.decimal(10, 1), DataType.INT32, SHANGHAI))
        .hasMessage("7.5 does not fit int32");
    assertThatThrownBy(() -> Values.cast(70000, DataType.INT32, DataType.INT16, SHANGHAI))
        .hasMessage("70000 is out of range for int16");
    assertThatThrownBy(
            () -> Values.cast(LocalDate.of(2024, 1, 1), DataType.DATE, DataType.BOOLEAN, SHANGHAI))
        .hasMessage("cannot convert date to boolean");
    // A timestamp becomes a date only at midnight: the time of day is not dropped silently.
    assertThat(
            Values.cast(
                whole.withHour(0).withSecond(0), DataType.TIMESTAMP, DataType.DATE, SHANGHAI))
        .isEqualTo(LocalDate.of(2024, 1, 1));
    assertThatThrownBy(() -> Values.cast(whole, DataType.TIMESTAMP, DataType.DATE, SHANGHAI))
        .hasMessage("2024-01-01T08:00:01 has a time of day, which a date cannot hold");
    assertThat(
            Values.cast(
                OffsetDateTime.of(2023, 12, 31, 16, 0, 0, 0, ZoneOffset.UTC),
                DataType.TIMESTAMP_TZ,
                DataType.DATE,
                SHANGHAI))
        .isEqualTo(LocalDate.of(2024, 1, 1));
  }

  /** 24:00:00, infinities and BC dates: the conventions of {@link io.ferry.spi.TypeKind}. */
  @Test
  void endOfDayInfinitiesAndBcDatesKeepTheirMeaning() {
    assertThat(Values.parse("24:00:00", DataType.time(0))).isSameAs(Values.END_OF_DAY);
    assertThat(Values.parse("24:00", DataType.TIME)).isSameAs(Values.END_OF_DAY);
    assertThat(Values.format(Values.END_OF_DAY, DataType.time(0))).isEqualTo("24:00:00");
    assertThatThrownBy(() -> Values.parse("24:00:01", DataType.TIME))
        .hasMessageContaining("'24:00:01' is not a valid time");
    assertThatThrownBy(() -> Values.parse("23:59:59.999999999", DataType.time(9)))
        .hasMessageContaining("Ferry's time uses it for 24:00:00");
    // The end of a day fits a time of any digits, unlike the nanoseconds it is carried as.
    assertThat(Values.cast(Values.END_OF_DAY, DataType.time(6), DataType.time(0), SHANGHAI))
        .isSameAs(Values.END_OF_DAY);
    assertThat(Values.cast(Values.END_OF_DAY, DataType.TIME, DataType.STRING, SHANGHAI))
        .isEqualTo("24:00:00");

    assertThat(Values.parse("infinity", DataType.DATE)).isEqualTo(LocalDate.MAX);
    assertThat(Values.parse(" -Infinity", DataType.TIMESTAMP)).isEqualTo(LocalDateTime.MIN);
    assertThat(Values.parse("+infinity", DataType.TIMESTAMP_TZ)).isEqualTo(OffsetDateTime.MAX);
    assertThat(Values.format(LocalDate.MIN, DataType.DATE)).isEqualTo("-infinity");
    assertThat(Values.format(OffsetDateTime.MAX, DataType.TIMESTAMP_TZ)).isEqualTo("infinity");
    assertThat(Values.infinity(OffsetDateTime.MIN.withOffsetSameLocal(ZoneOffset.UTC)))
        .isEqualTo(-1);
    assertThat(Values.infinity(LocalDate.of(9999, 12, 31))).isZero();
    // Infinities stay infinities between the kinds that have them; a zone shift cannot move them.
    assertThat(Values.cast(OffsetDateTime.MAX, DataType.TIMESTAMP_TZ, DataType.TIMESTAMP, SHANGHAI))
        .isEqualTo(LocalDateTime.MAX);
    assertThat(Values.cast(LocalDate.MIN, DataType.DATE, DataType.TIMESTAMP_TZ, SHANGHAI))
        .isEqualTo(OffsetDateTime.MIN);
    assertThat(Values.cast(LocalDateTime.MAX, DataType.TIMESTAMP, DataType.timestamp(0), SHANGHAI))
        .isEqualTo(LocalDateTime.MAX);
    assertThatThrownBy(
            () -> Values.cast(LocalDateTime.MAX, DataType.TIMESTAMP, DataType.INT64, SHANGHAI))
        .hasMessage("infinity is not a value of int64");
    assertThatThrownBy(
            () ->
                Values.cast(
                    OffsetDateTime.of(999_999_999, 12, 31, 23, 0, 0, 0, ZoneOffset.UTC),
                    DataType.TIMESTAMP_TZ,
                    DataType.TIMESTAMP,
                    SHANGHAI))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be converted to timestamp");

    LocalDate bc = LocalDate.of(-43, 3, 15);
    assertThat(Values.format(bc, DataType.DATE)).isEqualTo("-0043-03-15");
    assertThat(Values.parse("-0043-03-15", DataType.DATE)).isEqualTo(bc);
  }
}
