package io.ferry.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataTypeTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "boolean",
        "int8",
        "int16",
        "int32",
        "int64",
        "float32",
        "float64",
        "decimal(12,2)",
        "string",
        "bytes",
        "date",
        "time",
        "time(3)",
        "timestamp",
        "timestamp(0)",
        "timestamp_tz",
        "timestamp_tz(9)",
        "json",
        "array<string>",
        "map<string,int64>",
        "row<id int64, tags array<string>, attrs map<string,row<a decimal(5,1)>>>"
      })
  void textFormRoundTrips(String text) {
    DataType type = DataType.parse(text);
    assertThat(type.toString()).isEqualTo(text);
    assertThat(DataType.parse(type.toString())).isEqualTo(type);
  }

  @Test
  void aliasesAndDefaults() {
    assertThat(DataType.parse("BIGINT")).isEqualTo(DataType.INT64);
    assertThat(DataType.parse("varchar")).isEqualTo(DataType.STRING);
    assertThat(DataType.parse("numeric(10)")).isEqualTo(DataType.decimal(10, 0));
    assertThat(DataType.parse("decimal")).isEqualTo(DataType.decimal(38, 0));
    assertThat(DataType.parse(" timestamp ( 3 ) ").precision()).isEqualTo(3);
    DataType row = DataType.parse("row<a int32, b array<bytes>>");
    assertThat(row.fields()).extracting(DataType.Field::name).containsExactly("a", "b");
    assertThat(row.fields().get(1).type().elementType()).isEqualTo(DataType.BYTES);
  }

  @Test
  void errorsSayWhatAndWhere() {
    assertThatThrownBy(() -> DataType.parse("int65"))
        .hasMessage("invalid type 'int65': unknown type 'int65' at position 6");
    assertThatThrownBy(() -> DataType.parse("decimal(5,7)"))
        .hasMessage("decimal scale must be 0..5, got 7");
    assertThatThrownBy(() -> DataType.parse("array<string")).hasMessageContaining("expected '>'");
    assertThatThrownBy(() -> DataType.parse("string extra"))
        .hasMessageContaining("unexpected 'extra'");
    assertThatThrownBy(() -> DataType.row(List.of())).hasMessageContaining("at least one field");
  }
}
