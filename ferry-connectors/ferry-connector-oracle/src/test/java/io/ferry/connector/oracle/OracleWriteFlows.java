package io.ferry.connector.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
