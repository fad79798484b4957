package io.ferry.connector.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.KeyRange;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Region splits, row-key rules, versions, scan batches and remainders against the cluster. */
class HBaseSourceTest {
  private final TestConnectorContext context = new TestConnectorContext("hbase-source");
  private final List<Source> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(Source::close);
  }

  private Source source(Map<String, Object> options) {
    Source s = HBaseTestCluster.source(options, context);
    opened.add(s);
    assertThat(s.check()).isEmpty();
    return s;
  }

  /** A table of {@code rows} rows keyed by binary longs, pre-split into {@code regions}. */
  private String longTable(int rows, int regions) throws Exception {
    String name = HBaseTestCluster.uniqueTable("longs");
    HBaseTestCluster.createTable(name, List.of("d"), HBaseTestCluster.idSplits(rows, regions));
    try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(name))) {
      List<Put> puts = new ArrayList<>();
      for (long i = 0; i < rows; i++) {
        puts.add(
            new Put(Bytes.toBytes(i))
                .addColumn(Bytes.toBytes("d"), Bytes.toBytes("v"), Bytes.toBytes("v" + i)));
      }
      t.put(puts);
    }
    return name;
  }

  private static Map<String, Object> longOptions(String table) {
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("columns", List.of("id int64 :key binary", "v string d:v"));
    o.put("batchSize", 37);
    return o;
  }

  @Test
  void oneSplitPerRegionReadsEveryRowExactlyOnce() throws Exception {
    String table = longTable(1000, 5);
    Source source = source(longOptions(table));
    List<Split> splits = source.planner().plan(2);
    assertThat(splits).hasSize(5);
    assertThat(splits).extracting(Split::id).doesNotHaveDuplicates();
    Map<String, List<Object[]>> bySplit = Rows.readConcurrently(source, splits, 3);
    Set<Long> ids = new HashSet<>();
    int count = 0;
    for (List<Object[]> rows : bySplit.values()) {
      for (Object[] row : rows) {
        ids.add((Long) row[0]);
        assertThat(row[1]).isEqualTo("v" + row[0]);
        count++;
      }
    }
    assertThat(count).isEqualTo(1000);
    assertThat(ids).hasSize(1000);
    // Each region's split holds exactly its range of ids.
    for (int i = 0; i < splits.size(); i++) {
      List<Object[]> rows = Rows.readSplit(source, splits.get(i));
      assertThat(rows).hasSize(200);
      assertThat(rows.get(0)[0]).isEqualTo((long) i * 200);
    }
  }

  @Test
  void startAndStopRowClipTheRegions() throws Exception {
    String table = longTable(1000, 5);
    Map<String, Object> o = longOptions(table);
    o.put("startRow", Bytes.toStringBinary(Bytes.toBytes(150L)));
    o.put("stopRow", Bytes.toStringBinary(Bytes.toBytes(650L)));
    Source source = source(o);
    List<Split> splits = source.planner().plan(1);
    assertThat(splits).hasSize(4); // [150,200) [200,400) [400,600) [600,650)
    List<Object[]> rows = Rows.readSequentially(source, splits);
    assertThat(rows).hasSize(500);
    assertThat(rows.get(0)[0]).isEqualTo(150L);
    assertThat(rows.get(499)[0]).isEqualTo(649L);
  }

  @Test
  void splitKeysAndEvenPartsCutRegionsFurther() throws Exception {
    String table = longTable(1000, 2);
    Map<String, Object> o = longOptions(table);
    o.put("splitKeys", List.of(Bytes.toStringBinary(Bytes.toBytes(100L))));
    Source source = source(o);
    List<Split> splits = source.planner().plan(1);
    assertThat(splits).hasSize(3);
    assertThat(Rows.readSplit(source, splits.get(0))).hasSize(100);
    assertThat(Rows.readSequentially(source, splits)).hasSize(1000);

    o.put("splitBy", "keys");
    o.put("splitKeys", List.of(Bytes.toStringBinary(Bytes.toBytes(700L))));
    Source byKeys = source(o);
    List<Split> keySplits = byKeys.planner().plan(1);
    assertThat(keySplits).hasSize(2);
    assertThat(Rows.readSplit(byKeys, keySplits.get(0))).hasSize(700);

    o.remove("splitKeys");
    o.put("splitBy", "region");
    o.put("splitsPerRegion", 4);
    Source even = source(o);
    List<Split> evenSplits = even.planner().plan(1);
    assertThat(evenSplits.size()).isGreaterThanOrEqualTo(4);
    List<Object[]> all = Rows.readSequentially(even, evenSplits);
    assertThat(all).hasSize(1000);
    assertThat(all.stream().map(r -> r[0]).distinct().count()).isEqualTo(1000);
  }

  @Test
  void resumesAfterEveryPositionOfARegion() throws Exception {
    String table = longTable(300, 3);
    Source source = source(longOptions(table));
    for (Split split : source.planner().plan(1)) {
      List<Rows.ReadBatch> full = Rows.readBatches(source, split, null);
      for (int k = 1; k <= full.size(); k++) {
        Position p = full.get(k - 1).position();
        List<Object[]> resumed = new ArrayList<>(Rows.rowsOf(full.subList(0, k)));
        resumed.addAll(Rows.rowsOf(Rows.readBatches(source, split, p)));
        assertThat(resumed).hasSize(100);
        assertThat(resumed.stream().map(r -> r[0]).distinct().count()).isEqualTo(100);
      }
    }
  }

  @Test
  void remainderIsTheRestOfTheSplitAsAnIdRange() throws Exception {
    String table = longTable(300, 3);
    Source source = source(longOptions(table));
    List<Split> splits = source.planner().plan(1);
    Split middle = splits.get(1);
    Optional<KeyRange> whole = source.remainder(middle, null);
    assertThat(whole).isPresent();
    assertThat(whole.get().columns()).containsExactly("id");
    assertThat(whole.get().types()).containsExactly(DataType.INT64);
    assertThat(whole.get().lower()).containsExactly(100L);
    assertThat(whole.get().lowerInclusive()).isTrue();
    assertThat(whole.get().upper()).containsExactly(199L);

    Position after = Rows.readBatches(source, middle, null).get(0).position();
    KeyRange rest = source.remainder(middle, after).orElseThrow();
    assertThat(rest.lower()).containsExactly(136L); // batches of 37 rows
    assertThat(rest.lowerInclusive()).isFalse();
    assertThat(rest.upper()).containsExactly(199L);

    // The last split, read to its end, has nothing left.
    Split last = splits.get(2);
    List<Rows.ReadBatch> all = Rows.readBatches(source, last, null);
    assertThat(source.remainder(last, all.get(all.size() - 1).position())).isEmpty();
  }

  @Test
  void decomposesRowKeysBySeparatorAndByWidths() throws Exception {
    String table = HBaseTestCluster.uniqueTable("composite");
    HBaseTestCluster.createTable(table, List.of("d"));
    try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(table))) {
      t.put(
          List.of(
              new Put(Bytes.toBytes("eu|0042|x|y")).addColumn(d(), q("n"), Bytes.toBytes("a")),
              new Put(Bytes.toBytes("us|0007|z")).addColumn(d(), q("n"), Bytes.toBytes("b"))));
    }
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put(
        "columns",
        List.of("region string :key", "no int32 :key", "rest string :key", "n string d:n"));
    o.put("rowKey", Map.of("columns", List.of("region", "no", "rest"), "separator", "|"));
    List<Object[]> rows = Rows.readSequentially(source(o), source(o).planner().plan(1));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).containsExactly("eu", 42, "x|y", "a");
    assertThat(rows.get(1)).containsExactly("us", 7, "z", "b");

    String fixed = HBaseTestCluster.uniqueTable("fixed");
    HBaseTestCluster.createTable(fixed, List.of("d"));
    try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(fixed))) {
      t.put(
          new Put(Bytes.add(Bytes.toBytes("  ab"), Bytes.toBytes(7L), Bytes.toBytes("tail")))
              .addColumn(d(), q("n"), Bytes.toBytes("c")));
    }
    o.put("table", fixed);
    o.put("columns", List.of("code string :key", "no int64 :key binary", "rest string :key"));
    o.put(
        "rowKey",
        Map.of("columns", List.of("code", "no", "rest"), "widths", List.of(4, 8, 0), "pad", " "));
    Source widths = source(o);
    assertThat(Rows.readSequentially(widths, widths.planner().plan(1)))
        .singleElement()
        .satisfies(r -> assertThat(r).containsExactly("ab", 7L, "tail"));
  }

  @Test
  void readsVersionsAndTimeRanges() throws Exception {
    String table = HBaseTestCluster.uniqueTable("versions");
    HBaseTestCluster.createTable(table, List.of("d"));
    try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(table))) {
      for (long ts = 1000; ts <= 3000; ts += 1000) {
        t.put(new Put(Bytes.toBytes("r1")).addColumn(d(), q("v"), ts, Bytes.toBytes("at" + ts)));
      }
    }
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put(
        "columns",
        List.of(
            "k string :key",
            "latest string d:v",
            Map.of(
                "name", "history", "type", "array<string>", "column", "d:v", "allVersions", true)));
    o.put("versions", 3);
    Source all = source(o);
    assertThat(Rows.readSequentially(all, all.planner().plan(1)))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsExactly("r1", "at3000", List.of("at3000", "at2000", "at1000")));
    o.put("minTimestamp", 1000L);
    o.put("maxTimestamp", 2500L);
    Source range = source(o);
    assertThat(Rows.readSequentially(range, range.planner().plan(1)))
        .singleElement()
        .satisfies(r -> assertThat(r).containsExactly("r1", "at2000", List.of("at2000", "at1000")));
  }

  @Test
  void joinsRowsCutByScanBatchAndResumesBetweenThem() throws Exception {
    String table = HBaseTestCluster.uniqueTable("wide");
    HBaseTestCluster.createTable(table, List.of("d"));
    List<Object> columns = new ArrayList<>(List.of("k string :key"));
    try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(table))) {
      for (int r = 0; r < 10; r++) {
        Put p = new Put(Bytes.toBytes("row" + r));
        for (int c = 0; c < 7; c++) {
          p.addColumn(d(), q("c" + c), Bytes.toBytes(r * 10 + c));
        }
        t.put(p);
      }
    }
    for (int c = 0; c < 7; c++) {
      columns.add("c" + c + " int32 d:c" + c + " binary");
    }
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("columns", columns);
    o.put("scanBatch", 3);
    o.put("caching", 2);
    o.put("batchSize", 3);
    Source source = source(o);
    Split split = source.planner().plan(1).get(0);
    List<Rows.ReadBatch> batches = Rows.readBatches(source, split, null);
    List<Object[]> rows = Rows.rowsOf(batches);
    assertThat(rows).hasSize(10);
    for (int r = 0; r < 10; r++) {
      assertThat(rows.get(r)[0]).isEqualTo("row" + r);
      for (int c = 0; c < 7; c++) {
        assertThat(rows.get(r)[c + 1]).isEqualTo(r * 10 + c);
      }
    }
    List<Object[]> resumed = new ArrayList<>(Rows.rowsOf(batches.subList(0, 2)));
    resumed.addAll(Rows.rowsOf(Rows.readBatches(source, split, batches.get(1).position())));
    Rows.assertRowsEqual(source.schema(), resumed, rows);
  }

  @Test
  void aValueThatDoesNotDecodeIsADirtyRowNamingTheColumn() throws Exception {
    String table = HBaseTestCluster.uniqueTable("dirty");
    HBaseTestCluster.createTable(table, List.of("d"));
    try (Table t = HBaseTestCluster.connection().getTable(TableName.valueOf(table))) {
      t.put(
          List.of(
              new Put(Bytes.toBytes("a")).addColumn(d(), q("n"), Bytes.toBytes(1L)),
              new Put(Bytes.toBytes("b")).addColumn(d(), q("n"), Bytes.toBytes(2)),
              new Put(Bytes.toBytes("c")).addColumn(d(), q("n"), Bytes.toBytes(3L)),
              new Put(Bytes.toBytes("d")).addColumn(d(), q("s"), new byte[] {(byte) 0xC3})));
    }
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("columns", List.of("k string :key", "n int64 d:n binary", "s string d:s"));
    Source source = source(o);
    SplitReader reader = source.openReader(source.planner().plan(1).get(0), null);
    List<Object[]> rows = new ArrayList<>();
    for (RowBatch b = reader.next(); b != null; b = reader.next()) {
      for (int r = 0; r < b.size(); r++) {
        rows.add(b.row(r));
      }
    }
    reader.close();
    assertThat(rows).extracting(r -> r[0]).containsExactly("a", "c");
    assertThat(context.dirtyRows().rows()).hasSize(2);
    var bad = context.dirtyRows().rows().get(0);
    assertThat(bad.column()).isEqualTo("n");
    assertThat(bad.location()).contains("row=b");
    assertThat(bad.reason()).contains("int64").contains("takes 8 bytes").contains("holds 4");
    var text = context.dirtyRows().rows().get(1);
    assertThat(text.column()).isEqualTo("s");
    assertThat(text.reason()).contains("not UTF-8");
  }

  private static byte[] d() {
    return Bytes.toBytes("d");
  }

  private static byte[] q(String q) {
    return Bytes.toBytes(q);
  }
}
