package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Alert rules, channels and notices through the server: who may configure what, secrets sealed and
 * never shown, each webhook format and its signature read back from an HTTP server on 127.0.0.1, an
 * e-mail read back from an SMTP listener in this JVM, and incidents that fire once, repeat no more
 * often than asked and recover.
 */
class AlertsIT {
  static TestServer server;
  static Path files;
  static HttpServer hooks;
  static final LinkedBlockingQueue<Hook> received = new LinkedBlockingQueue<>();
  static SmtpListener smtp;

  record Hook(
      String path, String query, Map<String, List<String>> headers, String body, Instant at) {}

  @BeforeAll
  static void start() throws Exception {
    files =
        Files.createDirectories(Path.of("target", "alert-files-" + UUID.randomUUID()))
            .toAbsolutePath();
    hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hooks.createContext(
        "/",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new Hook(
                  x.getRequestURI().getPath(),
                  x.getRequestURI().getRawQuery(),
                  Map.copyOf(x.getRequestHeaders()),
                  body,
                  Instant.now()));
          byte[] ok = "{\"errcode\":0}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, ok.length);
          x.getResponseBody().write(ok);
          x.close();
        });
    hooks.start();
    smtp = new SmtpListener();
    server =
        new TestServer(
            "--ferry.file-roots=" + files,
            "--ferry.alerts.check-interval=300ms",
            "--ferry.alerts.mail-from=ferry@example.org",
            "--spring.mail.host=127.0.0.1",
            "--spring.mail.port=" + smtp.port());
    for (String role : List.of("viewer", "operator")) {
      assertThat(
              server
                  .post(
                      "/api/users",
                      Map.of("username", role + "1", "password", "password-" + role, "role", role))
                  .status())
          .isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    hooks.stop(0);
    smtp.close();
  }

  private static String hook(String path) {
    return "http://127.0.0.1:" + hooks.getAddress().getPort() + path;
  }

  private static TestServer.Reply as(String role, String method, String path, Object body) {
    return server.call(method, path, body, role + "1", "password-" + role);
  }

  @Test
  void onlyAdminsConfigureChannelsAndNobodyReadsTheirSecrets() throws Exception {
    Map<String, Object> internal =
        Map.of(
            "name",
            "sneaky",
            "kind",
            "webhook",
            "config",
            Map.of("url", "http://169.254.169.254/latest/meta-data/"));
    assertThat(as("viewer", "POST", "/api/alert-channels", internal).status()).isEqualTo(403);
    assertThat(as("operator", "POST", "/api/alert-channels", internal).status()).isEqualTo(403);
    assertThat(server.get("/api/alert-channels").body()).doesNotContain("sneaky");

    String token = "access_token=tok-" + UUID.randomUUID();
    TestServer.Reply created =
        server.post(
            "/api/alert-channels",
            Map.of(
                "name",
                "ding-secrets",
                "kind",
                "dingtalk",
                "config",
                Map.of("url", hook("/robot/send?" + token), "secret", "SEC-very-secret")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    assertThat(created.body()).doesNotContain("SEC-very-secret").doesNotContain(token);
    assertThat(created.json().at("/config/url").asText())
        .isEqualTo("http://127.0.0.1:" + hooks.getAddress().getPort() + "/****");
    assertThat(created.json().at("/config/secret").asText()).isEqualTo("****");
    for (String role : List.of("viewer", "operator")) {
      TestServer.Reply seen = as(role, "GET", "/api/alert-channels/" + id, null);
      assertThat(seen.status()).isEqualTo(200);
      assertThat(seen.body()).doesNotContain("SEC-very-secret").doesNotContain(token);
      assertThat(as(role, "PUT", "/api/alert-channels/" + id, internal).status()).isEqualTo(403);
      assertThat(as(role, "DELETE", "/api/alert-channels/" + id, null).status()).isEqualTo(403);
      assertThat(as(role, "POST", "/api/alert-channels/" + id + "/test", null).status())
          .isEqualTo(403);
    }
    // Sealed at rest, as data sources' secrets are.
    String stored =
        server
            .bean(JdbcClient.class)
            .sql("SELECT config FROM ferry_alert_channel WHERE id = ?")
            .param(id)
            .query(String.class)
            .single();
    assertThat(stored).contains("enc:v1:").doesNotContain("SEC-very-secret").doesNotContain(token);

    // An update that sends the masks back keeps the secrets: the test message is signed with it.
    JsonNode shown = created.json();
    TestServer.Reply renamed =
        server.put(
            "/api/alert-channels/" + id,
            Map.of(
                "name",
                "ding-renamed",
                "kind",
                "dingtalk",
                "config",
                Map.of(
                    "url", shown.at("/config/url").asText(),
                    "secret", shown.at("/config/secret").asText())));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    received.clear();
    assertThat(server.post("/api/alert-channels/" + id + "/test", null).status()).isEqualTo(204);
    Hook h = next(x -> x.path().equals("/robot/send"));
    assertThat(h.query()).startsWith(token);
    checkDingTalkSignature(h, "SEC-very-secret");

    // Bad URLs are refused, for admins too.
    for (String url : List.of("file:///etc/passwd", "ftp://x/y", "http://user:pw@host/x", "nope")) {
      TestServer.Reply r =
          server.post(
              "/api/alert-channels",
              Map.of("name", "bad", "kind", "webhook", "config", Map.of("url", url)));
      assertThat(r.status()).as(url).isEqualTo(400);
      assertThat(r.body()).contains("config.url");
    }
    // Viewers read rules but cannot write them; operators can.
    Map<String, Object> rule = Map.of("name", "viewer-rule", "kind", "run-failed");
    assertThat(as("viewer", "POST", "/api/alert-rules", rule).status()).isEqualTo(403);
    TestServer.Reply byOperator = as("operator", "POST", "/api/alert-rules", rule);
    assertThat(byOperator.status()).as(byOperator.toString()).isEqualTo(201);
    assertThat(as("viewer", "GET", "/api/alert-rules", null).body()).contains("viewer-rule");
    assertThat(
            as(
                    "operator",
                    "DELETE",
                    "/api/alert-rules/" + byOperator.json().get("id").asLong(),
                    null)
                .status())
        .isEqualTo(204);
  }

  @Test
  void eachWebhookFormatArrivesSigned() throws Exception {
    Map<String, Map<String, Object>> channels =
        Map.of(
            "webhook", Map.of("url", hook("/generic"), "secret", "gen-secret"),
            "feishu", Map.of("url", hook("/feishu"), "secret", "fs-secret"),
            "wecom", Map.of("url", hook("/wecom?key=k1")),
            "slack", Map.of("url", hook("/slack/T1/B1/x")));
    received.clear();
    for (var c : channels.entrySet()) {
      TestServer.Reply r =
          server.post(
              "/api/alert-channels",
              Map.of("name", "fmt-" + c.getKey(), "kind", c.getKey(), "config", c.getValue()));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      TestServer.Reply t =
          server.post("/api/alert-channels/" + r.json().get("id").asLong() + "/test", null);
      assertThat(t.status()).as(t.toString()).isEqualTo(204);
    }
    Hook generic = next(h -> h.path().equals("/generic"));
    JsonNode g = TestServer.JSON.readTree(generic.body());
    assertThat(g.get("event").asText()).isEqualTo("test");
    assertThat(g.get("title").asText())
        .isEqualTo("[Ferry] TEST: test of channel fmt-webhook (fmt-webhook)");
    assertThat(generic.headers().get("X-ferry-signature"))
        .containsExactly("sha256=" + HexFormat.of().formatHex(hmac("gen-secret", generic.body())));

    JsonNode fs = TestServer.JSON.readTree(next(h -> h.path().equals("/feishu")).body());
    assertThat(fs.get("msg_type").asText()).isEqualTo("text");
    assertThat(fs.at("/content/text").asText())
        .startsWith("[Ferry] TEST: test of channel fmt-feishu");
    long ts = Long.parseLong(fs.get("timestamp").asText());
    assertThat(Math.abs(ts - Instant.now().getEpochSecond())).isLessThan(60);
    assertThat(fs.get("sign").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(hmac(ts + "\n" + "fs-secret", "")));

    Hook wecom = next(h -> h.path().equals("/wecom"));
    assertThat(wecom.query()).isEqualTo("key=k1");
    JsonNode w = TestServer.JSON.readTree(wecom.body());
    assertThat(w.get("msgtype").asText()).isEqualTo("text");
    assertThat(w.at("/text/content").asText())
        .startsWith("[Ferry] TEST: test of channel fmt-wecom");

    JsonNode slack = TestServer.JSON.readTree(next(h -> h.path().equals("/slack/T1/B1/x")).body());
    assertThat(slack.get("text").asText()).startsWith("[Ferry] TEST: test of channel fmt-slack");
  }

  @Test
  void anEmailArrivesAtTheSmtpServer() throws Exception {
    TestServer.Reply r =
        server.post(
            "/api/alert-channels",
            Map.of(
                "name",
                "ops-mail",
                "kind",
                "email",
                "config",
                Map.of("to", "ops@example.org, oncall@example.org")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(
            server
                .post(
                    "/api/alert-channels",
                    Map.of("name", "bad-mail", "kind", "email", "config", Map.of("to", "nobody")))
                .status())
        .isEqualTo(400);
    TestServer.Reply t =
        server.post("/api/alert-channels/" + r.json().get("id").asLong() + "/test", null);
    assertThat(t.status()).as(t.toString()).isEqualTo(204);
    SmtpListener.Mail mail = smtp.mails.poll(20, TimeUnit.SECONDS);
    assertThat(mail).as("an e-mail").isNotNull();
    assertThat(mail.from()).isEqualTo("ferry@example.org");
    assertThat(mail.to()).containsExactlyInAnyOrder("ops@example.org", "oncall@example.org");
    assertThat(mail.data())
        .contains("Subject: [Ferry] TEST: test of channel ops-mail (ops-mail)")
        .contains("a test message sent by admin");
  }

  @Test
  void aFailingTaskFiresOnceRepeatsNoMoreThanAskedAndRecovers() throws Exception {
    Path input = files.resolve("orders-" + UUID.randomUUID() + ".csv");
    String name = "orders-" + UUID.randomUUID().toString().substring(0, 8);
    TestServer.Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                name,
                "mode",
                "script",
                "script",
                "source: {connector: file, path: '"
                    + input
                    + "', format: csv}\nsink: {connector: blackhole}\n"));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    long taskId = task.json().get("id").asLong();
    TestServer.Reply channel =
        server.post(
            "/api/alert-channels",
            Map.of("name", "fail-hook", "kind", "webhook", "config", Map.of("url", hook("/fail"))));
    long hookId = channel.json().get("id").asLong();
    long inApp =
        server
            .post("/api/alert-channels", Map.of("name", "bell", "kind", "in-app"))
            .json()
            .get("id")
            .asLong();
    // Sent again every 6 s at most while the task keeps failing.
    TestServer.Reply rule =
        server.post(
            "/api/alert-rules",
            Map.of(
                "name",
                "orders failed",
                "kind",
                "run-failed",
                "taskId",
                taskId,
                "repeatMinutes",
                0.1,
                "channels",
                List.of(hookId, inApp)));
    assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
    long ruleId = rule.json().get("id").asLong();
    long unreadBefore = server.get("/api/notices/unread-count").json().get("unread").asLong();

    try (TestServer.Socket socket = server.socket("")) {
      received.clear();
      awaitRun(taskId, "FAILED");
      awaitRun(taskId, "FAILED"); // a second failure is the same incident
      Hook firing = next(h -> h.path().equals("/fail"));
      JsonNode f = TestServer.JSON.readTree(firing.body());
      assertThat(f.get("event").asText()).isEqualTo("firing");
      assertThat(f.at("/rule/id").asLong()).isEqualTo(ruleId);
      assertThat(f.get("taskId").asLong()).isEqualTo(taskId);
      assertThat(f.get("subject").asText()).isEqualTo(name);
      assertThat(f.get("detail").asText()).contains("failed");
      Hook repeat = next(h -> h.path().equals("/fail"));
      assertThat(TestServer.JSON.readTree(repeat.body()).get("event").asText()).isEqualTo("repeat");
      assertThat(Duration.between(firing.at(), repeat.at()))
          .as("no sooner than the rule's 6 s")
          .isGreaterThan(Duration.ofMillis(5_500));

      // The in-app notices: stored, counted unread, pushed over the WebSocket.
      JsonNode pushed = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pushed == null && System.nanoTime() < deadline) {
        JsonNode m = socket.messages.poll(1, TimeUnit.SECONDS);
        if (m != null && m.path("type").asText().equals("notice")) {
          pushed = m;
        }
      }
      assertThat(pushed).as("a notice over the WebSocket").isNotNull();
      assertThat(pushed.get("event").asText()).isEqualTo("firing");
      assertThat(pushed.get("title").asText())
          .isEqualTo("[Ferry] FIRING: orders failed (" + name + ")");

      // Mended: the next run succeeds and the incident recovers, once.
      Files.writeString(input, "id,name\n1,a\n2,b\n");
      awaitRun(taskId, "SUCCEEDED");
      Hook last = repeat;
      JsonNode m;
      do {
        Hook h = next(x -> x.path().equals("/fail"));
        m = TestServer.JSON.readTree(h.body());
        if (m.get("event").asText().equals("repeat")) {
          assertThat(Duration.between(last.at(), h.at())).isGreaterThan(Duration.ofMillis(5_500));
          last = h;
        }
      } while (!m.get("event").asText().equals("recovered"));
      assertThat(m.get("detail").asText()).contains("succeeded");
      Thread.sleep(1_500);
      assertThat(hooksAt("/fail")).as("nothing after the recovery").isEmpty();
    }
    JsonNode incidents =
        TestServer.JSON.valueToTree(
            server
                .bean(JdbcClient.class)
                .sql("SELECT sent, closed_at FROM ferry_alert_incident WHERE rule_id = ?")
                .param(ruleId)
                .query(
                    (rs, i) -> Map.of("sent", rs.getInt(1), "closed", rs.getTimestamp(2) != null))
                .list());
    assertThat(incidents).hasSize(1);
    assertThat(incidents.get(0).get("closed").asBoolean()).isTrue();

    // Notices: firing, repeat, recovered; the viewer's are unread until marked.
    JsonNode mine = server.get("/api/notices?size=100").json();
    List<String> events = new ArrayList<>();
    for (JsonNode n : mine.get("items")) {
      if (n.get("ruleId").asLong() == ruleId) {
        events.add(n.get("event").asText());
      }
    }
    assertThat(events.get(0)).isEqualTo("recovered");
    assertThat(events.get(events.size() - 1)).isEqualTo("firing");
    assertThat(events.subList(1, events.size() - 1)).isNotEmpty().containsOnly("repeat");
    assertThat(server.get("/api/notices/unread-count").json().get("unread").asLong())
        .isEqualTo(unreadBefore + events.size());
    long viewerUnread =
        as("viewer", "GET", "/api/notices/unread-count", null).json().get("unread").asLong();
    long first = mine.get("items").get(0).get("id").asLong();
    assertThat(as("viewer", "POST", "/api/notices/" + first + "/read", null).status())
        .isEqualTo(204);
    assertThat(as("viewer", "GET", "/api/notices/unread-count", null).json().get("unread").asLong())
        .isEqualTo(viewerUnread - 1);
    assertThat(server.get("/api/notices/unread-count").json().get("unread").asLong())
        .as("each user's own marks")
        .isEqualTo(unreadBefore + events.size());
    assertThat(as("viewer", "POST", "/api/notices/read-all", null).status()).isEqualTo(204);
    assertThat(as("viewer", "GET", "/api/notices/unread-count", null).json().get("unread").asLong())
        .isZero();
    assertThat(as("viewer", "GET", "/api/notices?unread=true", null).json().get("total").asLong())
        .isZero();
  }

  @Test
  void aSlowRunAndADeadNodeFireAndRecover() throws Exception {
    String slowName = "slow-" + UUID.randomUUID().toString().substring(0, 8);
    TestServer.Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                slowName,
                "mode",
                "script",
                "script",
                "source: {connector: datagen, rows: 400, seed: 1, batchSize: 10}\n"
                    + "sink: {connector: blackhole}\n"
                    + "settings: {channels: 1, recordsPerSecond: 50}\n"));
    long taskId = task.json().get("id").asLong();
    long hookId =
        server
            .post(
                "/api/alert-channels",
                Map.of(
                    "name", "slow-hook", "kind", "slack", "config", Map.of("url", hook("/slow"))))
            .json()
            .get("id")
            .asLong();
    assertThat(
            server
                .post(
                    "/api/alert-rules",
                    Map.of(
                        "name",
                        "slow orders",
                        "kind",
                        "throughput-below",
                        "taskId",
                        taskId,
                        "threshold",
                        1000,
                        "forMinutes",
                        0.05,
                        "repeatMinutes",
                        0,
                        "channels",
                        List.of(hookId)))
                .status())
        .isEqualTo(201);
    assertThat(
            server
                .post(
                    "/api/alert-rules",
                    Map.of("name", "bad", "kind", "throughput-below", "taskId", taskId))
                .body())
        .contains("threshold");
    received.clear();
    TestServer.Reply started = server.post("/api/tasks/" + taskId + "/runs", null);
    assertThat(started.status()).isEqualTo(202);
    Hook slow = next(h -> h.path().equals("/slow"));
    assertThat(TestServer.JSON.readTree(slow.body()).get("text").asText())
        .startsWith("[Ferry] FIRING: slow orders")
        .contains("below 1000");
    awaitState(started.json().get("id").asLong(), "SUCCEEDED");
    // The task's own series, under its name: its 400 rows, once.
    String written = "ferry_rows_written_total{task=\"" + slowName + "\"} ";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String metrics = server.get("/actuator/prometheus").body();
    while (!metrics.contains(written + "400.0") && System.nanoTime() < deadline) {
      Thread.sleep(200);
      metrics = server.get("/actuator/prometheus").body();
    }
    assertThat(metrics)
        .contains(written + "400.0")
        .contains("ferry_rows_read_total{task=\"" + slowName + "\"} 400.0")
        .contains("ferry_runs_ended_total{state=\"SUCCEEDED\",task=\"" + slowName + "\"} 1.0")
        .contains("ferry_task_records_per_second{task=\"" + slowName + "\"}");
    Hook over = next(h -> h.path().equals("/slow"));
    assertThat(TestServer.JSON.readTree(over.body()).get("text").asText())
        .startsWith("[Ferry] RECOVERED: slow orders");

    // A node that wrote samples and has no heartbeat is down; its heartbeat back, it recovered.
    long nodeHook =
        server
            .post(
                "/api/alert-channels",
                Map.of(
                    "name", "node-hook", "kind", "webhook", "config", Map.of("url", hook("/node"))))
            .json()
            .get("id")
            .asLong();
    server.post(
        "/api/alert-rules",
        Map.of(
            "name",
            "node down",
            "kind",
            "node-down",
            "repeatMinutes",
            0,
            "channels",
            List.of(nodeHook)));
    JdbcClient db = server.bean(JdbcClient.class);
    Timestamp now = Timestamp.from(Instant.now());
    db.sql(
            "INSERT INTO ferry_node_sample (node, sampled_at, heap_used, heap_max, rss, threads,"
                + " runs_executing, runs_queued) VALUES ('node-gone', ?, 1, 1, 1, 1, 0, 0)")
        .param(now)
        .update();
    JsonNode down = TestServer.JSON.readTree(next(h -> h.path().equals("/node")).body());
    assertThat(down.get("event").asText()).isEqualTo("firing");
    assertThat(down.get("subject").asText()).isEqualTo("node-gone");
    db.sql("INSERT INTO ferry_node (node, started_at, heartbeat_at) VALUES ('node-gone', ?, ?)")
        .params(now, Timestamp.from(Instant.now().plusSeconds(30)))
        .update();
    JsonNode back = TestServer.JSON.readTree(next(h -> h.path().equals("/node")).body());
    assertThat(back.get("event").asText()).isEqualTo("recovered");
    assertThat(back.get("detail").asText()).isEqualTo("node node-gone is alive");
  }

  @Test
  void theOtherKindsFireAndRecoverFromWhatTheStoreHolds() throws Exception {
    String name = "store-" + UUID.randomUUID().toString().substring(0, 8);
    long taskId =
        server
            .post(
                "/api/tasks",
                Map.of(
                    "name",
                    name,
                    "mode",
                    "script",
                    "script",
                    "source: {connector: datagen, rows: 10}\nsink: {connector: blackhole}\n"))
            .json()
            .get("id")
            .asLong();
    long hookId =
        server
            .post(
                "/api/alert-channels",
                Map.of(
                    "name",
                    "kinds-hook",
                    "kind",
                    "webhook",
                    "config",
                    Map.of("url", hook("/kinds"))))
            .json()
            .get("id")
            .asLong();
    Map<String, Map<String, Object>> rules =
        Map.of(
            "dirty", Map.of("kind", "dirty-rows-above", "threshold", 5),
            "lag", Map.of("kind", "cdc-lag-above", "threshold", 30),
            "fault", Map.of("kind", "run-paused-by-fault"),
            "timeout", Map.of("kind", "run-timed-out"),
            "missed", Map.of("kind", "schedule-missed", "forMinutes", 1));
    for (var r : rules.entrySet()) {
      Map<String, Object> body = new java.util.HashMap<>(r.getValue());
      body.putAll(
          Map.of(
              "name",
              name + "-" + r.getKey(),
              "taskId",
              taskId,
              "repeatMinutes",
              0,
              "channels",
              List.of(hookId)));
      TestServer.Reply created = server.post("/api/alert-rules", body);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
    // What runs, instances and schedules would have written: a run paused by a fault, a cdc run
    // lagging 90 s with 10 dirty rows, an instance that timed out, a schedule online for ten
    // minutes, firing every minute, that made no instance.
    JdbcClient db = server.bean(JdbcClient.class);
    String node = server.bean(io.ferry.server.shared.FerryProperties.class).nodeId();
    Timestamp now = Timestamp.from(Instant.now());
    String insertRun =
        "INSERT INTO ferry_task_run (task_id, task_name, state, script, started_by, created_at,"
            + " started_at, records_read, records_written, bytes_written, dirty_records, message,"
            + " progress, node) VALUES (?, ?, ?, 'x', 'test', ?, ?, 0, 0, 0, ?, ?, ?, ?)";
    db.sql(insertRun)
        .params(taskId, name, "PAUSED", now, now, 0, "connection reset by peer", null, node)
        .update();
    db.sql(insertRun)
        .params(
            taskId,
            name,
            "RUNNING",
            now,
            now,
            10,
            null,
            "{\"changes\": {\"lagMillis\": 90000}}",
            node)
        .update();
    String insertInstance =
        "INSERT INTO ferry_instance (task_id, task_name, planned_time, trigger_kind, state, attempt,"
            + " cpu_cores, memory_mb, created_at, not_before, ended_at, message) VALUES (?, ?, ?,"
            + " 'manual', ?, 1, 1, 64, ?, ?, ?, ?)";
    db.sql(insertInstance)
        .params(taskId, name, now, "TIMED_OUT", now, now, now, "timed out: still running")
        .update();
    assertThat(
            server
                .put(
                    "/api/tasks/" + taskId + "/schedule",
                    Map.of("type", "periodic", "cycle", "minute", "interval", 1))
                .status())
        .isEqualTo(200);
    db.sql("UPDATE ferry_schedule SET online = ?, onlined_at = ? WHERE task_id = ?")
        .params(true, Timestamp.from(Instant.now().minusSeconds(600)), taskId)
        .update();

    Map<String, JsonNode> fired = new java.util.HashMap<>();
    while (fired.size() < rules.size()) {
      JsonNode m = TestServer.JSON.readTree(next(h -> h.path().equals("/kinds")).body());
      assertThat(m.get("event").asText()).as(m.toString()).isEqualTo("firing");
      assertThat(fired.put(m.at("/rule/name").asText(), m)).as("once: " + m).isNull();
    }
    assertThat(fired.get(name + "-dirty").get("detail").asText())
        .contains("has 10 dirty rows (above 5)");
    assertThat(fired.get(name + "-lag").get("detail").asText()).contains("lags 90 s (above 30 s)");
    assertThat(fired.get(name + "-fault").get("detail").asText())
        .contains("connection reset by peer");
    assertThat(fired.get(name + "-timeout").get("detail").asText())
        .contains("timed out: still running");
    assertThat(fired.get(name + "-missed").get("detail").asText())
        .contains("the schedule did not fire at");

    // Mended: the paused run stopped, the lag and dirty rows down, an instance succeeded, the task
    // offline.
    db.sql("UPDATE ferry_task_run SET state = 'STOPPED' WHERE task_id = ? AND state = 'PAUSED'")
        .param(taskId)
        .update();
    db.sql(
            "UPDATE ferry_task_run SET dirty_records = 0, progress = '{\"changes\": {\"lagMillis\": 1000}}'"
                + " WHERE task_id = ? AND state = 'RUNNING'")
        .param(taskId)
        .update();
    Timestamp later = Timestamp.from(Instant.now().plusSeconds(1));
    db.sql(insertInstance)
        .params(taskId, name, later, "SUCCEEDED", later, later, later, null)
        .update();
    db.sql("UPDATE ferry_schedule SET online = ? WHERE task_id = ?").params(false, taskId).update();
    java.util.Set<String> recovered = new java.util.HashSet<>();
    while (recovered.size() < rules.size()) {
      JsonNode m = TestServer.JSON.readTree(next(h -> h.path().equals("/kinds")).body());
      assertThat(m.get("event").asText()).as(m.toString()).isEqualTo("recovered");
      assertThat(recovered.add(m.at("/rule/name").asText())).as("once: " + m).isTrue();
    }
    db.sql("UPDATE ferry_task_run SET state = 'STOPPED' WHERE task_id = ?").param(taskId).update();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static Hook next(Predicate<Hook> which) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Hook h = received.poll(500, TimeUnit.MILLISECONDS);
      if (h != null && which.test(h)) {
        return h;
      }
      if (h != null) {
        received.add(h); // another test's: keep it... at the back
        Thread.sleep(10);
      }
    }
    throw new AssertionError("no such webhook call; received " + received);
  }

  private static List<Hook> hooksAt(String path) {
    return received.stream().filter(h -> h.path().equals(path)).toList();
  }

  private static void awaitState(long run, String state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String s = server.get("/api/runs/" + run).json().get("state").asText();
      if (s.equals(state)) {
        return;
      }
      assertThat(s).as("run " + run).isIn("QUEUED", "RUNNING", state);
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never " + state);
  }

  /** Starts a run of the task and waits for it to reach {@code state}. */
  private static void awaitRun(long task, String state) throws InterruptedException {
    TestServer.Reply started = server.post("/api/tasks/" + task + "/runs", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long run = started.json().get("id").asLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String s = server.get("/api/runs/" + run).json().get("state").asText();
      if (s.equals(state)) {
        return;
      }
      assertThat(s).as("run " + run).isIn("QUEUED", "RUNNING", state);
      Thread.sleep(100);
    }
    throw new AssertionError("run " + run + " never " + state);
  }

  private static void checkDingTalkSignature(Hook h, String secret) {
    Map<String, String> q = new java.util.HashMap<>();
    for (String kv : h.query().split("&")) {
      int eq = kv.indexOf('=');
      q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    long ts = Long.parseLong(q.get("timestamp"));
    assertThat(Math.abs(ts - System.currentTimeMillis())).isLessThan(60_000);
    assertThat(q.get("sign"))
        .isEqualTo(Base64.getEncoder().encodeToString(hmac(secret, ts + "\n" + secret)));
  }

  static byte[] hmac(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The smallest SMTP server that takes mail (RFC 5321: greeting, EHLO/HELO, MAIL, RCPT, DATA,
   * QUIT), on 127.0.0.1, one connection at a time; what it takes is in {@link #mails}.
   */
  static final class SmtpListener implements AutoCloseable {
    record Mail(String from, List<String> to, String data) {}

    final LinkedBlockingQueue<Mail> mails = new LinkedBlockingQueue<>();
    private final ServerSocket socket;
    private final Thread thread;

    SmtpListener() throws Exception {
      socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
      thread = new Thread(this::serve, "test-smtp");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          BufferedReader in =
              new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          OutputStream out = s.getOutputStream();
          reply(out, "220 test-smtp ready");
          String from = null;
          List<String> to = new ArrayList<>();
          String line;
          while ((line = in.readLine()) != null) {
            String cmd = line.toUpperCase(java.util.Locale.ROOT);
            if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
              reply(out, "250 test-smtp");
            } else if (cmd.startsWith("MAIL FROM:")) {
              from = line.substring(10).replaceAll("[<>\\s]", "").replaceAll("(?i)SIZE=.*", "");
              reply(out, "250 OK");
            } else if (cmd.startsWith("RCPT TO:")) {
              to.add(line.substring(8).replaceAll("[<>\\s]", ""));
              reply(out, "250 OK");
            } else if (cmd.equals("DATA")) {
              reply(out, "354 end with .");
              StringBuilder data = new StringBuilder();
              while ((line = in.readLine()) != null && !line.equals(".")) {
                data.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
              }
              mails.add(new Mail(from, List.copyOf(to), data.toString()));
              to.clear();
              reply(out, "250 OK queued");
            } else if (cmd.equals("QUIT")) {
              reply(out, "221 bye");
              break;
            } else if (cmd.equals("RSET") || cmd.equals("NOOP")) {
              reply(out, "250 OK");
            } else {
              reply(out, "502 not implemented");
            }
          }
        } catch (Exception e) {
          if (socket.isClosed()) {
            return;
          }
        }
      }
    }

    private static void reply(OutputStream out, String line) throws java.io.IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }
}
