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
