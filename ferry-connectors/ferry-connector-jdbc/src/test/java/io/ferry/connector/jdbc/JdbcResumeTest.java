package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Resume without loss or duplicates, engine-free: {@code remainder} names what is left of a split,
 * {@code discard} removes what an interrupted attempt wrote past the checkpoint, {@code resume}
 * destroys nothing; then a simulated crash in the middle of every split, resumed, must leave the
 * target equal to the source.
 */
class JdbcResumeTest {
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("v", DataType.STRING));
  private static final Schema COMPOSITE =
      Schema.of(
          new Column("region", DataType.STRING, false),
          new Column("seq", DataType.INT32, false),
          Column.of("v", DataType.STRING));

  private final H2Database db = new H2Database("resume");
  private final TestConnectorContext context = new TestConnectorContext("resume");

  private static List<Object[]> rows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      rows.add(new Object[] {i, "v" + i});
    }
    return rows;
  }

  private static List<Object[]> compositeRows() {
    List<Object[]> rows = new ArrayList<>();
    for (String region : List.of("a", "b", "c", "d")) {
      for (int seq = 1; seq <= 10; seq++) {
        rows.add(new Object[] {region, seq, region + seq});
      }
    }
    return rows;
  }

  private Source source(String table, int batchSize) {
    Map<String, Object> options = db.options(table);
    options.put("batchSize", batchSize);
    options.put("splitsPerChannel", 4);
    return Jdbc.source(new GenericJdbcConnector(), options, context);
  }

  private Sink sink(Connector connector, String table, String writeMode) {
    Map<String, Object> options = db.options(table);
    options.put("writeMode", writeMode);
    options.put("batchSize", 7);
    return Jdbc.sink(connector, options, context);
  }

  private static H2MergeConnector merge() {
    return new H2MergeConnector(new H2MergeConnector.H2MergeDialect(true));
  }

  // ---- remainder -----------------------------------------------------------------------------

  @Test
  void remainderOfFirstMiddleAndLastSplitsUsesTheirBoundsAndThePosition() throws Exception {
    db.create("src", SCHEMA, "id");
    db.insert("src", SCHEMA, rows(400));
    try (Source source = source("src", 10)) {
      List<Split> splits = source.planner().plan(1);
      assertThat(splits).as("even ranges of 1..400").hasSize(4);
      JdbcSplit first = (JdbcSplit) splits.get(0);
      JdbcSplit middle = (JdbcSplit) splits.get(1);
      JdbcSplit last = (JdbcSplit) splits.get(3);
      List<DataType> types = List.of(DataType.INT64);

      assertThat(source.remainder(first, null))
          .contains(new KeyRange(List.of("id"), types, null, false, first.upper()));
      // The split's lower bound is the previous split's last key: exclusive, never inclusive,
      // or discarding would delete a row of a finished split.
      assertThat(source.remainder(middle, null))
          .contains(new KeyRange(List.of("id"), types, middle.lower(), false, middle.upper()));
      assertThat(source.remainder(last, null))
          .contains(new KeyRange(List.of("id"), types, last.lower(), false, null));

      List<Rows.ReadBatch> batches = Rows.readBatches(source, middle, null);
      Position afterTwo = batches.get(1).position();
      Object lastKeyRead = batches.get(1).rows().get(batches.get(1).rows().size() - 1)[0];
      assertThat(source.remainder(middle, afterTwo))
          .contains(
              new KeyRange(
                  List.of("id"), types, new Object[] {lastKeyRead}, false, middle.upper()));
    }
  }

  @Test
  void remainderOfACompositeKeySplitNamesEveryKeyColumn() throws Exception {
    db.create("comp", COMPOSITE, "region", "seq");
    db.insert("comp", COMPOSITE, compositeRows());
    try (Source source = source("comp", 3)) {
      List<Split> splits = source.planner().plan(1);
      assertThat(splits).hasSizeGreaterThan(2);
      JdbcSplit second = (JdbcSplit) splits.get(1);
      List<Rows.ReadBatch> batches = Rows.readBatches(source, second, null);
      Position afterFirst = batches.get(0).position();
      Object[] lastRow = batches.get(0).rows().get(batches.get(0).rows().size() - 1);
      KeyRange range = source.remainder(second, afterFirst).orElseThrow();
      assertThat(range)
          .isEqualTo(
              new KeyRange(
                  List.of("region", "seq"),
                  List.of(DataType.STRING, DataType.INT32),
                  new Object[] {lastRow[0], lastRow[1]},
                  false,
                  second.upper()));
    }
  }

  @Test
  void unkeyedAndQuerySplitsHaveNoRemainder() throws Exception {
    db.create("heap", SCHEMA);
    db.insert("heap", SCHEMA, rows(20));
    try (Source source = source("heap", 5)) {
      Split all = source.planner().plan(1).get(0);
      Position afterOne = Rows.readBatches(source, all, null).get(0).position();
      assertThat(source.remainder(all, null)).isEmpty();
      assertThat(source.remainder(all, afterOne)).isEmpty();
    }
    Map<String, Object> options = Map.of("url", db.url, "query", "SELECT * FROM \"heap\"");
    try (Source source = Jdbc.source(new GenericJdbcConnector(), options, context)) {
      assertThat(source.remainder(source.planner().plan(1).get(0), null)).isEmpty();
    }
  }

  // ---- discard -------------------------------------------------------------------------------

  @Test
  void discardDeletesExactlyTheRangeInInsertMode() throws Exception {
    db.create("target", SCHEMA); // no unique key: duplicates would stay
    db.insert("target", SCHEMA, rows(100));
    List<DataType> types = List.of(DataType.INT64);
    try (Sink sink = sink(new GenericJdbcConnector(), "target", "insert")) {
      assertThat(sink.resumeModel().resumable()).isTrue();
      ((SinkResume.Resumable) sink.resumeModel()).reopen(SCHEMA);
      ((SinkResume.ByKeyRange) sink.resumeModel())
          .discard(
              new KeyRange(List.of("id"), types, new Object[] {40L}, false, new Object[] {70L}));
      assertThat(ids("target")).as("after discarding (40, 70]").isEqualTo(idsWithout(100, 41, 70));
      ((SinkResume.ByKeyRange) sink.resumeModel())
          .discard(new KeyRange(List.of("id"), types, null, false, new Object[] {10L}));
      assertThat(ids("target")).doesNotContain(1L, 10L).contains(11L);
      ((SinkResume.ByKeyRange) sink.resumeModel())
          .discard(new KeyRange(List.of("id"), types, new Object[] {95L}, true, null));
      assertThat(ids("target")).doesNotContain(95L, 100L).contains(94L);
      assertThat(ids("target")).hasSize(100 - 30 - 10 - 6);
    }
  }

  @Test
  void discardDeletesACompositeKeyRangeWithBothBounds() throws Exception {
    db.create("ctarget", COMPOSITE);
    List<Object[]> all = compositeRows();
    db.insert("ctarget", COMPOSITE, all);
    KeyRange range =
        new KeyRange(
            List.of("region", "seq"),
            List.of(DataType.STRING, DataType.INT32),
            new Object[] {"b", 5},
            false,
            new Object[] {"c", 3});
    try (Sink sink = sink(new GenericJdbcConnector(), "ctarget", "truncate-insert")) {
      ((SinkResume.Resumable) sink.resumeModel()).reopen(COMPOSITE);
      ((SinkResume.ByKeyRange) sink.resumeModel()).discard(range);
    }
    List<Object[]> expected = new ArrayList<>();
    for (Object[] row : all) {
      boolean inRange =
          (row[0].equals("b") && (int) row[1] > 5) || (row[0].equals("c") && (int) row[1] <= 3);
      if (!inRange) {
        expected.add(row);
      }
    }
    Rows.assertSameRows(COMPOSITE, readComposite("ctarget"), expected);
  }

  @Test
  void discardWithRowValueComparisonDeletesTheSameRows() throws Exception {
    db.create("rtarget", COMPOSITE);
    db.insert("rtarget", COMPOSITE, compositeRows());
    KeyRange range =
        new KeyRange(
            List.of("region", "seq"),
            List.of(DataType.STRING, DataType.INT32),
            new Object[] {"a", 9},
            true,
            new Object[] {"b", 2});
    try (Sink sink = sink(new RowValueConnector(), "rtarget", "insert")) {
      ((SinkResume.Resumable) sink.resumeModel()).reopen(COMPOSITE);
      ((SinkResume.ByKeyRange) sink.resumeModel()).discard(range);
    }
    List<Object[]> left = readComposite("rtarget");
    assertThat(left).hasSize(40 - 4);
    assertThat(left)
        .noneMatch(
            r -> (r[0].equals("a") && (int) r[1] >= 9) || (r[0].equals("b") && (int) r[1] <= 2));
  }

  @Test
  void discardInUpsertModeKeepsEveryRow() throws Exception {
    db.create("utarget", SCHEMA, "id");
    db.insert("utarget", SCHEMA, rows(50));
    try (Sink sink = sink(merge(), "utarget", "upsert")) {
      ((SinkResume.Resumable) sink.resumeModel()).reopen(SCHEMA);
      ((SinkResume.ByKeyRange) sink.resumeModel())
          .discard(
              new KeyRange(
                  List.of("id"), List.of(DataType.INT64), new Object[] {10L}, false, null));
    }
    assertThat(db.count("\"utarget\"")).isEqualTo(50);
  }

  @Test
  void resumeNeitherTruncatesNorRunsPreSql() throws Exception {
    db.create("kept", SCHEMA);
    db.insert("kept", SCHEMA, rows(30));
    db.execute("CREATE TABLE \"log\" (n INT)");
    Map<String, Object> options = db.options("kept");
    options.put("writeMode", "truncate-insert");
    options.put("preSql", "INSERT INTO \"log\" VALUES (1)");
    try (Sink sink = Jdbc.sink(new GenericJdbcConnector(), options, context)) {
      ((SinkResume.Resumable) sink.resumeModel()).reopen(SCHEMA);
      try (SinkWriter writer = sink.createWriter(0)) {
        RowBatch batch = new RowBatch(2, 1);
        batch.addRow(new Object[] {31L, "v31"});
        writer.write(batch);
        writer.flush();
      }
      sink.commit();
    }
    Rows.assertRowsEqual(SCHEMA, db.read("kept", SCHEMA, "id"), rows(31));
    assertThat(db.count("\"log\"")).as("preSql runs").isZero();
  }

  @Test
  void resumeCreatesAMissingTableOnlyWhenAsked() throws Exception {
    Map<String, Object> options = db.options("fresh");
    options.put("createTable", true);
    try (Sink sink = Jdbc.sink(new GenericJdbcConnector(), options, context)) {
      ((SinkResume.Resumable) sink.resumeModel()).reopen(SCHEMA);
    }
    assertThat(db.count("\"fresh\"")).isZero();
  }

  // ---- crash and resume ----------------------------------------------------------------------

  @Test
  void insertModeWithoutUniqueKeyResumesWithoutLossOrDuplicates() throws Exception {
    crashAndResume(new GenericJdbcConnector(), "insert", false);
  }

  @Test
  void upsertModeResumesWithoutLossOrDuplicates() throws Exception {
    crashAndResume(merge(), "upsert", true);
  }

  @Test
  void compositeKeysWithRowValuesResumeWithoutLossOrDuplicates() throws Exception {
    db.create("csrc", COMPOSITE, "region", "seq");
    List<Object[]> all = compositeRows();
    db.insert("csrc", COMPOSITE, all);
    db.create("cdst", COMPOSITE);
    Map<String, Object> options = db.options("csrc");
    options.put("batchSize", 2);
    try (Source source = Jdbc.source(new RowValueConnector(), options, context)) {
      List<Split> splits = source.planner().plan(1);
      try (Sink first = sink(new RowValueConnector(), "cdst", "insert")) {
        first.prepare(source.schema());
        List<Position> checkpoints = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
          checkpoints.add(writeHalfAndCrash(source, splits.get(i), i, first));
        }
        try (Sink second = sink(new RowValueConnector(), "cdst", "insert")) {
          resume(source, splits, checkpoints, second);
        }
      }
    }
    Rows.assertSameRows(COMPOSITE, readComposite("cdst"), all);
  }

  /**
   * Writes half of every split and flushes (the checkpoint), then a few more rows committed but not
   * checkpointed (the crash); resumes every split from its checkpoint and compares.
   */
  private void crashAndResume(Connector connector, String writeMode, boolean targetKey)
      throws Exception {
    db.create("src", SCHEMA, "id");
    List<Object[]> all = rows(1000);
    db.insert("src", SCHEMA, all);
    if (targetKey) {
      db.create("dst", SCHEMA, "id");
    } else {
      db.create("dst", SCHEMA);
    }
    try (Source source = source("src", 16)) {
      List<Split> splits = source.planner().plan(2);
      assertThat(splits).hasSize(8);
      List<Position> checkpoints = new ArrayList<>();
      try (Sink first = sink(connector, "dst", writeMode)) {
        first.prepare(source.schema());
        for (int i = 0; i < splits.size(); i++) {
          checkpoints.add(writeHalfAndCrash(source, splits.get(i), i, first));
        }
      }
      assertThat(db.count("\"dst\"")).as("rows before the resume").isLessThan(1000);
      try (Sink second = sink(connector, "dst", writeMode)) {
        resume(source, splits, checkpoints, second);
      }
    }
    List<Object[]> target = db.read("dst", SCHEMA, "id");
    Rows.assertRowsEqual(SCHEMA, target, all);
  }

  /**
   * Split i's fate: nothing flushed and some rows written (i % 3 == 0), or half flushed plus some
   * rows past it; returns the checkpoint (null when nothing was flushed).
   */
  private static Position writeHalfAndCrash(Source source, Split split, int index, Sink sink) {
    List<Rows.ReadBatch> batches = Rows.readBatches(source, split, null);
    int flushed = index % 3 == 0 ? 0 : batches.size() / 2;
    Position checkpoint = null;
    try (SinkWriter writer = sink.createWriter(0)) {
      for (int b = 0; b < batches.size(); b++) {
        RowBatch batch = new RowBatch(source.schema().size(), 64);
        batches.get(b).rows().forEach(r -> batch.addRow(r.clone()));
        writer.write(batch);
        writer.flush();
        if (b < flushed) {
          checkpoint = batches.get(b).position();
        } else if (b >= flushed + 1) {
          break; // the crash: one more batch committed past the checkpoint, then nothing
        }
      }
    }
    return checkpoint;
  }

  private static void resume(
      Source source, List<Split> splits, List<Position> checkpoints, Sink sink) {
    ((SinkResume.Resumable) sink.resumeModel()).reopen(source.schema());
    for (int i = 0; i < splits.size(); i++) {
      Optional<KeyRange> range = source.remainder(splits.get(i), checkpoints.get(i));
      assertThat(range).as("remainder of %s", splits.get(i).id()).isPresent();
      ((SinkResume.ByKeyRange) sink.resumeModel()).discard(range.get());
    }
    try (SinkWriter writer = sink.createWriter(0)) {
      for (int i = 0; i < splits.size(); i++) {
        for (Rows.ReadBatch b : Rows.readBatches(source, splits.get(i), checkpoints.get(i))) {
          RowBatch batch = new RowBatch(source.schema().size(), 64);
          b.rows().forEach(r -> batch.addRow(r.clone()));
          writer.write(batch);
        }
      }
      writer.flush();
    }
    sink.commit();
  }

  private List<Long> ids(String table) throws Exception {
    return db.read(table, SCHEMA, "id").stream().map(r -> (Long) r[0]).toList();
  }

  private static List<Long> idsWithout(int n, long from, long to) {
    List<Long> ids = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      if (i < from || i > to) {
        ids.add(i);
      }
    }
    return ids;
  }

  private List<Object[]> readComposite(String table) throws Exception {
    List<Object[]> rows = new ArrayList<>(db.read(table, COMPOSITE, "seq"));
    rows.sort(
        Comparator.<Object[], String>comparing(r -> (String) r[0])
            .thenComparing(r -> (Integer) r[1]));
    return rows;
  }

  /** The generic dialect writing composite key ranges as row values, which H2 understands. */
  static final class RowValueConnector extends JdbcConnector {
    RowValueConnector() {
      super(
          new GenericDialect() {
            @Override
            public SqlBuilder sql() {
              return new SqlBuilder() {
                @Override
                public boolean supportsRowValueComparison() {
                  return true;
                }
              };
            }
          });
    }

    @Override
    public String name() {
      return "h2-row-values";
    }

    @Override
    public String description() {
      return "H2 with row-value key comparisons, for tests of the JDBC base.";
    }
  }
}
