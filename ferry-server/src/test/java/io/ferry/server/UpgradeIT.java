package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * An upgrade keeps paused runs resumable (docs/operations.md, "Upgrades"): a metadata database at
 * the schema of the previous version, holding a run paused mid-copy with its checkpoint, is
 * migrated by Flyway when the new server starts, and the run then resumes to an exact copy.
 *
 * <p>How the previous version's database is made: the current server copies MariaDB → PostgreSQL
 * and pauses; then, with the server stopped, the last migration is undone by hand (its schema
 * change reverted and its row removed from {@code flyway_schema_history}), which leaves the
 * database as the previous version's server, whose schema that was, would have left it. The
 * checkpoint and run payloads themselves are versioned encodings read by their own tests (their
 * earlier versions' payloads are kept there). When a migration is added, {@link #UNDO} must undo it
 * too: the test checks that it names the newest migration.
 */
class UpgradeIT {
  private static final int ROWS = 20_000;

  /**
   * The migrations undone, newest first, each with the statements that take a database back to the
   * version before it: the database is then at the schema of {@link #BASE}, a version whose server
   * ran runs that paused, and every later migration is tried on it.
   */
  private static final Map<Integer, List<String>> UNDO = new LinkedHashMap<>();

  static {
    UNDO.put(
        24,
        List.of(
            "UPDATE QRTZ_TRIGGERS SET MISFIRE_INSTR = 1"
                + " WHERE TRIGGER_TYPE = 'CRON' AND TRIGGER_GROUP = 'ferry-task'"));
    UNDO.put(
        21,
        List.of(
            "DROP TABLE ferry_connectivity_check",
            "ALTER TABLE ferry_task_run DROP COLUMN resource_group",
            "ALTER TABLE ferry_task DROP COLUMN resource_group",
            "ALTER TABLE ferry_node DROP COLUMN group_name",
            "DROP TABLE ferry_resource_group"));
    UNDO.put(20, List.of("DROP TABLE ferry_mining_sample"));
    UNDO.put(
        19,
        List.of(
            "ALTER TABLE ferry_datasource DROP COLUMN shared_mining",
            "ALTER TABLE ferry_datasource DROP COLUMN mining_log_id",
            "ALTER TABLE ferry_datasource DROP COLUMN mining_log_object",
            "ALTER TABLE ferry_datasource DROP COLUMN mining_retention_hours",
            "ALTER TABLE ferry_mining_run DROP COLUMN start_at",
            "ALTER TABLE ferry_mining_run DROP COLUMN read_per_second",
            "ALTER TABLE ferry_mining_run DROP COLUMN needed_since",
            "ALTER TABLE ferry_mining_run DROP COLUMN needed_by"));
    UNDO.put(18, List.of("DROP TABLE ferry_cursor"));
    UNDO.put(15, List.of("DROP TABLE ferry_mining_run"));
    UNDO.put(
        14,
        List.of(
            "ALTER TABLE ferry_catalog_table DROP COLUMN custom_values",
            "DROP TABLE ferry_catalog_custom_attr"));
    UNDO.put(12, List.of("DROP TABLE ferry_verify_schedule", "DROP TABLE ferry_verification"));
    UNDO.put(
        10,
        List.of(
            "DROP TABLE ferry_catalog_history",
            "DROP TABLE ferry_catalog_column",
            "DROP TABLE ferry_catalog_table",
            "DROP TABLE ferry_catalog_error",
            "DROP TABLE ferry_catalog_instance",
            "DROP TABLE ferry_catalog_task"));
    UNDO.put(
        9,
        List.of(
            "DROP TABLE ferry_notice_read",
            "DROP TABLE ferry_notice",
            "DROP TABLE ferry_alert_incident",
            "DROP TABLE ferry_alert_rule",
            "DROP TABLE ferry_alert_channel",
            "DROP TABLE ferry_node_sample"));
    UNDO.put(8, List.of("ALTER TABLE ferry_task_run DROP COLUMN takeovers"));
  }

  private static final int LAST = UNDO.keySet().iterator().next();

  /** The version before the oldest one undone (the versions undone need not be consecutive). */
  private static final int BASE = java.util.Collections.min(UNDO.keySet()) - 1;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void aRunPausedBeforeTheUpgradeResumesAfterTheMigration(String store) throws Exception {
    assertThat(newestMigration())
        .as("the newest migration is V%d: make UNDO undo the new one", LAST)
        .isEqualTo(LAST);

    String source = TestDatabases.newName("ferry_up");
    String target = TestDatabases.newName("ferry_up");
    String meta = TestDatabases.newName("ferry_up_meta");
    Path dataDir = Path.of("target", "server-upgrade-" + UUID.randomUUID()).toAbsolutePath();
    List<String> args = new ArrayList<>();
    String metaUrl;
    String metaUser;
    switch (store) {
      case "postgresql" -> {
        TestDatabases.createPostgres(meta);
        metaUrl = TestDatabases.POSTGRES + meta;
        metaUser = "postgres";
      }
      case "mariadb" -> {
        TestDatabases.createMariadb(meta);
        metaUrl = TestDatabases.MARIADB + meta;
        metaUser = "root";
      }
      default -> {
        metaUrl = "jdbc:h2:file:" + dataDir.resolve("metadata/ferry");
        metaUser = "sa";
      }
    }
    if (!store.equals("h2")) {
      args.add("--spring.datasource.url=" + metaUrl);
      args.add("--spring.datasource.username=" + metaUser);
    }
    TestDatabases.createMariadb(source);
    TestDatabases.createPostgres(target);
    TestServer server = null;
    try {
      try (Connection c = TestDatabases.mariadb(source);
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
                + " amount DECIMAL(12,2), created DATETIME)");
        s.execute(
            "INSERT INTO orders SELECT seq, CONCAT('customer-', seq % 97),"
                + " CASE WHEN seq % 10 = 0 THEN NULL ELSE seq / 7 END,"
                + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE FROM seq_1_to_"
                + ROWS);
      }
      try (Connection c = TestDatabases.postgres(target);
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
                + " amount NUMERIC(12,2), created TIMESTAMP)");
      }

      // The version before: a run paused mid-copy, its checkpoint in the metadata database.
      server = new TestServer(dataDir, args.toArray(String[]::new));
      long from = dataSource(server, "maria", "mysql", TestDatabases.MARIADB + source, "root");
      long to = dataSource(server, "pg", "postgresql", TestDatabases.POSTGRES + target, "postgres");
      Reply task =
          server.post(
              "/api/tasks",
              Map.of(
                  "name", "orders-upgrade",
                  "mode", "wizard",
                  "wizard",
                      Map.of(
                          "source", Map.of("datasourceId", from, "table", "orders"),
                          "target",
                              Map.of("datasourceId", to, "table", "orders", "writeMode", "insert"),
                          "settings",
                              Map.of(
                                  "channels", 2,
                                  "recordsPerSecond", 1000,
                                  "flushInterval", "500ms"))));
      assertThat(task.status()).as(task.toString()).isEqualTo(201);
      long taskId = task.json().get("id").asLong();
      long run = server.post("/api/tasks/" + taskId + "/runs", null).json().get("id").asLong();
      awaitState(server, run, "RUNNING");
      awaitTarget(target, 2_000);
      assertThat(server.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
      JsonNode paused = awaitState(server, run, "PAUSED");
      long written = paused.get("recordsWritten").asLong();
      assertThat(written).isPositive().isLessThan(ROWS);
      String runKey = paused.get("runKey").asText();
      server.stop();

      try (Connection c = DriverManager.getConnection(metaUrl, metaUser, "");
          Statement s = c.createStatement()) {
        assertThat(
                count(s, "SELECT COUNT(*) FROM ferry_checkpoint WHERE run_key = '" + runKey + "'"))
            .as("the paused run's checkpoint is in the metadata database")
            .isEqualTo(1);
        String history = quoted(c, "flyway_schema_history");
        for (Map.Entry<Integer, List<String>> migration : UNDO.entrySet()) {
          for (String undo : migration.getValue()) {
            s.execute(undo);
          }
          s.execute(
              "DELETE FROM "
                  + history
                  + " WHERE "
                  + versionColumn(c)
                  + " = '"
                  + migration.getKey()
                  + "'");
        }
        assertThat(newestApplied(c))
            .as("the database is at the schema of V%d", BASE)
            .isEqualTo(BASE);
      }

      // The new version starts on it: Flyway migrates, the run is still paused and resumes.
      server.start();
      try (Connection c = server.bean(DataSource.class).getConnection();
          Statement s = c.createStatement()) {
        assertThat(newestApplied(c)).as("Flyway migrated to V%d", LAST).isEqualTo(LAST);
        assertThat(count(s, "SELECT takeovers FROM ferry_task_run WHERE id = " + run)).isZero();
      }
      JsonNode migrated = server.get("/api/runs/" + run).json();
      assertThat(migrated.get("state").asText()).as(migrated.toString()).isEqualTo("PAUSED");
      assertThat(migrated.get("recordsWritten").asLong()).isEqualTo(written);
      assertThat(server.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
      JsonNode ended = awaitState(server, run, "SUCCEEDED");
      assertThat(ended.get("recordsWritten").asLong()).isEqualTo(ROWS);
      assertThat(ended.get("dirtyRecords").asLong()).isZero();
      assertThat(rows(TestDatabases.postgres(target)))
          .isEqualTo(rows(TestDatabases.mariadb(source)));
    } finally {
      if (server != null) {
        server.close();
      }
      TestDatabases.dropMariadb(source);
      TestDatabases.dropPostgres(target);
      switch (store) {
        case "postgresql" -> TestDatabases.dropPostgres(meta);
        case "mariadb" -> TestDatabases.dropMariadb(meta);
        default -> {}
      }
    }
  }

  /** The highest version among the server's migrations (db/migration and db/quartz). */
  private static int newestMigration() throws Exception {
    Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
    int newest = 0;
    Resource[] scripts =
        new PathMatchingResourcePatternResolver().getResources("classpath*:db/**/V*__*.sql");
    assertThat(scripts).isNotEmpty();
    for (Resource script : Arrays.asList(scripts)) {
      Matcher m = version.matcher(script.getFilename());
      if (m.matches()) {
        newest = Math.max(newest, Integer.parseInt(m.group(1)));
      }
    }
    return newest;
  }

  private static long dataSource(
      TestServer server, String alias, String connector, String url, String user) {
    Reply r =
        server.post(
            "/api/datasources",
            Map.of(
                "alias", alias,
                "connector", connector,
                "options", Map.of("url", url, "user", user, "password", "")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static JsonNode awaitState(TestServer server, long run, String state)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (last.get("state").asText().equals(state)) {
        return last;
      }
      assertThat(last.get("state").asText()).as(last.toString()).isNotIn("FAILED", "STOPPED");
      Thread.sleep(50);
    }
    throw new AssertionError("run " + run + " never became " + state + ": " + last);
  }

  private static void awaitTarget(String target, long rows) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Connection c = TestDatabases.postgres(target);
          Statement s = c.createStatement()) {
        if (count(s, "SELECT COUNT(*) FROM orders") >= rows) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the target never held " + rows + " rows");
      }
      Thread.sleep(50);
    }
  }

  /** A table's name as the database spells it (H2 keeps Flyway's quoted lower case), quoted. */
  private static String quoted(Connection c, String table) throws Exception {
    String quote = c.getMetaData().getIdentifierQuoteString();
    try (ResultSet tables = c.getMetaData().getTables(c.getCatalog(), null, null, null)) {
      while (tables.next()) {
        String name = tables.getString("TABLE_NAME");
        if (name.equalsIgnoreCase(table)) {
          return quote + name + quote;
        }
      }
    }
    throw new AssertionError("no table " + table);
  }

  /** Flyway's version column, quoted as the database spells it. */
  private static String versionColumn(Connection c) throws Exception {
    String quote = c.getMetaData().getIdentifierQuoteString();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT * FROM " + quoted(c, "flyway_schema_history") + " WHERE 1 = 0")) {
      return quote + rs.getMetaData().getColumnName(rs.findColumn("version")) + quote;
    }
  }

  /** The highest migration version Flyway's history records as applied. */
  private static int newestApplied(Connection c) throws Exception {
    int newest = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + quoted(c, "flyway_schema_history"))) {
      int column = rs.findColumn("version");
      while (rs.next()) {
        String version = rs.getString(column);
        if (version != null) {
          newest = Math.max(newest, Integer.parseInt(version));
        }
      }
    }
    return newest;
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getLong(1);
    }
  }

  /** Every row, in key order, as text: what must be equal on both sides. */
  private static List<String> rows(Connection connection) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = connection;
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id, customer, amount, created FROM orders ORDER BY id")) {
      while (rs.next()) {
        rows.add(
            rs.getLong(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getBigDecimal(3)
                + "|"
                + rs.getObject(4, java.time.LocalDateTime.class));
      }
    }
    return rows;
  }
}
