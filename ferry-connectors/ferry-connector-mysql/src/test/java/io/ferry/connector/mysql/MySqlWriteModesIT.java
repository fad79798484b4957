package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Write modes through LOAD DATA ({@code bulkLoad: auto}) and batched statements ({@code off}), each
 * read back and compared; values the column cannot hold become dirty rows naming the column; the
 * fallback when the server has {@code local_infile} off.
 */
class MySqlWriteModesIT {
  private static MariaDb db;

  private static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("qty", DataType.INT32));

  @BeforeAll
  static void createDatabase() throws Exception {
    db = MariaDb.create();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static Object[] row(long id, String name, Integer qty) {
    return new Object[] {id, name, qty};
  }

  private static Map<String, Object> sink(String table, String mode, String bulk) {
    Map<String, Object> o = db.options();
    o.put("table", table);
    o.put("writeMode", mode);
    o.put("bulkLoad", bulk);
    o.put("batchSize", 3);
    return o;
  }

  private static List<Object[]> table(String table) throws Exception {
    return db.readAll(table, SCHEMA);
  }

  private static String create(String name) throws Exception {
    db.execute(
        "CREATE TABLE "
            + name
            + " (id bigint primary key, name varchar(5), qty int not null default 0,"
            + " note varchar(10) default 'kept')",
        "INSERT INTO "
            + name
            + " (id, name, qty, note) VALUES (1, 'old', 1, 'n1'), (2, 'old', 2, 'n2')");
    return name;
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void everyWriteModeGivesTheRowsExpected(String bulk) throws Exception {
    List<Object[]> rows = List.of(row(2, "new", 20), row(3, "three", null), row(4, "", 40));
    List<Object[]> nullQty = List.of(row(2, "new", 20), row(3, "three", 0), row(4, "", 40));

    String upsert = create("upsert_" + bulk);
    TestConnectorContext context = new TestConnectorContext("upsert-" + bulk);
    Jobs.write(sink(upsert, "upsert", bulk), context, SCHEMA, withoutNullQty(rows));
    Rows.assertRowsEqual(
        SCHEMA,
        table(upsert),
        List.of(row(1, "old", 1), row(2, "new", 20), row(3, "three", 0), row(4, "", 40)));
    // Upsert updates only the columns written: the note of row 2 stays.
    assertThat(note(upsert, 2)).isEqualTo("n2");

    String replace = create("replace_" + bulk);
    Jobs.write(sink(replace, "replace", bulk), context, SCHEMA, withoutNullQty(rows));
    Rows.assertRowsEqual(
        SCHEMA,
        table(replace),
        List.of(row(1, "old", 1), row(2, "new", 20), row(3, "three", 0), row(4, "", 40)));
    // Replace rewrites the whole row: the note of row 2 is back to its default.
    assertThat(note(replace, 2)).isEqualTo("kept");

    String truncate = create("truncate_" + bulk);
    Jobs.write(sink(truncate, "truncate-insert", bulk), context, SCHEMA, withoutNullQty(rows));
    Rows.assertRowsEqual(SCHEMA, table(truncate), nullQty);

    String insert = create("insert_" + bulk);
    TestConnectorContext insertContext = new TestConnectorContext("insert-" + bulk);
    Jobs.write(sink(insert, "insert", bulk), insertContext, SCHEMA, withoutNullQty(rows));
    // Row 2 exists: insert rejects it into the dirty-data store; the others arrive.
    Rows.assertRowsEqual(
        SCHEMA,
        table(insert),
        List.of(row(1, "old", 1), row(2, "old", 2), row(3, "three", 0), row(4, "", 40)));
    assertThat(insertContext.dirtyRows().rows()).hasSize(1);
    assertThat(insertContext.dirtyRows().rows().get(0).reason()).containsIgnoringCase("duplicate");
    assertThat(context.dirtyRows().rows()).isEmpty();
  }

  private static List<Object[]> withoutNullQty(List<Object[]> rows) {
    List<Object[]> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(new Object[] {r[0], r[1], r[2] == null ? 0 : r[2]});
    }
    return out;
  }

  private static String note(String table, long id) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT note FROM " + table + " WHERE id = " + id)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void aValueTheColumnCannotHoldIsADirtyRowNamingTheColumn(String bulk) throws Exception {
    String table = "too_long_" + bulk;
    db.execute("CREATE TABLE " + table + " (id bigint primary key, name varchar(5), qty int)");
    TestConnectorContext context = new TestConnectorContext("too-long-" + bulk);
    List<Object[]> rows = new ArrayList<>();
    for (long i = 1; i <= 10; i++) {
      rows.add(row(i, i == 7 ? "much too long" : "n" + i, (int) i));
    }
    Jobs.write(sink(table, "insert", bulk), context, SCHEMA, rows);
    List<Object[]> expected = new ArrayList<>(rows);
    expected.remove(6);
    Rows.assertRowsEqual(SCHEMA, table(table), expected);
    List<DirtyRow> dirty = context.dirtyRows().rows();
    assertThat(dirty).hasSize(1);
    assertThat(dirty.get(0).column()).isEqualTo("name");
    assertThat(dirty.get(0).row()).containsEntry("id", 7L);
    assertThat(dirty.get(0).reason()).contains("name");
  }

  /**
   * Values MySQL would store other than they are (issue 14, item 6): a BC date, year 0 and the
   * infinities would become zero dates with only a warning, and a timestamp written into a DATE
   * column loses its time with only a note. On both paths and in both modes each such row is a
   * dirty row naming its key and column, the others arrive exactly, and TIME 24:00:00 arrives as
   * 24:00:00. Batches of 3 rows: the bad rows are found inside batches with good ones.
   */
  @ParameterizedTest
  @CsvSource({"auto, insert", "off, insert", "auto, upsert", "off, upsert"})
  void aValueMySqlWouldChangeIsADirtyRowNamingKeyAndColumn(String bulk, String mode)
      throws Exception {
    String table = "temporal_" + bulk + "_" + mode;
    db.execute(
        "CREATE TABLE "
            + table
            + " (id bigint primary key, d date, ts datetime(6), tz timestamp(6) null, tm time(6),"
            + " dd date)");
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("d", DataType.DATE),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("tz", DataType.TIMESTAMP_TZ),
            Column.of("tm", DataType.TIME),
            Column.of("dd", DataType.TIMESTAMP));
    LocalDateTime noon = LocalDateTime.of(2024, 2, 29, 12, 0);
    OffsetDateTime instant = OffsetDateTime.of(noon, ZoneOffset.UTC);
    List<Object[]> rows =
        List.of(
            new Object[] {1L, noon.toLocalDate(), noon, instant, noon.toLocalTime(), null},
            new Object[] {2L, LocalDate.of(1, 1, 1), null, null, LocalTime.MAX, null},
            new Object[] {3L, LocalDate.of(-43, 3, 15), null, null, null, null},
            new Object[] {4L, LocalDate.MAX, null, null, null, null},
            new Object[] {5L, null, LocalDateTime.MIN, null, null, null},
            new Object[] {6L, null, null, OffsetDateTime.MAX, null, null},
            new Object[] {7L, null, null, null, null, noon},
            new Object[] {8L, null, null, null, null, noon.toLocalDate().atStartOfDay()},
            new Object[] {9L, LocalDate.of(0, 12, 31), null, null, null, null});
    TestConnectorContext context = new TestConnectorContext(table);
    Jobs.write(sink(table, mode, bulk), context, schema, rows);

    Map<Long, String> dirty = new java.util.TreeMap<>();
    for (DirtyRow d : context.dirtyRows().rows()) {
      Object id = d.row().get("id");
      assertThat(d.location()).as("location of %s", d).contains("id=" + id);
      dirty.put((Long) id, d.column() + ": " + d.reason());
    }
    assertThat(dirty).containsOnlyKeys(3L, 4L, 5L, 6L, 7L, 9L);
    assertThat(dirty.get(3L)).startsWith("d: -0043-03-15 (44 BC) is outside the years");
    assertThat(dirty.get(4L)).startsWith("d: infinity cannot be stored");
    assertThat(dirty.get(5L)).startsWith("ts: -infinity cannot be stored");
    assertThat(dirty.get(6L)).startsWith("tz: infinity cannot be stored");
    assertThat(dirty.get(7L)).startsWith("dd: the database would store another value");
    assertThat(dirty.get(9L)).startsWith("d: 0000-12-31 (1 BC) is outside the years");

    Map<Long, List<String>> stored = new java.util.TreeMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("SET time_zone = '+00:00'");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, CAST(d AS CHAR), CAST(ts AS CHAR), CAST(tz AS CHAR), CAST(tm AS CHAR),"
                  + " CAST(dd AS CHAR) FROM "
                  + table)) {
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 2; i <= 6; i++) {
            row.add(rs.getString(i));
          }
          stored.put(rs.getLong(1), row);
        }
      }
    }
    assertThat(stored)
        .containsOnlyKeys(1L, 2L, 8L)
        .containsEntry(
            1L,
            java.util.Arrays.asList(
                "2024-02-29",
                "2024-02-29 12:00:00.000000",
                "2024-02-29 12:00:00.000000",
                "12:00:00.000000",
                null))
        .containsEntry(
            2L, java.util.Arrays.asList("0001-01-01", null, null, "24:00:00.000000", null))
        .containsEntry(8L, java.util.Arrays.asList(null, null, null, null, "2024-02-29"));
  }

  /**
   * The server-wide switch is the only way to make the server refuse LOAD DATA LOCAL; it is put
   * back in {@code finally}, and the test database server is this machine's test server.
   */
  @Test
  void fallsBackToBatchedInsertsWhenTheServerHasLocalInfileOff() throws Exception {
    String table = "no_infile";
    db.execute("CREATE TABLE " + table + " (id bigint primary key, name varchar(5), qty int)");
    boolean before;
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@GLOBAL.local_infile")) {
      rs.next();
      before = rs.getBoolean(1);
    }
    List<Object[]> rows = List.of(row(1, "a", 1), row(2, "b", 2), row(3, "c", 3), row(4, "d", 4));
    TestConnectorContext context = new TestConnectorContext("no-infile");
    try {
      db.execute("SET GLOBAL local_infile = 0");
      Jobs.write(sink(table, "insert", "auto"), context, SCHEMA, rows);
    } finally {
      db.execute("SET GLOBAL local_infile = " + (before ? 1 : 0));
    }
    Rows.assertRowsEqual(SCHEMA, table(table), rows);
    assertThat(context.dirtyRows().rows()).isEmpty();
  }
}
