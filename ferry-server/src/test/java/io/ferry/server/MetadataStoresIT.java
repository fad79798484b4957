package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import io.ferry.server.shared.FerryProperties;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The same migrations and the same server on each supported metadata store: H2 (the default),
 * PostgreSQL and MariaDB, each in a database the test creates and drops.
 */
class MetadataStoresIT {
  private static final List<String> TABLES =
      List.of(
          "ferry_user",
          "ferry_audit",
          "ferry_folder",
          "ferry_datasource",
          "ferry_task",
          "ferry_task_run",
          "ferry_run_log",
          "ferry_run",
          "ferry_checkpoint",
          "ferry_run_claim",
          "ferry_schedule",
          "ferry_instance",
          "ferry_node",
          "ferry_catalog_task",
          "ferry_catalog_instance",
          "ferry_catalog_error",
          "ferry_catalog_table",
          "ferry_catalog_column",
          "ferry_catalog_history",
          "qrtz_triggers",
          "qrtz_cron_triggers",
          "qrtz_locks",
          "flyway_schema_history");

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void migratesAndServes(String store) throws Exception {
    String db = TestDatabases.newName("ferry_meta");
    List<String> args = new ArrayList<>();
    switch (store) {
      case "postgresql" -> {
        TestDatabases.createPostgres(db);
        args.add("--spring.datasource.url=" + TestDatabases.POSTGRES + db);
        args.add("--spring.datasource.username=postgres");
      }
      case "mariadb" -> {
        TestDatabases.createMariadb(db);
        args.add("--spring.datasource.url=" + TestDatabases.MARIADB + db);
        args.add("--spring.datasource.username=root");
      }
      default -> {}
    }
    try {
      try (TestServer server = new TestServer(args.toArray(String[]::new))) {
        assertThat(tables(server.bean(DataSource.class))).containsAll(TABLES);
        exercise(server);
        long running = 0;
        if (!store.equals("h2")) {
          running = catalog(server, store, db);
        }
        // A second start migrates nothing and keeps what is there.
        server.restart();
        assertThat(server.get("/api/datasources").json().get("total").asInt())
            .isEqualTo(store.equals("h2") ? 1 : 2);
        assertThat(server.get("/api/tasks").json().get("total").asInt()).isEqualTo(1);
        if (!store.equals("h2")) {
          // A collection that was running when its server stopped does not stay RUNNING.
          JsonNode stopped = server.get("/api/catalog/instances/" + running).json().get("instance");
          assertThat(stopped.get("state").asText()).isEqualTo("FAILED");
          assertThat(stopped.get("message").asText()).contains("the server restarted");
        }
      }
    } finally {
      switch (store) {
        case "postgresql" -> TestDatabases.dropPostgres(db);
        case "mariadb" -> TestDatabases.dropMariadb(db);
        default -> {}
      }
    }
  }

  /**
   * The metadata catalog's tables on this store: the store's own database collected twice, the
   * second time writing no version.
   */
  private static long catalog(TestServer server, String store, String db) throws Exception {
    boolean postgres = store.equals("postgresql");
    if (!postgres) {
      // Names that differ only in case stay distinct on a store whose collation calls them equal.
      try (Connection c = TestDatabases.mariadb(db);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE case_twin (id INT)");
        s.execute("CREATE TABLE Case_Twin (id INT, other INT)");
      }
    }
    Reply ds =
        server.post(
            "/api/datasources",
            Map.of(
                "alias",
                "self",
                "connector",
                postgres ? "postgresql" : "mysql",
                "options",
                Map.of(
                    "url",
                    (postgres ? TestDatabases.POSTGRES : TestDatabases.MARIADB) + db,
                    "user",
                    postgres ? "postgres" : "root",
                    "password",
                    "")));
    assertThat(ds.status()).as(ds.toString()).isEqualTo(201);
    Reply task =
        server.post(
            "/api/catalog/tasks",
            Map.of(
                "name",
                "self",
                "dataSourceId",
                ds.json().get("id").asLong(),
                "cycle",
                "day",
                "time",
                "03:00",
                "includes",
                postgres ? "public" : db));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    JsonNode first = catalogInstance(server, task.json().get("instance").get("id").asLong());
    assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
    assertThat(first.get("tablesAdded").asInt()).isGreaterThan(20);
    JsonNode again =
        server
            .post(
                "/api/catalog/tasks/" + task.json().get("task").get("id").asLong() + "/sync", null)
            .json();
    JsonNode second = catalogInstance(server, again.get("instance").get("id").asLong());
    assertThat(second.get("state").asText()).as(second.toString()).isEqualTo("SUCCEEDED");
    assertThat(
            second.get("tablesAdded").asInt()
                + second.get("tablesChanged").asInt()
                + second.get("tablesRemoved").asInt())
        .as(second.toString())
        .isZero();
    if (!postgres) {
      Map<String, Integer> twins = new java.util.TreeMap<>();
      server
          .get("/api/catalog/search?q=case_twin")
          .json()
          .get("tables")
          .get("items")
          .forEach(
              t ->
                  twins.put(
                      t.get("name").asText(),
                      server
                          .get("/api/catalog/tables/" + t.get("id").asLong())
                          .json()
                          .get("columns")
                          .size()));
      assertThat(twins).isEqualTo(Map.of("Case_Twin", 2, "case_twin", 1));
    }
    assertThat(
            server
                .get("/api/catalog/search?q=ferry_catalog_hist")
                .json()
                .get("tables")
                .get("total")
                .asInt())
        .isEqualTo(1);
    // A run of this node's, as a run in progress when the server stops leaves it.
    JdbcClient meta = server.bean(JdbcClient.class);
    meta.sql(
            "INSERT INTO ferry_catalog_instance (task_id, trigger_kind, state, node, started_at)"
                + " VALUES (?, 'MANUAL', 'RUNNING', ?, ?)")
        .params(
            task.json().get("task").get("id").asLong(),
            server.bean(FerryProperties.class).nodeId(),
            java.sql.Timestamp.from(java.time.Instant.now()))
        .update();
    return meta.sql("SELECT MAX(id) FROM ferry_catalog_instance").query(Long.class).single();
  }

  private static JsonNode catalogInstance(TestServer server, long id) throws InterruptedException {
    JsonNode instance = null;
    for (int i = 0; i < 300; i++) {
      instance = server.get("/api/catalog/instances/" + id).json().get("instance");
      if (!instance.get("state").asText().equals("RUNNING")) {
        return instance;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("still running: " + instance);
  }

  /** Every table in use: ids generated, text and timestamps round-tripped, a run to its end. */
  private static void exercise(TestServer server) throws InterruptedException {
    Reply ds =
        server.post(
            "/api/datasources",
            Map.of("alias", "gen", "connector", "datagen", "options", Map.of("seed", 7)));
    assertThat(ds.status()).as(ds.toString()).isEqualTo(201);
    long folder = server.post("/api/folders", Map.of("name", "f")).json().get("id").asLong();
    Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name", "t",
                "folderId", folder,
                "mode", "script",
                "script", "source: {datasource: gen, rows: 2000}\nsink: {connector: blackhole}\n"));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    long run =
        server
            .post("/api/tasks/" + task.json().get("id").asLong() + "/runs", null)
            .json()
            .get("id")
            .asLong();
    JsonNode state = null;
    for (int i = 0; i < 300; i++) {
      state = server.get("/api/runs/" + run).json();
      if (state.get("state").asText().equals("SUCCEEDED")) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(state.get("state").asText()).as(state.toString()).isEqualTo("SUCCEEDED");
    assertThat(state.get("recordsWritten").asLong()).isEqualTo(2000);
    assertThat(server.get("/api/runs/" + run + "/log").json().size()).isGreaterThan(1);
    // Quartz's job store on this database: a schedule fires, its instance runs.
    long taskId = task.json().get("id").asLong();
    Reply schedule =
        server.put(
            "/api/tasks/" + taskId + "/schedule",
            Map.of(
                "type",
                "periodic",
                "cycle",
                "cron",
                "cron",
                "* * * * * ?",
                "cpuCores",
                1,
                "memoryMb",
                64));
    assertThat(schedule.status()).as(schedule.toString()).isEqualTo(200);
    assertThat(server.post("/api/tasks/" + taskId + "/online", null).status()).isEqualTo(200);
    JsonNode instance = null;
    for (int i = 0; i < 300; i++) {
      instance = server.get("/api/tasks/" + taskId + "/instances").json().get("items");
      if (instance.findValuesAsText("state").contains("SUCCEEDED")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(instance.findValuesAsText("state")).as(instance.toString()).contains("SUCCEEDED");
    assertThat(server.post("/api/tasks/" + taskId + "/offline", null).status()).isEqualTo(200);
    assertThat(
            server
                .post(
                    "/api/users",
                    Map.of("username", "u", "password", "password-u", "role", "viewer"))
                .status())
        .isEqualTo(201);
    assertThat(server.get("/api/audit").json().get("total").asInt()).isGreaterThanOrEqualTo(4);
  }

  private static List<String> tables(DataSource dataSource) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      try (ResultSet rs = meta.getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }
}
