package io.ferry.connector.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.support.Values;
import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes through the Oracle sink and reads the table back with plain JDBC, expecting the rows as
 * Oracle stores them: the sink suite's writes with empty strings, the emptyStrings option, and
 * truncate-insert.
 */
abstract class OracleWriteFlows {
  protected final TestConnectorContext context = new TestConnectorContext("oracle-write");

  protected abstract OracleTestDatabase database();

  @AfterEach
  void dropTables() throws Exception {
    database().dropAll();
  }

  protected Map<String, Object> createTableOptions(String table) {
    Map<String, Object> options = database().options(table);
    options.put("createTable", true);
    options.put("keys", "id");
    options.put("batchSize", 64);
    database().createdByConnector(table);
    return options;
  }

  @Test
  void writesRowsWithOneWriterEmptyStringsBecomingNull() throws Exception {
    Schema schema = TestDatasets.standardSchema(t -> true);
    List<Object[]> rows = TestDatasets.standardRows(schema, 1000);
    Pipelines.write(
        database().connector(), createTableOptions("w_standard"), context, schema, rows, 100);
    Rows.assertSameRows(
        schema, database().read("w_standard", schema), database().asStored(schema, rows));
    assertThat(context.dirtyRows().rows()).as("dirty rows").isEmpty();
  }

  @Test
  void writesFromFourWritersConcurrently() throws Exception {
    Schema schema = TestDatasets.standardSchema(t -> true);
    List<Object[]> rows = TestDatasets.standardRows(schema, 10_000);
    try (Sink sink =
        Pipelines.sink(database().connector(), createTableOptions("w_concurrent"), context)) {
      assertThat(sink.check()).as("sink check").isEmpty();
      sink.prepare(schema);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          List<Object[]> share = rows.subList(rows.size() * w / 4, rows.size() * (w + 1) / 4);
          int writerIndex = w;
          done.add(pool.submit(() -> writeShare(sink, writerIndex, schema, share)));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      sink.commit();
    }
    Rows.assertSameRows(
        schema, database().read("w_concurrent", schema), database().asStored(schema, rows));
  }

  private static void writeShare(Sink sink, int index, Schema schema, List<Object[]> rows) {
    try (SinkWriter writer = sink.createWriter(index)) {
      RowBatch batch = new RowBatch(schema.size(), 100);
      for (Object[] row : rows) {
        batch.addRow(row.clone());
        if (batch.isFull()) {
          writer.write(batch);
          batch.clear();
        }
      }
      writer.write(batch);
      writer.flush();
    }
  }

  /** Every Ferry type through createTable's Oracle types and back: see OracleTypes#nativeType. */
  @Test
  void writesEveryTypeIntoTheTypesCreateTableChooses() throws Exception {
    Schema schema = TestDatasets.typesSchema(t -> true);
    List<Object[]> rows = TestDatasets.typesRows(schema);
    Pipelines.write(
        database().connector(), createTableOptions("w_types"), context, schema, rows, 3);
    Rows.assertSameRows(
        schema, database().read("w_types", schema), database().asStored(schema, rows));
    assertThat(context.dirtyRows().rows()).as("dirty rows").isEmpty();
  }

  @Test
  void emptyStringsDirtySendsSuchRowsToTheDirtyStore() throws Exception {
    Schema schema = TestDatasets.standardSchema(t -> true);
    List<Object[]> rows = TestDatasets.standardRows(schema, 100);
    Map<String, Object> options = createTableOptions("w_dirty");
    options.put("emptyStrings", "dirty");
    Pipelines.write(database().connector(), options, context, schema, rows, 100);

    List<Object[]> clean = new ArrayList<>();
    List<Long> withEmpty = new ArrayList<>();
    for (Object[] row : rows) {
      if ("".equals(row[1])) {
        withEmpty.add((Long) row[0]);
      } else {
        clean.add(row);
      }
    }
    assertThat(withEmpty).as("rows of the dataset with an empty name").isNotEmpty();
    Rows.assertSameRows(schema, database().read("w_dirty", schema), clean);
    List<DirtyRow> dirty = context.dirtyRows().rows();
    assertThat(dirty)
        .extracting(d -> d.row().get("id"))
        .containsExactlyInAnyOrderElementsOf(withEmpty);
    assertThat(dirty)
        .allSatisfy(d -> assertThat(d.reason()).contains("name").contains("empty string"));
  }

  @Test
  void truncateInsertReplacesEveryRow() throws Exception {
    Schema schema = TestDatasets.standardSchema(t -> true);
    List<Object[]> first = TestDatasets.standardRows(schema, 50);
    Pipelines.write(
        database().connector(), createTableOptions("w_truncate"), context, schema, first, 50);
    List<Object[]> second = new ArrayList<>();
    for (Object[] row : TestDatasets.standardRows(schema, 80).subList(30, 80)) {
      Object[] changed = row.clone();
      changed[1] = "second-" + row[0];
      second.add(changed);
    }
    Map<String, Object> options = database().options("w_truncate");
    options.put("writeMode", "truncate-insert");
    Pipelines.write(database().connector(), options, context, schema, second, 20);
    Rows.assertSameRows(
        schema, database().read("w_truncate", schema), database().asStored(schema, second));
  }

  /**
   * Ferry's special temporal values (issue 14, items 6 and 7): TIME 24:00:00 arrives as the text
   * 24:00:00 in the VARCHAR2 createTable gives TIME (read back as the end of day: OracleTypesTest);
   * the infinities and years Oracle's DATE and TIMESTAMP do not span are dirty rows naming the
   * column and why, never changed values.
   */
  @Test
  void carriesTheEndOfDayAndRefusesInfinitiesByColumn() throws Exception {
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("t", DataType.TIME),
            Column.of("d", DataType.DATE),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("tz", DataType.TIMESTAMP_TZ));
    LocalDateTime noon = LocalDateTime.of(2024, 2, 29, 12, 0);
    List<Object[]> rows =
        List.of(
            new Object[] {
              1L, noon.toLocalTime(), noon.toLocalDate(), noon, noon.atOffset(ZoneOffset.UTC)
            },
            new Object[] {2L, Values.END_OF_DAY, null, null, null},
            new Object[] {3L, null, LocalDate.MAX, null, null},
            new Object[] {4L, null, null, LocalDateTime.MIN, null},
            new Object[] {5L, null, null, null, OffsetDateTime.MAX},
            new Object[] {6L, null, LocalDate.of(10_000, 1, 1), null, null});
    Pipelines.write(
        database().connector(), createTableOptions("w_special"), context, schema, rows, 3);

    Map<Long, String> dirty = new TreeMap<>();
    for (DirtyRow d : context.dirtyRows().rows()) {
      dirty.put((Long) d.row().get("id"), d.column() + ": " + d.reason());
    }
    assertThat(dirty).containsOnlyKeys(3L, 4L, 5L, 6L);
    assertThat(dirty.get(3L)).startsWith("d: infinity cannot be stored in Oracle");
    assertThat(dirty.get(4L)).startsWith("ts: -infinity cannot be stored in Oracle");
    assertThat(dirty.get(5L)).startsWith("tz: infinity cannot be stored in Oracle");
    assertThat(dirty.get(6L)).startsWith("d: +10000-01-01 is outside the years Oracle stores");

    Map<Long, String> times = new TreeMap<>();
    try (Connection c = database().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT \"id\", \"t\" FROM \""
                    + database().table("w_special")
                    + "\" ORDER BY \"id\"")) {
      while (rs.next()) {
        times.put(rs.getLong(1), rs.getString(2));
      }
    }
    assertThat(times)
        .containsOnlyKeys(1L, 2L)
        .containsEntry(1L, "12:00:00")
        .containsEntry(2L, "24:00:00");
  }

  /** An existing character column keeps the infinities as their text. */
  @Test
  void writesInfinitiesAsTextIntoCharacterColumns() throws Exception {
    Schema table =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("d", DataType.STRING),
            Column.of("ts", DataType.STRING));
    Schema incoming =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("d", DataType.DATE),
            Column.of("ts", DataType.TIMESTAMP));
    database().create("w_special_text", table);
    List<Object[]> rows =
        List.of(
            new Object[] {1L, LocalDate.MAX, LocalDateTime.MIN},
            new Object[] {2L, LocalDate.MIN, LocalDateTime.MAX});
    Pipelines.write(
        database().connector(), database().options("w_special_text"), context, incoming, rows, 2);

    assertThat(context.dirtyRows().rows()).isEmpty();
    Map<Long, String> text = new TreeMap<>();
    try (Connection c = database().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT \"id\", \"d\", \"ts\" FROM \""
                    + database().table("w_special_text")
                    + "\" ORDER BY \"id\"")) {
      while (rs.next()) {
        text.put(rs.getLong(1), rs.getString(2) + " " + rs.getString(3));
      }
    }
    assertThat(text)
        .containsEntry(1L, "infinity -infinity")
        .containsEntry(2L, "-infinity infinity");
  }
}
