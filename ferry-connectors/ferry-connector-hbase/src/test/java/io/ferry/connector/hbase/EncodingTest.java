package io.ferry.connector.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;

/** Both encodings round-trip every type; malformed bytes fail with a reason; parsing of options. */
class EncodingTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void stringEncodingRoundTripsEveryType() {
    Schema schema = TestDatasets.typesSchema(t -> true);
    for (Object[] row : TestDatasets.typesRows(schema)) {
      for (int c = 0; c < row.length; c++) {
        if (row[c] == null) {
          continue;
        }
        DataType type = schema.column(c).type();
        byte[] bytes = Encoding.STRING.encode(row[c], type, UTC);
        Object back = Encoding.STRING.decode(bytes, 0, bytes.length, type, UTC);
        assertThat(back)
            .as("%s %s", schema.column(c).name(), type)
            .usingRecursiveComparison()
            .isEqualTo(row[c]);
      }
    }
  }

  @Test
  void binaryEncodingIsBytesToBytes() {
    assertThat(Encoding.BINARY.encode(42L, DataType.INT64, UTC)).isEqualTo(Bytes.toBytes(42L));
    assertThat(Encoding.BINARY.encode(-1, DataType.INT32, UTC)).isEqualTo(Bytes.toBytes(-1));
    assertThat(Encoding.BINARY.encode((short) 3, DataType.INT16, UTC))
        .isEqualTo(Bytes.toBytes((short) 3));
    assertThat(Encoding.BINARY.encode(1.5f, DataType.FLOAT32, UTC)).isEqualTo(Bytes.toBytes(1.5f));
    assertThat(Encoding.BINARY.encode(true, DataType.BOOLEAN, UTC)).isEqualTo(Bytes.toBytes(true));
    byte[] d = Bytes.toBytes(new java.math.BigDecimal("1.50"));
    assertThat(Encoding.BINARY.decode(d, 0, d.length, DataType.decimal(10, 2), UTC))
        .isEqualTo(new java.math.BigDecimal("1.50"));
    assertThat(Encoding.BINARY.decode(d, 0, d.length, DataType.decimal(10, 4), UTC))
        .isEqualTo(new java.math.BigDecimal("1.5000"));
    byte[] d2 = Bytes.toBytes(new java.math.BigDecimal("1.55"));
    assertThatThrownBy(() -> Encoding.BINARY.decode(d2, 0, d2.length, DataType.decimal(10, 1), UTC))
        .hasMessageContaining("more than 1 fractional digits");
  }

  @Test
  void binaryTimestampsHoldMilliseconds() {
    LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0, 0, 5_000_000);
    byte[] b = Encoding.BINARY.encode(t, DataType.TIMESTAMP, UTC);
    assertThat(Bytes.toLong(b)).isEqualTo(t.toInstant(ZoneOffset.UTC).toEpochMilli());
    assertThat(Encoding.BINARY.decode(b, 0, 8, DataType.TIMESTAMP, UTC)).isEqualTo(t);
    assertThatThrownBy(() -> Encoding.BINARY.encode(t.plusNanos(1000), DataType.TIMESTAMP, UTC))
        .hasMessageContaining("milliseconds");
  }

  /**
   * Ferry's special temporal values (issue 14, items 6 and 7): the string encoding writes their
   * text; binary 24:00:00 is the day's 86,400,000,000,000 nanoseconds, and the infinities and dates
   * beyond a 4-byte epoch day are refused rather than wrapped.
   */
  @Test
  void specialTemporalValuesAreTheirTextOrRefusedInBinary() {
    assertThat(Encoding.STRING.encode(LocalTime.MAX, DataType.TIME, UTC))
        .isEqualTo(Bytes.toBytes("24:00:00"));
    assertThat(Encoding.STRING.encode(LocalDate.MIN, DataType.DATE, UTC))
        .isEqualTo(Bytes.toBytes("-infinity"));
    byte[] endOfDay = Encoding.BINARY.encode(LocalTime.MAX, DataType.TIME, UTC);
    assertThat(Bytes.toLong(endOfDay)).isEqualTo(86_400_000_000_000L);
    assertThat(Encoding.BINARY.decode(endOfDay, 0, 8, DataType.TIME, UTC)).isEqualTo(LocalTime.MAX);
    byte[] lastNano = Bytes.toBytes(86_399_999_999_999L);
    assertThatThrownBy(() -> Encoding.BINARY.decode(lastNano, 0, 8, DataType.TIME, UTC))
        .hasMessageContaining("23:59:59.999999999 cannot be carried");
    assertThatThrownBy(() -> Encoding.BINARY.encode(LocalDate.MAX, DataType.DATE, UTC))
        .hasMessageStartingWith("infinity cannot be a binary date");
    assertThatThrownBy(
            () -> Encoding.BINARY.encode(LocalDate.of(9_000_000, 1, 1), DataType.DATE, UTC))
        .hasMessageContaining("beyond a binary date's 4-byte epoch day");
    assertThatThrownBy(() -> Encoding.BINARY.encode(LocalDateTime.MIN, DataType.TIMESTAMP, UTC))
        .hasMessageStartingWith("-infinity cannot be a binary timestamp");
    assertThatThrownBy(() -> Encoding.BINARY.encode(OffsetDateTime.MAX, DataType.TIMESTAMP_TZ, UTC))
        .hasMessageStartingWith("infinity cannot be a binary timestamp");
    assertThatThrownBy(
            () ->
                Encoding.BINARY.encode(
                    LocalDateTime.of(300_000_000, 1, 1, 0, 0), DataType.TIMESTAMP, UTC))
        .hasMessageContaining("beyond a binary timestamp's 8-byte epoch milliseconds");
  }

  @Test
  void malformedBytesFailWithAReason() {
    assertThatThrownBy(() -> Encoding.BINARY.decode(new byte[3], 0, 3, DataType.INT64, UTC))
        .hasMessageContaining("takes 8 bytes, the cell holds 3");
    byte[] text = Bytes.toBytes("12x");
    assertThatThrownBy(() -> Encoding.STRING.decode(text, 0, 3, DataType.INT32, UTC))
        .hasMessageContaining("'12x' is not a valid int32");
  }

  @Test
  void parsesColumnSpecs() {
    List<ColumnSpec> specs =
        ColumnSpec.parseList(
            List.of(
                "id int64 :key binary",
                "amount decimal(12, 2) d:amount",
                "tags array<string> d:tags string",
                Map.of("name", "h", "type", "array<int32>", "column", "d:h", "allVersions", true)),
            true);
    assertThat(specs.get(0).isRowKey()).isTrue();
    assertThat(specs.get(0).encoding()).isEqualTo(Encoding.BINARY);
    assertThat(specs.get(1).type()).isEqualTo(DataType.decimal(12, 2));
    assertThat(specs.get(1).family()).isEqualTo("d");
    assertThat(specs.get(1).encoding()).isNull();
    assertThat(specs.get(2).encoding()).isEqualTo(Encoding.STRING);
    assertThat(specs.get(3).allVersions()).isTrue();
    assertThatThrownBy(() -> ColumnSpec.parseList(List.of("x string notamapping"), true))
        .hasMessageContaining("not a mapping");
  }

  @Test
  void rowKeyRulesSplitAndJoin() {
    RowKeyRule sep = RowKeyRule.parse(Map.of("columns", List.of("a", "b"), "separator", "::"));
    byte[] key = sep.join(new byte[][] {Bytes.toBytes("x"), Bytes.toBytes("y::z")}, new boolean[2]);
    assertThat(Bytes.toString(key)).isEqualTo("x::y::z");
    int[][] parts = sep.split(key, new boolean[2]);
    assertThat(Bytes.toString(key, parts[1][0], parts[1][1])).isEqualTo("y::z");
    RowKeyRule fixed =
        RowKeyRule.parse(Map.of("columns", "a,b", "widths", List.of(3, 0), "pad", "_"));
    byte[] padded =
        fixed.join(
            new byte[][] {Bytes.toBytes("x"), Bytes.toBytes("rest")}, new boolean[] {true, true});
    assertThat(Bytes.toString(padded)).isEqualTo("__xrest");
    int[][] p = fixed.split(padded, new boolean[] {true, true});
    assertThat(Bytes.toString(padded, p[0][0], p[0][1])).isEqualTo("x");
    assertThatThrownBy(() -> fixed.split(Bytes.toBytes("ab"), new boolean[2]))
        .hasMessageContaining("is 2 bytes");
    assertThatThrownBy(() -> RowKeyRule.parse(List.of("a", "b")))
        .hasMessageContaining("needs a separator or widths");
  }
}
