package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Catalog.TableInfo;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.KeyRange;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resume on MariaDB without loss or duplicates: remainder, discard (rows written by LOAD DATA),
 * resume without truncation, and a crash in the middle of every split resumed from its checkpoint;
 * plus the catalog's indexes and refined column types.
 */
class MySqlResumeIT {
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("v", DataType.STRING));
  private static final Schema COMPOSITE =
      Schema.of(
          new Column("region", DataType.STRING, false),
          new Column("seq", DataType.INT32, false),
          Column.of("v", DataType.STRING));

  private static MariaDb db;
  private final TestConnectorContext context = new TestConnectorContext("resume");

  @BeforeAll
  static void createDatabase() throws Exception {
    db = MariaDb.create();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static List<Object[]> rows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      rows.add(new Object[] {i, "v" + i + (i % 7 == 0 ? "\t\\ü😀" : "")});
    }
    return rows;
  }

  private static List<Object[]> compositeRows() {
    List<Object[]> rows = new ArrayList<>();
    for (String region : List.of("ap", "eu", "us", "za")) {
      for (int seq = 1; seq <= 25; seq++) {
        rows.add(new Object[] {region, seq, region + seq});
      }
    }
    return rows;
  }

  private Map<String, Object> sinkOptions(String table, String writeMode) {
    Map<String, Object> options = db.options();
    options.put("table", table);
    options.put("writeMode", writeMode);
    options.put("batchSize", 7);
    return options;
  }

  private Map<String, Object> sourceOptions(String table, int batchSize) {
    Map<String, Object> options = db.options();
    options.put("table", table);
    options.put("batchSize", batchSize);
    return options;
  }

  private void createComposite(String table, boolean key) throws Exception {
    db.execute(
        "CREATE TABLE "
            + table
            + " (region varchar(8) NOT NULL, seq int NOT NULL, v longtext"
            + (key ? ", PRIMARY KEY (region, seq)" : "")
            + ")");
  }

  @Test
  void remainderOfFirstMiddleLastAndCompositeSplits() throws Exception {
    db.createAndFill("rem", SCHEMA, rows(400));
    Map<String, Object> options = sourceOptions("rem", 10);
    options.put("splitsPerChannel", 4);
    try (Source source = Jobs.source(options, context)) {
      List<Split> splits = source.planner().plan(1);
      assertThat(splits).hasSize(4);
      List<DataType> types = List.of(DataType.INT64);
      KeyRange first = source.remainder(splits.get(0), null).orElseThrow();
      assertThat(first.lower()).as("first split: open lower end").isNull();
      assertThat(first.upper()).isNotNull();
      KeyRange middle = source.remainder(splits.get(1), null).orElseThrow();
      assertThat(middle.lower())
          .as("middle split starts after the first's upper bound")
          .isEqualTo(first.upper());
      assertThat(middle.lowerInclusive()).isFalse();
      KeyRange last = source.remainder(splits.get(3), null).orElseThrow();
      assertThat(last.upper()).as("last split: open upper end").isNull();
      List<Rows.ReadBatch> batches = Rows.readBatches(source, splits.get(1), null);
      List<Object[]> firstBatch = batches.get(0).rows();
      assertThat(source.remainder(splits.get(1), batches.get(0).position()))
          .contains(
              new KeyRange(
                  List.of("id"),
                  types,
                  new Object[] {firstBatch.get(firstBatch.size() - 1)[0]},
                  false,
                  middle.upper()));
    }
    createComposite("crem", true);
    db.execute(
        "INSERT INTO crem SELECT ELT(1 + seq % 4, 'ap', 'eu', 'us', 'za'), seq, 'x'"
            + " FROM seq_1_to_100");
    try (Source source = Jobs.source(sourceOptions("crem", 5), context)) {
      List<Split> splits = source.planner().plan(1);
      Split second = splits.get(1);
      Rows.ReadBatch b = Rows.readBatches(source, second, null).get(0);
      Object[] lastRow = b.rows().get(b.rows().size() - 1);
      KeyRange range = source.remainder(second, b.position()).orElseThrow();
      assertThat(range.columns()).containsExactly("region", "seq");
      assertThat(range.types()).containsExactly(DataType.STRING, DataType.INT32);
      assertThat(range.lower()).containsExactly(lastRow[0], lastRow[1]);
    }
  }

  @Test
  void discardDeletesExactlyTheRangeOfRowsLoadDataWrote() throws Exception {
    db.execute("CREATE TABLE heap (id bigint NOT NULL, v longtext)");
    List<Object[]> all = rows(100);
    Jobs.write(sinkOptions("heap", "insert"), context, SCHEMA, all);
    try (Sink sink = Jobs.sink(sinkOptions("heap", "insert"), context)) {
      assertThat(sink.resumeModel().resumable()).isTrue();
      ((SinkResume.Resumable) sink.resumeModel()).reopen(SCHEMA);
      ((SinkResume.ByKeyRange) sink.resumeModel())
          .discard(
              new KeyRange(
                  List.of("id"),
                  List.of(DataType.INT64),
                  new Object[] {40L},
                  false,
                  new Object[] {70L}));
    }
    List<Object[]> expected =
        all.stream().filter(r -> (long) r[0] <= 40 || (long) r[0] > 70).toList();
    Rows.assertRowsEqual(SCHEMA, db.readAll("heap", SCHEMA), expected);

    createComposite("cheap", false);
    List<Object[]> composite = compositeRows();
    Jobs.write(sinkOptions("cheap", "insert"), context, COMPOSITE, composite);
    try (Sink sink = Jobs.sink(sinkOptions("cheap", "truncate-insert"), context)) {
      ((SinkResume.Resumable) sink.resumeModel()).reopen(COMPOSITE);
      assertThat(db.count("cheap")).as("resume does not truncate").isEqualTo(100);
      ((SinkResume.ByKeyRange) sink.resumeModel())
          .discard(
              new KeyRange(
                  List.of("region", "seq"),
                  List.of(DataType.STRING, DataType.INT32),
                  new Object[] {"eu", 20},
                  true,
                  new Object[] {"us", 3}));
    }
    List<Object[]> left = sorted(db.readAll("cheap", COMPOSITE));
    List<Object[]> want =
        composite.stream()
            .filter(
                r ->
                    !((r[0].equals("eu") && (int) r[1] >= 20)
                        || (r[0].equals("us") && (int) r[1] <= 3)))
            .toList();
    Rows.assertRowsEqual(COMPOSITE, left, sorted(want));
  }

  @Test
  void upsertDiscardKeepsRows() throws Exception {
    db.createAndFill("kept", SCHEMA, rows(20));
    try (Sink sink = Jobs.sink(sinkOptions("kept", "upsert"), context)) {
      ((SinkResume.Resumable) sink.resumeModel()).reopen(SCHEMA);
      ((SinkResume.ByKeyRange) sink.resumeModel())
          .discard(
              new KeyRange(List.of("id"), List.of(DataType.INT64), new Object[] {5L}, false, null));
    }
    assertThat(db.count("kept")).isEqualTo(20);
  }

  @Test
  void insertIntoATableWithoutKeyResumesWithoutLossOrDuplicates() throws Exception {
    crashAndResume("insert", false);
  }

  @Test
  void upsertResumesWithoutLossOrDuplicates() throws Exception {
    crashAndResume("upsert", true);
  }

  private void crashAndResume(String writeMode, boolean targetKey) throws Exception {
    String src = "src_" + writeMode;
    String dst = "dst_" + writeMode;
    List<Object[]> all = rows(2000);
    db.createAndFill(src, SCHEMA, all);
    db.execute(
        "CREATE TABLE "
            + dst
            + " (id bigint NOT NULL, v longtext"
            + (targetKey ? ", PRIMARY KEY (id)" : "")
            + ")");
    Map<String, Object> options = sourceOptions(src, 50);
    options.put("splitsPerChannel", 4);
    try (Source source = Jobs.source(options, context)) {
      List<Split> splits = source.planner().plan(2);
      assertThat(splits).hasSize(8);
      List<Position> checkpoints = new ArrayList<>();
      try (Sink first = Jobs.sink(sinkOptions(dst, writeMode), context)) {
        first.prepare(source.schema());
        for (int i = 0; i < splits.size(); i++) {
          checkpoints.add(writeHalfAndCrash(source, splits.get(i), i, first));
        }
      }
      assertThat(db.count(dst)).as("rows before the resume").isLessThan(2000);
      try (Sink second = Jobs.sink(sinkOptions(dst, writeMode), context)) {
        ((SinkResume.Resumable) second.resumeModel()).reopen(source.schema());
        for (int i = 0; i < splits.size(); i++) {
          ((SinkResume.ByKeyRange) second.resumeModel())
              .discard(source.remainder(splits.get(i), checkpoints.get(i)).orElseThrow());
        }
        try (SinkWriter writer = second.createWriter(0)) {
          for (int i = 0; i < splits.size(); i++) {
            for (Rows.ReadBatch b : Rows.readBatches(source, splits.get(i), checkpoints.get(i))) {
              writer.write(batch(source, b));
            }
          }
          writer.flush();
        }
        second.commit();
      }
    }
    assertThat(context.dirtyRows().rows()).isEmpty();
    Rows.assertRowsEqual(SCHEMA, db.readAll(dst, SCHEMA), all);
  }

  /** Nothing flushed for every third split, else half; one more batch committed past it. */
  private static Position writeHalfAndCrash(Source source, Split split, int index, Sink sink) {
    List<Rows.ReadBatch> batches = Rows.readBatches(source, split, null);
    int flushed = index % 3 == 0 ? 0 : batches.size() / 2;
    Position checkpoint = null;
    try (SinkWriter writer = sink.createWriter(0)) {
      for (int b = 0; b <= flushed && b < batches.size(); b++) {
        writer.write(batch(source, batches.get(b)));
        writer.flush();
        if (b < flushed) {
          checkpoint = batches.get(b).position();
        }
      }
    }
    return checkpoint;
  }

  private static RowBatch batch(Source source, Rows.ReadBatch read) {
    RowBatch batch = new RowBatch(source.schema().size(), Math.max(1, read.rows().size()));
    read.rows().forEach(r -> batch.addRow(r.clone()));
    return batch;
  }

  private static List<Object[]> sorted(List<Object[]> rows) {
    List<Object[]> copy = new ArrayList<>(rows);
    copy.sort(
        Comparator.<Object[], String>comparing(r -> (String) r[0])
            .thenComparing(r -> (Integer) r[1]));
    return copy;
  }

  @Test
  void catalogListsIndexesAndSeesJsonAndTinyint1() throws Exception {
    db.execute(
        "CREATE TABLE items (id bigint PRIMARY KEY, sku varchar(32), shop int, placed date,"
            + " doc json, flag tinyint(1), UNIQUE KEY items_sku (sku),"
            + " KEY items_shop_placed (shop, placed))");
    Connector connector = new MySqlConnector();
    Connector.Role<Catalog> role = connector.catalog().orElseThrow();
    try (Catalog catalog = role.create(role.options().parse(db.options()), context)) {
      TableInfo info = catalog.table(new TableRef(db.database, "items"));
      assertThat(info.primaryKey()).containsExactly("id");
      assertThat(info.indexes())
          .containsExactlyInAnyOrder(
              new Catalog.IndexInfo("items_sku", List.of("sku"), true),
              new Catalog.IndexInfo("items_shop_placed", List.of("shop", "placed"), false));
      assertThat(info.columns().get(4).type()).as("MariaDB json").isEqualTo(DataType.JSON);
      assertThat(info.columns().get(5).type()).as("tinyint(1)").isEqualTo(DataType.BOOLEAN);
    }
  }
}
