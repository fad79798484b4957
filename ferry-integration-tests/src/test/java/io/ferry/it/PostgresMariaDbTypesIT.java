package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The type round trip PostgreSQL → MariaDB → PostgreSQL through real Ferry jobs (issue 3, item 7),
 * for PostgreSQL's types: the MariaDB table is created by the job; the way back goes into a table
 * the job creates and into one with the original PostgreSQL types. Values are compared with the
 * original column by column ({@link Canon}); rows MariaDB cannot hold exactly must be dirty rows
 * naming the column. The matrix is documented in this module's README.
 */
class PostgresMariaDbTypesIT {
  /**
   * @param pgType the original column type
   * @param mariaCreated the MariaDB type {@code createTable} gives it
   * @param pgCreated the PostgreSQL type {@code createTable} gives it on the way back
   */
  record Col(String name, String pgType, Canon canon, String mariaCreated, String pgCreated) {}

  static final List<Col> COLUMNS =
      List.of(
          new Col("n", "numeric(38,10)", Canon.DECIMAL, "decimal(38,10)", "numeric(38,10)"),
          new Col("n0", "numeric(65,30)", Canon.DECIMAL, "decimal(65,30)", "numeric(65,30)"),
          new Col("t", "text", Canon.TEXT, "longtext", "text"),
          new Col("vc", "varchar(20)", Canon.TEXT, "longtext", "text"),
          new Col("b", "bytea", Canon.BYTES, "longblob", "bytea"),
          // uuid has no MariaDB 10.x type Ferry maps to: its text, and text on the way back.
          new Col("u", "uuid", Canon.TEXT, "longtext", "text"),
          // jsonb → MariaDB json (longtext + json_valid) → jsonb.
          new Col("j", "jsonb", Canon.JSON, "longtext", "jsonb"),
          // Arrays become JSON arrays in MariaDB (its json type), jsonb on the way back.
          new Col("ia", "int[]", Canon.ARRAY, "longtext", "jsonb"),
          new Col("ta", "text[]", Canon.ARRAY, "longtext", "jsonb"),
          new Col(
              "ts",
              "timestamp(6)",
              Canon.TIMESTAMP,
              "datetime(6)",
              "timestamp(6) without time zone"),
          // timestamptz → MySQL timestamp (an instant, 1970..2038) → timestamptz.
          new Col(
              "tz", "timestamptz(6)", Canon.INSTANT, "timestamp(6)", "timestamp(6) with time zone"),
          new Col("d", "date", Canon.DATE, "date", "date"),
          new Col("tm", "time(6)", Canon.TIME, "time(6)", "time(6) without time zone"),
          // interval reads as ISO-8601 text (P1Y2M3DT4H5M6S): text in MariaDB and back.
          new Col("iv", "interval", Canon.TEXT, "longtext", "text"),
          new Col("bo", "boolean", Canon.BOOLEAN, "tinyint(1)", "boolean"),
          new Col("i2", "smallint", Canon.INTEGER, "smallint(6)", "smallint"),
          new Col("i4", "integer", Canon.INTEGER, "int(11)", "integer"),
          new Col("i8", "bigint", Canon.INTEGER, "bigint(20)", "bigint"),
          new Col("f4", "real", Canon.FLOAT32, "float", "real"),
          new Col("f8", "double precision", Canon.FLOAT64, "double", "double precision"));

  static final List<String> CLEAN_ROWS =
      List.of(
          "1, -9999999999999999999999999999.9999999999,"
              + " -99999999999999999999999999999999999.999999999999999999999999999999, '', '',"
              + " '\\x', '00000000-0000-0000-0000-000000000000', '[]', '{}', '{}',"
              + " '0001-01-01 00:00:00', '1970-01-01 00:00:01+00', '0001-01-01', '00:00:00',"
              + " 'PT0S', false, -32768, -2147483648, -9223372036854775808, -3.4028235e38,"
              + " -1.7976931348623157e308",
          "2, 9999999999999999999999999999.9999999999,"
              + " 99999999999999999999999999999999999.999999999999999999999999999999,"
              + " E'tab\\there\\nnl\\rcr back\\\\slash quote'' dq\" \\\\N NULL \\U0001F680 \u00e9',"
              + " '\uD83D\uDE00\u4e2d\u6587', '\\x000102ff5c4e0a', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
              + " '{\"b\": 1, \"a\": [true, false, null, \"\u00e9\uD83D\uDE00\", 2.5], \"c\": {}}',"
              + " '{1,NULL,-3,2147483647}', ARRAY['a,b', 'q\"uote', 'back\\slash', NULL, '', 'NULL',"
              + " '{}', E'tab\\t', '\uD83D\uDE80'], '9999-12-31 23:59:59.999999',"
              + " '2038-01-19 03:14:07.999999+00', '9999-12-31', '23:59:59.999999',"
              + " 'P1Y2M3DT4H5M6.789S', true, 32767, 2147483647, 9223372036854775807,"
              + " 3.4028235e38, 1.7976931348623157e308",
          "3" + ", NULL".repeat(20),
          "4, 0.0000000001, 0.000000000000000000000000000001, 'NULL', '\\N', '\\x5c4e',"
              + " 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12', 'null', '{NULL}', '{NULL,\"\"}',"
              + " '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.5+05:30', '2024-02-29',"
              + " '12:00:00.000001', '-1 mon +1 day -0.000001 sec', true, 0, 0, 0, 1.4e-45, 4.9e-324");

  /** Rows MariaDB cannot hold: id → the column the dirty row must name. */
  static final Map<Long, String> DIRTY_ON_MARIADB_WRITE =
      Map.of(
          // MySQL timestamp starts at 1970-01-01 00:00:01 UTC
          100L, "tz",
          // MySQL float has no NaN
          101L, "f4",
          // MySQL double has no infinity
          102L, "f8");

  @TempDir static Path state;
  private static TestDatabases.MariaDb maria;
  private static TestDatabases.Postgres pg;

  @BeforeAll
  static void createDatabases() throws Exception {
    maria = new TestDatabases.MariaDb();
    pg = new TestDatabases.Postgres();
    for (String table : List.of("src", "same_types")) {
      StringJoiner ddl =
          new StringJoiner(", ", "CREATE TABLE " + table + " (id bigint PRIMARY KEY, ", ")");
      COLUMNS.forEach(c -> ddl.add("\"" + c.name() + "\" " + c.pgType()));
      pg.execute(ddl.toString());
    }
    try (Connection c = pg.connect();
        var s = c.createStatement()) {
      for (String row : CLEAN_ROWS) {
        s.execute("INSERT INTO src VALUES (" + row + ")");
      }
      s.execute("INSERT INTO src (id, tz) VALUES (100, '1969-12-31 23:59:59+00')");
      s.execute("INSERT INTO src (id, f4) VALUES (101, 'NaN')");
      s.execute("INSERT INTO src (id, f8) VALUES (102, '-Infinity')");
    }
  }

  @AfterAll
  static void dropDatabases() throws Exception {
    if (maria != null) {
      maria.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static Map<String, Canon> canons() {
    Map<String, Canon> m = new LinkedHashMap<>();
    COLUMNS.forEach(c -> m.put(c.name(), c.canon()));
    return m;
  }

  private static void assertSameRows(
      Map<Long, List<Object>> actual, Map<Long, List<Object>> expected, String what) {
    assertThat(actual.keySet()).as("ids in %s", what).containsExactlyElementsOf(expected.keySet());
    for (Long id : expected.keySet()) {
      for (int i = 0; i < COLUMNS.size(); i++) {
        assertThat(actual.get(id).get(i))
            .as("%s, id %d, column %s", what, id, COLUMNS.get(i).name())
            .isEqualTo(expected.get(id).get(i));
      }
    }
  }

  private static void assertDirty(
      FerryJobs.Outcome outcome, Map<Long, String> expected, String leg) {
    Map<Long, String> dirty =
        outcome.dirty().stream()
            .collect(
                Collectors.toMap(
                    FerryJobs.Dirty::id,
                    d -> String.valueOf(d.column()),
                    (a, b) -> a + "," + b,
                    TreeMap::new));
    assertThat(dirty)
        .as("dirty rows of %s: %s", leg, outcome.dirty())
        .isEqualTo(new TreeMap<>(expected));
  }

  @Test
  void postgresTypesThroughMariaDbAndBack() throws Exception {
    Map<Long, List<Object>> original;
    try (Connection c = pg.connect()) {
      original = Canon.readTable(c, "src", canons(), true);
    }
    original.keySet().removeIf(id -> id >= 100);

    FerryJobs.Outcome there =
        FerryJobs.run(
                state,
                "pg-to-maria",
                """
                source: {connector: postgresql, %s, table: src, splitsPerChannel: 2}
                sink: {connector: mysql, %s, table: created, createTable: true, keys: [id]}
                settings: {channels: 2, errorLimit: 100}
                """
                    .formatted(pg.options(), maria.options()))
            .succeeded();
    assertDirty(there, DIRTY_ON_MARIADB_WRITE, "PostgreSQL → MariaDB");
    try (Connection c = maria.connect()) {
      Map<String, String> types = Canon.columnTypes(c, "created", false);
      for (Col col : COLUMNS) {
        assertThat(types.get(col.name()))
            .as("MariaDB type of %s", col.name())
            .isEqualTo(col.mariaCreated());
      }
      assertSameRows(Canon.readTable(c, "created", canons(), false), original, "MariaDB table");
    }

    for (String back : List.of("back_created", "same_types")) {
      FerryJobs.Outcome outcome =
          FerryJobs.run(
                  state,
                  "maria-to-pg-" + back,
                  """
                  source: {connector: mysql, %s, table: created}
                  sink: {connector: postgresql, %s, table: %s, createTable: true, keys: [id]}
                  settings: {channels: 2, errorLimit: 100}
                  """
                      .formatted(maria.options(), pg.options(), back))
              .succeeded();
      assertDirty(outcome, Map.of(), "MariaDB → PostgreSQL " + back);
      try (Connection c = pg.connect()) {
        if (back.equals("back_created")) {
          Map<String, String> types = Canon.columnTypes(c, back, true);
          for (Col col : COLUMNS) {
            assertThat(types.get(col.name()))
                .as("PostgreSQL type of %s", col.name())
                .isEqualTo(col.pgCreated());
          }
        }
        assertSameRows(Canon.readTable(c, back, canons(), true), original, "PostgreSQL " + back);
      }
    }
  }
}
