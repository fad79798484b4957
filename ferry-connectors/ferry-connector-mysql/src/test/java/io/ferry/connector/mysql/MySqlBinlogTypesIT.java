package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.Connector;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every type of the batch type-mapping table (README), read through the batch source and through
 * the binlog, must give the same Ferry values: the same schema, and per column values equal with
 * {@code Objects.deepEquals} (so also a TIMESTAMP's offset and a DECIMAL's scale). The server runs
 * at +03:00, the job at +08:00. Rows: all NULL, maxima, minima and negative decimals, zero dates
 * (zeroDates: null), TIME 24:00:00.
 */
class MySqlBinlogTypesIT {
  private static BinlogDb db;

  private static final ZoneId JOB_ZONE = ZoneOffset.ofHours(8);

  private static final String COLUMNS =
      "id int primary key, b1 tinyint(1), bit1 bit(1), bit8 bit(8), bit12 bit(12), ti tinyint,"
          + " tiu tinyint unsigned, si smallint, siu smallint unsigned, mi mediumint, miu"
          + " mediumint unsigned, i int, iu int unsigned, bi bigint, biu bigint unsigned, d"
          + " decimal(65,30), d38 decimal(38,10), d5 decimal(5,2), f float, db double, c char(10),"
          + " vc varchar(100), tx text, mt mediumtext, lt longtext, l1 varchar(20) character set"
          + " latin1, e enum('a','b','c d'), st set('x','y','z'), j json, bin binary(4), vb"
          + " varbinary(300), bl blob, lb longblob, dt date, dtm datetime(6), dt0 datetime, ts"
          + " timestamp(6) null, ts0 timestamp null, tm time(6), tm0 time, y year";

  private static final byte[] ALL_BYTES = new byte[256];

  static {
    for (int i = 0; i < 256; i++) {
      ALL_BYTES[i] = (byte) i;
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    db = new BinlogDb();
    db.tx("CREATE TABLE types (" + COLUMNS + ")");
  }

  @AfterAll
  static void tearDown() throws Exception {
    db.close();
  }

  private static final String[] ROWS = {
    "INSERT INTO types (id) VALUES (1)",
    "INSERT INTO types VALUES (2, 1, b'1', b'11111111', b'101000000001', 127, 255, 32767, 65535,"
        + " 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807,"
        + " 18446744073709551615,"
        + " 99999999999999999999999999999999999.999999999999999999999999999999,"
        + " 1234567890123456789012345678.0123456789, 999.99,"
        + " 3.4028234663852886e38, 1.7976931348623157e308, 'char \uD83D\uDE80',"
        + " 'tab\\tnl\\ncr\\rbs\\\\ \uD83D\uDE00', 'text', 'medium \u4E2D', 'long', 'caf\u00E9 \u20AC',"
        + " 'c d', 'x,z', '{\"a\": [1, 2.50, \"\uD83D\uDE80\"], \"b\": null}', X'00FF0A00',"
        + " X'"
        + HexFormat.of().formatHex(ALL_BYTES)
        + "', X'', REPEAT('ab', 40000), '9999-12-31', '9999-12-31 23:59:59.999999',"
        + " '2024-02-29 12:34:56', '2038-01-19 03:14:07.999999', '2024-05-01 12:00:00',"
        + " '23:59:59.999999', '24:00:00', 2155)",
    "INSERT INTO types VALUES (3, 0, b'0', b'00000000', b'000000000001', -128, 0, -32768, 0,"
        + " -8388608, 0, -2147483648, 0, -9223372036854775808, 0,"
        + " -99999999999999999999999999999999999.999999999999999999999999999999,"
        + " -1234567890123456789012345678.0123456789, -0.01,"
        + " -1.17549435e-38, 2.2250738585072014e-308, '', '', '', '', '', '', 'a', '', '[]',"
        + " X'00000000', X'', X'00', X'00', '0001-01-01', '1000-01-01 00:00:00.000001',"
        + " '1970-01-01 00:00:00', '1970-01-01 03:00:01.000001', '2000-01-01 00:00:00',"
        + " '00:00:00', '00:00:01', 0)",
    "INSERT INTO types (id, dt, dtm, dt0, ts, ts0, y) VALUES (4, '0000-00-00', '0000-00-00"
        + " 00:00:00', '2024-00-10 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00',"
        + " '0000')"
  };

  private static Map<String, Object> options(String zeroDates) {
    return db.options("tables", List.of("types"), "zeroDates", zeroDates);
  }

  private static List<Object[]> batch(Map<String, Object> options, ConnectorContext context) {
    Map<String, Object> o = new java.util.LinkedHashMap<>(options);
    o.remove("tables");
    o.put("table", "types");
    o.put("where", "id < 10");
    Connector.Role<Source> role = new MySqlConnector().source().orElseThrow();
    try (Source source = role.create(role.options().parse(o), context)) {
      assertThat(source.check()).isEmpty();
      List<Object[]> rows =
          new ArrayList<>(Rows.readSequentially(source, source.planner().plan(1)));
      rows.sort(Comparator.comparing(r -> (Integer) r[0]));
      return rows;
    }
  }

  private static Schema batchSchema(Map<String, Object> options, ConnectorContext context) {
    Map<String, Object> o = new java.util.LinkedHashMap<>(options);
    o.remove("tables");
    o.put("table", "types");
    o.put("where", "id < 10");
    Connector.Role<Source> role = new MySqlConnector().source().orElseThrow();
    try (Source source = role.create(role.options().parse(o), context)) {
      return source.schema();
    }
  }

  @Test
  void everyTypeReadsTheSameFromTheLogAsFromTheBatchSource() throws Exception {
    ConnectorContext context = BinlogDb.context("binlog-types", JOB_ZONE);
    Map<String, Object> options = options("null");
    try (ChangeSource source = BinlogDb.changeSource(options, context)) {
      Position start = source.currentPosition();
      db.sql("SET SESSION sql_mode = ''");
      try (var c = db.connect();
          var s = c.createStatement()) {
        s.execute("SET SESSION sql_mode = ''");
        for (String row : ROWS) {
          s.execute(row);
        }
      }
      List<Object[]> expected = batch(options, context);
      assertThat(expected).hasSize(ROWS.length);
      Schema schema = batchSchema(options, context);
      List<RowChange> changes;
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        changes = BinlogDb.read(reader, ROWS.length).stream().map(RowChange.class::cast).toList();
      }
      assertThat(changes.get(0).schema().columns()).isEqualTo(schema.columns());
      List<Object[]> actual = changes.stream().map(RowChange::after).toList();
      for (int r = 0; r < expected.size(); r++) {
        for (int i = 0; i < schema.size(); i++) {
          Object want = expected.get(r)[i];
          Object got = actual.get(r)[i];
          assertThat(Objects.deepEquals(want, got))
              .as(
                  "row %d column %s (%s): batch %s (%s), log %s (%s)",
                  r + 1,
                  schema.column(i).name(),
                  schema.column(i).type(),
                  abbreviate(want),
                  want == null ? null : want.getClass().getSimpleName(),
                  abbreviate(got),
                  got == null ? null : got.getClass().getSimpleName())
              .isTrue();
        }
      }
      Rows.assertRowsEqual(schema, actual, expected);
      // The zero dates of row 4 read as NULL, as the batch source reads them.
      assertThat(actual.get(3)[schema.indexOf("dt")]).isNull();
    }
  }

  @Test
  void zeroDatesUnderErrorAndTimesOutsideADayAreDirtyRowsAsInTheBatchSource() throws Exception {
    TestConnectorContext context = new TestConnectorContext("binlog-zero");
    try (ChangeSource source = BinlogDb.changeSource(options("error"), context)) {
      Position start = source.currentPosition();
      try (var c = db.connect();
          var s = c.createStatement()) {
        s.execute("SET SESSION sql_mode = ''");
        s.execute("INSERT INTO types (id, dt) VALUES (10, '0000-00-00')");
        s.execute("INSERT INTO types (id, tm) VALUES (12, '-01:02:03.5')");
        s.execute("INSERT INTO types (id, tm) VALUES (13, '838:59:59')");
        s.execute("INSERT INTO types (id, dt) VALUES (11, '2024-01-02')");
      }
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        List<ChangeEvent> events = BinlogDb.read(reader, 1);
        assertThat(((RowChange) events.get(0)).after()[0]).isEqualTo(11);
      }
      List<DirtyRow> dirty = context.dirtyRows().rows();
      assertThat(dirty).hasSize(3);
      assertThat(dirty.get(0).column()).isEqualTo("dt");
      assertThat(dirty.get(0).reason()).contains("zero date '0000-00-00'").contains("zeroDates");
      // TIME outside a day: the batch source's message, naming the value as MySQL shows it.
      assertThat(dirty.get(1).column()).isEqualTo("tm");
      assertThat(dirty.get(1).reason()).contains("TIME '-01:02:03.500000' is not a time of day");
      assertThat(dirty.get(2).reason()).contains("TIME '838:59:59' is not a time of day");
    }
  }

  private static String abbreviate(Object v) {
    String s = v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v);
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
