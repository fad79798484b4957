package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Key-range splitting: even ranges, sampled quantiles, and resuming after every batch. */
class JdbcSplittingTest {
  private final H2Database db = new H2Database("splitting");
  private final TestConnectorContext context = new TestConnectorContext("splitting");
  private final List<Source> sources = new ArrayList<>();

  @AfterEach
  void close() {
    sources.forEach(Source::close);
  }

  private Source source(Map<String, Object> options) {
    Source source = Jdbc.source(new GenericJdbcConnector(), options, context);
    sources.add(source);
    assertThat(source.check()).isEmpty();
    return source;
  }

  private static final Schema NUMBERED =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("v", DataType.STRING));

  private List<Object[]> numbered(String table, List<Long> ids) throws Exception {
    db.create(table, NUMBERED, "id");
    List<Object[]> rows = new ArrayList<>();
    for (long id : ids) {
      rows.add(new Object[] {id, "v" + id});
    }
    db.insert(table, NUMBERED, rows);
    return rows;
  }

  /** Reads every split concurrently and checks each row came exactly once. */
  private static void assertReadsExactly(Source source, List<Split> splits, List<Object[]> rows) {
    List<Object[]> union = new ArrayList<>();
    Rows.readConcurrently(source, splits, 4).values().forEach(union::addAll);
    Rows.assertSameRows(source.schema(), union, rows);
  }

  @Test
  void denseIntegerKeysGetEvenRanges() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (long i = 1; i <= 1000; i++) {
      ids.add(i);
    }
    List<Object[]> rows = numbered("dense", ids);
    Source source = source(db.options("dense"));
    List<Split> splits = source.planner().plan(2);
    assertThat(splits).hasSize(8);
    assertThat(splits).allSatisfy(s -> assertThat(s.estimatedRows()).hasValue(125));
    for (Split s : splits) {
      assertThat(Rows.readSplit(source, s)).hasSize(125);
    }
    assertReadsExactly(source, splits, rows);
  }

  @Test
  void skewedIntegerKeysGetQuantileRanges() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (long i = 1; i <= 990; i++) {
      ids.add(i);
    }
    for (long i = 1; i <= 10; i++) {
      ids.add(i * 1_000_000_000_000L);
    }
    ids.add(Long.MIN_VALUE);
    ids.add(Long.MAX_VALUE);
    List<Object[]> rows = numbered("skewed", ids);
    Source source = source(db.options("skewed"));
    List<Split> splits = source.planner().plan(4);
    assertThat(splits).hasSizeGreaterThan(8);
    long total = 0;
    for (Split s : splits) {
      int read = Rows.readSplit(source, s).size();
      // Quantile boundaries from every k-th key: counts are exact and no range takes it all.
      assertThat(s.estimatedRows()).hasValue(read);
      assertThat(read).isLessThan(ids.size() / 4);
      total += read;
    }
    assertThat(total).isEqualTo(ids.size());
    assertReadsExactly(source, splits, rows);
  }

  @Test
  void stringKeysGetQuantileRanges() throws Exception {
    Schema schema =
        Schema.of(new Column("code", DataType.STRING, false), Column.of("n", DataType.INT32));
    db.create("codes", schema, "code");
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 777; i++) {
      rows.add(
          new Object[] {
            "code-" + Integer.toString(i * 7919, 36) + (i % 3 == 0 ? " \uD83D\uDE80" : ""), i
          });
    }
    db.insert("codes", schema, rows);
    Source source = source(db.options("codes"));
    List<Split> splits = source.planner().plan(3);
    assertThat(splits).hasSizeGreaterThan(6);
    assertReadsExactly(source, splits, rows);
    assertThat(Rows.readSequentially(source, source.planner().plan(1))).hasSize(rows.size());
  }

  @Test
  void compositeKeysGetQuantileRangesAndResumeAfterEveryBatch() throws Exception {
    Schema schema =
        Schema.of(
            new Column("region", DataType.STRING, false),
            new Column("seq", DataType.INT32, false),
            Column.of("amount", DataType.decimal(10, 2)));
    db.create("orders", schema, "region", "seq");
    List<Object[]> rows = new ArrayList<>();
    for (String region : List.of("asia", "eu", "us")) {
      for (int seq = 0; seq < 300; seq++) {
        rows.add(new Object[] {region, seq, H2Database.decimal(seq + ".50")});
      }
    }
    db.insert("orders", schema, rows);
    Map<String, Object> options = db.options("orders");
    options.put("batchSize", 37);
    Source source = source(options);
    List<Split> splits = source.planner().plan(2);
    assertThat(splits).hasSizeGreaterThan(4);
    assertReadsExactly(source, splits, rows);
    assertResumesAfterEveryBatch(source, splits);
    assertThat(Rows.readBatches(source, splits.get(1), null).get(0).position().description())
        .matches("region=\\w+, seq=\\d+");
  }

  @Test
  void tableWithoutKeyIsOneSplitResumedByRowCount() throws Exception {
    db.create("heap", NUMBERED);
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 500; i++) {
      rows.add(new Object[] {i, i % 4 == 0 ? null : "v" + i});
    }
    db.insert("heap", NUMBERED, rows);
    Map<String, Object> options = db.options("heap");
    options.put("batchSize", 64);
    Source source = source(options);
    List<Split> splits = source.planner().plan(4);
    assertThat(splits).hasSize(1);
    assertThat(splits.get(0).estimatedRows()).hasValue(500);
    assertReadsExactly(source, splits, rows);
    assertResumesAfterEveryBatch(source, splits);
    assertThat(Rows.readBatches(source, splits.get(0), null).get(0).position().description())
        .isEqualTo("row 64");
  }

  @Test
  void splitKeyOverridesThePrimaryKey() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (long i = 0; i < 400; i++) {
      ids.add(i);
    }
    db.create("by_v", NUMBERED);
    List<Object[]> rows = new ArrayList<>();
    for (long id : ids) {
      rows.add(new Object[] {id, String.format("%05d", 400 - id)});
    }
    db.insert("by_v", NUMBERED, rows);
    Map<String, Object> options = db.options("by_v");
    options.put("splitKey", "v");
    options.put("batchSize", 50);
    Source source = source(options);
    List<Split> splits = source.planner().plan(2);
    assertThat(splits).hasSizeGreaterThan(1);
    List<Object[]> ordered = Rows.readSequentially(source, splits);
    List<Object[]> expected = new ArrayList<>(rows);
    expected.sort(Comparator.comparing(r -> (String) r[1]));
    Rows.assertRowsEqual(source.schema(), ordered, expected);
    assertResumesAfterEveryBatch(source, splits);
  }

  @Test
  void emptyKeyedTableHasNoSplits() throws Exception {
    numbered("nothing", List.of());
    Source source = source(db.options("nothing"));
    assertThat(source.planner().plan(4)).isEmpty();
  }

  private static void assertResumesAfterEveryBatch(Source source, List<Split> splits) {
    for (Split split : splits) {
      List<Rows.ReadBatch> full = Rows.readBatches(source, split, null);
      List<Object[]> fullRows = Rows.rowsOf(full);
      for (int k = 1; k <= full.size(); k++) {
        List<Object[]> resumed = new ArrayList<>(Rows.rowsOf(full.subList(0, k)));
        resumed.addAll(Rows.rowsOf(Rows.readBatches(source, split, full.get(k - 1).position())));
        Rows.assertRowsEqual(source.schema(), resumed, fullRows);
      }
    }
  }
}
