package io.ferry.connector.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.ChangeScript;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Row key rules, value encodings (checked as raw bytes), NULL handling and discard. */
class HBaseSinkTest {
  private final TestConnectorContext context = new TestConnectorContext("hbase-sink");
  private final List<Sink> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(Sink::close);
  }

  private Sink sink(Map<String, Object> options) {
    Sink s = HBaseTestCluster.sink(options, context);
    opened.add(s);
    return s;
  }

  private static void write(Sink sink, Schema schema, Object[]... rows) {
    try (SinkWriter w = sink.createWriter(0)) {
      RowBatch b = new RowBatch(schema.size(), rows.length);
      for (Object[] r : rows) {
        b.addRow(r);
      }
      w.write(b);
      w.flush();
    }
  }

  private static Result get(String table, byte[] row) throws Exception {
    try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(table))) {
      return t.get(new Get(row).readAllVersions());
    }
  }

  private static byte[] cell(Result r, String qualifier) {
    return r.getValue(Bytes.toBytes("d"), Bytes.toBytes(qualifier));
  }

  @Test
  void encodesValuesAsBytesToBytesOrUtf8Text() throws Exception {
    String table = HBaseTestCluster.uniqueTable("enc");
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("i", DataType.INT32),
            Column.of("l", DataType.INT64),
            Column.of("f", DataType.FLOAT64),
            Column.of("b", DataType.BOOLEAN),
            Column.of("m", DataType.decimal(10, 3)),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("tz", DataType.TIMESTAMP_TZ),
            Column.of("day", DataType.DATE),
            Column.of("s", DataType.STRING),
            Column.of("txt", DataType.INT64));
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("createTable", true);
    o.put("family", "d");
    o.put("encoding", "binary");
    o.put("columns", List.of("id :key binary", "txt d:txt string"));
    Sink sink = sink(o);
    sink.prepare(schema);
    LocalDateTime ts = LocalDateTime.of(2024, 5, 1, 13, 45, 0, 123_000_000);
    OffsetDateTime tz = OffsetDateTime.of(2024, 5, 1, 13, 45, 0, 0, ZoneOffset.ofHours(8));
    write(
        sink,
        schema,
        new Object[] {
          42L,
          -7,
          Long.MAX_VALUE,
          2.5,
          true,
          new BigDecimal("-12.345"),
          ts,
          tz,
          LocalDate.of(2024, 2, 29),
          "héllo",
          99L
        });
    Result r = get(table, Bytes.toBytes(42L));
    assertThat(Bytes.toInt(cell(r, "i"))).isEqualTo(-7);
    assertThat(Bytes.toLong(cell(r, "l"))).isEqualTo(Long.MAX_VALUE);
    assertThat(Bytes.toDouble(cell(r, "f"))).isEqualTo(2.5);
    assertThat(Bytes.toBoolean(cell(r, "b"))).isTrue();
    assertThat(Bytes.toBigDecimal(cell(r, "m"))).isEqualTo(new BigDecimal("-12.345"));
    assertThat(Bytes.toLong(cell(r, "ts"))).isEqualTo(ts.toInstant(ZoneOffset.UTC).toEpochMilli());
    assertThat(Bytes.toLong(cell(r, "tz"))).isEqualTo(tz.toInstant().toEpochMilli());
    assertThat(Bytes.toInt(cell(r, "day"))).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
    assertThat(Bytes.toString(cell(r, "s"))).isEqualTo("héllo");
    assertThat(Bytes.toString(cell(r, "txt"))).isEqualTo("99");
    assertThat(cell(r, "id")).as("the key column is not written as a cell").isNull();
  }

  /**
   * Ferry's special temporal values (issue 14, items 6 and 7): the string encoding writes their
   * text, binary 24:00:00 is a whole day's nanoseconds, and a binary infinity, which the epoch day
   * would have wrapped, is a dirty row naming its column.
   */
  @Test
  void specialTemporalValuesAreTheirTextOrDirtyRowsInBinary() throws Exception {
    String table = HBaseTestCluster.uniqueTable("special");
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("t", DataType.TIME),
            Column.of("day", DataType.DATE),
            Column.of("text", DataType.DATE));
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("createTable", true);
    o.put("family", "d");
    o.put("encoding", "binary");
    o.put("columns", List.of("id :key binary", "text d:text string"));
    Sink sink = sink(o);
    sink.prepare(schema);
    write(
        sink,
        schema,
        new Object[] {1L, LocalTime.MAX, LocalDate.of(2024, 2, 29), LocalDate.MAX},
        new Object[] {2L, null, LocalDate.MIN, null});
    Result r = get(table, Bytes.toBytes(1L));
    assertThat(Bytes.toLong(cell(r, "t"))).isEqualTo(86_400_000_000_000L);
    assertThat(Bytes.toString(cell(r, "text"))).isEqualTo("infinity");
    assertThat(get(table, Bytes.toBytes(2L)).isEmpty()).isTrue();
    assertThat(context.dirtyRows().rows())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.column()).isEqualTo("day");
              assertThat(d.reason()).startsWith("-infinity cannot be a binary date");
            });
  }

  @Test
  void composesRowKeysWithSeparatorsAndPaddedWidths() throws Exception {
    Schema schema =
        Schema.of(
            Column.of("region", DataType.STRING),
            Column.of("no", DataType.INT32),
            Column.of("v", DataType.STRING));
    String sep = HBaseTestCluster.uniqueTable("sep");
    Map<String, Object> o = new HashMap<>();
    o.put("table", sep);
    o.put("createTable", true);
    o.put("family", "d");
    o.put("rowKey", Map.of("columns", List.of("region", "no"), "separator", "#"));
    Sink s1 = sink(o);
    s1.prepare(schema);
    write(s1, schema, new Object[] {"eu", 42, "a"}, new Object[] {"u#s", 1, "bad"});
    assertThat(Bytes.toString(cell(get(sep, Bytes.toBytes("eu#42")), "v"))).isEqualTo("a");
    assertThat(context.dirtyRows().rows())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.column()).isEqualTo("region");
              assertThat(d.reason()).contains("separator");
            });

    String fixed = HBaseTestCluster.uniqueTable("widths");
    o.put("table", fixed);
    o.put(
        "rowKey", Map.of("columns", List.of("region", "no"), "widths", List.of(4, 6), "pad", "0"));
    Sink s2 = sink(o);
    s2.prepare(schema);
    write(s2, schema, new Object[] {"eu", 42, "b"}, new Object[] {"toolong", 1, "x"});
    assertThat(Bytes.toString(cell(get(fixed, Bytes.toBytes("00eu000042")), "v"))).isEqualTo("b");
    assertThat(context.dirtyRows().rows()).hasSize(2);
    assertThat(context.dirtyRows().rows().get(1).reason()).contains("takes 7 bytes");

    // The source decomposes what the sink composed.
    Map<String, Object> read = new HashMap<>();
    read.put("table", fixed);
    read.put("columns", List.of("region string :key", "no int32 :key", "v string d:v"));
    read.put("rowKey", o.get("rowKey"));
    try (var source = HBaseTestCluster.source(read, context)) {
      assertThat(io.ferry.connector.testkit.Rows.readSequentially(source, source.planner().plan(1)))
          .singleElement()
          .satisfies(r -> assertThat(r).containsExactly("eu", 42, "b"));
    }
  }

  @Test
  void nullsAreSkippedOrDeleted() throws Exception {
    Schema schema =
        Schema.of(new Column("id", DataType.STRING, false), Column.of("v", DataType.STRING));
    String table = HBaseTestCluster.uniqueTable("nulls");
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("createTable", true);
    o.put("family", "d");
    o.put("rowKey", "id");
    Sink skip = sink(o);
    skip.prepare(schema);
    write(skip, schema, new Object[] {"k", "old"});
    write(skip, schema, new Object[] {"k", null});
    assertThat(Bytes.toString(cell(get(table, Bytes.toBytes("k")), "v"))).isEqualTo("old");

    o.put("nulls", "delete");
    Sink delete = sink(o);
    delete.prepare(schema);
    Thread.sleep(5); // a Delete and a Put in the same millisecond would mask each other
    write(delete, schema, new Object[] {"k", null});
    Result r = get(table, Bytes.toBytes("k"));
    assertThat(cell(r, "v")).isNull();
    assertThat(r.isEmpty()).as("the row stays, with its empty marker cell").isFalse();
  }

  @Test
  void discardDeletesTheRemainingKeyRange() throws Exception {
    Schema schema =
        Schema.of(new Column("id", DataType.INT64, false), Column.of("v", DataType.STRING));
    String table = HBaseTestCluster.uniqueTable("discard");
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("createTable", true);
    o.put("family", "d");
    o.put("columns", List.of("id :key string")); // string-encoded longs do not sort like numbers
    o.put("discardOnResume", true);
    Sink sink = sink(o);
    sink.prepare(schema);
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 30; i++) {
      rows.add(new Object[] {i, "v" + i});
    }
    write(sink, schema, rows.toArray(new Object[0][]));
    ((SinkResume.ByKeyRange) sink.resumeModel())
        .discard(
            new KeyRange(
                List.of("id"),
                List.of(DataType.INT64),
                new Object[] {9L},
                false,
                new Object[] {20L}));
    List<Long> left = new ArrayList<>();
    try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(table));
        ResultScanner s = t.getScanner(new Scan())) {
      for (Result r : s) {
        left.add(Long.parseLong(Bytes.toString(r.getRow())));
      }
    }
    left.sort(null);
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < 30; i++) {
      if (i <= 9 || i > 20) {
        expected.add(i);
      }
    }
    assertThat(left).isEqualTo(expected);
  }

  @Test
  void badMappingsAndMissingTablesNameTheirOption() {
    Schema schema =
        Schema.of(new Column("id", DataType.INT64, false), Column.of("v", DataType.STRING));
    Map<String, Object> o = new HashMap<>();
    o.put("table", HBaseTestCluster.uniqueTable("missing"));
    o.put("rowKey", "id");
    o.put("family", "d");
    Sink missing = sink(o);
    assertThat(missing.check())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("table"));
    FerryException e = catchThrowableOfType(FerryException.class, () -> missing.prepare(schema));
    assertThat(e.option()).isEqualTo("table");
    assertThat(e.getMessage()).contains("does not exist");

    String table = HBaseTestCluster.uniqueTable("fam");
    HBaseTestCluster.createTable(table, List.of("d"));
    o.put("table", table);
    o.put("family", "nope");
    Sink badFamily = sink(o);
    InvalidOptionsException f =
        catchThrowableOfType(InvalidOptionsException.class, () -> badFamily.prepare(schema));
    assertThat(f.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("columns");
              assertThat(p.message()).contains("no column family 'nope'");
            });

    o.remove("family");
    Sink unmapped = sink(o);
    InvalidOptionsException u =
        catchThrowableOfType(InvalidOptionsException.class, () -> unmapped.prepare(schema));
    assertThat(u.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("'v'"));

    o.remove("rowKey");
    InvalidOptionsException k = catchThrowableOfType(InvalidOptionsException.class, () -> sink(o));
    assertThat(k.problems()).extracting(p -> p.option()).contains("rowKey");
  }

  /**
   * A change batch applied by row key (twice: the second time as after a crash before the
   * checkpoint), in both delete modes, over a row already there; the table is read back.
   */
  @ParameterizedTest
  @EnumSource(ChangeWriter.DeleteMode.class)
  void changesPutAndDeleteRowsByKeyInLogOrder(ChangeWriter.DeleteMode mode) throws Exception {
    String table = HBaseTestCluster.uniqueTable("changes_" + mode);
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("createTable", true);
    o.put("family", "d");
    o.put("encoding", "string");
    o.put("rowKey", "id");
    Sink sink = sink(o);
    assertThat(sink.appliesChanges()).isTrue();
    List<RowChange> batch = new ChangeScript().batch();
    try (ChangeWriter writer = sink.changeWriter(ChangeScript.target(mode))) {
      try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(table))) {
        t.put(
            new Put(Bytes.toBytes("1"))
                .addColumn(Bytes.toBytes("d"), Bytes.toBytes("name"), Bytes.toBytes("old"))
                .addColumn(Bytes.toBytes("d"), Bytes.toBytes("qty"), Bytes.toBytes("0")));
      }
      for (int round = 0; round < 2; round++) {
        writer.apply(batch);
        writer.flush();
        Map<Long, List<Object>> read = new TreeMap<>();
        try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(table));
            ResultScanner scanner = t.getScanner(new Scan())) {
          for (Result r : scanner) {
            long id = Long.parseLong(Bytes.toString(r.getRow()));
            List<Object> values = new ArrayList<>();
            values.add(Bytes.toString(cell(r, "name")));
            byte[] qty = cell(r, "qty");
            values.add(qty == null ? null : Integer.parseInt(Bytes.toString(qty)));
            if (mode == ChangeWriter.DeleteMode.SOFT) {
              values.add(Boolean.parseBoolean(Bytes.toString(cell(r, ChangeScript.FLAG))));
              assertThat(cell(r, ChangeScript.TIME) != null)
                  .as("time of row %d", id)
                  .isEqualTo(ChangeScript.softDeleted().contains(id) || id == 99);
            }
            read.put(id, values);
          }
        }
        Map<Long, List<Object>> want = ChangeScript.expected(mode);
        if (mode == ChangeWriter.DeleteMode.SOFT) {
          // HBase cannot put only into a row that exists: a soft delete of a key never written
          // leaves a row of just the flag and the time.
          want.put(99L, java.util.Arrays.asList(null, null, true));
        }
        assertThat(read).as("round %d", round).isEqualTo(want);
      }
    }
  }

  @Test
  void changesNeedARowKeyOfTheTablesKey() {
    Map<String, Object> o = new HashMap<>();
    o.put("table", HBaseTestCluster.uniqueTable("changes_key"));
    o.put("createTable", true);
    o.put("family", "d");
    o.put("rowKey", "name");
    Sink sink = sink(o);
    InvalidOptionsException e =
        catchThrowableOfType(
            () -> sink.changeWriter(ChangeScript.target(ChangeWriter.DeleteMode.DELETE)),
            InvalidOptionsException.class);
    assertThat(e.problems().get(0).message()).contains("the table's key [id]");
  }
}
