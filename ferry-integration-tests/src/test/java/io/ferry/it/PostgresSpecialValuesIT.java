package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.RunState;
import io.ferry.spi.ErrorCategory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's values beyond an ordinary calendar day and number (issue 14, items 6 to 9): BC
 * dates, {@code ±infinity} dates and timestamps, {@code time '24:00:00'}, numeric {@code NaN} and
 * {@code ±Infinity}, and what {@code createTable} makes of a primary key and of an unconstrained
 * numeric. Every good row must arrive exactly (read back as the target's own text), every row the
 * target cannot hold must be a dirty row naming its key, the column and the reason, on the bulk
 * path and on batched statements alike, and the run must end as the error limit says.
 */
class PostgresSpecialValuesIT {
  private static final String COLUMNS = "d, ts, tz, tm, n";

  /** id → d, ts, tz, tm, n as PostgreSQL literals; ids below 10 MariaDB can hold. */
  private static final Map<Long, String> ROWS = new LinkedHashMap<>();

  static {
    ROWS.put(
        1L,
        "'2024-02-29', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456+00',"
            + " '12:34:56.123456', 12345.67891");
    ROWS.put(
        2L,
        "'0001-01-01', '0001-01-01 00:00:00', '1970-01-01 00:00:01+00', '00:00:00',"
            + " -999999999999999.99999");
    ROWS.put(
        3L,
        "'9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999+00',"
            + " '23:59:59.999999', 0");
    ROWS.put(4L, "NULL, NULL, NULL, '24:00:00', NULL");
    ROWS.put(10L, "'0044-03-15 BC', NULL, NULL, NULL, NULL");
    ROWS.put(11L, "'0001-01-01 BC', NULL, NULL, NULL, NULL");
    ROWS.put(12L, "'infinity', NULL, NULL, NULL, NULL");
    ROWS.put(13L, "'-infinity', NULL, NULL, NULL, NULL");
    ROWS.put(14L, "NULL, 'infinity', NULL, NULL, NULL");
    ROWS.put(15L, "NULL, '-infinity', NULL, NULL, NULL");
    ROWS.put(16L, "NULL, '0001-12-31 23:59:59 BC', NULL, NULL, NULL");
    ROWS.put(17L, "NULL, NULL, 'infinity', NULL, NULL");
    ROWS.put(18L, "NULL, NULL, '-infinity', NULL, NULL");
    ROWS.put(19L, "NULL, NULL, NULL, NULL, 'NaN'");
  }

  /** What MariaDB holds of the good rows, as CAST(col AS CHAR) in a UTC session. */
  private static final Map<Long, List<String>> IN_MARIADB =
      Map.of(
          1L,
          List.of(
              "2024-02-29",
              "2024-02-29 12:34:56.123456",
              "2024-02-29 12:34:56.123456",
              "12:34:56.123456",
              "12345.67891"),
          2L,
          List.of(
              "0001-01-01",
              "0001-01-01 00:00:00.000000",
              "1970-01-01 00:00:01.000000",
              "00:00:00.000000",
              "-999999999999999.99999"),
          3L,
          List.of(
              "9999-12-31",
              "9999-12-31 23:59:59.999999",
              "2038-01-19 03:14:07.999999",
              "23:59:59.999999",
              "0.00000"),
          4L,
          nullsBut(3, "24:00:00.000000"));

  /** The rows MariaDB cannot hold: id → the column its dirty row must name and why. */
  private static final Map<Long, Fault> DIRTY_INTO_MARIADB = new TreeMap<>();

  static {
    for (long id : new long[] {10, 11}) {
      DIRTY_INTO_MARIADB.put(id, new Fault("d", "BC"));
    }
    for (long id : new long[] {12, 13}) {
      DIRTY_INTO_MARIADB.put(id, new Fault("d", "infinity"));
    }
    for (long id : new long[] {14, 15}) {
      DIRTY_INTO_MARIADB.put(id, new Fault("ts", "infinity"));
    }
    DIRTY_INTO_MARIADB.put(16L, new Fault("ts", "BC"));
    for (long id : new long[] {17, 18}) {
      DIRTY_INTO_MARIADB.put(id, new Fault("tz", "infinity"));
    }
    DIRTY_INTO_MARIADB.put(19L, new Fault("n", "NaN"));
  }

  @TempDir static Path state;
  @TempDir static Path files;
  private static TestDatabases.MariaDb maria;
  private static TestDatabases.Postgres pg;

  @BeforeAll
  static void createDatabases() throws Exception {
    maria = new TestDatabases.MariaDb();
    pg = new TestDatabases.Postgres();
    pg.execute(
        "CREATE TABLE special (id bigint PRIMARY KEY, d date, ts timestamp(6), tz timestamptz(6),"
            + " tm time(6), n numeric(20,5))",
        "CREATE TABLE back (id bigint PRIMARY KEY, d date, ts timestamp(6), tz timestamptz(6),"
            + " tm time(6), n numeric(20,5))",
        "CREATE TABLE unconstrained (id bigint PRIMARY KEY, nu numeric)",
        "INSERT INTO unconstrained VALUES (1, 1.5), (2, 'NaN'), (3, 'Infinity'), (4, '-Infinity'),"
            + " (5, 123456789012345678901234567890.123456789), (6, 0.1234567890123456789012345678901)",
        "CREATE TABLE keyed (id bigint PRIMARY KEY, v text)",
        "INSERT INTO keyed VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    for (Map.Entry<Long, String> row : ROWS.entrySet()) {
      pg.execute(
          "INSERT INTO special (id, "
              + COLUMNS
              + ") VALUES ("
              + row.getKey()
              + ", "
              + row.getValue()
              + ")");
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

  private static List<String> nullsBut(int index, String value) {
    List<String> row = new ArrayList<>(java.util.Collections.nCopies(5, (String) null));
    row.set(index, value);
    return row;
  }

  @Test
  void postgresIntoMariaDbKeepsEveryGoodRowExactlyAndMakesTheRestDirtyRows() throws Exception {
    for (String bulkLoad : List.of("auto", "off")) {
      String table = "special_" + bulkLoad;
      FerryJobs.Outcome outcome =
          FerryJobs.run(
                  state,
                  "pg-to-maria-" + bulkLoad,
                  """
                  source: {connector: postgresql, %s, table: special}
                  sink: {connector: mysql, %s, table: %s, createTable: true, bulkLoad: "%s"}
                  settings: {channels: 2, errorLimit: %d}
                  """
                      .formatted(
                          pg.options(),
                          maria.options(),
                          table,
                          bulkLoad,
                          DIRTY_INTO_MARIADB.size()))
              .succeeded();
      assertDirtyRows(outcome, DIRTY_INTO_MARIADB, "PostgreSQL → MariaDB, bulkLoad " + bulkLoad);
      assertThat(readMariaDb(table)).as("MariaDB table %s", table).isEqualTo(IN_MARIADB);
    }
  }

  @Test
  void oneDirtyRowMoreThanTheErrorLimitFailsTheRun() throws Exception {
    FerryJobs.Outcome outcome =
        FerryJobs.run(
            state,
            "pg-to-maria-limit",
            """
            source: {connector: postgresql, %s, table: special}
            sink: {connector: mysql, %s, table: limited, createTable: true}
            settings: {channels: 1, errorLimit: %d}
            """
                .formatted(pg.options(), maria.options(), DIRTY_INTO_MARIADB.size() - 1));
    assertThat(outcome.result().state()).isEqualTo(RunState.FAILED);
    assertThat(outcome.result().failure().code().code()).isEqualTo("error-limit.exceeded");
  }

  /**
   * PostgreSQL → CSV → PostgreSQL: the CSV holds {@code 24:00:00}, {@code infinity} and BC dates as
   * text, and the table written back from it holds exactly the original values.
   */
  @Test
  void postgresThroughCsvAndBackKeepsEndOfDayInfinitiesAndBcDates() throws Exception {
    Path csv = files.resolve("special.csv");
    FerryJobs.Outcome out =
        FerryJobs.run(
                state,
                "pg-to-csv",
                """
                source: {connector: postgresql, %s, table: special}
                sink: {connector: file, path: '%s', format: csv}
                settings: {channels: 1, errorLimit: 1}
                """
                    .formatted(pg.options(), csv))
            .succeeded();
    // NaN has no decimal value: the one row Ferry cannot read.
    assertDirtyRows(out, Map.of(19L, new Fault("n", "NaN")), "PostgreSQL → CSV");
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertThat(lines)
        .contains(
            "4,,,,24:00:00,",
            "10,-0043-03-15,,,,",
            "11,0000-01-01,,,,",
            "12,infinity,,,,",
            "13,-infinity,,,,",
            "14,,infinity,,,",
            "16,,0000-12-31T23:59:59,,,",
            "17,,,infinity,,",
            "18,,,-infinity,,");

    FerryJobs.run(
            state,
            "csv-to-pg",
            """
            source:
              connector: file
              path: '%s'
              format: csv
              columns: [id int64, d date, ts timestamp, tz timestamp_tz, tm time, "n decimal(20,5)"]
            sink: {connector: postgresql, %s, table: back}
            """
                .formatted(csv, pg.options()))
        .succeeded();
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      String text = "id, d::text, ts::text, tz::text, tm::text, n::text";
      Map<Long, List<String>> original = rows(s, "SELECT " + text + " FROM special WHERE id <> 19");
      assertThat(rows(s, "SELECT " + text + " FROM back")).isEqualTo(original);
      assertThat(original.get(4L).get(3)).isEqualTo("24:00:00");
    }
  }

  @Test
  void createTableMakesThePrimaryKeySoARerunCannotDoubleTheRows() throws Exception {
    for (String connector : List.of("mysql", "postgresql")) {
      boolean intoMaria = connector.equals("mysql");
      String job =
          """
          source: {connector: postgresql, %s, table: keyed}
          sink: {connector: %s, %s, table: keyed_copy, createTable: true}
          """
              .formatted(pg.options(), connector, intoMaria ? maria.options() : pg.options());
      FerryJobs.run(state, "keyed-first-" + connector, job).succeeded();
      FerryJobs.Outcome rerun = FerryJobs.run(state, "keyed-rerun-" + connector, job);
      assertThat(rerun.result().state()).as(connector).isEqualTo(RunState.FAILED);
      assertThat(rerun.dirty()).as(connector).isNotEmpty();
      assertThat(rerun.dirty().get(0).reason().toLowerCase(java.util.Locale.ROOT))
          .contains("duplicate");
      try (Connection c = intoMaria ? maria.connect() : pg.connect();
          Statement s = c.createStatement()) {
        assertThat(rows(s, "SELECT id, v FROM keyed_copy"))
            .as(connector)
            .isEqualTo(Map.of(1L, List.of("a"), 2L, List.of("b"), 3L, List.of("c")));
        try (ResultSet rs =
            s.executeQuery(
                "SELECT kcu.column_name FROM information_schema.table_constraints tc JOIN"
                    + " information_schema.key_column_usage kcu ON kcu.constraint_name ="
                    + " tc.constraint_name AND kcu.table_schema = tc.table_schema AND"
                    + " kcu.table_name = tc.table_name WHERE tc.table_name = 'keyed_copy' AND"
                    + " tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = "
                    + (intoMaria ? "DATABASE()" : "current_schema()"))) {
          assertThat(rs.next()).as("a primary key on %s", connector).isTrue();
          assertThat(rs.getString(1)).isEqualTo("id");
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }

  @Test
  void unconstrainedNumericIntoMariaDb() throws Exception {
    FerryJobs.Outcome refused =
        FerryJobs.run(
            state,
            "unconstrained-refused",
            """
            source: {connector: postgresql, %s, table: unconstrained}
            sink: {connector: mysql, %s, table: nu_created, createTable: true}
            """
                .formatted(pg.options(), maria.options()));
    assertThat(refused.result().state()).isEqualTo(RunState.FAILED);
    assertThat(refused.result().failure().category()).isEqualTo(ErrorCategory.USER);
    assertThat(refused.result().failure().getMessage()).contains("nu").contains("cast");

    // With the type the message suggests: values that fit arrive, the rest are dirty rows.
    FerryJobs.Outcome cast =
        FerryJobs.run(
                state,
                "unconstrained-cast",
                """
                source: {connector: postgresql, %s, table: unconstrained}
                sink: {connector: mysql, %s, table: nu_cast, createTable: true}
                transforms: [{type: cast, columns: {nu: "decimal(65,30)"}}]
                settings: {errorLimit: 4}
                """
                    .formatted(pg.options(), maria.options()))
            .succeeded();
    assertDirtyRows(
        cast,
        Map.of(
            2L, new Fault("nu", "NaN"),
            3L, new Fault("nu", "Infinity"),
            4L, new Fault("nu", "Infinity"),
            6L, new Fault("nu", "decimal places")),
        "unconstrained numeric → MariaDB");
    try (Connection c = maria.connect();
        Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT id, CAST(nu AS CHAR) FROM nu_cast"))
          .isEqualTo(
              Map.of(
                  1L,
                  List.of("1.500000000000000000000000000000"),
                  5L,
                  List.of("123456789012345678901234567890.123456789000000000000000000000")));
    }
  }

  /**
   * The run's dirty rows are exactly {@code expected}: id → the column named and a word the reason
   * must contain; each located by its key.
   */
  private static void assertDirtyRows(
      FerryJobs.Outcome outcome, Map<Long, Fault> expected, String leg) {
    Map<Long, Fault> actual = new TreeMap<>();
    for (FerryJobs.Dirty d : outcome.dirty()) {
      assertThat(d.location()).as("location of %s in %s", d, leg).contains("id=" + d.id());
      Fault want = expected.get(d.id());
      boolean hasWord =
          want != null
              && d.reason()
                  .toLowerCase(java.util.Locale.ROOT)
                  .contains(want.reasonWord().toLowerCase(java.util.Locale.ROOT));
      actual.put(
          d.id(), new Fault(String.valueOf(d.column()), hasWord ? want.reasonWord() : d.reason()));
    }
    assertThat(actual).as("dirty rows of %s: %s", leg, outcome.dirty()).isEqualTo(expected);
  }

  /** A dirty row's column and a word of its reason. */
  record Fault(String column, String reasonWord) {}

  private Map<Long, List<String>> readMariaDb(String table) throws SQLException {
    try (Connection c = maria.connect();
        Statement s = c.createStatement()) {
      return rows(
          s,
          "SELECT id, CAST(d AS CHAR), CAST(ts AS CHAR), CAST(tz AS CHAR), CAST(tm AS CHAR),"
              + " CAST(n AS CHAR) FROM "
              + table);
    }
  }

  /** The first column as the id, the others as text, by id. */
  private static Map<Long, List<String>> rows(Statement s, String sql) throws SQLException {
    Map<Long, List<String>> rows = new TreeMap<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 2; i <= n; i++) {
          row.add(rs.getString(i));
        }
        rows.put(rs.getLong(1), row);
      }
    }
    return rows;
  }
}
