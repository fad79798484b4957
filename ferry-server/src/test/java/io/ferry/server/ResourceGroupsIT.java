package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.ClusteredSchedulerIT.ChildNode;
import io.ferry.server.TestServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource groups on one PostgreSQL metadata store: a server (the default group), a worker of the
 * group {@code far} in this JVM, and, for the failure test, two worker processes of the group
 * {@code etl} killed (SIGKILL) one after the other mid-run. Runs go only to the nodes of their
 * group, a worker serves no API, "test connectivity" is answered by a node of the group.
 */
class ResourceGroupsIT {
  static String meta;
  static TestServer server;
  static TestServer far;

  @BeforeAll
  static void start() throws Exception {
    meta = TestDatabases.newName("ferry_groups");
    TestDatabases.createPostgres(meta);
    server = node("server", "--ferry.connectivity-timeout=PT4S");
    assertThat(server.post("/api/resource-groups", group("far", "nodes", null)).status())
        .isEqualTo(201);
    // Quartz keeps its data sources in one JVM-wide registry by scheduler name: a node in this JVM
    // that stops (or fails to start) before the server would take the server's with it.
    far = node("far-1", "--worker", "--group", "far", "--spring.quartz.scheduler-name=ferry-far");
    for (String[] user :
        List.of(new String[] {"olga", "operator"}, new String[] {"vera", "viewer"})) {
      Reply r =
          server.post(
              "/api/users",
              Map.of("username", user[0], "password", user[0] + "-pass-1", "role", user[1]));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (TestServer s : new TestServer[] {far, server}) {
      if (s != null) {
        s.close();
      }
    }
    TestDatabases.dropPostgres(meta);
  }

  private static TestServer node(String name, String... extra) {
    List<String> args = new ArrayList<>(ClusteredSchedulerIT.args(meta, name));
    args.addAll(List.of(extra));
    return new TestServer(args.toArray(String[]::new));
  }

  private static Map<String, Object> group(String name, String kind, String address) {
    Map<String, Object> g = new java.util.HashMap<>(Map.of("name", name, "kind", kind));
    if (address != null) {
      g.put("flinkAddress", address);
    }
    return g;
  }

  private static final String SLOW =
      "source: {connector: datagen, rows: 200, rowsPerSecond: 100, batchSize: 20}\n"
          + "sink: {connector: blackhole}\n";

  private static long task(TestServer on, String name, String group) {
    Map<String, Object> t =
        new java.util.HashMap<>(Map.of("name", name, "mode", "script", "script", SLOW));
    if (group != null) {
      t.put("resourceGroup", group);
    }
    Reply r = on.post("/api/tasks", t);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  // ---- the API ---------------------------------------------------------------------------

  @Test
  void adminsShapeGroupsOthersReadThemAndBadInputNamesTheField() {
    Reply flink = server.post("/api/resource-groups", group("big", "flink", "127.0.0.1:8081"));
    assertThat(flink.status()).as(flink.toString()).isEqualTo(201);
    long id = flink.json().get("id").asLong();
    try {
      assertThat(server.post("/api/resource-groups", group("big", "nodes", null)).status())
          .isEqualTo(409);
      Reply bad = server.post("/api/resource-groups", group("no space", "cloud", null));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("name").contains("kind");
      Reply noAddress = server.post("/api/resource-groups", group("f2", "flink", null));
      assertThat(noAddress.status()).isEqualTo(400);
      assertThat(noAddress.body()).contains("flinkAddress");
      Reply renamed =
          server.put("/api/resource-groups/" + id, group("other", "flink", "127.0.0.1:8082"));
      assertThat(renamed.status()).isEqualTo(400);
      assertThat(renamed.body()).contains("keeps its name");
      Reply moved =
          server.put(
              "/api/resource-groups/" + id,
              Map.of("flinkAddress", "127.0.0.1:8082", "description", "the big one"));
      assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
      assertThat(moved.json().get("flinkAddress").asText()).isEqualTo("127.0.0.1:8082");

      // Read by everyone signed in; changed by admins only; nothing without a login.
      for (String user : List.of("olga", "vera")) {
        String pw = user + "-pass-1";
        assertThat(server.call("GET", "/api/resource-groups", null, user, pw).status())
            .isEqualTo(200);
        assertThat(
                server
                    .call("GET", "/api/resource-groups/" + id + "/nodes", null, user, pw)
                    .status())
            .isEqualTo(200);
        assertThat(
                server
                    .call(
                        "POST", "/api/resource-groups", group("x" + user, "nodes", null), user, pw)
                    .status())
            .isEqualTo(403);
        assertThat(
                server
                    .call("PUT", "/api/resource-groups/" + id, Map.of("description", "x"), user, pw)
                    .status())
            .isEqualTo(403);
        assertThat(server.call("DELETE", "/api/resource-groups/" + id, null, user, pw).status())
            .isEqualTo(403);
      }
      assertThat(
              server
                  .call(
                      "POST",
                      "/api/resource-groups/" + id + "/connectivity",
                      Map.of("dataSourceId", 1),
                      "vera",
                      "vera-pass-1")
                  .status())
          .isEqualTo(403);
      for (String[] route :
          List.of(
              new String[] {"GET", "/api/resource-groups"},
              new String[] {"GET", "/api/resource-groups/" + id + "/nodes"},
              new String[] {"POST", "/api/resource-groups"},
              new String[] {"POST", "/api/resource-groups/" + id + "/connectivity"},
              new String[] {"DELETE", "/api/resource-groups/" + id})) {
        assertThat(server.call(route[0], route[1], null, null, null).status())
            .as(route[0] + " " + route[1])
            .isEqualTo(401);
      }

      // The default group stays; a group that tasks use too; a task names only a known group.
      assertThat(server.delete("/api/resource-groups/" + groupId("default")).status())
          .isEqualTo(409);
      Reply unknown =
          server.post(
              "/api/tasks",
              Map.of("name", "nowhere", "mode", "script", "script", SLOW, "resourceGroup", "nope"));
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.body()).contains("resourceGroup").contains("nope");
      // A task may run in a Flink group (FlinkGroupIT runs one there); the group is then in use.
      Reply onFlink =
          server.post(
              "/api/tasks",
              Map.of("name", "on-big", "mode", "script", "script", SLOW, "resourceGroup", "big"));
      assertThat(onFlink.status()).as(onFlink.toString()).isEqualTo(201);
      assertThat(onFlink.json().get("resourceGroup").asText()).isEqualTo("big");
      assertThat(server.delete("/api/resource-groups/" + id).body()).contains("on-big");
      long onBig = onFlink.json().get("id").asLong();
      assertThat(server.delete("/api/tasks/" + onBig).status()).isEqualTo(204);
      Reply kept = server.post("/api/resource-groups", group("kept", "nodes", null));
      assertThat(kept.status()).isEqualTo(201);
      long t = task(server, "on-kept", "kept");
      Reply used = server.delete("/api/resource-groups/" + kept.json().get("id").asLong());
      assertThat(used.status()).isEqualTo(409);
      assertThat(used.body()).contains("on-kept");
      Reply deleted = server.delete("/api/tasks/" + t);
      assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    } finally {
      assertThat(server.delete("/api/resource-groups/" + id).status()).isEqualTo(204);
    }
  }

  @Test
  void aWorkerServesNoApiAndAWorkerOfNoGroupDoesNotStart() {
    assertThat(far.admin("GET", "/actuator/health", null).status()).isEqualTo(200);
    for (String path : List.of("/api/tasks", "/api/resource-groups", "/", "/index.html")) {
      Reply r = far.admin("GET", path, null);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.body()).contains("a worker node serves no API");
    }
    assertThat(far.admin("POST", "/api/auth/login", Map.of("username", "admin")).status())
        .isEqualTo(404);
    assertThatThrownBy(
            () ->
                node(
                    "lost-1",
                    "--worker",
                    "--group",
                    "nowhere",
                    "--spring.quartz.scheduler-name=ferry-lost"))
        .hasStackTraceContaining("there is no resource group 'nowhere'");
  }

  @Test
  void runsExecuteOnlyOnTheNodesOfTheirGroup() throws Exception {
    long onFar = task(server, "to-far", "far");
    long here = task(server, "to-default", null);
    assertThat(server.get("/api/tasks/" + onFar).json().get("resourceGroup").asText())
        .isEqualTo("far");
    assertThat(server.get("/api/tasks/" + here).json().get("resourceGroup").asText())
        .isEqualTo("default");
    List<long[]> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(new long[] {onFar, start(onFar)});
      runs.add(new long[] {here, start(here)});
    }
    for (long[] r : runs) {
      JsonNode done = ClusteredSchedulerIT.await(server, r[1], "SUCCEEDED", Duration.ofSeconds(60));
      assertThat(done.get("recordsWritten").asLong()).isEqualTo(200);
      if (r[0] == onFar) {
        assertThat(done.get("node").asText()).isEqualTo("far-1");
        assertThat(done.get("resourceGroup").asText()).isEqualTo("far");
      } else {
        assertThat(done.get("node").asText()).isEqualTo("server");
      }
    }
    // The group's page: its node with heartbeat and figures.
    long farId = groupId("far");
    JsonNode nodes = server.get("/api/resource-groups/" + farId + "/nodes").json();
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).get("node").get("node").asText()).isEqualTo("far-1");
    assertThat(nodes.get(0).get("node").get("alive").asBoolean()).isTrue();
    assertThat(nodes.get(0).has("runsRunning")).isTrue();
  }

  @Test
  void aRunOfAGroupWithoutNodesWaitsSayingSo() throws Exception {
    assertThat(server.post("/api/resource-groups", group("empty", "nodes", null)).status())
        .isEqualTo(201);
    long t = task(server, "to-empty", "empty");
    long run = start(t);
    Thread.sleep(3000);
    JsonNode r = server.get("/api/runs/" + run).json();
    assertThat(r.get("state").asText()).isEqualTo("QUEUED");
    assertThat(r.get("node").isNull()).isTrue();
    assertThat(r.get("message").asText()).isEqualTo("waits for a node of resource group empty");
    assertThat(server.post("/api/runs/" + run + "/stop", null).status()).isEqualTo(202);
  }

  @Test
  void connectivityIsTestedByANodeOfTheGroupAndNeverShowsTheSecret() throws Exception {
    String db = TestDatabases.newName("ferry_reach");
    TestDatabases.createMariadb(db);
    try {
      long good = dataSource("reach_ok", TestDatabases.MARIADB + db, "");
      long bad = dataSource("reach_bad", TestDatabases.MARIADB + db, "s3cret-Pa55word");
      long farId = groupId("far");
      JsonNode ok = connectivity(farId, good, "olga");
      assertThat(ok.get("ok").asBoolean()).as(ok.toString()).isTrue();
      assertThat(ok.get("node").asText()).isEqualTo("far-1");
      JsonNode refused = connectivity(farId, bad, "admin");
      assertThat(refused.get("ok").asBoolean()).isFalse();
      assertThat(refused.get("node").asText()).isEqualTo("far-1");
      assertThat(refused.get("message").asText()).isNotBlank();
      assertThat(refused.toString()).doesNotContain("s3cret-Pa55word");
      // A group whose nodes are gone: nobody answers, and the caller hears it in time.
      assertThat(server.post("/api/resource-groups", group("silent", "nodes", null)).status())
          .isEqualTo(201);
      JsonNode silent = connectivity(groupId("silent"), good, "admin");
      assertThat(silent.get("ok").asBoolean()).isFalse();
      assertThat(silent.get("node").isNull()).isTrue();
      assertThat(silent.get("message").asText())
          .startsWith("no node of resource group 'silent' answered within 4 s");
    } finally {
      TestDatabases.dropMariadb(db);
    }
  }

  // ---- a worker killed mid-run -------------------------------------------------------------

  /**
   * A copy in the group {@code etl} of two worker processes: its worker is killed, the other
   * continues from the checkpoint; that one is killed too, and the run waits (never taken by the
   * server or by {@code far}) until a new worker of the group joins and ends it. The target holds
   * every row once.
   */
  @Test
  void aKilledWorkersRunIsTakenOverInItsGroupOnlyAndEndsExact() throws Exception {
    String source = TestDatabases.newName("ferry_src");
    String target = TestDatabases.newName("ferry_dst");
    TestDatabases.createPostgres(target);
    ClusteredSchedulerIT.orders(source);
    assertThat(server.post("/api/resource-groups", group("etl", "nodes", null)).status())
        .isEqualTo(201);
    List<ChildNode> workers = new ArrayList<>();
    try {
      for (String name : List.of("etl-1", "etl-2")) {
        workers.add(ChildNode.start(meta, name, "--worker", "--group", "etl"));
      }
      dataSource("maria", TestDatabases.MARIADB + source, "");
      Reply pg =
          server.post(
              "/api/datasources",
              Map.of(
                  "alias", "pg",
                  "connector", "postgresql",
                  "options", Map.of("url", TestDatabases.POSTGRES + target, "user", "postgres")));
      assertThat(pg.status()).as(pg.toString()).isEqualTo(201);
      // 100 rows/s (15 s for all): each kill comes 80 rows after the run got going on a
      // worker, well before its end; the rest is written on etl-3.
      long task =
          server
              .post(
                  "/api/tasks",
                  Map.of(
                      "name", "etl-copy",
                      "mode", "script",
                      "script", ClusteredSchedulerIT.copy("orders_copy", 100),
                      "resourceGroup", "etl"))
              .json()
              .get("id")
              .asLong();
      long run = start(task); // queued before any etl worker is up: it waits for one
      for (ChildNode w : workers) {
        w.awaitHealthy();
      }
      JsonNode first =
          ClusteredSchedulerIT.awaitRun(
              server,
              run,
              r ->
                  r.get("state").asText().equals("RUNNING")
                      && r.get("recordsWritten").asLong() > 80,
              Duration.ofSeconds(90));
      String holder = first.get("node").asText();
      assertThat(holder).isIn("etl-1", "etl-2");
      ChildNode killed = workers.get(holder.equals("etl-1") ? 0 : 1);
      ChildNode other = workers.get(holder.equals("etl-1") ? 1 : 0);
      killed.kill();
      String survivor = holder.equals("etl-1") ? "etl-2" : "etl-1";
      JsonNode second =
          ClusteredSchedulerIT.awaitRun(
              server,
              run,
              r ->
                  r.get("node").asText().equals(survivor)
                      && r.get("state").asText().equals("RUNNING")
                      && r.get("recordsWritten").asLong()
                          > first.get("recordsWritten").asLong() + 80,
              Duration.ofSeconds(90));
      assertThat(second.get("resourceGroup").asText()).isEqualTo("etl");
      other.kill();
      // No node of etl is alive: the run waits, and says so; the server and far do not take it.
      JsonNode waiting =
          ClusteredSchedulerIT.awaitRun(
              server,
              run,
              r -> r.get("message").asText("").contains("waits for a node of resource group etl"),
              Duration.ofSeconds(60));
      assertThat(waiting.get("node").asText()).isEqualTo(survivor);
      Thread.sleep(3000);
      assertThat(server.get("/api/runs/" + run).json().get("node").asText()).isEqualTo(survivor);

      workers.add(ChildNode.start(meta, "etl-3", "--worker", "--group", "etl"));
      workers.get(2).awaitHealthy();
      JsonNode done = ClusteredSchedulerIT.await(server, run, "SUCCEEDED", Duration.ofSeconds(180));
      assertThat(done.get("node").asText()).isEqualTo("etl-3");
      try (var s = TestDatabases.mariadb(source);
          var t = TestDatabases.postgres(target)) {
        assertThat(ClusteredSchedulerIT.rows(t, "orders_copy"))
            .hasSize(ClusteredSchedulerIT.ROWS)
            .isEqualTo(ClusteredSchedulerIT.rows(s, "orders"));
      }
    } finally {
      for (ChildNode w : workers) {
        w.close();
      }
      TestDatabases.dropMariadb(source);
      TestDatabases.dropPostgres(target);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static long start(long task) {
    Reply r = server.post("/api/tasks/" + task + "/runs", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asLong();
  }

  private static long groupId(String name) {
    for (JsonNode g : server.get("/api/resource-groups").json()) {
      if (g.get("name").asText().equals(name)) {
        return g.get("id").asLong();
      }
    }
    throw new AssertionError("no group " + name);
  }

  private static long dataSource(String alias, String url, String password) {
    Reply r =
        server.post(
            "/api/datasources",
            Map.of(
                "alias",
                alias,
                "connector",
                "mysql",
                "options",
                Map.of("url", url, "user", "root", "password", password)));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private static JsonNode connectivity(long group, long dataSource, String user) {
    String pw = user.equals("admin") ? TestServer.ADMIN_PASSWORD : user + "-pass-1";
    Reply r =
        server.call(
            "POST",
            "/api/resource-groups/" + group + "/connectivity",
            Map.of("dataSourceId", dataSource),
            user,
            pw);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }
}
