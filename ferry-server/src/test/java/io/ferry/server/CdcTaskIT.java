package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.server.TestServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code kind: cdc} task in the server: MariaDB with binlog ({@link BinlogMariaDb}) into a
 * database of the PostgreSQL service. It snapshots, streams, pauses with a checkpoint, resumes from
 * it and stops; the target equals the source each time it caught up, and the run's figures (over
 * the API, the WebSocket and Prometheus) show the changes it applied.
 */
@Timeout(180)
class CdcTaskIT {
  static TestServer server;
  static BinlogMariaDb mariadb;
  static final String SOURCE = TestDatabases.newName("cdc_src");
  static final String TARGET = TestDatabases.newName("cdc_dst");

  /** The folder file targets write in ({@code ferry.file-roots}). */
  static Path files;

  @BeforeAll
  static void start() throws Exception {
    mariadb = BinlogMariaDb.shared();
    try (Connection c = source("");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + SOURCE);
      s.execute("USE " + SOURCE);
      s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), qty INT)");
      s.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(40))");
      s.execute("CREATE TABLE events (id INT PRIMARY KEY, kind VARCHAR(40))");
      s.execute("INSERT INTO events VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      for (int i = 1; i <= 50; i++) {
        s.execute("INSERT INTO items VALUES (" + i + ", 'item" + i + "', " + i + ")");
        s.execute("INSERT INTO notes VALUES (" + i + ", 'note" + i + "')");
      }
    }
    TestDatabases.createPostgres(TARGET);
    files =
        Files.createDirectories(Path.of("target", "cdc-files-" + UUID.randomUUID())).toRealPath();
    server = new TestServer("--ferry.file-roots=" + files);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    try (Connection c = source("");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + SOURCE);
    }
    TestDatabases.dropPostgres(TARGET);
  }

  private static Connection source(String database) throws SQLException {
    return DriverManager.getConnection(
        mariadb.jdbcUrl(database), mariadb.user(), mariadb.password());
  }

  /** The job, with the stores as data sources (a script holds no secrets). */
  private static String script() {
    return """
        kind: cdc
        source:
          datasource: cdc-maria
          tables: [items, notes]
        sink:
          datasource: cdc-pg
          table: "${table}"
          createTable: true
        cdc:
          startup: initial
        settings:
          flushInterval: 200ms
          progressInterval: 200ms
          verify: content
        """;
  }

  private static long dataSource(String alias, String connector, Map<String, Object> options) {
    Reply r =
        server.post(
            "/api/datasources", Map.of("alias", alias, "connector", connector, "options", options));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  @Test
  void theWizardMakesCdcTasksOfAChangeSourceAndASinkThatAppliesChanges() throws Exception {
    long maria =
        dataSource(
            "wiz-maria",
            "mysql",
            Map.of(
                "host", mariadb.host(),
                "port", mariadb.port(),
                "user", mariadb.user(),
                "database", SOURCE));
    long pg =
        dataSource(
            "wiz-pg",
            "postgresql",
            Map.of("host", "127.0.0.1", "port", 5432, "user", "postgres", "database", TARGET));
    long gen = dataSource("wiz-gen", "datagen", Map.of("rows", 10));
    assertThat(server.get("/api/connectors/mysql").json().at("/roles/changeSource").isArray())
        .isTrue();
    assertThat(
            server.get("/api/connectors/datagen").json().at("/roles/changeSource").isMissingNode())
        .isTrue();
    JsonNode mariaRoles = server.get("/api/datasources/" + maria + "/change-roles").json();
    assertThat(mariaRoles.get("changeSource").asBoolean()).isTrue();
    assertThat(
            server
                .get("/api/datasources/" + pg + "/change-roles")
                .json()
                .get("appliesChanges")
                .asBoolean())
        .as("the PostgreSQL sink applies changes")
        .isTrue();
    assertThat(
            server
                .get("/api/datasources/" + gen + "/change-roles")
                .json()
                .get("appliesChanges")
                .asBoolean())
        .as("datagen has no sink")
        .isFalse();

    for (String mode : List.of("incremental", "full-incremental")) {
      Map<String, Object> wizard =
          Map.of(
              "source", Map.of("datasourceId", maria, "table", SOURCE + ".items"),
              "target", Map.of("datasourceId", pg, "table", "public.items_" + mode.length()),
              "syncMode", mode,
              "settings", Map.of("channels", 1));
      Reply made =
          server.post(
              "/api/tasks", Map.of("name", "wiz-cdc-" + mode, "mode", "wizard", "wizard", wizard));
      assertThat(made.status()).as(made.toString()).isEqualTo(201);
      String script = made.json().get("script").asText();
      assertThat(script)
          .contains("kind: cdc", "tables:", SOURCE + ".items", "datasource: wiz-pg")
          .contains(mode.equals("incremental") ? "startup: latest" : "startup: initial")
          .doesNotContain("writeMode");
      JsonNode live =
          server.post("/api/tasks/" + made.json().get("id").asLong() + "/validate", null).json();
      assertThat(live.get("ok").asBoolean()).as(live.toString()).isTrue();
    }
    // A cdc task captures whole tables by name.
    Reply partial =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "wiz-cdc-where",
                "mode",
                "wizard",
                "wizard",
                Map.of(
                    "source",
                    Map.of(
                        "datasourceId",
                        maria,
                        "table",
                        SOURCE + ".items",
                        "options",
                        Map.of("where", "id > 3")),
                    "target",
                    Map.of("datasourceId", pg, "table", "public.items_w"),
                    "mapping",
                    List.of(Map.of("from", "id", "to", "id")),
                    "syncMode",
                    "incremental")));
    assertThat(partial.status()).isEqualTo(400);
    assertThat(partial.body()).contains("wizard.source.options.where", "wizard.mapping");
  }

  @Test
  void theWizardMakesCdcTasksIntoSinksThatAreNotTablesWithTheOptionsTheyNeed() throws Exception {
    long maria =
        dataSource(
            "file-maria",
            "mysql",
            Map.of(
                "host", mariadb.host(),
                "port", mariadb.port(),
                "user", mariadb.user(),
                "database", SOURCE));
    long file = dataSource("file-out", "file", Map.of("format", "csv"));
    // A csv file sink cannot apply changes; as JSON Lines change records it can.
    JsonNode roles = server.get("/api/datasources/" + file + "/change-roles").json();
    assertThat(roles.get("appliesChanges").asBoolean()).as(roles.toString()).isTrue();
    assertThat(roles.get("objectOption").asText()).isEqualTo("path");
    assertThat(roles.at("/changeOptions/format").asText()).isEqualTo("jsonl");
    assertThat(roles.get("changeNeeds")).isEmpty();

    Path out = files.resolve("events.jsonl");
    Reply refused =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "file-cdc-csv",
                "mode",
                "wizard",
                "wizard",
                Map.of(
                    "source", Map.of("datasourceId", maria, "table", SOURCE + ".events"),
                    "target",
                        Map.of(
                            "datasourceId",
                            file,
                            "table",
                            out.toString(),
                            "options",
                            Map.of("format", "csv")),
                    "syncMode", "full-incremental")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("wizard.target.options.format", "jsonl");
    // A script names its options itself: the engine's refusal names the one at fault.
    Reply csv =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "file-cdc-script",
                "mode",
                "script",
                "script",
                "kind: cdc\nsource: {datasource: file-maria, tables: [events]}\n"
                    + "sink: {datasource: file-out, path: \""
                    + out
                    + "\"}\n"));
    assertThat(csv.status()).isEqualTo(400);
    assertThat(csv.body()).contains("\"sink.format\"", "JSON Lines change records: set jsonl");

    Reply made =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "file-cdc",
                "mode",
                "wizard",
                "wizard",
                Map.of(
                    "source", Map.of("datasourceId", maria, "table", SOURCE + ".events"),
                    "target", Map.of("datasourceId", file, "table", out.toString()),
                    "syncMode", "full-incremental",
                    "settings", Map.of("channels", 1, "flushInterval", "200ms"))));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    assertThat(made.json().get("script").asText())
        .contains("kind: cdc", "path: " + out, "format: jsonl")
        .doesNotContain("table: " + out);
    long taskId = made.json().get("id").asLong();
    JsonNode live = server.post("/api/tasks/" + taskId + "/validate", null).json();
    assertThat(live.get("ok").asBoolean()).as(live.toString()).isTrue();

    Reply started = server.post("/api/tasks/" + taskId + "/runs", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long run = started.json().get("id").asLong();
    await(run, r -> r.path("changes").path("phase").asText().equals("STREAMING"));
    change("INSERT INTO events VALUES (4, 'd')");
    change("UPDATE events SET kind = 'B' WHERE id = 2");
    change("DELETE FROM events WHERE id = 1");
    // The snapshot's rows, then one change record per change, in log order.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<JsonNode> lines = List.of();
    while (lines.size() < 6) {
      assertThat(System.nanoTime()).as("the file has every change: %s", lines).isLessThan(deadline);
      Thread.sleep(100);
      lines =
          Files.exists(out)
              ? Files.readAllLines(out).stream().map(CdcTaskIT::json).toList()
              : List.of();
    }
    assertThat(lines).hasSize(6);
    assertThat(lines.subList(0, 3).stream().map(l -> l.get("id").asInt()))
        .containsExactlyInAnyOrder(1, 2, 3);
    assertThat(lines.get(3).get("op").asText()).isEqualTo("insert");
    assertThat(lines.get(3).at("/after/kind").asText()).isEqualTo("d");
    assertThat(lines.get(4).get("op").asText()).isEqualTo("update");
    assertThat(lines.get(4).at("/before/kind").asText()).isEqualTo("b");
    assertThat(lines.get(4).at("/after/kind").asText()).isEqualTo("B");
    assertThat(lines.get(5).get("op").asText()).isEqualTo("delete");
    assertThat(lines.get(5).at("/before/id").asInt()).isEqualTo(1);
    assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("STOPPED"));
  }

  /** The wizard's task as the server makes it: the reply of {@code POST /api/tasks}. */
  private static Reply wizardTask(String name, long source, Map<String, Object> target) {
    return server.post(
        "/api/tasks",
        Map.of(
            "name",
            name,
            "mode",
            "wizard",
            "wizard",
            Map.of(
                "source",
                Map.of("datasourceId", source, "table", SOURCE + ".items"),
                "target",
                target,
                "syncMode",
                "incremental")));
  }

  @Test
  void aCdcTaskIntoAnIndexNeedsItsIdColumnsAndACollectionIsNamedAlone() throws Exception {
    long maria =
        dataSource(
            "ids-maria",
            "mysql",
            Map.of(
                "host", mariadb.host(),
                "port", mariadb.port(),
                "user", mariadb.user(),
                "database", SOURCE));
    // Nothing connects to these: the roles, the script and its validation need no server.
    long es = dataSource("ids-es", "elasticsearch", Map.of("hosts", List.of("127.0.0.1:9")));
    long mongo =
        dataSource(
            "ids-mongo", "mongodb", Map.of("uri", "mongodb://127.0.0.1:9", "database", "shop"));
    JsonNode esRoles = server.get("/api/datasources/" + es + "/change-roles").json();
    assertThat(esRoles.get("appliesChanges").asBoolean()).as(esRoles.toString()).isTrue();
    assertThat(esRoles.get("objectOption").asText()).isEqualTo("index");
    assertThat(esRoles.get("changeNeeds"))
        .extracting(JsonNode::asText)
        .containsExactly("idColumns");
    JsonNode mongoRoles = server.get("/api/datasources/" + mongo + "/change-roles").json();
    assertThat(mongoRoles.get("appliesChanges").asBoolean()).as(mongoRoles.toString()).isTrue();
    assertThat(mongoRoles.get("objectOption").asText()).isEqualTo("collection");
    assertThat(mongoRoles.get("changeNeeds")).isEmpty();

    Reply noIds = wizardTask("ids-es-none", maria, Map.of("datasourceId", es, "table", "items"));
    assertThat(noIds.status()).isEqualTo(400);
    assertThat(noIds.body()).contains("wizard.target.options.idColumns", "document _id", "ids-es");
    Reply ids =
        wizardTask(
            "ids-es",
            maria,
            Map.of(
                "datasourceId",
                es,
                "table",
                "items",
                "options",
                Map.of("idColumns", List.of("id"))));
    assertThat(ids.status()).as(ids.toString()).isEqualTo(201);
    assertThat(ids.json().get("script").asText())
        .contains("kind: cdc", "index: items", "idColumns:")
        .doesNotContain("table: items");

    Reply collection =
        wizardTask("ids-mongo", maria, Map.of("datasourceId", mongo, "table", "shop.items"));
    assertThat(collection.status()).as(collection.toString()).isEqualTo(201);
    assertThat(collection.json().get("script").asText())
        .contains("collection: items")
        .doesNotContain("shop.items");
  }

  private static JsonNode json(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError(line, e);
    }
  }

  @Test
  void aCdcTaskStreamsPausesResumesAndStops() throws Exception {
    dataSource(
        "cdc-maria",
        "mysql",
        Map.of(
            "host", mariadb.host(),
            "port", mariadb.port(),
            "user", mariadb.user(),
            "database", SOURCE));
    dataSource(
        "cdc-pg",
        "postgresql",
        Map.of("host", "127.0.0.1", "port", 5432, "user", "postgres", "database", TARGET));
    Reply task =
        server.post(
            "/api/tasks", Map.of("name", "cdc-items", "mode", "script", "script", script()));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    long taskId = task.json().get("id").asLong();
    Reply started = server.post("/api/tasks/" + taskId + "/runs", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long run = started.json().get("id").asLong();

    try (TestServer.Socket socket = server.socket("?runId=" + run)) {
      // The snapshot first, then the log.
      JsonNode streaming =
          await(run, r -> r.path("changes").path("phase").asText().equals("STREAMING"));
      assertThat(streaming.get("state").asText()).isEqualTo("RUNNING");
      assertThat(streaming.at("/changes/tables")).hasSize(2);
      change("INSERT INTO items VALUES (1000, 'new', 7)");
      change("UPDATE items SET qty = qty + 100 WHERE id <= 10");
      change("DELETE FROM notes WHERE id > 45");
      change("UPDATE notes SET id = 2000 WHERE id = 1"); // a change of the key
      awaitEqual();
      JsonNode caught = await(run, r -> applied(r, "inserts") >= 1 && applied(r, "deletes") >= 5);
      assertThat(applied(caught, "updates")).isGreaterThanOrEqualTo(10);
      assertThat(caught.at("/changes/position").asText()).isNotBlank();
      JsonNode items = table(caught, "items");
      assertThat(items.get("snapshot").asText()).isEqualTo("DONE");
      assertThat(items.get("snapshotRows").asLong()).isEqualTo(50);
      // The WebSocket carries the same figures.
      JsonNode pushed = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pushed == null && System.nanoTime() < deadline) {
        JsonNode m = socket.messages.poll(1, TimeUnit.SECONDS);
        if (m != null && m.path("changes").path("phase").asText().equals("STREAMING")) {
          pushed = m;
        }
      }
      assertThat(pushed).as("a progress message with changes").isNotNull();
      assertThat(pushed.at("/changes/tables")).hasSize(2);
    }
    // verify: content: once the snapshot is done and the lag settled, the server verifies the
    // running run by itself (once: the job sets no verifyEvery), recorded with the run.
    JsonNode automatic =
        await(
                run,
                r ->
                    r.path("verification").path("trigger").asText().equals("RUN")
                        && r.path("verification").path("state").asText().equals("SUCCEEDED"))
            .get("verification");
    assertThat(automatic.get("mode").asText()).isEqualTo("content");
    assertThat(automatic.get("equal").asBoolean()).as(automatic.toString()).isTrue();
    assertThat(automatic.get("sourceRows").asLong())
        .isEqualTo(automatic.get("targetRows").asLong())
        .isPositive();
    String metrics = server.get("/actuator/prometheus").body();
    assertThat(inserts(metrics)).isGreaterThanOrEqualTo(1);
    assertThat(metrics)
        .contains("ferry_cdc_lag_seconds{task=\"cdc-items\"}")
        .contains("ferry_cdc_table_lag_seconds{table=\"" + SOURCE + ".items\",task=\"cdc-items\"}");
    long insertsBefore = applied(server.get("/api/runs/" + run).json(), "inserts");

    // Pause: a checkpoint, then PAUSED; changes made meanwhile arrive after the resume.
    assertThat(server.post("/api/runs/" + run + "/pause", null).status()).isEqualTo(202);
    JsonNode paused = await(run, r -> r.get("state").asText().equals("PAUSED"));
    assertThat(paused.at("/changes/phase").asText()).isEqualTo("STREAMING");
    change("INSERT INTO items VALUES (1001, 'while paused', 1)");
    change("UPDATE notes SET body = 'edited' WHERE id BETWEEN 2 AND 5");
    change("DELETE FROM items WHERE id = 50");
    Thread.sleep(500);
    assertThat(equal()).as("the paused run applies nothing").isFalse();
    assertThat(server.post("/api/runs/" + run + "/resume", null).status()).isEqualTo(202);
    await(run, r -> r.get("state").asText().equals("RUNNING"));
    awaitEqual();
    JsonNode resumed = await(run, r -> applied(r, "inserts") >= insertsBefore + 1);
    // Counts go on from the pause's, not from zero.
    assertThat(applied(resumed, "deletes")).isGreaterThanOrEqualTo(applied(paused, "deletes") + 1);
    assertThat(inserts(server.get("/actuator/prometheus").body()))
        .isEqualTo(applied(resumed, "inserts"));

    // Verify while the run streams, a row changing meanwhile: rows the stream had not applied at
    // the first look are compared again once its lag settled, so the target is equal.
    Reply verify = server.post("/api/tasks/" + taskId + "/verify", null);
    assertThat(verify.status()).as(verify.toString()).isEqualTo(202);
    change("UPDATE items SET name = 'during the verification' WHERE id = 20");
    JsonNode verified = null;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < until) {
      verified = server.get("/api/verifications/" + verify.json().get("id").asLong()).json();
      if (!verified.get("state").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(verified.get("state").asText()).as(verified.toString()).isEqualTo("SUCCEEDED");
    assertThat(verified.get("equal").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.get("sourceRows").asLong())
        .isEqualTo(verified.get("targetRows").asLong())
        .isPositive();

    assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
    JsonNode stopped = await(run, r -> r.get("state").asText().equals("STOPPED"));
    assertThat(stopped.at("/changes/tables")).hasSize(2);
    assertThat(server.get("/actuator/prometheus").body())
        .contains("ferry_cdc_lag_seconds{task=\"cdc-items\"} NaN")
        .doesNotContain(stopped.get("runKey").asText());
  }

  private static long applied(JsonNode run, String op) {
    long sum = 0;
    for (JsonNode t : run.at("/changes/tables")) {
      sum += t.get(op).asLong();
    }
    return sum;
  }

  private static JsonNode table(JsonNode run, String name) {
    for (JsonNode t : run.at("/changes/tables")) {
      if (t.get("table").asText().endsWith(name)) {
        return t;
      }
    }
    throw new AssertionError("no table " + name + " in " + run);
  }

  private static void change(String sql) throws SQLException {
    try (Connection c = source(SOURCE);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Map<Long, String> rows(Connection c, String sql) throws SQLException {
    Map<Long, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 2; i <= columns; i++) {
          row.append(rs.getString(i)).append('|');
        }
        rows.put(rs.getLong(1), row.toString());
      }
    }
    return rows;
  }

  private static boolean equal() {
    try (Connection src = source(SOURCE);
        Connection dst = TestDatabases.postgres(TARGET)) {
      for (String q : List.of("SELECT id, name, qty FROM items", "SELECT id, body FROM notes")) {
        if (!rows(src, q).equals(rows(dst, q))) {
          return false;
        }
      }
      return true;
    } catch (SQLException notYet) {
      return false; // the target tables are not created yet
    }
  }

  private static void awaitEqual() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!equal()) {
      assertThat(System.nanoTime()).as("the target equals the source").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The task's inserts over its tables ({@code table} is a label of the counter). */
  private static long inserts(String text) {
    Matcher m =
        Pattern.compile(
                "(?m)^ferry_cdc_changes_applied_total\\{op=\"insert\",table=\"[^\"]+\","
                    + "task=\"cdc-items\"} (\\S+)$")
            .matcher(text);
    double sum = 0;
    int tables = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      tables++;
    }
    assertThat(tables).as("inserts by table in%n%s", text).isPositive();
    return Math.round(sum);
  }

  private static JsonNode await(long run, Predicate<JsonNode> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (condition.test(last)) {
        return last;
      }
      String state = last.get("state").asText();
      if (state.equals("FAILED") || state.equals("SUCCEEDED")) {
        throw new AssertionError("run " + run + " ended: " + last);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never got there: " + last);
  }
}
