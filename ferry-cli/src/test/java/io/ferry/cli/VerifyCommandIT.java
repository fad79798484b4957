package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry verify} and the verification after {@code ferry run}, on MariaDB: what they print,
 * the report file, the exit codes, and a repair with and without {@code --yes}.
 */
class VerifyCommandIT {
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";

  @TempDir Path dir;
  private final String database = "ferry_verify_" + UUID.randomUUID().toString().replace("-", "");

  @BeforeEach
  void createDatabase() throws SQLException {
    sql("CREATE DATABASE " + database);
    sql(
        "CREATE TABLE "
            + database
            + ".src (id int PRIMARY KEY, name varchar(20), amount decimal(10,2))",
        "CREATE TABLE "
            + database
            + ".dst (id int PRIMARY KEY, name varchar(20), amount decimal(10,2))",
        "CREATE TABLE "
            + database
            + ".dst2 (id int PRIMARY KEY, name varchar(20), amount decimal(10,2))",
        "INSERT INTO " + database + ".src SELECT seq, CONCAT('n', seq), seq / 4 FROM seq_1_to_30",
        "INSERT INTO " + database + ".dst2 VALUES (1000, 'already here', 0)");
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    sql("DROP DATABASE IF EXISTS " + database);
  }

  private Path job(String target) throws Exception {
    return job(target, "");
  }

  /** A job from src into {@code target}, with extra settings such as {@code ", verify: off"}. */
  private Path job(String target, String settings) throws Exception {
    return Files.writeString(
        dir.resolve(target + ".yaml"),
        """
        source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: src}
        sink: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: %s}
        settings: {channels: 2%s}
        """
            .formatted(database, database, target, settings));
  }

  private String state() {
    return dir.resolve("state").toString();
  }

  @Test
  void verifyReportsEachDifferenceAndRepairs() throws Exception {
    Path job = job("dst");
    Cli.Result run = Cli.ferry("run", job.toString(), "--state-dir", state());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(run.err())
        .contains("Verification: EQUAL (count, count): source 30 rows, target 30 rows");

    Cli.Result equal = Cli.ferry("verify", job.toString(), "--state-dir", state());
    assertThat(equal.exitCode()).as(equal.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(equal.out()).startsWith("EQUAL (content, checksum): source 30 rows, target 30 rows");

    sql(
        "DELETE FROM " + database + ".dst WHERE id = 2",
        "UPDATE " + database + ".dst SET name = 'changed' WHERE id = 3",
        "UPDATE " + database + ".dst SET amount = 1.01 WHERE id = 4",
        "INSERT INTO " + database + ".dst VALUES (99, 'extra', 1)");
    Path report = dir.resolve("differences.jsonl");
    Cli.Result differs =
        Cli.ferry("verify", job.toString(), "--state-dir", state(), "--report", report.toString());
    assertThat(differs.exitCode()).as(differs.err()).isEqualTo(ExitCode.DIFFERS);
    assertThat(differs.out())
        .startsWith("DIFFERS (content, checksum + keyed merge): source 30 rows, target 30 rows")
        .contains("missing 1, extra 1, different 2")
        .contains("missing id=2")
        .contains("different id=3 name: 'n3' → 'changed'")
        .contains("different id=4 amount: '1' → '1.01'")
        .contains("extra id=99")
        .contains("every difference: " + report);
    assertThat(Files.readAllLines(report)).hasSize(4);
    // The checkpoint of its key ranges goes once a verification ends.
    try (var files = Files.list(dir.resolve("state").resolve("verify"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.contains("checkpoint"));
    }

    Cli.Result kept = Cli.ferry("verify", job.toString(), "--state-dir", state(), "--repair");
    assertThat(kept.exitCode()).as(kept.out()).isEqualTo(ExitCode.DIFFERS);
    assertThat(kept.out())
        .contains("REPAIRED: 3 rows written, 0 extra rows deleted, 1 extra rows kept")
        .contains("after repair: DIFFERS");

    Cli.Result repaired =
        Cli.ferry("verify", job.toString(), "--state-dir", state(), "--repair", "--yes");
    assertThat(repaired.exitCode()).as(repaired.out()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(repaired.out()).contains("REPAIRED: 0 rows written, 1 extra rows deleted");
    assertThat(repaired.out()).contains("after repair: EQUAL");
  }

  /**
   * A run killed during its after-run verification ({@code verify: content}) continues that
   * verification from the checkpoint in its work directory when it is resumed: the key ranges it
   * completed are not compared again, and the result is the whole table's.
   */
  @Test
  void aRunKilledDuringItsVerificationContinuesItFromItsCheckpointOnResume() throws Exception {
    // dst2 holds a row the source lacks, in the last key range: that range differs and is compared
    // again after the recheck delay (2 s), while the other ranges are recorded done.
    Path job = job("dst2", ", verify: content");
    Path work = dir.resolve("state").resolve("work");
    Process process = Cli.process(dir, dir.resolve("state"), "run", job.toString());
    Path checkpoint = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (checkpoint == null && process.isAlive() && System.nanoTime() < deadline) {
        checkpoint = verifyCheckpointWithADoneRange(work);
        Thread.sleep(20);
      }
      assertThat(checkpoint).as(Files.readString(dir.resolve("ferry.err"))).isNotNull();
    } finally {
      process.destroyForcibly(); // SIGKILL: nothing ends the verification
      process.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(checkpoint).exists();
    String runKey = checkpoint.getParent().getFileName().toString();

    Cli.Result resumed = Cli.ferry("resume", runKey, "--state-dir", state());
    assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCode.DIFFERS);
    assertThat(resumed.err())
        .contains(
            "Verification: DIFFERS (content, checksum + keyed merge): source 30 rows,"
                + " target 31 rows")
        .contains("extra id=1000")
        .containsPattern(
            "note: continued from the checkpoint \\S+verify\\.checkpoint\\.json: [1-9]\\d* of"
                + " \\d+ key ranges were done");
    assertThat(work.resolve(runKey)).doesNotExist();
  }

  /** A run's verification checkpoint in {@code work} recording at least one range done, or null. */
  private static Path verifyCheckpointWithADoneRange(Path work) throws Exception {
    if (!Files.isDirectory(work)) {
      return null;
    }
    try (var runs = Files.list(work)) {
      for (Path run : runs.toList()) {
        Path file = run.resolve("verify.checkpoint.json");
        try {
          if (Files.readString(file).contains("\"range\"")) {
            return file;
          }
        } catch (java.io.IOException e) {
          // not written yet
        }
      }
    }
    return null;
  }

  @Test
  void aCopyIntoATableWithOtherRowsFailsItsCountVerification() throws Exception {
    Cli.Result run = Cli.ferry("run", job("dst2").toString(), "--state-dir", state());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DIFFERS);
    assertThat(run.err())
        .contains("Verification: DIFFERS (count, count): source 30 rows, target 31 rows");
  }

  @Test
  void theJobsVerifySettingChoosesWhatARunCompares() throws Exception {
    Cli.Result content =
        Cli.ferry("run", job("dst", ", verify: content").toString(), "--state-dir", state());
    assertThat(content.exitCode()).as(content.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(content.err())
        .contains("Verification: EQUAL (content, checksum): source 30 rows, target 30 rows");

    Cli.Result off =
        Cli.ferry("run", job("dst2", ", verify: off").toString(), "--state-dir", state());
    assertThat(off.exitCode()).as(off.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(off.err()).doesNotContain("Verification");
  }

  @Test
  void badArgumentsAreRefused() throws Exception {
    Path job = job("dst");
    assertThat(Cli.ferry("verify", job.toString(), "--mode", "everything").exitCode())
        .isEqualTo(ExitCode.INVALID);
    assertThat(Cli.ferry("verify", job.toString(), "--yes").exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(Cli.ferry("verify", job.toString(), "--mode", "count", "--repair").exitCode())
        .isEqualTo(ExitCode.INVALID);
  }

  private void sql(String... statements) throws SQLException {
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
