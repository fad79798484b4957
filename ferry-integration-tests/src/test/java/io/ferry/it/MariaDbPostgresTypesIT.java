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
 * The type round trip MariaDB → PostgreSQL → MariaDB through real Ferry jobs (issue 3, item 7): one
 * column per MySQL type of interest, rows with edge values, NULLs and empty strings. The PostgreSQL
 * leg goes into a table the job creates and into one created beforehand with the natural PostgreSQL
 * types; the way back goes into a new MariaDB table the job creates. The copies are read with plain
 * JDBC and compared with the original column by column ({@link Canon}); rows that cannot survive a
 * leg exactly must be dirty rows naming the column, and those are asserted. The matrix is
 * documented in this module's README.
 */
class MariaDbPostgresTypesIT {
  /**
   * One MariaDB column: its type, how its values compare, the PostgreSQL type {@code createTable}
   * gives it, the natural PostgreSQL type of the pre-created table, and the MariaDB type {@code
   * createTable} gives it on the way back.
   */
  record Col(
      String name,
      String mariaType,
      Canon canon,
      String pgCreated,
      String pgNatural,
      String mariaBack) {}

  static final List<Col> COLUMNS =
      List.of(
          new Col("b_tiny1", "tinyint(1)", Canon.BOOLEAN, "boolean", "boolean", "tinyint(1)"),
          // bit(1) reads as boolean and comes back as tinyint(1): same 0/1 value, other type.
          new Col("b_bit1", "bit(1)", Canon.BOOLEAN, "boolean", "boolean", "tinyint(1)"),
          // PostgreSQL has no 1-byte integer: tinyint becomes smallint and stays smallint.
          new Col("i8", "tinyint", Canon.INTEGER, "smallint", "smallint", "smallint(6)"),
          // Unsigned types read one size wider (the value always fits): the type widens.
          new Col("u8", "tinyint unsigned", Canon.INTEGER, "smallint", "smallint", "smallint(6)"),
          new Col("i16", "smallint", Canon.INTEGER, "smallint", "smallint", "smallint(6)"),
          new Col("u16", "smallint unsigned", Canon.INTEGER, "integer", "integer", "int(11)"),
          new Col("i24", "mediumint", Canon.INTEGER, "integer", "integer", "int(11)"),
          new Col("u24", "mediumint unsigned", Canon.INTEGER, "integer", "integer", "int(11)"),
          new Col("i32", "int", Canon.INTEGER, "integer", "integer", "int(11)"),
          new Col("u32", "int unsigned", Canon.INTEGER, "bigint", "bigint", "bigint(20)"),
          new Col("i64", "bigint", Canon.INTEGER, "bigint", "bigint", "bigint(20)"),
          // bigint unsigned holds up to 2^64-1: decimal(20,0) in Ferry, numeric(20,0) in PG.
          new Col(
              "u64",
              "bigint unsigned",
              Canon.INTEGER,
              "numeric(20,0)",
              "numeric(20,0)",
              "decimal(20,0)"),
          new Col(
              "d65",
              "decimal(65,30)",
              Canon.DECIMAL,
              "numeric(65,30)",
              "numeric(65,30)",
              "decimal(65,30)"),
          new Col(
              "d38",
              "decimal(38,10)",
              Canon.DECIMAL,
              "numeric(38,10)",
              "numeric(38,10)",
              "decimal(38,10)"),
          new Col(
              "d52", "decimal(5,2)", Canon.DECIMAL, "numeric(5,2)", "numeric(5,2)", "decimal(5,2)"),
          new Col("f32", "float", Canon.FLOAT32, "real", "real", "float"),
          new Col("f64", "double", Canon.FLOAT64, "double precision", "double precision", "double"),
          // Every text type is a Ferry string: text in PostgreSQL, longtext back (the length limit
          // and the enum/set value list are not carried; the values are).
          new Col("c", "char(10)", Canon.TEXT, "text", "character varying(10)", "longtext"),
          new Col("vc", "varchar(100)", Canon.TEXT, "text", "character varying(100)", "longtext"),
          new Col("tx", "text", Canon.TEXT, "text", "text", "longtext"),
          new Col("en", "enum('a','b','c d')", Canon.TEXT, "text", "mood", "longtext"),
          new Col("st", "set('x','y','z')", Canon.TEXT, "text", "text", "longtext"),
          // MariaDB's json (longtext with a json_valid check) reads as json: jsonb in PostgreSQL,
          // which normalizes spacing and key order, so it compares as a document.
          new Col("js", "json", Canon.JSON, "jsonb", "jsonb", "longtext"),
          new Col("bl", "blob", Canon.BYTES, "bytea", "bytea", "longblob"),
          new Col("bn", "binary(4)", Canon.BYTES, "bytea", "bytea", "longblob"),
          new Col("vb", "varbinary(10)", Canon.BYTES, "bytea", "bytea", "longblob"),
          new Col("dt", "date", Canon.DATE, "date", "date", "date"),
          new Col(
              "dtm",
              "datetime(6)",
              Canon.TIMESTAMP,
              "timestamp(6) without time zone",
              "timestamp(6) without time zone",
              "datetime(6)"),
          // MySQL timestamp is an instant: timestamptz in PostgreSQL, timestamp again on the way
          // back; compared as instants.
          new Col(
              "ts",
              "timestamp(6) null",
              Canon.INSTANT,
              "timestamp(6) with time zone",
              "timestamp(6) with time zone",
              "timestamp(6)"),
          new Col(
              "tm",
              "time(6)",
              Canon.TIME,
              "time(6) without time zone",
              "time(6) without time zone",
              "time(6)"),
          // year reads as int16: smallint both ways.
          new Col("yr", "year", Canon.INTEGER, "smallint", "smallint", "smallint(6)"));

  private static final String ALL_256_BYTES;

  static {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      hex.append(String.format("%02X", i));
    }
    ALL_256_BYTES = hex.toString();
  }

  /** Rows that survive every leg; values in column order after id. */
  static final List<String> CLEAN_ROWS =
      List.of(
          // minimums and empty values
          "1, 0, b'0', -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,"
              + " -99999999999999999999999999999999999.999999999999999999999999999999,"
              + " -9999999999999999999999999999.9999999999, -999.99, -3.40282e38,"
              + " -1.7976931348623157e308, '', '', '', 'a', '', '[]', X'', X'00000000', X'',"
              + " '1000-01-01', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '00:00:00', 1901",
          // maximums, every character COPY and LOAD DATA escape, utf8mb4 beyond the BMP
          "2, 1, b'1', 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,"
              + " 9223372036854775807, 18446744073709551615,"
              + " 99999999999999999999999999999999999.999999999999999999999999999999,"
              + " 9999999999999999999999999999.9999999999, 999.99, 3.40282e38,"
              + " 1.7976931348623157e308, '\uD83D\uDE00\uD83D\uDE00\u00e9\u4e2d\u6587abcde',"
              + " 'tab\\there\\nnl\\rcr back\\\\slash quote'' dq\" \\\\N NULL \uD83D\uDE80',"
              + " CONCAT(REPEAT('x', 5000), '\uD83C\uDF89'), 'c d', 'x,y,z',"
              + " '{\"b\": 1,  \"a\": [true, false, null, \"\u00e9\uD83D\uDE00\", 2.5]}',"
              + " X'"
              + ALL_256_BYTES
              + "', X'FF00FF00', X'00FF', '9999-12-31', '9999-12-31 23:59:59.999999',"
              + " '2038-01-19 03:14:07.999999', '23:59:59.999999', 2155",
          // NULL in every column
          "3" + ", NULL".repeat(31),
          // ordinary values; text that looks like NULL; bigint unsigned above Long.MAX_VALUE
          "4, 1, b'1', 0, 128, 0, 1, 0, 1, 0, 1, 0, 9223372036854775808,"
              + " 0.000000000000000000000000000001, 0.0000000001, 0.01, 1.1, 0.1, 'a', 'NULL',"
              + " '\\\\N', 'b', 'y', 'null', X'5C4E', X'61000000', X'0A0D09', '2024-02-29',"
              + " '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.500000',"
              + " '12:00:00.000001', 0",
          // the smallest positive float and double, negative zero years
          "5, 0, b'0', -1, 1, -1, 2, -1, 2, -1, 2, -1, 1, -0.000000000000000000000000000001,"
              + " -0.0000000001, -0.01, 1.4e-45, 4.9e-324, ' ', ' lead', 'trail ', 'a', 'x,z',"
              + " '{}', X'00', X'00000000', X'00', '2000-01-01', '2000-01-01 00:00:00.000001',"
              + " '2000-01-01 00:00:00.000001', '00:00:00.000001', 1999");

  /** Rows that must become dirty on a leg: id → the column the dirty row must name. */
  static final Map<Long, String> DIRTY_ON_READ =
      Map.of(
          // tinyint(1) reads as boolean: 2 is not one
          100L, "b_tiny1",
          // Ferry's time is a time of day; MySQL's TIME is a duration
          101L, "tm",
          // zeroDates: error (the default)
          102L, "dt");

  static final Map<Long, String> DIRTY_ON_POSTGRES_WRITE =
      // PostgreSQL text cannot hold U+0000
      Map.of(103L, "vc");

  @TempDir static Path state;
  private static TestDatabases.MariaDb maria;
  private static TestDatabases.Postgres pg;

  @BeforeAll
  static void createDatabases() throws Exception {
    maria = new TestDatabases.MariaDb();
    pg = new TestDatabases.Postgres();
    StringJoiner ddl = new StringJoiner(", ", "CREATE TABLE src (id bigint PRIMARY KEY, ", ")");
    COLUMNS.forEach(c -> ddl.add("`" + c.name() + "` " + c.mariaType()));
    maria.execute(ddl.toString());
    try (Connection c = maria.connect();
        var s = c.createStatement()) {
      for (String row : CLEAN_ROWS) {
        s.execute("INSERT INTO src VALUES (" + row + ")");
      }
      s.execute("INSERT INTO src (id, b_tiny1) VALUES (100, 2)");
      s.execute("INSERT INTO src (id, tm) VALUES (101, '-01:00:00')");
      s.execute("INSERT INTO src (id, dt) VALUES (102, '0000-00-00')");
      s.execute("INSERT INTO src (id, vc) VALUES (103, CONCAT('a', CHAR(0), 'b'))");
    }
    pg.execute("CREATE TYPE mood AS ENUM ('a', 'b', 'c d')");
    StringJoiner natural =
        new StringJoiner(", ", "CREATE TABLE natural_types (id bigint PRIMARY KEY, ", ")");
    COLUMNS.forEach(
        c ->
            natural.add(
                "\"" + c.name() + "\" " + c.pgNatural().replace("character varying", "varchar")));
    pg.execute(natural.toString());
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

  private static Map<Long, List<Object>> cleanOriginal() throws Exception {
    try (Connection c = maria.connect()) {
      Map<Long, List<Object>> rows = Canon.readTable(c, "src", canons(), false);
      rows.keySet().removeIf(id -> id >= 100);
      assertThat(rows).hasSize(CLEAN_ROWS.size());
      return rows;
    }
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
    assertThat(outcome.result().progress().dirtyRecords())
        .as("dirty count of %s", leg)
        .isEqualTo(expected.size());
  }

  private static Map<Long, String> union(Map<Long, String> a, Map<Long, String> b) {
    Map<Long, String> m = new TreeMap<>(a);
    m.putAll(b);
    return m;
  }

  private static FerryJobs.Outcome mariaToPg(String pgTable, boolean create) throws Exception {
    return FerryJobs.run(
            state,
            "maria-to-pg-" + pgTable,
            """
            source: {connector: mysql, %s, table: src, splitsPerChannel: 2}
            sink: {connector: postgresql, %s, table: %s, createTable: %s, keys: [id]}
            settings: {channels: 2, errorLimit: 100}
            """
                .formatted(maria.options(), pg.options(), pgTable, create))
        .succeeded();
  }

  private static FerryJobs.Outcome pgToMaria(String pgTable, String mariaTable) throws Exception {
    return FerryJobs.run(
            state,
            "pg-to-maria-" + mariaTable,
            """
            source: {connector: postgresql, %s, table: %s}
            sink: {connector: mysql, %s, table: %s, createTable: true, keys: [id]}
            settings: {channels: 2, errorLimit: 100}
            """
                .formatted(pg.options(), pgTable, maria.options(), mariaTable))
        .succeeded();
  }

  @Test
  void throughATableTheJobCreates() throws Exception {
    FerryJobs.Outcome there = mariaToPg("created", true);
    assertDirty(there, union(DIRTY_ON_READ, DIRTY_ON_POSTGRES_WRITE), "MariaDB → PostgreSQL");
    Map<Long, List<Object>> original = cleanOriginal();
    try (Connection c = pg.connect()) {
      Map<String, String> types = Canon.columnTypes(c, "created", true);
      for (Col col : COLUMNS) {
        assertThat(types.get(col.name()))
            .as("PostgreSQL type of %s", col.name())
            .isEqualTo(col.pgCreated());
      }
      assertSameRows(
          Canon.readTable(c, "created", canons(), true), original, "PostgreSQL table created");
    }
    FerryJobs.Outcome back = pgToMaria("created", "back_from_created");
    assertDirty(back, Map.of(), "PostgreSQL → MariaDB");
    try (Connection c = maria.connect()) {
      Map<String, String> types = Canon.columnTypes(c, "back_from_created", false);
      for (Col col : COLUMNS) {
        assertThat(types.get(col.name()))
            .as("MariaDB type of %s", col.name())
            .isEqualTo(col.mariaBack());
      }
      assertSameRows(
          Canon.readTable(c, "back_from_created", canons(), false), original, "MariaDB table back");
    }
  }

  @Test
  void throughATableWithTheNaturalPostgresTypes() throws Exception {
    FerryJobs.Outcome there = mariaToPg("natural_types", false);
    assertDirty(
        there, union(DIRTY_ON_READ, DIRTY_ON_POSTGRES_WRITE), "MariaDB → PostgreSQL (natural)");
    Map<Long, List<Object>> original = cleanOriginal();
    try (Connection c = pg.connect()) {
      assertSameRows(
          Canon.readTable(c, "natural_types", canons(), true),
          original,
          "PostgreSQL natural table");
    }
    FerryJobs.Outcome back = pgToMaria("natural_types", "back_from_natural");
    assertDirty(back, Map.of(), "PostgreSQL (natural) → MariaDB");
    try (Connection c = maria.connect()) {
      assertSameRows(
          Canon.readTable(c, "back_from_natural", canons(), false),
          original,
          "MariaDB table back from natural");
    }
  }
}
