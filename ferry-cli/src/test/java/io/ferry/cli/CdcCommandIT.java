package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.LogicalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry cdc drop-slot} against the testkit's PostgreSQL with {@code wal_level=logical}, in a
 * database of its own: the slot and the publication are made as a cdc run makes them, then dropped
 * and looked for on the server.
 */
class CdcCommandIT {
  private static final LogicalPostgres PG = LogicalPostgres.get();
  private static String database;

  @TempDir Path dir;

  @BeforeAll
  static void createDatabase() throws SQLException {
    database = "ferry_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = DriverManager.getConnection(PG.url("postgres"), "postgres", null);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    sql("CREATE TABLE orders (id bigint PRIMARY KEY, name text)");
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(PG.url("postgres"), "postgres", null);
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
              + database
              + "' AND NOT active");
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG.url(database), "postgres", null);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static boolean exists(String query, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG.url(database), "postgres", null);
        var ps = c.prepareStatement(query)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean slotExists(String slot) throws SQLException {
    return exists("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", slot);
  }

  private static boolean publicationExists(String publication) throws SQLException {
    return exists("SELECT 1 FROM pg_publication WHERE pubname = ?", publication);
  }

  /** A cdc job file reading {@code orders} through {@code slot} and {@code publication}. */
  private Path job(String slot, String publication) throws Exception {
    return Files.writeString(
        dir.resolve(slot + ".yaml"),
        """
        kind: cdc
        source: {connector: postgresql, host: 127.0.0.1, port: %d, database: %s, user: postgres,
                 tables: [orders], slot: %s, publication: %s}
        sink: {connector: postgresql, host: 127.0.0.1, port: %d, database: %s, user: postgres,
               table: "copy_${table}"}
        """
            .formatted(PG.port(), database, slot, publication, PG.port(), database));
  }

  @Test
  void dropsTheSlotThenSaysItIsGoneAndThePublicationOnlyWhenAsked() throws Exception {
    String slot = "cli_drop";
    sql(
        "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')",
        "CREATE PUBLICATION cli_drop_pub FOR TABLE orders",
        "COMMENT ON PUBLICATION cli_drop_pub IS 'created by Ferry'");
    Path job = job(slot, "cli_drop_pub");
    String where = " on " + database + " at 127.0.0.1:" + PG.port();

    Cli.Result dropped = Cli.ferry("cdc", "drop-slot", job.toString());
    assertThat(dropped.exitCode()).as(dropped.err()).isZero();
    assertThat(dropped.out().lines())
        .containsExactly("Dropped the replication slot " + slot + where + ".");
    assertThat(slotExists(slot)).isFalse();
    assertThat(publicationExists("cli_drop_pub")).as("kept without --publication").isTrue();

    Cli.Result again = Cli.ferry("cdc", "drop-slot", "--publication", job.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out().lines())
        .containsExactly(
            "No replication slot "
                + slot
                + where
                + ": no such slot on the server (dropped already, or the job never started).",
            "Dropped the publication cli_drop_pub" + where + ".");
    assertThat(publicationExists("cli_drop_pub")).isFalse();
  }

  @Test
  void aPublicationFerryDidNotCreateIsKept() throws Exception {
    String slot = "cli_theirs";
    sql(
        "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')",
        "CREATE PUBLICATION cli_theirs_pub FOR TABLE orders");

    Cli.Result result =
        Cli.ferry("cdc", "drop-slot", "--publication", job(slot, "cli_theirs_pub").toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(result.out()).startsWith("Dropped the replication slot " + slot);
    assertThat(result.errLines())
        .singleElement()
        .asString()
        .startsWith("Kept the publication cli_theirs_pub on " + database)
        .contains("Ferry did not create it")
        .contains("DROP PUBLICATION");
    assertThat(slotExists(slot)).isFalse();
    assertThat(publicationExists("cli_theirs_pub")).isTrue();
  }

  @Test
  void aJobThatIsNotChangeCaptureIsRefused() throws Exception {
    Path copy =
        Files.writeString(
            dir.resolve("copy.yaml"),
            """
            source: {connector: datagen, rows: 1}
            sink: {connector: file, path: '%s'}
            """
                .formatted(dir.resolve("out.csv")));

    Cli.Result result = Cli.ferry("cdc", "drop-slot", copy.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.err()).contains(copy + ": kind: is copy: only a kind: cdc job");
  }
}
