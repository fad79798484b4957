package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.sql.SQLDataException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import microsoft.sql.DateTimeOffset;
import org.junit.jupiter.api.Test;

/**
 * The bulk copy adapter: the metadata the driver sees and the objects it receives for each row,
 * compared with the Ferry values that went in.
 */
class BulkRowsTest {
  private static JdbcColumn col(String name, int sqlType, String typeName, int p, int s) {
    return new JdbcColumn(name, sqlType, typeName, p, s, true, false);
  }

  private static final List<JdbcColumn> COLUMNS =
      List.of(
          col("id", Types.BIGINT, "bigint identity", 19, 0),
          col("flag", Types.BIT, "bit", 1, 0),
          col("small", Types.TINYINT, "tinyint", 3, 0),
          col("price", Types.DECIMAL, "money", 19, 4),
          col("name", Types.NVARCHAR, "nvarchar", 1073741823, 0),
          col("data", Types.VARBINARY, "varbinary", 8000, 0),
          col("day", Types.DATE, "date", 10, 0),
          col("at", Types.TIME, "time", 16, 7),
          col("local", Types.TIMESTAMP, "datetime2", 27, 7),
          col("zoned", SqlServerTypes.DATETIMEOFFSET, "datetimeoffset", 34, 7),
          col("doc", Types.LONGNVARCHAR, "xml", 0, 0));

  private static final List<DataType> TYPES =
      List.of(
          DataType.INT64,
          DataType.BOOLEAN,
          DataType.INT16,
          DataType.decimal(19, 4),
          DataType.STRING,
          DataType.BYTES,
          DataType.DATE,
          DataType.time(7),
          DataType.timestamp(7),
          DataType.timestampTz(7),
          DataType.STRING);

  private static BulkRows rows(List<JdbcColumn> columns, List<DataType> types, Object[]... rows) {
    List<Object[]> list = Arrays.asList(rows);
    return new BulkRows(columns, types, (r, c) -> list.get(r)[c], list.size(), ZoneOffset.UTC);
  }

  @Test
  void describesTheTargetColumnsToTheDriver() {
    BulkRows data = rows(COLUMNS, TYPES);
    assertThat(data.getColumnOrdinals()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertThat(data.getColumnName(1)).isEqualTo("id");
    assertThat(data.getColumnType(4)).isEqualTo(Types.DECIMAL);
    assertThat(data.getPrecision(4)).isEqualTo(19);
    assertThat(data.getScale(4)).isEqualTo(4);
    assertThat(data.getColumnType(10)).isEqualTo(microsoft.sql.Types.DATETIMEOFFSET);
    assertThat(data.getScale(9)).isEqualTo(7);
    assertThat(data.getColumnType(11)).as("xml sent as text").isEqualTo(Types.LONGNVARCHAR);
    // Some driver versions report time as -154 in getColumns: the type name decides.
    assertThat(BulkRows.bulkType(col("t", -154, "time", 16, 7))).isEqualTo(Types.TIME);
    assertThat(BulkRows.bulkType(col("d", -151, "datetime", 23, 3))).isEqualTo(Types.TIMESTAMP);
  }

  @Test
  void convertsEveryValueToWhatTheBulkWriterTakes() throws Exception {
    OffsetDateTime zoned =
        OffsetDateTime.of(
            1999, 12, 31, 23, 59, 59, 123_456_700, ZoneOffset.ofHoursMinutes(-9, -30));
    LocalDateTime local = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_700);
    Object[] in = {
      42L,
      true,
      (short) 255,
      new BigDecimal("12.3400"),
      "emoji \uD83D\uDE80",
      new byte[] {0, -1},
      LocalDate.of(1000, 1, 1),
      LocalTime.of(12, 34, 56, 500_000_000),
      local,
      zoned,
      "<a/>"
    };
    BulkRows data = rows(COLUMNS, TYPES, in, new Object[11]);

    assertThat(data.next()).isTrue();
    Object[] out = data.getRowData();
    assertThat(out[0]).isEqualTo(42L);
    assertThat(out[1]).isEqualTo(true);
    assertThat(out[2]).isEqualTo((short) 255);
    assertThat(out[3]).isEqualTo(new BigDecimal("12.3400"));
    assertThat(out[4]).isEqualTo("emoji \uD83D\uDE80");
    assertThat((byte[]) out[5]).containsExactly(0, -1);
    assertThat(out[6]).isEqualTo("1000-01-01");
    assertThat(out[7])
        .as("nine fraction digits: the driver reads them as nanoseconds")
        .isEqualTo("12:34:56.500000000");
    assertThat(out[8]).isEqualTo(Timestamp.valueOf(local));
    assertThat(((Timestamp) out[8]).toLocalDateTime()).isEqualTo(local);
    assertThat(out[9]).isInstanceOf(DateTimeOffset.class);
    // The round trip keeps both the instant and the offset.
    assertThat(((DateTimeOffset) out[9]).getOffsetDateTime()).isEqualTo(zoned);
    assertThat(((DateTimeOffset) out[9]).getMinutesOffset()).isEqualTo(-570);
    assertThat(out[10]).isEqualTo("<a/>");

    assertThat(data.next()).isTrue();
    assertThat(data.getRowData()).as("a row of NULLs").containsOnlyNulls().hasSize(11);
    assertThat(data.next()).isFalse();
  }

  @Test
  void castsIncomingTypesThatDifferFromTheColumnsExactly() throws Exception {
    List<JdbcColumn> columns =
        List.of(
            col("a", Types.TINYINT, "tinyint", 3, 0),
            col("b", Types.INTEGER, "int", 10, 0),
            col("c", SqlServerTypes.DATETIMEOFFSET, "datetimeoffset", 34, 7),
            col("d", Types.DECIMAL, "decimal", 10, 2));
    List<DataType> incoming =
        List.of(DataType.INT8, DataType.INT16, DataType.timestamp(6), DataType.INT32);
    BulkRows data =
        rows(
            columns,
            incoming,
            new Object[] {(byte) 7, (short) -3, LocalDateTime.of(2024, 1, 1, 8, 0), 5});
    data.next();
    Object[] out = data.getRowData();
    assertThat(out[0]).isEqualTo((short) 7);
    assertThat(out[1]).isEqualTo(-3);
    assertThat(((DateTimeOffset) out[2]).getOffsetDateTime())
        .as("a zone-less timestamp is placed in the context's zone (UTC)")
        .isEqualTo(OffsetDateTime.of(2024, 1, 1, 8, 0, 0, 0, ZoneOffset.UTC));
    assertThat(out[3]).isEqualTo(new BigDecimal("5.00"));
  }

  @Test
  void aValueTheColumnCannotHoldIsADataErrorNamingRowAndColumn() throws Exception {
    List<JdbcColumn> columns = List.of(col("small", Types.TINYINT, "tinyint", 3, 0));
    List<Object[]> list = new ArrayList<>();
    list.add(new Object[] {(short) 1});
    list.add(new Object[] {(short) -1});
    BulkRows data =
        new BulkRows(columns, List.of(DataType.INT16), (r, c) -> list.get(r)[c], 2, ZoneOffset.UTC);
    data.next();
    assertThat(data.getRowData()).containsExactly((short) 1);
    data.next();
    assertThatThrownBy(data::getRowData)
        .isInstanceOf(SQLDataException.class)
        .hasMessageContaining("row 1")
        .hasMessageContaining("column small")
        .hasMessageContaining("-1 is outside tinyint's 0..255")
        .satisfies(e -> assertThat(((SQLDataException) e).getSQLState()).startsWith("22"));
  }

  @Test
  void aDecimalThatWouldBeRoundedIsADataError() throws Exception {
    BulkRows data =
        rows(
            List.of(col("d", Types.DECIMAL, "decimal", 10, 2)),
            List.of(DataType.decimal(10, 3)),
            new Object[] {new BigDecimal("1.005")});
    data.next();
    assertThatThrownBy(data::getRowData)
        .isInstanceOf(SQLDataException.class)
        .hasMessageContaining("column d")
        .hasMessageContaining("1.005");
  }

  @Test
  void timeTextAlwaysHasNineFractionDigits() {
    assertThat(BulkRows.timeText(LocalTime.MIDNIGHT)).isEqualTo("00:00:00.000000000");
    assertThat(BulkRows.timeText(LocalTime.of(23, 59, 59, 999_999_900)))
        .isEqualTo("23:59:59.999999900");
  }

  /**
   * 24:00:00, the infinities and years beyond 0001 to 9999 are refused naming the column: the sink
   * then writes the buffer with batched statements, which make them dirty rows.
   */
  @Test
  void refusesTemporalValuesSqlServerCannotHold() {
    Object[][] refused = {
      {6, LocalDate.MAX, "infinity cannot be stored in SQL Server"},
      {6, LocalDate.of(10_000, 1, 1), "outside the years SQL Server stores (0001 to 9999)"},
      {7, LocalTime.MAX, "24:00:00 cannot be stored in SQL Server's time"},
      {8, LocalDateTime.MIN, "-infinity cannot be stored in SQL Server"},
      {9, OffsetDateTime.MAX, "infinity cannot be stored in SQL Server"}
    };
    for (Object[] r : refused) {
      int column = (Integer) r[0];
      Object[] in = new Object[COLUMNS.size()];
      in[column] = r[1];
      BulkRows data = rows(COLUMNS, TYPES, in);
      assertThat(data.next()).isTrue();
      assertThatThrownBy(data::getRowData)
          .as("%s", r[1])
          .isInstanceOf(SQLDataException.class)
          .hasMessageContaining("column " + COLUMNS.get(column).name() + ": ")
          .hasMessageContaining((String) r[2]);
    }
  }
}
