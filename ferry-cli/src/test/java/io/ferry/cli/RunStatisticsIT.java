package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counts {@code ferry run}, {@code ferry resume} and {@code ferry runs} print, compared with
 * what the MariaDB target table holds: rows the database rejects are not written, and a run killed
 * with SIGKILL is listed with what it committed, as its checkpoint has it.
 */
class RunStatisticsIT {
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final String database = "ferry_stats_" + UUID.randomUUID().toString().replace("-", "");

  @BeforeEach
  void createDatabase() throws SQLException {
    sql("CREATE DATABASE " + database);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    sql("DROP DATABASE IF EXISTS " + database);
  }

  /** 96 rows read, 8 of them rejected by the target's key: the summary says 88, as the table. */
  @Test
  void rowsTheDatabaseRejectsAreDirtyNotWritten() throws Exception {
    sql(
        "CREATE TABLE " + database + ".src (id BIGINT PRIMARY KEY, code VARCHAR(20) NOT NULL)",
        // Rows 89..96 repeat the codes of rows 1..8.
        "INSERT INTO "
            + database
            + ".src SELECT seq, CONCAT('C', IF(seq > 88, seq - 88, seq)) FROM seq_1_to_96",
        "CREATE TABLE " + database + ".dst (code VARCHAR(20) PRIMARY KEY, id BIGINT NOT NULL)");
    Path job =
        Files.writeString(
            dir.resolve("rejects.yaml"),
            """
            source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: src}
            sink: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: dst}
            settings: {channels: 1, errorLimit: 100}
            """
                .formatted(database, database));

    Cli.Result run = Cli.ferry("run", job.toString(), "--state-dir", state().toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DIRTY_ROWS);
    long inTable = count("dst");
    assertThat(inTable).isEqualTo(88);
    assertThat(number(run.err(), "Records read +([\\d,]+)")).isEqualTo(96);
    assertThat(number(run.err(), "Records written +([\\d,]+)")).isEqualTo(inTable);
    assertThat(run.err()).containsPattern("Dirty +8 \\(8 rejected by the sink\\)");
    Cli.Result runs = Cli.ferry("runs", "--state-dir", state().toString());
    assertThat(listed(runs.out()).written()).isEqualTo(inTable);
  }

  /**
   * A run killed mid-copy is listed with the rows and splits its checkpoint committed (not 0 and
   * 0/0); resumed, it ends with the table's row count.
   */
  @Test
  void aKilledRunIsListedWithWhatItCommittedAndEndsWithTheTablesCount() throws Exception {
    int rows = 200_000;
    sql(
        "CREATE TABLE "
            + database
            + ".src (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(12,2))",
        "INSERT INTO "
            + database
            + ".src SELECT seq, CONCAT('name-', seq), seq / 7 FROM seq_1_to_"
            + rows,
        "CREATE TABLE "
            + database
            + ".dst (id BIGINT NOT NULL, name VARCHAR(40) NOT NULL, amount DECIMAL(12,2),"
            + " INDEX (id))");
    Path job =
        Files.writeString(
            dir.resolve("killed.yaml"),
            """
            source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: src, splitsPerChannel: 8}
            sink: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: dst}
            settings: {channels: 2, flushInterval: 200ms, recordsPerSecond: 40000}
            """
                .formatted(database, database));

    Process process = Cli.process(dir, state(), "run", job.toString());
    try {
      // Kill once rows are committed: SIGKILL, no pause, no last flush.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (count("dst") < 20_000 && process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(process.isAlive()).as(Files.readString(dir.resolve("ferry.err"))).isTrue();
    } finally {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    Listed killed = listed(Cli.ferry("runs", "--state-dir", state().toString()).out());
    assertThat(killed.state()).isEqualTo("PAUSED");
    JsonNode checkpoint =
        JSON.readTree(state().resolve("runs/" + killed.key() + "/checkpoint.json").toFile());
    long committed = checkpoint.path("counts").path("written").asLong();
    int done = 0;
    for (JsonNode split : checkpoint.get("splits")) {
      done += split.get("state").asText().equals("DONE") ? 1 : 0;
    }
    assertThat(committed).isPositive().isLessThan(rows);
    assertThat(killed.written()).isEqualTo(committed);
    assertThat(killed.splitsDone()).isEqualTo(done);
    int splits = checkpoint.get("splits").size();
    assertThat(killed.splitsTotal()).isEqualTo(splits).isGreaterThan(1);
    // The table holds at least what was committed (rows after the checkpoint are discarded on
    // resume).
    assertThat(count("dst")).isGreaterThanOrEqualTo(committed);

    Cli.Result resumed =
        Cli.ferry("resume", killed.key(), "--state-dir", state().toString(), "--channels", "2");
    assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(count("dst")).isEqualTo(rows);
    assertThat(number(resumed.err(), "Records written +([\\d,]+)")).isEqualTo(rows);
    assertThat(number(resumed.err(), "Records read +([\\d,]+)")).isEqualTo(rows);
    Listed ended = listed(Cli.ferry("runs", "--state-dir", state().toString()).out());
    assertThat(ended.state()).isEqualTo("SUCCEEDED");
    assertThat(ended.written()).isEqualTo(rows);
    assertThat(ended.splitsDone()).isEqualTo(splits);
    assertThat(ended.splitsTotal()).isEqualTo(splits);
  }

  private Path state() {
    return dir.resolve("state");
  }

  /** The one run {@code ferry runs} lists. */
  private record Listed(String key, String state, long written, int splitsDone, int splitsTotal) {}

  private static Listed listed(String out) {
    List<String> lines = out.lines().toList();
    assertThat(lines).as(out).hasSize(2); // the header and the run
    Matcher m =
        Pattern.compile("^(\\S+) +(\\S+) +\\S+ \\S+ +([\\d,]+) +(\\d+)/(\\d+)")
            .matcher(lines.get(1));
    assertThat(m.find()).as(out).isTrue();
    return new Listed(
        m.group(1),
        m.group(2),
        Long.parseLong(m.group(3).replace(",", "")),
        Integer.parseInt(m.group(4)),
        Integer.parseInt(m.group(5)));
  }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private long count(String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(MARIADB + database, "root", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void sql(String... statements) throws SQLException {
    // seq_1_to_N (the sequence engine) lives in the current database.
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        if (statement.startsWith("INSERT")) {
          s.execute("USE " + database);
        }
        s.execute(statement);
      }
    }
  }
}
