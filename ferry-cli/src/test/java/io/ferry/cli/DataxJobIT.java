package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DataX job files — DataX's own documentation examples (see src/test/resources/datax/README.md) —
 * run by {@code ferry run} as they are, against MariaDB and PostgreSQL, the data read back and
 * compared; and {@code ferry convert}'s YAML running to the same rows.
 */
class DataxJobIT {
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final Path JOBS = Path.of("src/test/resources/datax");

  @TempDir Path dir;
  private final String db = "ferry_h23_datax_" + UUID.randomUUID().toString().replace("-", "");

  @BeforeEach
  void createDatabases() throws SQLException {
    mariadb(
        null,
        "CREATE DATABASE " + db,
        "USE " + db,
        "CREATE TABLE "
            + db
            + ".db_info (db_id int PRIMARY KEY, id int, name varchar(40), on_line_flag int)",
        "INSERT INTO "
            + db
            + ".db_info SELECT seq, seq * 10, CONCAT('db-', seq), IF(seq % 3 = 0, 0, 1)"
            + " FROM seq_1_to_40",
        "CREATE TABLE "
            + db
            + ".test (id bigint PRIMARY KEY, flag boolean, score double, name varchar(40), day"
            + " date)",
        "INSERT INTO " + db + ".test VALUES (999, false, 0, 'old', '2000-01-01')",
        "CREATE TABLE " + db + ".events (id bigint PRIMARY KEY, at datetime(3))");
    postgres("postgres", "CREATE DATABASE " + db);
    postgres(
        db,
        "CREATE TABLE test (id int PRIMARY KEY, name text)",
        "INSERT INTO test VALUES (999, 'old')",
        "CREATE TABLE t_json (key int PRIMARY KEY, label text, flag int, origin text, version"
            + " int)",
        "CREATE TABLE t_yaml (key int PRIMARY KEY, label text, flag int, origin text, version"
            + " int)");
  }

  @AfterEach
  void dropDatabases() throws SQLException {
    mariadb(null, "DROP DATABASE IF EXISTS " + db);
    postgres("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }

  private String state() {
    return dir.resolve("state").toString();
  }

  private Cli.Result run(String job, String... params) {
    List<String> args = new ArrayList<>(List.of("run", JOBS.resolve(job).toString()));
    for (String p : params) {
      args.add("-p");
      args.add(p);
    }
    args.add("--state-dir");
    args.add(state());
    return Cli.ferry(args.toArray(String[]::new));
  }

  @Test
  void mysqlreaderToStreamwriterPrintsEveryRow() throws Exception {
    // DataX's form of a variable: -p "-Ddb=..."
    Cli.Result r = run("mysqlreader-streamwriter.json", "-Ddb=" + db);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.SUCCEEDED);
    List<String> expected = mariadbRows("SELECT id, name FROM db_info");
    // the console prints the column names first (DataX's streamwriter prints none)
    List<String> lines = r.data().lines().toList();
    assertThat(lines.get(0)).isEqualTo("id\tname");
    assertThat(lines.subList(1, lines.size()).stream().sorted())
        .containsExactlyElementsOf(expected.stream().sorted().toList());
    assertThat(expected).hasSize(40);
  }

  @Test
  void querySqlOverThreeJdbcUrlsTakesTheOneThatAnswers() {
    Cli.Result r = run("mysqlreader-querysql.json", "-Ddb=" + db);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.SUCCEEDED);
    // streamwriter "print": false is the blackhole: the count is what arrived
    assertThat(r.err()).containsPattern("Records written\\s+9\\b");
  }

  @Test
  void mysqlreaderToPostgresqlwriterRunsPreSqlAndCopiesTheRows() throws Exception {
    Cli.Result r = run("mysqlreader-postgresqlwriter.json", "-Ddb=" + db, "-Dpgdb=" + db);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(postgresRows("SELECT id, name FROM test ORDER BY id"))
        .containsExactlyElementsOf(mariadbRows("SELECT id, name FROM db_info ORDER BY id"));
  }

  @Test
  void txtfilereaderToMysqlwriterParsesTheDatePattern() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(
        dir.resolve("data/part-0"),
        """
        1,true,1.5,alpha,2024.01.15
        2,false,-0.25,\\N,1999.12.31
        3,true,1e3,gamma,2000.02.29
        """);
    Cli.Result r =
        run("txtfilereader-mysqlwriter.json", "-Ddb=" + db, "-Ddir=" + dir.toAbsolutePath());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(mariadbRows("SELECT id, flag, score, name, day FROM test ORDER BY id"))
        .containsExactly(
            "1\t1\t1.5\talpha\t2024-01-15",
            "2\t0\t-0.25\tnull\t1999-12-31",
            "3\t1\t1000\tgamma\t2000-02-29");
  }

  @Test
  void aDateWithoutFormatTakesTheTextsDataxTakes() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(
        dir.resolve("data/part-0"),
        """
        1,2024-05-01
        2,2024-05-02 13:45:00
        3,20240503
        4,13:45:07
        5,\\N
        6,2024-05-06 07:08:09.123
        """);
    Cli.Result r =
        run("txtfilereader-dates-mysqlwriter.json", "-Ddb=" + db, "-Ddir=" + dir.toAbsolutePath());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(mariadbRows("SELECT id, CAST(at AS CHAR) FROM events ORDER BY id"))
        .containsExactly(
            "1\t2024-05-01 00:00:00.000",
            "2\t2024-05-02 13:45:00.000",
            "3\t2024-05-03 00:00:00.000",
            "4\t1970-01-01 13:45:07.000",
            "5\tnull",
            "6\t2024-05-06 07:08:09.123");
  }

  @Test
  void transformersAndPositionalPairingAndConvertRunTheSame() throws Exception {
    Cli.Result json =
        run("transformers.json", "-Ddb=" + db + " -Dpgdb=" + db + " -Dtarget=t_json", "last=30");
    assertThat(json.exitCode()).as(json.err()).isEqualTo(ExitCode.SUCCEEDED);

    List<String> expected = new ArrayList<>();
    for (int id = 1; id <= 30; id++) {
      if (id % 3 == 0) {
        continue; // dx_filter on_line_flag = 0 removes the row
      }
      expected.add(id + "\t" + dataxString("db-" + id) + "\t1\terp\t7");
    }
    assertThat(postgresRows("SELECT * FROM t_json ORDER BY key"))
        .containsExactlyElementsOf(expected);
    assertThat(json.err()).containsPattern("Filtered\\s+10\\b");

    Cli.Result convert = Cli.ferry("convert", JOBS.resolve("transformers.json").toString());
    assertThat(convert.exitCode()).as(convert.err()).isEqualTo(ExitCode.SUCCEEDED);
    Path yaml = Files.writeString(dir.resolve("transformers.yaml"), convert.out());
    Cli.Result valid =
        Cli.ferry(
            "validate",
            yaml.toString(),
            "-p",
            "db=" + db,
            "-p",
            "pgdb=" + db,
            "-p",
            "target=t_yaml",
            "-p",
            "last=30");
    assertThat(valid.exitCode()).as(valid.err()).isEqualTo(ExitCode.SUCCEEDED);
    Cli.Result fromYaml =
        Cli.ferry(
            "run",
            yaml.toString(),
            "-p",
            "db=" + db,
            "-p",
            "pgdb=" + db,
            "-p",
            "target=t_yaml",
            "-p",
            "last=30",
            "--state-dir",
            state());
    assertThat(fromYaml.exitCode()).as(fromYaml.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(postgresRows("SELECT * FROM t_yaml ORDER BY key"))
        .containsExactlyElementsOf(expected);
  }

  /** DataX's dx_substr 1,4 then dx_pad l,6,* then dx_replace 0,2,#, as DataX computes them. */
  private static String dataxString(String value) {
    String s = 1 + 4 >= value.length() ? value.substring(1) : value.substring(1, 5);
    s = s.length() >= 6 ? s.substring(0, 6) : "*".repeat(6 - s.length()) + s;
    return "#" + s.substring(2);
  }

  // ------------------------------------------------------------------ helpers

  private void mariadb(String database, String... statements) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(MARIADB + (database == null ? "" : database), "root", "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private void postgres(String database, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(POSTGRES + database, "postgres", "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private List<String> mariadbRows(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(MARIADB + db, "root", "")) {
      return rows(c, query);
    }
  }

  private List<String> postgresRows(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(POSTGRES + db, "postgres", "")) {
      return rows(c, query);
    }
  }

  private static List<String> rows(Connection c, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          if (i > 1) {
            row.append('\t');
          }
          row.append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
