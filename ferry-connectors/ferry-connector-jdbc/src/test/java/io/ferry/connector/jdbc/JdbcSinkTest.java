package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Write modes, pre/post SQL, createTable, bad rows, the bulk path and its fallback. */
class JdbcSinkTest {
  private static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.decimal(8, 2)));

  private final H2Database db = new H2Database("sink");
  private final TestConnectorContext context = new TestConnectorContext("sink");
  private final List<Sink> sinks = new ArrayList<>();

  @AfterEach
  void close() {
    sinks.forEach(Sink::close);
  }

  private Sink sink(JdbcConnector connector, Map<String, Object> options) {
    Sink sink = Jdbc.sink(connector, options, context);
    sinks.add(sink);
    return sink;
  }

  private static List<Object[]> rows(long from, long to, String prefix) {
    List<Object[]> rows = new ArrayList<>();
    for (long i = from; i < to; i++) {
      rows.add(new Object[] {i, i % 9 == 0 ? null : prefix + i, BigDecimal.valueOf(i, 2)});
    }
    return rows;
  }

  private List<Object[]> table() throws Exception {
    return db.read("t", SCHEMA, "id");
  }

  @Test
  void insertsThroughBatchedStatements() throws Exception {
    db.create("t", SCHEMA, "id");
    List<Object[]> rows = rows(0, 1234, "n");
    Map<String, Object> options = db.options("t");
    options.put("batchSize", 100);
    Sink sink = sink(new GenericJdbcConnector(), options);
    assertThat(sink.check()).isEmpty();
    assertThat(sink.targetSchema())
        .hasValueSatisfying(s -> assertThat(s.toString()).isEqualTo(SCHEMA.toString()));
    Jdbc.writeAll(sink, SCHEMA, rows, 64);
    Rows.assertRowsEqual(SCHEMA, table(), rows);
  }

  @Test
  void genericDialectHasNoUpsertAndCheckSaysSo() throws Exception {
    db.create("t", SCHEMA, "id");
    Map<String, Object> options = db.options("t");
    options.put("writeMode", "upsert");
    assertThat(sink(new GenericJdbcConnector(), options).check())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("writeMode"))
        .satisfies(p -> assertThat(p.message()).contains("generic").contains("upsert"));
  }

  @Test
  void upsertUpdatesRowsWithTheSameKey() throws Exception {
    db.create("t", SCHEMA, "id");
    db.insert("t", SCHEMA, rows(0, 100, "old"));
    Map<String, Object> options = db.options("t");
    options.put("writeMode", "upsert");
    Sink sink = sink(new H2MergeConnector(new H2MergeConnector.H2MergeDialect(true)), options);
    assertThat(sink.check()).isEmpty();
    Jdbc.writeAll(sink, SCHEMA, rows(50, 150, "new"), 32);
    List<Object[]> expected = new ArrayList<>(rows(0, 50, "old"));
    expected.addAll(rows(50, 150, "new"));
    Rows.assertRowsEqual(SCHEMA, table(), expected);
  }

  @Test
  void upsertWithoutAnyKeyNamesKeys() throws Exception {
    db.create("t", SCHEMA);
    Map<String, Object> options = db.options("t");
    options.put("writeMode", "upsert");
    assertThat(
            sink(new H2MergeConnector(new H2MergeConnector.H2MergeDialect(true)), options).check())
        .extracting(OptionProblem::option)
        .containsExactly("keys");
  }

  @Test
  void truncateInsertReplacesTheContentAndRunsPreAndPostSql() throws Exception {
    db.create("t", SCHEMA, "id");
    db.execute("CREATE TABLE \"log\" (\"step\" VARCHAR, \"rows_seen\" BIGINT)");
    db.insert("t", SCHEMA, rows(0, 500, "old"));
    Map<String, Object> options = db.options("t");
    options.put("writeMode", "truncate-insert");
    options.put("preSql", "INSERT INTO \"log\" SELECT 'pre', COUNT(*) FROM \"t\"");
    options.put(
        "postSql",
        List.of(
            "INSERT INTO \"log\" SELECT 'post', COUNT(*) FROM \"t\"",
            "DELETE FROM \"t\" WHERE \"id\" = 7"));
    Sink sink = sink(new GenericJdbcConnector(), options);
    List<Object[]> rows = rows(0, 20, "new");
    Jdbc.writeAll(sink, SCHEMA, rows, 8);
    List<Object[]> expected = new ArrayList<>(rows);
    expected.remove(7);
    Rows.assertRowsEqual(SCHEMA, table(), expected);
    try (var c = db.connect();
        var s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT \"step\", \"rows_seen\" FROM \"log\" ORDER BY \"step\" DESC")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1) + "=" + rs.getLong(2)).isEqualTo("pre=0");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1) + "=" + rs.getLong(2)).isEqualTo("post=20");
    }
  }

  @Test
  void createTableMakesTheTableWithItsPrimaryKey() throws Exception {
    Map<String, Object> options = db.options("t");
    options.put("createTable", true);
    options.put("keys", "id");
    Sink sink = sink(new GenericJdbcConnector(), options);
    assertThat(sink.check()).isEmpty();
    assertThat(sink.targetSchema()).isEmpty();
    List<Object[]> rows = rows(0, 10, "c");
    Jdbc.writeAll(sink, SCHEMA, rows, 4);
    Rows.assertRowsEqual(SCHEMA, table(), rows);
    try (var c = db.connect();
        ResultSet rs = c.getMetaData().getPrimaryKeys(null, null, "t")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("COLUMN_NAME")).isEqualTo("id");
    }
  }

  @Test
  void anUpsertIntoACreatedTableTakesTheSourcesKeyAndRefusesWhenThereIsNone() throws Exception {
    Map<String, Object> options = db.options("t");
    options.put("createTable", true);
    options.put("writeMode", "upsert");
    Sink keyless = sink(new H2MergeConnector(new H2MergeConnector.H2MergeDialect(true)), options);
    assertThat(keyless.check()).isEmpty();
    FerryException e = catchThrowableOfType(FerryException.class, () -> keyless.prepare(SCHEMA));
    assertThat(e.option()).isEqualTo("keys");
    assertThat(e.getMessage()).contains("needs a key: the source reports none");
    try (var c = db.connect();
        ResultSet rs = c.getMetaData().getTables(null, null, "t", null)) {
      assertThat(rs.next()).as("nothing created").isFalse();
    }

    Schema keyed = SCHEMA.withKey(List.of("id"));
    Jdbc.writeAll(
        sink(new H2MergeConnector(new H2MergeConnector.H2MergeDialect(true)), options),
        keyed,
        rows(0, 10, "a"),
        4);
    List<Object[]> second = rows(5, 15, "b");
    Jdbc.writeAll(
        sink(new H2MergeConnector(new H2MergeConnector.H2MergeDialect(true)), options),
        keyed,
        second,
        4);
    List<Object[]> expected = new ArrayList<>(rows(0, 5, "a"));
    expected.addAll(second);
    Rows.assertRowsEqual(SCHEMA, table(), expected);
  }

  @Test
  void writesOnlyTheListedColumnsAndIgnoresIncomingOnesTheTableLacks() throws Exception {
    db.execute(
        "CREATE TABLE \"t\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR, \"amount\" DECIMAL(8,2) DEFAULT 1.00)");
    Map<String, Object> options = db.options("t");
    options.put("columns", List.of("id", "name"));
    Jdbc.writeAll(sink(new GenericJdbcConnector(), options), SCHEMA, rows(0, 5, "x"), 4);
    List<Object[]> read = table();
    assertThat(read).hasSize(5).allSatisfy(r -> assertThat(r[2]).isEqualTo(new BigDecimal("1.00")));
  }

  @Test
  void aBadRowGoesToTheDirtyStoreAndTheRestAreWritten() throws Exception {
    db.execute(
        "CREATE TABLE \"t\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR(6), \"amount\" DECIMAL(8,2))");
    List<Object[]> rows = rows(0, 300, "n");
    rows.get(123)[1] = "far too long for six";
    rows.get(200)[0] = 5L;
    Map<String, Object> options = db.options("t");
    options.put("batchSize", 50);
    Jdbc.writeAll(sink(new GenericJdbcConnector(), options), SCHEMA, rows, 64);
    List<Object[]> expected = new ArrayList<>(rows);
    expected.remove(200);
    expected.remove(123);
    Rows.assertSameRows(SCHEMA, table(), expected);
    List<DirtyRow> dirty = context.dirtyRows().rows();
    assertThat(dirty).hasSize(2);
    assertThat(dirty.get(0).column()).isEqualTo("name");
    assertThat(dirty.get(0).value()).isEqualTo("far too long for six");
    assertThat(dirty.get(0).location()).isEqualTo("PUBLIC.t id=123");
    assertThat(dirty.get(0).reason()).containsIgnoringCase("too long");
    assertThat(dirty.get(1).location()).isEqualTo("PUBLIC.t id=5");
    assertThat(dirty.get(1).row()).containsEntry("name", "n200");
  }

  @Test
  void usesTheDialectBulkPathWhenItHasOne() throws Exception {
    db.create("t", SCHEMA, "id");
    H2MergeConnector.H2MergeDialect dialect = new H2MergeConnector.H2MergeDialect(true);
    Map<String, Object> options = db.options("t");
    options.put("batchSize", 100);
    List<Object[]> rows = rows(0, 1000, "b");
    Jdbc.writeAll(sink(new H2MergeConnector(dialect), options), SCHEMA, rows, 64);
    assertThat(dialect.bulkLoads.get()).as("buffers of 100 rows").isEqualTo(10);
    Rows.assertRowsEqual(SCHEMA, table(), rows);
  }

  @Test
  void bulkDataErrorsAreIsolatedWithBatchedStatements() throws Exception {
    db.execute(
        "CREATE TABLE \"t\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR(6), \"amount\" DECIMAL(8,2))");
    H2MergeConnector.H2MergeDialect dialect = new H2MergeConnector.H2MergeDialect(true);
    List<Object[]> rows = rows(0, 250, "n");
    rows.get(60)[1] = "much too long";
    Map<String, Object> options = db.options("t");
    options.put("batchSize", 100);
    Jdbc.writeAll(sink(new H2MergeConnector(dialect), options), SCHEMA, rows, 64);
    List<Object[]> expected = new ArrayList<>(rows);
    expected.remove(60);
    Rows.assertSameRows(SCHEMA, table(), expected);
    assertThat(context.dirtyRows().rows())
        .singleElement()
        .satisfies(d -> assertThat(d.column()).isEqualTo("name"));
    assertThat(dialect.bulkLoads.get())
        .as("buffers loaded in bulk besides the bad one")
        .isEqualTo(2);
  }

  @Test
  void fallsBackToBatchedStatementsWhenBulkIsUnavailable() throws Exception {
    db.create("t", SCHEMA, "id");
    H2MergeConnector.H2MergeDialect dialect = new H2MergeConnector.H2MergeDialect(false);
    List<Object[]> rows = rows(0, 300, "f");
    Jdbc.writeAll(sink(new H2MergeConnector(dialect), db.options("t")), SCHEMA, rows, 64);
    assertThat(dialect.bulkLoads.get()).isZero();
    Rows.assertRowsEqual(SCHEMA, table(), rows);
  }

  @Test
  void checkNamesTheMissingTableAndColumns() throws Exception {
    assertThat(sink(new GenericJdbcConnector(), db.options("t")).check())
        .extracting(OptionProblem::option)
        .containsExactly("table");
    db.create("t", SCHEMA, "id");
    Map<String, Object> options = db.options("t");
    options.put("columns", List.of("id", "colour"));
    assertThat(sink(new GenericJdbcConnector(), options).check())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("columns"))
        .satisfies(p -> assertThat(p.message()).contains("colour"));
  }

  @Test
  void aStatementTheDatabaseRejectsFailsTheRunNamingTheTable() throws Exception {
    db.create("t", SCHEMA, "id");
    Map<String, Object> options = db.options("t");
    options.put("preSql", "DELETE FROM \"no_such_table\"");
    Sink sink = sink(new GenericJdbcConnector(), options);
    FerryException e = catchThrowableOfType(FerryException.class, () -> sink.prepare(SCHEMA));
    assertThat(e.code()).isEqualTo(JdbcErrors.SQL);
    assertThat(e.getMessage()).contains("no_such_table");
  }
}
