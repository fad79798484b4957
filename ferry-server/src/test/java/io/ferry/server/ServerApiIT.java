package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.security.LoginThrottle;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The REST API over HTTP against a server started here with its H2 store; connection tests and
 * catalogs against the machine's MariaDB.
 */
class ServerApiIT {
  static TestServer server;
  static String db;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabases.newName("ferry_api");
    TestDatabases.createMariadb(db);
    try (Connection c = TestDatabases.mariadb(db);
        Statement s = c.createStatement()) {
      for (String t : List.of("customers", "orders", "items")) {
        s.execute(
            "CREATE TABLE "
                + TestDatabases.backtick(t)
                + " (id BIGINT PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2))");
      }
    }
    server = new TestServer("--ferry.max-concurrent-runs=1");
    LOG.start();
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .addAppender(LOG);
  }

  /** Everything logged while the tests ran: no secret may be in it. */
  static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> LOG =
      new ch.qos.logback.core.read.ListAppender<>();

  static final List<String> SECRETS = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    assertThat(LOG.list).isNotEmpty();
    for (var event : LOG.list) {
      String text =
          event.getFormattedMessage()
              + (event.getThrowableProxy() == null
                  ? ""
                  : ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(
                      event.getThrowableProxy()));
      for (String secret : SECRETS) {
        assertThat(text).as("a logged line").doesNotContain(secret);
      }
    }
    TestDatabases.dropMariadb(db);
  }

  private static Map<String, Object> mariadbOptions(String password) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("url", TestDatabases.MARIADB + db);
    o.put("user", "root");
    o.put("password", password);
    return o;
  }

  private static long createDataSource(String alias, String connector, Map<String, Object> o) {
    Reply r =
        server.post(
            "/api/datasources", Map.of("alias", alias, "connector", connector, "options", o));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  // ---- auth -------------------------------------------------------------------------------

  @Test
  void everyEndpointOfTheOpenApiDocumentRefusesAnonymousCalls() {
    JsonNode doc = server.get("/v3/api-docs").json();
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      String concrete = path.getKey().replaceAll("\\{[^}]+}", "1");
      Iterator<String> methods = path.getValue().fieldNames();
      while (methods.hasNext()) {
        String method = methods.next().toUpperCase();
        if (concrete.equals("/api/auth/login")) {
          continue; // the one way in
        }
        Reply r = server.call(method, concrete, method.equals("GET") ? null : "{}", null, null);
        assertThat(r.status()).as(method + " " + concrete).isEqualTo(401);
        // A few wrong passwords only: more would be throttled (SecurityIT), as is meant.
        if (checked.size() < LoginThrottle.NAME_FAILURES - 1) {
          Reply wrong = server.call(method, concrete, null, "admin", "wrong-password");
          assertThat(wrong.status())
              .as("wrong password: " + method + " " + concrete)
              .isEqualTo(401);
        }
        checked.add(method + " " + concrete);
      }
    }
    assertThat(checked)
        .hasSizeGreaterThan(40)
        .contains(
            "POST /api/runs/1/pause", "PUT /api/tasks/1/schedule", "POST /api/instances/1/rerun");
    for (String other :
        List.of("/v3/api-docs", "/swagger-ui.html", "/actuator/prometheus", "/ws/progress")) {
      assertThat(server.call("GET", other, null, null, null).status()).as(other).isEqualTo(401);
    }
    assertThat(server.call("GET", "/actuator/health", null, null, null).status()).isEqualTo(200);
  }

  @Test
  void theWebSocketNeedsALogin() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                java.net.http.HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(
                        java.net.URI.create(server.base.replace("http:", "ws:") + "/ws/progress"),
                        new java.net.http.WebSocket.Listener() {})
                    .join())
        .isInstanceOf(CompletionException.class)
        .hasStackTraceContaining("401");
  }

  @Test
  void rolesLimitWhatUsersMayDo() {
    assertThat(
            server
                .post(
                    "/api/users",
                    Map.of("username", "vera", "password", "viewer-pass", "role", "viewer"))
                .status())
        .isEqualTo(201);
    assertThat(
            server
                .post(
                    "/api/users",
                    Map.of("username", "otto", "password", "operator-pass", "role", "operator"))
                .status())
        .isEqualTo(201);
    assertThat(server.call("GET", "/api/datasources", null, "vera", "viewer-pass").status())
        .isEqualTo(200);
    assertThat(
            server
                .call("POST", "/api/folders", Map.of("name", "x"), "vera", "viewer-pass")
                .status())
        .isEqualTo(403);
    assertThat(
            server
                .call("POST", "/api/folders", Map.of("name", "by-otto"), "otto", "operator-pass")
                .status())
        .isEqualTo(201);
    assertThat(server.call("GET", "/api/users", null, "otto", "operator-pass").status())
        .isEqualTo(403);
    assertThat(server.call("GET", "/api/audit", null, "otto", "operator-pass").status())
        .isEqualTo(403);
    // bad user input
    Reply weak =
        server.post("/api/users", Map.of("username", "x", "password", "short", "role", "viewer"));
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.json().get("problems").get(0).get("field").asText()).isEqualTo("password");
    assertThat(server.delete("/api/users/admin").status()).isEqualTo(409); // the last admin
    assertThat(server.delete("/api/users/nobody").status()).isEqualTo(404);
    assertThat(server.get("/api/auth/me").json().get("roles").get(0).asText()).isEqualTo("admin");
    // the audit log names who did what
    JsonNode audit = server.get("/api/audit").json();
    assertThat(audit.findValuesAsText("username")).contains("otto", "admin");
  }

  @Test
  void aSessionLoginServesBrowsers() throws Exception {
    var cookies = new java.net.CookieManager();
    var client = java.net.http.HttpClient.newBuilder().cookieHandler(cookies).build();
    var login =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.base + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\""
                            + TestServer.ADMIN_PASSWORD
                            + "\"}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
    var me =
        client.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + "/api/auth/me"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).contains("\"admin\"");
    var logout =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.base + "/api/auth/logout"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(logout.statusCode()).isEqualTo(204);
    var afterLogout =
        client.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + "/api/auth/me"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(afterLogout.statusCode()).isEqualTo(401);
    var bad =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.base + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"nope\"}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(401);
  }

  // ---- data sources -----------------------------------------------------------------------

  @Test
  void secretsAreEncryptedAtRestAndMaskedInEveryResponse() throws Exception {
    String password = "S3cret-" + System.nanoTime();
    SECRETS.add(password);
    long id = createDataSource("mask-test", "mysql", mariadbOptions(password));
    for (Reply r : List.of(server.get("/api/datasources/" + id), server.get("/api/datasources"))) {
      assertThat(r.body()).doesNotContain(password).contains("\"password\":\"****\"");
    }
    String stored =
        server
            .bean(JdbcClient.class)
            .sql("SELECT options FROM ferry_datasource WHERE id = ?")
            .param(id)
            .query(String.class)
            .single();
    assertThat(stored).doesNotContain(password).contains("enc:v1:");
    // The masked value sent back keeps the secret; the connection still works with it.
    Map<String, Object> again = mariadbOptions("****");
    Reply updated =
        server.put(
            "/api/datasources/" + id,
            Map.of("alias", "mask-test", "connector", "mysql", "options", again));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(server.bean(DataSourceService.class).resolve(id).options().get("password"))
        .isEqualTo(password);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(server.dataDir.resolve("secret.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void badDataSourcesAreRefusedFieldByField() {
    Map<String, Object> o = mariadbOptions("x");
    o.put("port", "not-a-port");
    o.put("colour", "blue");
    Reply r =
        server.post("/api/datasources", Map.of("alias", "bad", "connector", "mysql", "options", o));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().findValuesAsText("field")).contains("options.port", "options.colour");
    Reply noConnector =
        server.post("/api/datasources", Map.of("alias", "", "connector", "nosuch", "options", o));
    assertThat(noConnector.status()).isEqualTo(400);
    assertThat(noConnector.json().findValuesAsText("field")).contains("alias", "connector");
    assertThat(server.get("/api/datasources/987654").status()).isEqualTo(404);
    assertThat(server.delete("/api/datasources/987654").status()).isEqualTo(404);
    createDataSource("taken", "datagen", Map.of("rows", 10));
    assertThat(
            server
                .post(
                    "/api/datasources",
                    Map.of("alias", "taken", "connector", "datagen", "options", Map.of()))
                .status())
        .isEqualTo(409);
  }

  @Test
  void connectionTestsNameTheOptionAtFault() {
    long good = createDataSource("test-good", "mysql", mariadbOptions(""));
    JsonNode ok = server.post("/api/datasources/" + good + "/test", null).json();
    assertThat(ok.get("ok").asBoolean()).as(ok.toString()).isTrue();
    JsonNode table =
        server
            .post(
                "/api/datasources/" + good + "/test",
                Map.of("role", "source", "options", Map.of("table", "no_such_table")))
            .json();
    assertThat(table.get("ok").asBoolean()).isFalse();
    assertThat(table.findValuesAsText("option")).contains("table");
    Map<String, Object> wrongPassword = mariadbOptions("definitely-wrong");
    SECRETS.add("definitely-wrong");
    wrongPassword.put("user", "nosuchuser");
    long bad = createDataSource("test-bad", "mysql", wrongPassword);
    JsonNode refused =
        server
            .post(
                "/api/datasources/" + bad + "/test",
                Map.of("role", "source", "options", Map.of("table", "orders")))
            .json();
    assertThat(refused.get("ok").asBoolean()).isFalse();
    assertThat(refused.toString()).doesNotContain("definitely-wrong");
    assertThat(refused.get("problems").get(0).get("option").asText()).isIn("user", "password");
    // The default test (through the catalog) names the option too.
    Map<String, Object> wrongDatabase = new LinkedHashMap<>();
    wrongDatabase.put("host", "127.0.0.1");
    wrongDatabase.put("database", "no_such_database_" + db);
    wrongDatabase.put("user", "root");
    long missing = createDataSource("test-no-db", "mysql", wrongDatabase);
    JsonNode noDatabase = server.post("/api/datasources/" + missing + "/test", null).json();
    assertThat(noDatabase.get("ok").asBoolean()).isFalse();
    assertThat(noDatabase.get("problems").get(0).get("option").asText())
        .as(noDatabase.toString())
        .isEqualTo("database");
    // A cluster: the first host is down, the second answers.
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("hosts", List.of("127.0.0.1:1", "127.0.0.1:3306"));
    cluster.put("database", db);
    cluster.put("user", "root");
    long failover = createDataSource("test-cluster", "mysql", cluster);
    JsonNode up = server.post("/api/datasources/" + failover + "/test", null).json();
    assertThat(up.get("ok").asBoolean()).as(up.toString()).isTrue();
  }

  @Test
  void catalogsListDatabasesTablesAndColumns() {
    long id = createDataSource("catalog", "mysql", mariadbOptions(""));
    assertThat(server.get("/api/datasources/" + id + "/catalog").json().toString()).contains(db);
    assertThat(server.get("/api/datasources/" + id + "/catalog/" + db).json().toString())
        .contains("customers", "orders", "items");
    JsonNode table = server.get("/api/datasources/" + id + "/catalog/" + db + "/orders").json();
    assertThat(table.get("columns").findValuesAsText("name"))
        .containsExactly("id", "name", "amount");
    assertThat(table.get("primaryKey").get(0).asText()).isEqualTo("id");
    assertThat(server.get("/api/datasources/" + id + "/catalog/" + db + "/nothing").status())
        .isEqualTo(404);
  }

  // ---- tasks ------------------------------------------------------------------------------

  @Test
  void wizardTasksBecomeScriptsAndNeverGoBack() {
    long src = createDataSource("wiz-src", "mysql", mariadbOptions(""));
    long dst = createDataSource("wiz-dst", "mysql", mariadbOptions(""));
    long folder = server.post("/api/folders", Map.of("name", "sales")).json().get("id").asLong();
    long sub =
        server
            .post("/api/folders", Map.of("name", "daily", "parentId", folder))
            .json()
            .get("id")
            .asLong();
    Map<String, Object> wizard =
        Map.of(
            "source", Map.of("datasourceId", src, "table", "orders"),
            "target",
                Map.of(
                    "datasourceId",
                    dst,
                    "table",
                    "items",
                    "writeMode",
                    "upsert",
                    "options",
                    Map.of("keys", "id")),
            "mapping",
                List.of(Map.of("from", "id", "to", "id"), Map.of("from", "name", "to", "name")),
            "settings", Map.of("channels", 2, "errorLimit", 5));
    Reply created =
        server.post(
            "/api/tasks",
            Map.of("name", "orders-copy", "folderId", sub, "mode", "wizard", "wizard", wizard));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode task = created.json();
    long id = task.get("id").asLong();
    assertThat(task.get("mode").asText()).isEqualTo("wizard");
    assertThat(task.get("script").asText())
        .contains("datasource: wiz-src", "datasource: wiz-dst", "writeMode: upsert")
        .doesNotContain("password");
    // the tree holds the folder, its sub-folder and the task
    JsonNode tree = server.get("/api/folders").json();
    assertThat(tree.toString()).contains("\"sales\"", "\"daily\"", "\"tasks\":[" + id + "]");
    assertThat(server.delete("/api/folders/" + sub).status()).isEqualTo(409);
    // to script, then no way back
    JsonNode script = server.post("/api/tasks/" + id + "/convert-to-script", null).json();
    assertThat(script.get("mode").asText()).isEqualTo("script");
    Reply back =
        server.put(
            "/api/tasks/" + id, Map.of("name", "orders-copy", "mode", "wizard", "wizard", wizard));
    assertThat(back.status()).isEqualTo(409);
    String edited = script.get("script").asText().replace("channels: 2", "channels: 3");
    Reply saved =
        server.put(
            "/api/tasks/" + id, Map.of("name", "orders-copy", "mode", "script", "script", edited));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    assertThat(saved.json().get("script").asText()).contains("channels: 3");
    assertThat(server.get("/api/tasks/424242").status()).isEqualTo(404);
    JsonNode live = server.post("/api/tasks/" + id + "/validate", null).json();
    assertThat(live.get("ok").asBoolean()).as(live.toString()).isTrue();
    // a data source a task names keeps its alias and stays
    Reply rename =
        server.put(
            "/api/datasources/" + src,
            Map.of("alias", "renamed", "connector", "mysql", "options", mariadbOptions("")));
    assertThat(rename.status()).isEqualTo(409);
    assertThat(rename.json().get("message").asText()).contains("task " + id);
    assertThat(server.delete("/api/datasources/" + src).status()).isEqualTo(409);
    assertThat(server.delete("/api/tasks/" + id).status()).isEqualTo(204);
    assertThat(server.delete("/api/datasources/" + src).status()).isEqualTo(204);
  }

  @Test
  void invalidTasksAreRefusedWithTheFieldAtFault() {
    long src = createDataSource("bad-task-src", "mysql", mariadbOptions(""));
    Reply noTable =
        server.post(
            "/api/tasks",
            Map.of(
                "name", "no-target-table",
                "mode", "wizard",
                "wizard",
                    Map.of(
                        "source", Map.of("datasourceId", src, "table", "orders"),
                        "target", Map.of("datasourceId", 999999))));
    assertThat(noTable.status()).isEqualTo(400);
    assertThat(noTable.json().findValuesAsText("field")).contains("wizard.target.datasourceId");
    Reply badSetting =
        server.post(
            "/api/tasks",
            Map.of(
                "name", "bad-setting",
                "mode", "script",
                "script",
                    "source: {datasource: bad-task-src, table: orders}\n"
                        + "sink: {connector: blackhole}\nsettings: {channels: 0}\n"));
    assertThat(badSetting.status()).as(badSetting.toString()).isEqualTo(400);
    assertThat(badSetting.json().findValuesAsText("field")).contains("settings.channels");
    Reply secret =
        server.post(
            "/api/tasks",
            Map.of(
                "name", "secret-in-script",
                "mode", "script",
                "script",
                    "source: {connector: mysql, url: 'jdbc:mariadb://127.0.0.1/x', password: hunter2,"
                        + " table: t}\nsink: {connector: blackhole}\n"));
    assertThat(secret.status()).isEqualTo(400);
    assertThat(secret.json().findValuesAsText("field")).contains("source.password");
    assertThat(secret.body()).doesNotContain("hunter2");
    SECRETS.add("hunter2");
    // saved: phase one passes; the live check names the missing table
    Reply missing =
        server.post(
            "/api/tasks",
            Map.of(
                "name", "missing-table",
                "mode", "script",
                "script",
                    "source: {datasource: bad-task-src, table: no_such}\nsink: {connector: blackhole}\n"));
    assertThat(missing.status()).as(missing.toString()).isEqualTo(201);
    JsonNode live =
        server.post("/api/tasks/" + missing.json().get("id").asLong() + "/validate", null).json();
    assertThat(live.get("ok").asBoolean()).isFalse();
    assertThat(live.toString()).contains("table");
    Reply env =
        server.post(
            "/api/tasks",
            Map.of(
                "name", "env-in-script",
                "mode", "script",
                "script",
                    "source: {connector: datagen, rows: '${env:HOME}'}\nsink: {connector: blackhole}\n"));
    assertThat(env.status()).isEqualTo(400);
    Reply badName =
        server.post("/api/tasks", Map.of("name", "", "mode", "script", "script", "x: 1"));
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().findValuesAsText("field")).contains("name");
  }

  @Test
  void batchCreateMakesOneTaskPerTableAndBatchDeleteRemovesThem() {
    long src = createDataSource("batch-src", "mysql", mariadbOptions(""));
    long dst = createDataSource("batch-dst", "mysql", mariadbOptions(""));
    Reply r =
        server.post(
            "/api/tasks/batch",
            Map.of(
                "sourceDatasourceId",
                src,
                "targetDatasourceId",
                dst,
                "tables",
                List.of("customers", "orders", "items"),
                "namePattern",
                "copy-{table}",
                "writeMode",
                "upsert"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().findValuesAsText("name"))
        .containsExactly("copy-customers", "copy-orders", "copy-items");
    List<Long> ids = r.json().findValues("id").stream().map(JsonNode::asLong).toList();
    // one of them exists already: the whole batch is refused
    Reply again =
        server.post(
            "/api/tasks/batch",
            Map.of(
                "sourceDatasourceId",
                src,
                "targetDatasourceId",
                dst,
                "tables",
                List.of("orders"),
                "namePattern",
                "copy-{table}"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(
            server
                .post("/api/tasks/batch-delete", Map.of("ids", List.of(ids.get(0), 777777)))
                .status())
        .isEqualTo(404);
    assertThat(server.get("/api/tasks/" + ids.get(0)).status()).isEqualTo(200);
    assertThat(server.post("/api/tasks/batch-delete", Map.of("ids", ids)).status()).isEqualTo(204);
    for (long id : ids) {
      assertThat(server.get("/api/tasks/" + id).status()).isEqualTo(404);
    }
  }

  // ---- runs -------------------------------------------------------------------------------

  private static JsonNode awaitState(long run, String... states) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/api/runs/" + run).json();
      if (List.of(states).contains(last.get("state").asText())) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never reached " + List.of(states) + ": " + last);
  }

  @Test
  void runsExecuteOnABoundedPoolAndRefuseIllegalTransitions() throws Exception {
    // one slot (ferry.max-concurrent-runs=1): the second run waits
    String slow =
        "source: {connector: datagen, rows: 1000000, rowsPerSecond: 200, batchSize: 50}\n"
            + "sink: {connector: blackhole}\nsettings: {channels: 1}\n";
    long first =
        server.post("/api/runs", Map.of("name", "slow", "script", slow)).json().get("id").asLong();
    awaitState(first, "RUNNING");
    long second =
        server.post("/api/runs", Map.of("name", "waits", "script", slow)).json().get("id").asLong();
    assertThat(server.get("/api/runs/" + second).json().get("state").asText()).isEqualTo("QUEUED");
    Reply pauseQueued = server.post("/api/runs/" + second + "/pause", null);
    assertThat(pauseQueued.status()).isEqualTo(409);
    assertThat(pauseQueued.json().get("message").asText()).contains("queued");
    assertThat(server.post("/api/runs/" + second + "/stop", null).status()).isEqualTo(202);
    assertThat(awaitState(second, "STOPPED").get("message").asText()).contains("before it started");
    assertThat(server.post("/api/runs/" + first + "/stop", null).status()).isEqualTo(202);
    JsonNode stopped = awaitState(first, "STOPPED");
    assertThat(stopped.get("endedAt").isNull()).isFalse();
    Reply resumeStopped = server.post("/api/runs/" + first + "/resume", null);
    assertThat(resumeStopped.status()).isEqualTo(409);
    assertThat(resumeStopped.json().get("message").asText()).contains("only a paused run resumes");
    assertThat(server.post("/api/runs/" + first + "/pause", null).status()).isEqualTo(409);
    assertThat(server.post("/api/runs/" + first + "/stop", null).status()).isEqualTo(409);
    assertThat(server.post("/api/runs/565656/stop", null).status()).isEqualTo(404);
    assertThat(server.get("/api/runs/565656/log").status()).isEqualTo(404);
    // a quick run to the end, its history, log and rerun
    String quick = "source: {connector: datagen, rows: 5000}\nsink: {connector: blackhole}\n";
    long done =
        server
            .post("/api/runs", Map.of("name", "quick", "script", quick))
            .json()
            .get("id")
            .asLong();
    JsonNode ended = awaitState(done, "SUCCEEDED", "FAILED");
    assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
    assertThat(ended.get("recordsWritten").asLong()).isEqualTo(5000);
    assertThat(ended.get("durationMillis").asLong()).isPositive();
    assertThat(server.admin("GET", "/api/runs/" + done + "/log/download", null).body())
        .contains("queued by admin", "SUCCEEDED: 5000 rows read, 5000 written");
    long rerun = server.post("/api/runs/" + done + "/rerun", null).json().get("id").asLong();
    assertThat(awaitState(rerun, "SUCCEEDED").get("rerunOf").asLong()).isEqualTo(done);
    assertThat(server.get("/api/runs?state=succeeded").json().findValuesAsText("id"))
        .contains(String.valueOf(done), String.valueOf(rerun));
    assertThat(server.get("/api/runs/" + done + "/dirty").json().get("total").asInt()).isZero();
    assertThat(server.get("/api/runs/" + done + "/dirty/download").status()).isEqualTo(404);
    Reply invalid = server.post("/api/runs", Map.of("script", "source: {connector: nosuch}\n"));
    assertThat(invalid.status()).isEqualTo(400);
    // metrics
    assertThat(server.get("/actuator/prometheus").body())
        .contains("ferry_runs_ended_total", "ferry_runs_queued");
    JsonNode audit = server.get("/api/audit").json();
    assertThat(audit.findValuesAsText("action")).contains("start", "stop", "rerun");
  }

  @Test
  void aTaskRunsAndKeepsItsHistory() throws Exception {
    long gen = createDataSource("gen", "datagen", Map.of("seed", 42));
    Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name", "gen-to-hole",
                "mode", "script",
                "script", "source: {datasource: gen, rows: 3000}\nsink: {connector: blackhole}\n"));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    long taskId = task.json().get("id").asLong();
    long run = server.post("/api/tasks/" + taskId + "/runs", null).json().get("id").asLong();
    assertThat(awaitState(run, "SUCCEEDED").get("recordsWritten").asLong()).isEqualTo(3000);
    // Its last progress stays readable: splits, speeds.
    JsonNode progress = server.get("/api/runs/" + run + "/progress").json();
    assertThat(progress.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(progress.get("recordsWritten").asLong()).isEqualTo(3000);
    assertThat(progress.get("splits").size()).isEqualTo(progress.get("splitsTotal").asInt());
    assertThat(progress.findValuesAsText("state")).contains("SUCCEEDED");
    JsonNode history = server.get("/api/tasks/" + taskId + "/runs").json().get("items");
    assertThat(history.size()).isEqualTo(1);
    assertThat(history.get(0).get("taskName").asText()).isEqualTo("gen-to-hole");
    assertThat(server.post("/api/tasks/31337/runs", null).status()).isEqualTo(404);
    assertThat(gen).isPositive();
  }

  @Test
  void dataxFilesImportAsScriptTasksOnTheDataSourcesAndRun() throws Exception {
    try (Connection c = TestDatabases.mariadb(db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE datax_src (id BIGINT PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2))");
      s.execute(
          "CREATE TABLE datax_dst (pk BIGINT PRIMARY KEY, label VARCHAR(50), total DECIMAL(10,2))");
      s.execute("INSERT INTO datax_src VALUES (1, 'a', 1.50), (2, 'b', 2.25), (3, NULL, 0)");
    }
    long src = createDataSource("datax-src", "mysql", mariadbOptions(""));
    long folder = server.post("/api/folders", Map.of("name", "datax")).json().get("id").asLong();
    String copy =
        """
        {"job": {"setting": {"speed": {"channel": 2}, "errorLimit": {"record": 0}},
          "content": [{
            "reader": {"name": "mysqlreader", "parameter": {"username": "root", "password": "dx-Secret-1",
              "column": ["id", "name", "amount"], "splitPk": "id",
              "connection": [{"table": ["datax_src"], "jdbcUrl": ["jdbc:mysql://127.0.0.1:3306/%s"]}]}},
            "writer": {"name": "mysqlwriter", "parameter": {"username": "root", "password": "dx-Secret-1",
              "column": ["pk", "label", "total"], "writeMode": "update",
              "connection": [{"jdbcUrl": "jdbc:mysql://127.0.0.1:3306/%s", "table": ["datax_dst"]}]}}}]}}
        """
            .formatted(db, db);
    String stream =
        """
        {"job": {"content": [{
          "reader": {"name": "streamreader", "parameter": {"sliceRecordCount": 5,
            "column": [{"type": "long", "value": "1"}]}},
          "writer": {"name": "streamwriter", "parameter": {"print": false}}}]}}
        """;

    // without a target data source: nothing is created, the field says why
    Reply missing =
        server.post(
            "/api/tasks/import-datax",
            Map.of(
                "folderId",
                folder,
                "sourceDatasourceId",
                src,
                "files",
                List.of(Map.of("name", "copy.json", "content", copy))));
    assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
    assertThat(missing.body()).contains("targetDatasourceId").doesNotContain("dx-Secret-1");
    // an unsupported parameter names its file and JSON path
    Reply groovy =
        server.post(
            "/api/tasks/import-datax",
            Map.of(
                "files",
                List.of(
                    Map.of(
                        "name",
                        "g.json",
                        "content",
                        stream.replace(
                            "\"writer\"",
                            "\"transformer\": [{\"name\": \"dx_groovy\"}], \"writer\"")))));
    assertThat(groovy.status()).isEqualTo(400);
    assertThat(groovy.body()).contains("files[0].job.content[0].transformer[0].name");

    // pasted as a script, a DataX file would keep its passwords in clear: refused
    Reply pasted =
        server.post("/api/tasks", Map.of("name", "pasted", "mode", "script", "script", copy));
    assertThat(pasted.status()).isEqualTo(400);
    assertThat(pasted.body()).contains("import-datax").doesNotContain("dx-Secret-1");
    assertThat(server.post("/api/runs", Map.of("script", copy)).status()).isEqualTo(400);

    Reply imported =
        server.post(
            "/api/tasks/import-datax",
            Map.of(
                "folderId",
                folder,
                "sourceDatasourceId",
                src,
                "targetDatasourceId",
                src,
                "files",
                List.of(
                    Map.of("name", "copy.json", "content", copy),
                    Map.of("name", "stream.json", "content", stream))));
    assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
    assertThat(imported.json().findValuesAsText("name")).containsExactly("copy", "stream");
    assertThat(imported.json().findValuesAsText("mode")).containsOnly("script");
    assertThat(imported.json().findValues("folderId").stream().map(JsonNode::asLong))
        .containsOnly(folder);
    String script = imported.json().get(0).get("script").asText();
    assertThat(script)
        .contains("datasource: datax-src", "pk", "writeMode: upsert")
        .doesNotContain("dx-Secret-1", "password", "jdbc:mysql");

    long task = imported.json().get(0).get("id").asLong();
    long run = server.post("/api/tasks/" + task + "/runs", null).json().get("id").asLong();
    assertThat(awaitState(run, "SUCCEEDED", "FAILED").get("state").asText()).isEqualTo("SUCCEEDED");
    List<String> rows = new ArrayList<>();
    try (Connection c = TestDatabases.mariadb(db);
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT pk, label, total FROM datax_dst ORDER BY pk")) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3));
      }
    }
    assertThat(rows).containsExactly("1|a|1.50", "2|b|2.25", "3|null|0.00");
    JsonNode audit = server.get("/api/audit").json();
    assertThat(audit.findValuesAsText("detail")).anyMatch(d -> d.contains("(DataX import)"));
  }
}
