package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import io.ferry.server.datasources.ConnectorTextsTest;
import io.ferry.server.runs.SpeedHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the web UI reads from the server beyond plain CRUD (issue 14): folder descriptions, whether
 * a task may go online, schedule summaries and connector forms in the UI's language, job templates
 * that the server accepts once their placeholders are filled in, the warning before a rerun that
 * would insert rows a second time, and the speed history of a finished run, also after a restart.
 * The machine's MariaDB is a target.
 */
class WebUiApiIT {
  private static final String CHINESE = "zh-CN";
  static TestServer server;
  static String db;

  /** The folder the templates' files go to: jobs may use files under ferry.file-roots only. */
  static Path files;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabases.newName("ferry_webui_api");
    TestDatabases.createMariadb(db);
    files =
        Files.createDirectories(Path.of("target", "it-templates-" + UUID.randomUUID()))
            .toAbsolutePath();
    server = new TestServer("--ferry.file-roots=" + files);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestDatabases.dropMariadb(db);
  }

  private static long created(Reply r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static long scriptTask(String name, String script) {
    return created(
        server.post("/api/tasks", Map.of("name", name, "mode", "script", "script", script)));
  }

  private static JsonNode awaitEnd(long run) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (List.of("SUCCEEDED", "FAILED", "STOPPED").contains(last.get("state").asText())) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " did not end: " + last);
  }

  private static JsonNode runTask(long task) throws InterruptedException {
    Reply started = server.post("/api/tasks/" + task + "/runs", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return awaitEnd(started.json().get("id").asLong());
  }

  // ---- folders ----------------------------------------------------------------------------

  private static JsonNode folderNamed(String name) {
    for (JsonNode f : server.get("/api/folders").json()) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no folder " + name);
  }

  @Test
  void foldersHaveADescription() {
    Reply made =
        server.post(
            "/api/folders", Map.of("name", "sales", "description", "orders and customers, daily"));
    long id = created(made);
    assertThat(made.json().get("description").asText()).isEqualTo("orders and customers, daily");
    assertThat(folderNamed("sales").get("description").asText())
        .isEqualTo("orders and customers, daily");

    Map<String, Object> change = new HashMap<>();
    change.put("name", "sales");
    change.put("parentId", null);
    change.put("description", "  only orders ");
    assertThat(server.put("/api/folders/" + id, change).status()).isEqualTo(204);
    assertThat(folderNamed("sales").get("description").asText()).isEqualTo("only orders");
    change.put("description", " ");
    assertThat(server.put("/api/folders/" + id, change).status()).isEqualTo(204);
    assertThat(folderNamed("sales").get("description").isNull()).isTrue();

    change.put("description", "x".repeat(2001));
    Reply tooLong = server.put("/api/folders/" + id, change);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().findValuesAsText("field")).contains("description");
  }

  // ---- online and schedule summaries ------------------------------------------------------

  @Test
  void onlyAScheduledTaskGoesOnlineAndItsScheduleReadsInTheUisLanguage() {
    long task =
        scriptTask(
            "weekly-gen", "source: {connector: datagen, rows: 10}\nsink: {connector: blackhole}\n");
    JsonNode unscheduled = server.get("/api/tasks/" + task).json();
    assertThat(unscheduled.get("scheduled").asBoolean()).isFalse();
    assertThat(unscheduled.get("scheduleDescription").isNull()).isTrue();
    assertThat(server.post("/api/tasks/" + task + "/online", null).status()).isEqualTo(409);

    Map<String, Object> weekly =
        Map.of("type", "periodic", "cycle", "week", "time", "02:30", "weekdays", List.of(3, 1));
    Reply put = server.put("/api/tasks/" + task + "/schedule", weekly);
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().get("online").asBoolean())
        .as("a saved schedule leaves it offline")
        .isFalse();

    JsonNode english = server.get("/api/tasks/" + task).json();
    assertThat(english.get("scheduled").asBoolean()).isTrue();
    assertThat(english.get("scheduleDescription").asText())
        .isEqualTo("weekly on Mon, Wed at 02:30");
    assertThat(server.get("/api/tasks/" + task, CHINESE).json().get("scheduleDescription").asText())
        .isEqualTo("每周一、三 02:30");
    JsonNode listed = server.get("/api/tasks?q=weekly-gen", CHINESE).json().get("items").get(0);
    assertThat(listed.get("scheduleDescription").asText()).isEqualTo("每周一、三 02:30");
    assertThat(
            server
                .get("/api/tasks/" + task + "/schedule", CHINESE)
                .json()
                .get("description")
                .asText())
        .isEqualTo("每周一、三 02:30");
    Reply preview =
        server.call(
            "POST",
            "/api/schedules/preview",
            Map.of("type", "periodic", "cycle", "minute", "interval", 5),
            "admin",
            TestServer.ADMIN_PASSWORD,
            Map.of("Accept-Language", CHINESE));
    assertThat(preview.json().get("description").asText()).isEqualTo("每 5 分钟");
    assertThat(server.post("/api/tasks/" + task + "/online", null).status()).isEqualTo(200);
    assertThat(server.get("/api/tasks/" + task).json().get("online").asBoolean()).isTrue();
    server.post("/api/tasks/" + task + "/offline", null);
  }

  // ---- connector forms ----------------------------------------------------------------------

  @Test
  void connectorFormsSpeakTheUisLanguage() {
    JsonNode chinese = server.get("/api/connectors/mysql", CHINESE).json();
    assertThat(chinese.get("description").asText()).startsWith("读写 MySQL 和 MariaDB 表");
    List<String> english = new ArrayList<>();
    chinese
        .get("roles")
        .properties()
        .forEach(
            role ->
                role.getValue()
                    .forEach(
                        o -> {
                          if (!ConnectorTextsTest.isChinese(o.get("description").asText())
                              || o.get("label").isNull()) {
                            english.add(role.getKey() + "." + o.get("name").asText());
                          }
                        }));
    assertThat(english).isEmpty();
    JsonNode where = option(chinese, "source", "where");
    assertThat(where.get("label").asText()).isEqualTo("过滤条件");

    JsonNode plain = server.get("/api/connectors/mysql").json();
    assertThat(plain.get("description").asText()).startsWith("Reads and writes MySQL");
    assertThat(option(plain, "source", "where").get("label").isNull()).isTrue();
    assertThat(option(plain, "source", "where").get("description").asText())
        .startsWith("An SQL condition");
    // Defaults read as a job file writes them.
    assertThat(option(plain, "catalog", "connectTimeout").get("defaultValue").asText())
        .isEqualTo("10s");
  }

  private static JsonNode option(JsonNode connector, String role, String name) {
    for (JsonNode o : connector.get("roles").get(role)) {
      if (o.get("name").asText().equals(name)) {
        return o;
      }
    }
    throw new AssertionError("no option " + role + "." + name);
  }

  // ---- templates --------------------------------------------------------------------------

  private static final Pattern PLACEHOLDER =
      Pattern.compile("^(\\s+)(\\w+): <(\\w+)>$", Pattern.MULTILINE);

  /**
   * The template with each placeholder filled in with a value of the kind the option takes; a url
   * is the test's MariaDB database, or PostgreSQL's own for the postgresql connector.
   */
  private static String filled(String template, String connector) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(
        "url",
        connector.equals("postgresql")
            ? TestDatabases.POSTGRES + "postgres"
            : TestDatabases.MARIADB + db);
    values.put("path", files.resolve("orders.csv").toString());
    values.put("table", "orders");
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.getOrDefault(m.group(2), "x");
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + ": " + value));
    }
    m.appendTail(out);
    assertThat(PLACEHOLDER.matcher(out).find()).as("every placeholder filled in").isFalse();
    return out.toString();
  }

  private static String template(String query, String language) {
    Reply r = server.get("/api/templates/job?" + query, language);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("script").asText();
  }

  @Test
  void everyConnectorsTemplateIsAJobTheServerAccepts() {
    int accepted = 0;
    for (JsonNode c : server.get("/api/connectors").json()) {
      String name = c.get("name").asText();
      List<String> queries = new ArrayList<>();
      if (c.get("roles").has("source")) {
        queries.add("source=" + name + "&sink=blackhole");
      }
      if (c.get("roles").has("sink")) {
        queries.add("source=datagen&sink=" + name);
      }
      for (String query : queries) {
        String yaml = template(query, "en");
        assertThat(yaml).startsWith("# A job file");
        scriptTask("template-" + accepted, filled(yaml, name));
        accepted++;
      }
    }
    assertThat(accepted).as("sources and sinks on the class path").isGreaterThanOrEqualTo(10);

    // A side that is a data source: its options come from it, the script names it.
    created(
        server.post(
            "/api/datasources",
            Map.of(
                "alias",
                "maria-tpl",
                "connector",
                "mysql",
                "options",
                Map.of("url", TestDatabases.MARIADB + db, "user", "root"))));
    String yaml = template("sourceDatasource=maria-tpl&sink=console", CHINESE);
    assertThat(yaml)
        .contains("  datasource: maria-tpl\n")
        .contains("# 取自数据源 maria-tpl：url, user。")
        .doesNotContain("# url:");
    scriptTask("template-datasource", filled(yaml, "mysql"));

    Reply unknown = server.get("/api/templates/job?source=nosuch&sink=blackhole");
    assertThat(unknown.status()).isEqualTo(404);
    Reply cannotRead = server.get("/api/templates/job?source=blackhole&sink=console");
    assertThat(cannotRead.status()).isEqualTo(400);
    assertThat(cannotRead.json().findValuesAsText("field")).contains("source");
  }

  // ---- reruns -----------------------------------------------------------------------------

  private static final String ROWS =
      "source:\n"
          + "  connector: datagen\n"
          + "  rows: 50\n"
          + "  columns:\n"
          + "    - {name: id, type: int64, kind: sequence}\n"
          + "    - {name: note, type: string, kind: random, maxLength: 20}\n";

  @Test
  void aRerunThatWouldInsertRowsAgainIsFlaggedAndDoes() throws Exception {
    created(
        server.post(
            "/api/datasources",
            Map.of(
                "alias",
                "maria-rerun",
                "connector",
                "mysql",
                "options",
                Map.of("url", TestDatabases.MARIADB + db, "user", "root"))));
    long insert =
        scriptTask(
            "rerun-insert",
            ROWS
                + "sink: {datasource: maria-rerun, table: rerun_insert, createTable: true,"
                + " keys: [id]}\n");
    JsonNode first = runTask(insert);
    assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
    JsonNode check = server.get("/api/runs/" + first.get("id").asLong() + "/rerun-check").json();
    assertThat(check.get("repeatsRows").asBoolean()).isTrue();
    assertThat(check.get("writeMode").asText()).isEqualTo("insert");
    assertThat(check.get("recordsWritten").asLong()).isEqualTo(50);
    List<String> modes = new ArrayList<>();
    check.get("writeModes").forEach(m -> modes.add(m.asText()));
    assertThat(modes).contains("insert", "upsert", "truncate-insert");

    // What the warning says is what happens: the rerun fails on the duplicate keys.
    Reply rerun = server.post("/api/runs/" + first.get("id").asLong() + "/rerun", null);
    JsonNode again = awaitEnd(rerun.json().get("id").asLong());
    assertThat(again.get("state").asText()).as(again.toString()).isEqualTo("FAILED");
    assertThat(again.get("message").asText()).containsIgnoringCase("duplicate");
    try (Connection c = TestDatabases.mariadb(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM rerun_insert")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(50);
      assertThat(rs.getLong(2)).isEqualTo(50);
    }

    long upsert =
        scriptTask(
            "rerun-upsert",
            ROWS
                + "sink: {datasource: maria-rerun, table: rerun_upsert, createTable: true,"
                + " keys: [id], writeMode: upsert}\n");
    JsonNode up = runTask(upsert);
    JsonNode upCheck = server.get("/api/runs/" + up.get("id").asLong() + "/rerun-check").json();
    assertThat(upCheck.get("repeatsRows").asBoolean()).isFalse();
    assertThat(upCheck.get("writeMode").asText()).isEqualTo("upsert");

    long hole = scriptTask("rerun-hole", ROWS + "sink: {connector: blackhole}\n");
    JsonNode holeRun = runTask(hole);
    JsonNode holeCheck =
        server.get("/api/runs/" + holeRun.get("id").asLong() + "/rerun-check").json();
    assertThat(holeCheck.get("repeatsRows").asBoolean()).isFalse();
    assertThat(holeCheck.get("writeMode").isNull()).isTrue();
  }

  // ---- speed history ----------------------------------------------------------------------

  @Test
  void aFinishedRunKeepsItsSpeedHistoryAcrossARestart() throws Exception {
    long task =
        scriptTask(
            "paced",
            "source: {connector: datagen, rows: 600, rowsPerSecond: 150, batchSize: 10}\n"
                + "sink: {connector: blackhole}\n"
                + "settings: {channels: 1}\n");
    JsonNode run = runTask(task);
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    long id = run.get("id").asLong();
    JsonNode history = server.get("/api/runs/" + id + "/progress").json().get("history");
    assertThat(history.get("samplesPerPoint").asInt()).isEqualTo(1);
    JsonNode points = history.get("points");
    assertThat(points.size()).as(history.toString()).isBetween(3, SpeedHistory.MAX);
    double fastest = 0;
    for (int i = 0; i < points.size(); i++) {
      JsonNode p = points.get(i);
      assertThat(p.size()).isEqualTo(3);
      if (i > 0) {
        assertThat(p.get(0).asLong()).isGreaterThan(points.get(i - 1).get(0).asLong());
      }
      fastest = Math.max(fastest, p.get(1).asDouble());
    }
    assertThat(fastest).as("rows/s at the fastest").isBetween(50.0, 400.0);
    assertThat(points.get(0).get(0).asLong())
        .isGreaterThanOrEqualTo(
            java.time.Instant.parse(run.get("startedAt").asText()).toEpochMilli() - 1000);

    // A run over before its first progress sample still has its speed: its average.
    long quick =
        scriptTask(
            "quick", "source: {connector: datagen, rows: 100}\nsink: {connector: blackhole}\n");
    JsonNode quickRun = runTask(quick);
    JsonNode quickPoints =
        server
            .get("/api/runs/" + quickRun.get("id").asLong() + "/progress")
            .json()
            .get("history")
            .get("points");
    assertThat(quickPoints.size()).isPositive();
    assertThat(quickPoints.get(quickPoints.size() - 1).get(1).asDouble()).isPositive();

    server.restart();
    JsonNode after = server.get("/api/runs/" + id + "/progress").json().get("history");
    assertThat(after).isEqualTo(history);
  }
}
