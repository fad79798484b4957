package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * "Sync now" on two nodes of one PostgreSQL metadata store never runs a collection twice at once:
 * the claim is taken in the database (docs/catalog.md). While another node holds the task's claim
 * (its row locked, its RUNNING instance not yet committed), a node's "sync now" waits, then is
 * refused; and syncs asked of both nodes at the same moment start one collection at most.
 */
class CatalogClusterIT {
  private static final String SECRET_KEY = "ZmVycnktY2x1c3Rlci10ZXN0LWtleS0zMi1ieXRlcyE=";

  private static String[] args(String db, String node) {
    return new String[] {
      "--spring.datasource.url=" + TestDatabases.POSTGRES + db,
      "--spring.datasource.username=postgres",
      "--ferry.secret.key=" + SECRET_KEY,
      "--ferry.node-id=" + node
    };
  }

  @Test
  void syncNowOnTwoNodesRunsOneCollectionAtATime() throws Exception {
    String meta = TestDatabases.newName("ferry_catcl");
    String source = TestDatabases.newName("ferry_catcl_src");
    TestDatabases.createPostgres(meta);
    TestDatabases.createMariadb(source);
    try (Connection c = TestDatabases.mariadb(source);
        Statement s = c.createStatement()) {
      for (int i = 0; i < 20; i++) {
        s.execute("CREATE TABLE t" + i + " (id INT PRIMARY KEY, name VARCHAR(20))");
      }
    }
    try (TestServer a = new TestServer(args(meta, "node-a"));
        TestServer b = new TestServer(args(meta, "node-b"))) {
      Reply ds =
          a.post(
              "/api/datasources",
              Map.of(
                  "alias",
                  "cluster-src",
                  "connector",
                  "mysql",
                  "options",
                  Map.of("url", TestDatabases.MARIADB + source, "user", "root", "password", "")));
      assertThat(ds.status()).as(ds.toString()).isEqualTo(201);
      Reply created =
          a.post(
              "/api/catalog/tasks",
              Map.of(
                  "name",
                  "cluster catalog",
                  "dataSourceId",
                  ds.json().get("id").asLong(),
                  "cycle",
                  "day",
                  "time",
                  "03:00",
                  "includes",
                  source));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      long task = created.json().get("task").get("id").asLong();
      settle(a, task);

      // Node a's claim in the middle: the task's row locked and its RUNNING instance inserted,
      // not committed yet. Node b's "sync now" waits for it, then sees that instance: refused.
      try (Connection m = TestDatabases.postgres(meta)) {
        m.setAutoCommit(false);
        try (Statement s = m.createStatement()) {
          s.execute("SELECT id FROM ferry_catalog_task WHERE id = " + task + " FOR UPDATE");
        }
        CompletableFuture<Reply> sync =
            CompletableFuture.supplyAsync(
                () -> b.post("/api/catalog/tasks/" + task + "/sync", null));
        try {
          sync.get(2, TimeUnit.SECONDS);
          throw new AssertionError("node b's sync did not wait for node a's claim: " + sync.get());
        } catch (TimeoutException waiting) {
          // waits, as it must
        }
        long claimed;
        try (PreparedStatement p =
            m.prepareStatement(
                "INSERT INTO ferry_catalog_instance (task_id, trigger_kind, state, node,"
                    + " started_at) VALUES (?, 'MANUAL', 'RUNNING', 'node-a', ?)",
                Statement.RETURN_GENERATED_KEYS)) {
          p.setLong(1, task);
          p.setTimestamp(2, Timestamp.from(Instant.now()));
          p.executeUpdate();
          try (ResultSet keys = p.getGeneratedKeys()) {
            keys.next();
            claimed = keys.getLong("id");
          }
        }
        m.commit();
        Reply refused = sync.get(30, TimeUnit.SECONDS);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        try (Statement s = m.createStatement()) {
          s.execute(
              "UPDATE ferry_catalog_instance SET state = 'FAILED', ended_at = now() WHERE id = "
                  + claimed);
        }
        m.commit();
      }

      // Both nodes asked at the same moment, again and again: each time one starts a collection,
      // and the other is refused while it runs (or starts the next once it ended).
      int started = 0;
      for (int round = 0; round < 5; round++) {
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Reply>> asks = new ArrayList<>();
        for (TestServer node : List.of(a, b)) {
          asks.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      together.await();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    return node.post("/api/catalog/tasks/" + task + "/sync", null);
                  }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Reply> ask : asks) {
          statuses.add(ask.get(60, TimeUnit.SECONDS).status());
        }
        assertThat(statuses).as("round %d", round).isSubsetOf(202, 409).contains(202);
        started += (int) statuses.stream().filter(s -> s == 202).count();
        settle(a, task);
      }

      // No two instances of the task ever overlapped.
      List<JsonNode> instances = new ArrayList<>();
      a.get("/api/catalog/tasks/" + task + "/instances?size=100")
          .json()
          .get("items")
          .forEach(instances::add);
      assertThat(instances).hasSize(2 + started); // creation, the claim made above, the rounds'
      List<Instant[]> spans = new ArrayList<>();
      for (JsonNode i : instances) {
        spans.add(
            new Instant[] {
              Instant.parse(i.get("startedAt").asText()), Instant.parse(i.get("endedAt").asText())
            });
      }
      for (int x = 0; x < spans.size(); x++) {
        for (int y = x + 1; y < spans.size(); y++) {
          Instant[] p = spans.get(x);
          Instant[] q = spans.get(y);
          assertThat(
                  p[1].isBefore(q[0])
                      || q[1].isBefore(p[0])
                      || p[1].equals(q[0])
                      || q[1].equals(p[0]))
              .as("instances %s and %s overlap", instances.get(x), instances.get(y))
              .isTrue();
        }
      }
    } finally {
      TestDatabases.dropPostgres(meta);
      TestDatabases.dropMariadb(source);
    }
  }

  /** Waits until no instance of the task is RUNNING. */
  private static void settle(TestServer node, long task) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      boolean running = false;
      for (JsonNode i : node.get("/api/catalog/tasks/" + task + "/instances").json().get("items")) {
        running |= i.get("state").asText().equals("RUNNING");
      }
      if (!running) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("task " + task + " still running");
  }
}
