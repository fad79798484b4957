package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.support.Values;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every MySQL type the README maps, read with their edge values (NULLs, empty strings, emoji,
 * unsigned maxima, decimal(65,30), fractions, all 256 byte values, bit(1)/bit(8)), compared with
 * the Ferry values expected, then written back with LOAD DATA and with batched statements into
 * tables of the same definition and compared column by column in SQL. Zero dates both ways.
 */
class MySqlTypesIT {
  private static MariaDb db;

  private static final String COLUMNS =
      "id int primary key, b1 tinyint(1), bit1 bit(1), bit8 bit(8), ti tinyint, tiu tinyint"
          + " unsigned, si smallint, siu smallint unsigned, mi mediumint, miu mediumint unsigned,"
          + " i int, iu int unsigned, bi bigint, biu bigint unsigned, d decimal(65,30), f float,"
          + " db double, c char(10), vc varchar(100), tx text, mt mediumtext, lt longtext,"
          + " e enum('a','b','c d'), st set('x','y','z'), j json, bin binary(4), vb"
          + " varbinary(300), bl blob, dt date, dtm datetime(6), dt0 datetime, ts timestamp(6)"
          + " null, tm time(6), y year";

  private static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT32, false),
          Column.of("b1", DataType.BOOLEAN),
          Column.of("bit1", DataType.BOOLEAN),
          Column.of("bit8", DataType.BYTES),
          Column.of("ti", DataType.INT8),
          Column.of("tiu", DataType.INT16),
          Column.of("si", DataType.INT16),
          Column.of("siu", DataType.INT32),
          Column.of("mi", DataType.INT32),
          Column.of("miu", DataType.INT32),
          Column.of("i", DataType.INT32),
          Column.of("iu", DataType.INT64),
          Column.of("bi", DataType.INT64),
          Column.of("biu", DataType.decimal(20, 0)),
          Column.of("d", DataType.decimal(65, 30)),
          Column.of("f", DataType.FLOAT32),
          Column.of("db", DataType.FLOAT64),
          Column.of("c", DataType.STRING),
          Column.of("vc", DataType.STRING),
          Column.of("tx", DataType.STRING),
          Column.of("mt", DataType.STRING),
          Column.of("lt", DataType.STRING),
          Column.of("e", DataType.STRING),
          Column.of("st", DataType.STRING),
          Column.of("j", DataType.JSON),
          Column.of("bin", DataType.BYTES),
          Column.of("vb", DataType.BYTES),
          Column.of("bl", DataType.BYTES),
          Column.of("dt", DataType.DATE),
          Column.of("dtm", DataType.timestamp(6)),
          Column.of("dt0", DataType.timestamp(0)),
          Column.of("ts", DataType.timestampTz(6)),
          Column.of("tm", DataType.time(6)),
          Column.of("y", DataType.INT16));

  private static final byte[] ALL_BYTES = new byte[256];

  /**
   * The schema read through {@code table}: MariaDB's json (longtext with a json_valid check) is
   * json too, through the dialect's refineColumns; through {@code query} the driver says json.
   */
  private static Schema tableSchema() {
    return SCHEMA;
  }

  static {
    for (int i = 0; i < 256; i++) {
      ALL_BYTES[i] = (byte) i;
    }
  }

  @BeforeAll
  static void createTables() throws Exception {
    db = MariaDb.create();
    db.execute(
        "CREATE TABLE types_src (" + COLUMNS + ")",
        "INSERT INTO types_src (id) VALUES (1)",
        "INSERT INTO types_src VALUES (2, 1, b'1', b'11111111', 127, 255, 32767, 65535, 8388607,"
            + " 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,"
            + " 99999999999999999999999999999999999.999999999999999999999999999999,"
            + " 3.4028234663852886e38, 1.7976931348623157e308, 'char \uD83D\uDE80',"
            + " 'tab\\tnl\\ncr\\rbs\\\\ \uD83D\uDE00', 'text', 'medium \u4E2D', 'long',"
            + " 'c d', 'x,z', '{\"a\": [1, 2.50, \"\uD83D\uDE80\"], \"b\": null}', X'00FF0A0D',"
            + " X'"
            + HexFormat.of().formatHex(ALL_BYTES)
            + "', X'', '9999-12-31', '9999-12-31 23:59:59.999999', '2024-02-29 12:34:56',"
            + " '2038-01-19 03:14:07.999999', '23:59:59.999999', 2155)",
        "INSERT INTO types_src VALUES (3, 0, b'0', b'00000000', -128, 0, -32768, 0, -8388608, 0,"
            + " -2147483648, 0, -9223372036854775808, 0,"
            + " -99999999999999999999999999999999999.999999999999999999999999999999,"
            + " -1.17549435e-38, 2.2250738585072014e-308, '', '', '', '', '', 'a', '', '[]',"
            + " X'00000000', X'', X'00', '1000-01-01', '1000-01-01 00:00:00.000001',"
            + " '1970-01-01 00:00:00', '1970-01-01 00:00:01', '00:00:00', 1901)");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static List<Object[]> expectedRows() {
    Object[] nulls = new Object[SCHEMA.size()];
    nulls[0] = 1;
    Object[] max = {
      2,
      true,
      true,
      new byte[] {-1},
      (byte) 127,
      (short) 255,
      (short) 32767,
      65535,
      8388607,
      16777215,
      2147483647,
      4294967295L,
      Long.MAX_VALUE,
      new BigDecimal("18446744073709551615"),
      new BigDecimal("99999999999999999999999999999999999.999999999999999999999999999999"),
      Float.MAX_VALUE,
      Double.MAX_VALUE,
      "char \uD83D\uDE80",
      "tab\tnl\ncr\rbs\\ \uD83D\uDE00",
      "text",
      "medium \u4E2D",
      "long",
      "c d",
      "x,z",
      "{\"a\": [1, 2.50, \"\uD83D\uDE80\"], \"b\": null}",
      new byte[] {0, -1, 10, 13},
      ALL_BYTES.clone(),
      new byte[0],
      LocalDate.of(9999, 12, 31),
      LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
      LocalDateTime.of(2024, 2, 29, 12, 34, 56),
      OffsetDateTime.of(2038, 1, 19, 3, 14, 7, 999_999_000, ZoneOffset.UTC),
      LocalTime.of(23, 59, 59, 999_999_000),
      (short) 2155
    };
    Object[] min = {
      3,
      false,
      false,
      new byte[] {0},
      (byte) -128,
      (short) 0,
      (short) -32768,
      0,
      -8388608,
      0,
      Integer.MIN_VALUE,
      0L,
      Long.MIN_VALUE,
      new BigDecimal("0"),
      new BigDecimal("-99999999999999999999999999999999999.999999999999999999999999999999"),
      -Float.MIN_NORMAL,
      Double.MIN_NORMAL,
      "",
      "",
      "",
      "",
      "",
      "a",
      "",
      "[]",
      new byte[4],
      new byte[0],
      new byte[] {0},
      LocalDate.of(1000, 1, 1),
      LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1000),
      LocalDateTime.of(1970, 1, 1, 0, 0),
      OffsetDateTime.of(1970, 1, 1, 0, 0, 1, 0, ZoneOffset.UTC),
      LocalTime.MIDNIGHT,
      (short) 1901
    };
    return List.of(nulls, max, min);
  }

  private static Map<String, Object> sourceOptions(String table) {
    Map<String, Object> o = db.options();
    o.put("table", table);
    return o;
  }

  @Test
  void readsEveryTypeExactly() {
    TestConnectorContext context = new TestConnectorContext("types-read");
    try (Source source = Jobs.source(sourceOptions("types_src"), context)) {
      assertThat(source.schema()).isEqualTo(tableSchema().withKey(List.of("id")));
      List<Object[]> rows = Rows.readSequentially(source, source.planner().plan(1));
      Rows.assertConform(tableSchema(), rows);
      Rows.assertRowsEqual(tableSchema(), rows, expectedRows());
    }
    Map<String, Object> query = db.options();
    query.put("query", "SELECT * FROM types_src ORDER BY id");
    try (Source source = Jobs.source(query, context)) {
      assertThat(source.schema()).isEqualTo(SCHEMA);
      List<Object[]> rows = Rows.readSequentially(source, source.planner().plan(1));
      Rows.assertRowsEqual(SCHEMA, rows, expectedRows());
    }
    assertThat(context.dirtyRows().rows()).isEmpty();
  }

  @Test
  void writesEveryTypeBackWithLoadDataAndWithBatches() throws Exception {
    for (String mode : List.of("auto", "off")) {
      String target = "types_dst_" + mode;
      db.execute("CREATE TABLE " + target + " LIKE types_src");
      TestConnectorContext context = new TestConnectorContext("types-write-" + mode);
      List<Object[]> rows = Jobs.read(sourceOptions("types_src"), context, 1);
      Map<String, Object> sink = db.options();
      sink.put("table", target);
      sink.put("bulkLoad", mode);
      Jobs.write(sink, context, tableSchema(), rows);
      assertThat(context.dirtyRows().rows())
          .as("dirty rows writing with bulkLoad %s", mode)
          .isEmpty();
      assertSameTables("types_src", target);
      // And what the connector reads back is the same again.
      Rows.assertRowsEqual(
          tableSchema(), Jobs.read(sourceOptions(target), context, 1), expectedRows());
    }
  }

  /**
   * Compares every column of two tables in SQL, NULL-safe, naming the first column that differs.
   */
  private static void assertSameTables(String expected, String actual) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      for (Column column : SCHEMA.columns()) {
        String col = "`" + column.name() + "`";
        try (ResultSet rs =
            s.executeQuery(
                "SELECT e.id, HEX(e."
                    + col
                    + "), HEX(a."
                    + col
                    + ") FROM "
                    + expected
                    + " e LEFT JOIN "
                    + actual
                    + " a ON a.id = e.id WHERE a.id IS NULL OR NOT (e."
                    + col
                    + " <=> a."
                    + col
                    + ")")) {
          List<String> diffs = new ArrayList<>();
          while (rs.next()) {
            diffs.add("id " + rs.getInt(1) + ": " + rs.getString(2) + " vs " + rs.getString(3));
          }
          assertThat(diffs).as("rows whose %s differs in %s", column.name(), actual).isEmpty();
        }
      }
      assertThat(db.count(actual)).isEqualTo(db.count(expected));
    }
  }

  @Test
  void zeroDatesAreNullOrDirtyRowsNamingColumnAndValue() throws Exception {
    db.execute(
        "CREATE TABLE zero_dates (id int primary key, d date, dt datetime, ts timestamp null)",
        "SET SESSION sql_mode = ''",
        "INSERT INTO zero_dates VALUES (1, '0000-00-00', '2024-01-01 00:00:00', NULL),"
            + " (2, '2024-01-02', '0000-00-00 00:00:00', NULL), (3, '2024-01-03', NULL,"
            + " '2024-01-03 10:00:00'), (4, '2024-00-10', NULL, NULL)");
    TestConnectorContext context = new TestConnectorContext("zero-null");
    Map<String, Object> options = sourceOptions("zero_dates");
    options.put("zeroDates", "null");
    List<Object[]> rows = Jobs.read(options, context, 1);
    assertThat(rows)
        .extracting(r -> Arrays.asList(r))
        .containsExactly(
            Arrays.asList(1, null, LocalDateTime.of(2024, 1, 1, 0, 0), null),
            Arrays.asList(2, LocalDate.of(2024, 1, 2), null, null),
            Arrays.asList(
                3,
                LocalDate.of(2024, 1, 3),
                null,
                OffsetDateTime.of(2024, 1, 3, 10, 0, 0, 0, ZoneOffset.UTC)),
            Arrays.asList(4, null, null, null));
    assertThat(context.dirtyRows().rows()).isEmpty();

    // Row 4's zero month cannot even be shown as text by the driver's binary decoding: still a
    // dirty row with its other values, not a failed read.
    TestConnectorContext strict = new TestConnectorContext("zero-error");
    Map<String, Object> errorOptions = sourceOptions("zero_dates");
    errorOptions.put("zeroDates", "error");
    List<Object[]> kept = Jobs.read(errorOptions, strict, 1);
    assertThat(kept).extracting(r -> r[0]).containsExactly(3);
    List<DirtyRow> dirty = strict.dirtyRows().rows();
    assertThat(dirty).extracting(DirtyRow::column).containsExactly("d", "dt", "d");
    assertThat(dirty)
        .extracting(DirtyRow::reason)
        .satisfiesExactly(
            r -> assertThat(r).contains("'0000-00-00'"),
            r -> assertThat(r).contains("'0000-00-00 00:00:00'"),
            r -> assertThat(r).contains("zero month or day"));
    assertThat(dirty.get(2).row()).containsEntry("id", 4).containsEntry("dt", null);
    assertThat(dirty.get(2).location()).contains("id=4");
    assertThat(dirty.get(0).reason()).contains("zero date", "zeroDates");
  }

  @Test
  void timeOutsideADayIsADirtyRow() throws Exception {
    db.execute(
        "CREATE TABLE times (id int primary key, t time)",
        "INSERT INTO times VALUES (1, '-01:00:00'), (2, '838:59:59'), (3, '12:00:00')");
    TestConnectorContext context = new TestConnectorContext("times");
    List<Object[]> rows = Jobs.read(sourceOptions("times"), context, 1);
    assertThat(rows).extracting(r -> r[1]).containsExactly(LocalTime.NOON);
    assertThat(context.dirtyRows().rows()).extracting(DirtyRow::column).containsExactly("t", "t");
    assertThat(context.dirtyRows().rows().get(0).reason()).contains("not a time of day");
  }

  /**
   * The values the driver's typed getters cannot return as they are: a zero year with a real month
   * and day (the getter gives year 0; the driver's text of the DATETIME(6) even says year 1), a
   * zero day (it throws), a negative TIME under a second (a negative Duration), next to values at
   * the edges that it must return unchanged.
   */
  @Test
  void temporalEdgesReadAsTheTextSaysWhateverTheDriverReturns() throws Exception {
    db.execute(
        "CREATE TABLE temporal_edges (id int primary key, d date, dt datetime(6),"
            + " ts timestamp(3) null, t time(6))",
        "SET SESSION sql_mode = ''",
        "INSERT INTO temporal_edges VALUES"
            + " (1, '0000-01-01', '0000-02-03 04:05:06', NULL, '00:00:00'),"
            + " (2, '2024-05-00', '2024-05-00 10:00:00', NULL, '23:59:59.999999'),"
            + " (3, NULL, NULL, '2024-01-03 10:00:00.5', NULL),"
            + " (4, '2024-01-04', '2024-01-04 00:00:00.000001', NULL, '-00:00:00.5'),"
            + " (5, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999',"
            + " '24:00:00')");
    TestConnectorContext context = new TestConnectorContext("edges-null");
    Map<String, Object> options = sourceOptions("temporal_edges");
    options.put("zeroDates", "null");
    assertThat(Jobs.read(options, context, 1))
        .extracting(r -> Arrays.asList(r))
        .containsExactly(
            Arrays.asList(1, null, null, null, LocalTime.MIDNIGHT),
            Arrays.asList(2, null, null, null, LocalTime.of(23, 59, 59, 999_999_000)),
            Arrays.asList(
                3,
                null,
                null,
                OffsetDateTime.of(2024, 1, 3, 10, 0, 0, 500_000_000, ZoneOffset.UTC),
                null),
            // 24:00:00 is Ferry's end of day.
            Arrays.asList(
                5,
                LocalDate.of(9999, 12, 31),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
                OffsetDateTime.of(2038, 1, 19, 3, 14, 7, 999_000_000, ZoneOffset.UTC),
                Values.END_OF_DAY));
    assertThat(context.dirtyRows().rows()).extracting(DirtyRow::column).containsExactly("t");
    assertThat(context.dirtyRows().rows())
        .extracting(DirtyRow::reason)
        .satisfiesExactly(r -> assertThat(r).contains("'-00:00:00.500000'", "not a time of day"));

    TestConnectorContext strict = new TestConnectorContext("edges-error");
    Map<String, Object> errorOptions = sourceOptions("temporal_edges");
    errorOptions.put("zeroDates", "error");
    assertThat(Jobs.read(errorOptions, strict, 1)).extracting(r -> r[0]).containsExactly(3, 5);
    List<DirtyRow> dirty = strict.dirtyRows().rows();
    assertThat(dirty).extracting(DirtyRow::column).containsExactly("d", "d", "t");
    assertThat(dirty.get(0).reason()).contains("zero date '0000-01-01'");
    assertThat(dirty.get(1).reason()).contains("zero month or day");

    // The DATETIME alone in year 0: a zero date named as MySQL shows it.
    db.execute(
        "SET SESSION sql_mode = ''",
        "CREATE TABLE zero_year (id int primary key, dt datetime(6))",
        "INSERT INTO zero_year VALUES (1, '0000-02-03 04:05:06'), (2, '0000-02-03 04:05:06.5'),"
            + " (3, '0001-02-03 04:05:06')");
    TestConnectorContext year = new TestConnectorContext("zero-year");
    assertThat(Jobs.read(sourceOptions("zero_year"), year, 1))
        .extracting(r -> r[1])
        .containsExactly(LocalDateTime.of(1, 2, 3, 4, 5, 6));
    assertThat(year.dirtyRows().rows())
        .extracting(DirtyRow::reason)
        .satisfiesExactly(
            r -> assertThat(r).contains("zero date '0000-02-03 04:05:06'"),
            r -> assertThat(r).contains("zero date '0000-02-03 04:05:06.500000'"));
  }

  @Test
  void tinyInt1AsInt8WhenAsked() throws Exception {
    db.execute(
        "CREATE TABLE flags (id int primary key, f tinyint(1))",
        "INSERT INTO flags VALUES (1, 1), (2, 7)");
    Map<String, Object> options = sourceOptions("flags");
    options.put("tinyInt1IsBoolean", false);
    TestConnectorContext context = new TestConnectorContext("flags");
    try (Source source = Jobs.source(options, context)) {
      assertThat(source.schema().column(1).type()).isEqualTo(DataType.INT8);
    }
    assertThat(Jobs.read(options, context, 1))
        .extracting(r -> r[1])
        .containsExactly((byte) 1, (byte) 7);
    // As booleans, 7 is no boolean: a dirty row that says which option to change.
    TestConnectorContext strict = new TestConnectorContext("flags-bool");
    assertThat(Jobs.read(sourceOptions("flags"), strict, 1)).hasSize(1);
    assertThat(strict.dirtyRows().rows().get(0).reason()).contains("tinyInt1IsBoolean");
  }

  static String columnList() {
    StringJoiner j = new StringJoiner(", ");
    SCHEMA.names().forEach(n -> j.add("`" + n + "`"));
    return j.toString();
  }
}
