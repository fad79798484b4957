package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.support.Values;
import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes through the SQL Server sink in each write mode and reads the table back with plain JDBC.
 * On a real server inserts take the bulk copy path; on H2 they fall back to batched INSERTs.
 */
abstract class SqlServerWriteFlows {
  protected final TestConnectorContext context = new TestConnectorContext("sqlserver-write");

  protected abstract SqlServerTestDatabase database();

  @AfterEach
  void dropTables() throws Exception {
    database().dropAll();
  }

  static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.decimal(12, 2)),
          Column.of("seen", DataType.timestampTz(7)));

  static Object[] row(long id, String name, String amount, OffsetDateTime seen) {
    return new Object[] {id, name, amount == null ? null : new BigDecimal(amount), seen};
  }

  static final OffsetDateTime T1 =
      OffsetDateTime.of(2024, 5, 1, 13, 45, 0, 123_456_700, ZoneOffset.ofHours(8));
  static final OffsetDateTime T2 =
      OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 0, ZoneOffset.ofHoursMinutes(-9, -30));

  void seed(String table) throws Exception {
    database().create(table, SCHEMA);
    database()
        .insert(table, SCHEMA, List.of(row(1, "one", "1.00", T1), row(2, "two", "2.00", null)));
  }

  @Test
  void insertsEveryRow() throws Exception {
    Schema schema = TestDatasets.standardSchema(t -> true);
    List<Object[]> rows = TestDatasets.standardRows(schema, 2500);
    database().create("w_insert", schema);
    Pipelines.write(
        new SqlServerConnector(), database().options("w_insert"), context, schema, rows, 1000);
    Rows.assertSameRows(schema, database().read("w_insert", schema), rows);
  }

  @Test
  void upsertUpdatesMatchingKeysAndInsertsTheRest() throws Exception {
    seed("w_upsert");
    Map<String, Object> options = database().options("w_upsert");
    options.put("writeMode", "upsert");
    options.put("keys", "id");
    List<Object[]> batch = List.of(row(2, "TWO", "22.50", T2), row(3, "", null, T1));
    Pipelines.write(new SqlServerConnector(), options, context, SCHEMA, batch, 10);
    Rows.assertSameRows(
        SCHEMA,
        database().read("w_upsert", SCHEMA),
        List.of(row(1, "one", "1.00", T1), row(2, "TWO", "22.50", T2), row(3, "", null, T1)));
  }

  @Test
  void replaceOverwritesEveryWrittenColumn() throws Exception {
    seed("w_replace");
    Map<String, Object> options = database().options("w_replace");
    options.put("writeMode", "replace");
    Pipelines.write(
        new SqlServerConnector(),
        options,
        context,
        SCHEMA,
        List.<Object[]>of(row(1, null, null, null)),
        10);
    Rows.assertSameRows(
        SCHEMA,
        database().read("w_replace", SCHEMA),
        List.of(row(1, null, null, null), row(2, "two", "2.00", null)));
  }

  @Test
  void truncateInsertReplacesEveryRow() throws Exception {
    seed("w_truncate");
    Map<String, Object> options = database().options("w_truncate");
    options.put("writeMode", "truncate-insert");
    List<Object[]> rows = new ArrayList<>();
    for (long id = 10; id < 20; id++) {
      rows.add(row(id, "n" + id, id + ".25", T2));
    }
    Pipelines.write(new SqlServerConnector(), options, context, SCHEMA, rows, 4);
    Rows.assertSameRows(SCHEMA, database().read("w_truncate", SCHEMA), rows);
  }

  /**
   * Ferry's special temporal values (issue 14, items 6 and 7): time(7) ends at 23:59:59.9999999 and
   * date, datetime2 and datetimeoffset have no infinity and no year beyond 9999, so those values
   * are dirty rows naming the column and why, never rounded or wrapped; a character column keeps
   * their text.
   */
  @Test
  void refusesTemporalValuesTheColumnCannotHoldByColumn() throws Exception {
    Schema table =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("t", DataType.time(7)),
            Column.of("d", DataType.DATE),
            Column.of("ts", DataType.timestamp(7)),
            Column.of("tz", DataType.timestampTz(7)),
            Column.of("text", DataType.STRING));
    Schema incoming =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("t", DataType.time(7)),
            Column.of("d", DataType.DATE),
            Column.of("ts", DataType.timestamp(7)),
            Column.of("tz", DataType.timestampTz(7)),
            Column.of("text", DataType.TIME));
    database().create("w_special", table);
    LocalDateTime noon = LocalDateTime.of(2024, 2, 29, 12, 0);
    List<Object[]> rows =
        List.of(
            new Object[] {1L, noon.toLocalTime(), noon.toLocalDate(), noon, T1, noon.toLocalTime()},
            new Object[] {2L, Values.END_OF_DAY, null, null, null, null},
            new Object[] {3L, null, LocalDate.MIN, null, null, null},
            new Object[] {4L, null, null, LocalDateTime.MAX, null, null},
            new Object[] {5L, null, null, null, OffsetDateTime.MIN, null},
            new Object[] {6L, null, LocalDate.of(-43, 3, 15), null, null, null},
            new Object[] {7L, null, null, null, null, Values.END_OF_DAY});
    Pipelines.write(
        new SqlServerConnector(), database().options("w_special"), context, incoming, rows, 3);

    Map<Long, String> dirty = new TreeMap<>();
    for (DirtyRow d : context.dirtyRows().rows()) {
      dirty.put((Long) d.row().get("id"), d.column() + ": " + d.reason());
    }
    assertThat(dirty).containsOnlyKeys(2L, 3L, 4L, 5L, 6L);
    assertThat(dirty.get(2L)).startsWith("t: 24:00:00 cannot be stored in SQL Server's time");
    assertThat(dirty.get(3L)).startsWith("d: -infinity cannot be stored in SQL Server");
    assertThat(dirty.get(4L)).startsWith("ts: infinity cannot be stored in SQL Server");
    assertThat(dirty.get(5L)).startsWith("tz: -infinity cannot be stored in SQL Server");
    assertThat(dirty.get(6L))
        .startsWith("d: -0043-03-15 (44 BC) is outside the years SQL Server stores");

    Map<Long, String> text = new TreeMap<>();
    try (Connection c = database().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT [id], [text] FROM [" + database().table("w_special") + "]")) {
      while (rs.next()) {
        text.put(rs.getLong(1), rs.getString(2));
      }
    }
    assertThat(text).containsOnlyKeys(1L, 7L).containsEntry(7L, "24:00:00");
  }
}
