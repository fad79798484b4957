package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's verifications (issue 21) against the machine's MariaDB: a run's count verification
 * is kept with the run; a target row corrupted afterwards is found by a Verify of the task and of
 * the run through the API, with the differing column's values for users who may read rows and
 * without them for a viewer who may not (who cannot start one either), in the sample and in the
 * full report's download; a task's verification schedule fires through Quartz.
 */
class VerificationIT {
  static TestServer server;
  static String db;
  static long taskId;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabases.newName("ferry_vfy");
    TestDatabases.createMariadb(db);
    sql(
        "CREATE TABLE src (id INT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2))",
        "CREATE TABLE dst (id INT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2))",
        "INSERT INTO src SELECT seq, CONCAT('n', seq), seq / 4 FROM seq_1_to_30");
    server = new TestServer();
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("url", TestDatabases.MARIADB + db);
    options.put("user", "root");
    Reply ds =
        server.post(
            "/api/datasources",
            Map.of("alias", "vfy-maria", "connector", "mysql", "options", options));
    assertThat(ds.status()).as(ds.toString()).isEqualTo(201);
    Reply task =
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "vfy-copy",
                "mode",
                "script",
                "script",
                "source: {datasource: vfy-maria, table: src}\n"
                    + "sink: {datasource: vfy-maria, table: dst, writeMode: upsert}\n"
                    + "settings: {channels: 2}\n"));
    assertThat(task.status()).as(task.toString()).isEqualTo(201);
    taskId = task.json().get("id").asLong();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestDatabases.dropMariadb(db);
  }

  private static void sql(String... statements) throws Exception {
    try (Connection c = TestDatabases.mariadb(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static JsonNode await(String path, String field, List<String> values) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.get(path).json();
      if (last.hasNonNull(field) && values.contains(last.get(field).asText())) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " never had " + field + " in " + values + ": " + last);
  }

  private static JsonNode finished(Reply started) throws Exception {
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return await(
        "/api/verifications/" + started.json().get("id").asLong(),
        "state",
        List.of("SUCCEEDED", "FAILED"));
  }

  @Test
  void aRunKeepsItsVerificationAndVerifyFindsACorruptedRow() throws Exception {
    long run = server.post("/api/tasks/" + taskId + "/runs", null).json().get("id").asLong();
    JsonNode done = await("/api/runs/" + run, "state", List.of("SUCCEEDED", "FAILED"));
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    JsonNode afterRun = done.get("verification");
    assertThat(afterRun).as(done.toString()).isNotNull();
    assertThat(afterRun.get("trigger").asText()).isEqualTo("RUN");
    assertThat(afterRun.get("mode").asText()).isEqualTo("count");
    assertThat(afterRun.get("equal").asBoolean()).isTrue();
    assertThat(afterRun.get("sourceRows").asLong()).isEqualTo(30);
    assertThat(afterRun.get("targetRows").asLong()).isEqualTo(30);

    sql("UPDATE dst SET name = 'changed' WHERE id = 3", "DELETE FROM dst WHERE id = 5");

    JsonNode v = finished(server.post("/api/tasks/" + taskId + "/verify", null));
    assertThat(v.get("state").asText()).as(v.toString()).isEqualTo("SUCCEEDED");
    assertThat(v.get("trigger").asText()).isEqualTo("MANUAL");
    assertThat(v.get("mode").asText()).isEqualTo("content");
    assertThat(v.get("equal").asBoolean()).isFalse();
    assertThat(v.get("missing").asLong()).isEqualTo(1);
    assertThat(v.get("extra").asLong()).isZero();
    assertThat(v.get("different").asLong()).isEqualTo(1);
    assertThat(v.get("sourceRows").asLong()).isEqualTo(30);
    assertThat(v.get("targetRows").asLong()).isEqualTo(29);
    JsonNode different = null;
    for (JsonNode d : v.get("sample")) {
      if (d.get("kind").asText().equals("different")) {
        different = d;
      } else {
        assertThat(d.get("kind").asText()).isEqualTo("missing");
        assertThat(d.get("key").get("id").asText()).isEqualTo("5");
      }
    }
    assertThat(different).as(v.toString()).isNotNull();
    assertThat(different.get("key").get("id").asText()).isEqualTo("3");
    JsonNode column = different.get("columns").get(0);
    assertThat(column.get("column").asText()).isEqualTo("name");
    assertThat(column.get("source").asText()).isEqualTo("n3");
    assertThat(column.get("target").asText()).isEqualTo("changed");

    // A Verify of the run is the run's newest verification, shown with it.
    JsonNode ofRun = finished(server.post("/api/runs/" + run + "/verify", null));
    assertThat(ofRun.get("runId").asLong()).isEqualTo(run);
    assertThat(ofRun.get("different").asLong()).isEqualTo(1);
    JsonNode detail = server.get("/api/runs/" + run).json().get("verification");
    assertThat(detail.get("id").asLong()).isEqualTo(ofRun.get("id").asLong());
    assertThat(detail.get("equal").asBoolean()).isFalse();
    JsonNode list = server.get("/api/verifications?taskId=" + taskId).json();
    assertThat(list.get("total").asLong()).isGreaterThanOrEqualTo(3);

    // A viewer sees keys and columns, not values, and cannot start a verification.
    Reply user =
        server.post(
            "/api/users",
            Map.of("username", "vera", "password", "vera-password-1", "role", "viewer"));
    assertThat(user.status()).as(user.toString()).isEqualTo(201);
    Reply seen =
        server.call(
            "GET", "/api/verifications/" + v.get("id").asLong(), null, "vera", "vera-password-1");
    assertThat(seen.status()).isEqualTo(200);
    assertThat(seen.body()).contains("\"name\"").doesNotContain("changed").doesNotContain("n3");
    // The full report: every difference, with values only for users who may read rows.
    String reportPath = "/api/verifications/" + v.get("id").asLong() + "/report";
    Reply report = server.get(reportPath);
    assertThat(report.status()).as(report.toString()).isEqualTo(200);
    assertThat(report.body().lines().toList()).hasSize(2);
    assertThat(report.body()).contains("\"changed\"").contains("\"n3\"").contains("\"5\"");
    Reply keysOnly = server.call("GET", reportPath, null, "vera", "vera-password-1");
    assertThat(keysOnly.status()).as(keysOnly.toString()).isEqualTo(200);
    assertThat(keysOnly.body().lines().toList()).hasSize(2);
    assertThat(keysOnly.body())
        .contains("\"name\"")
        .contains("\"5\"")
        .doesNotContain("changed")
        .doesNotContain("n3");
    assertThat(
            server
                .call("POST", "/api/tasks/" + taskId + "/verify", null, "vera", "vera-password-1")
                .status())
        .isEqualTo(403);

    // Equal again once the rows are back.
    sql("UPDATE dst SET name = 'n3' WHERE id = 3", "INSERT INTO dst VALUES (5, 'n5', 1.25)");
    JsonNode equal = finished(server.post("/api/tasks/" + taskId + "/verify", null));
    assertThat(equal.get("equal").asBoolean()).as(equal.toString()).isTrue();
    assertThat(equal.get("method").asText()).isEqualTo("checksum");
  }

  /**
   * A Verify that the server's stop interrupts (here: while it waits to compare a differing row
   * again) keeps its checkpoint; verified again after the restart, it compares only the key ranges
   * that were not done and still reports the whole table's differences.
   */
  @Test
  void aVerificationTheServerStopsContinuesFromItsCheckpoint() throws Exception {
    sql(
        "DELETE FROM dst",
        "INSERT INTO dst SELECT * FROM src",
        "UPDATE dst SET name = 'changed' WHERE id = 30");
    java.nio.file.Path checkpoint =
        server.dataDir.resolve("state/verify/task-" + taskId + ".checkpoint.json");
    Reply started = server.post("/api/tasks/" + taskId + "/verify", null);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    // Preparing the job's source and target can take long on a loaded machine.
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!java.nio.file.Files.exists(checkpoint) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    // The equal key ranges are done; the differing one waits 2 s for its second look.
    assertThat(checkpoint).exists();
    server.restart();
    JsonNode interrupted = server.get("/api/verifications/" + started.json().get("id")).json();
    assertThat(interrupted.get("state").asText()).as(interrupted.toString()).isEqualTo("FAILED");
    assertThat(checkpoint).exists();

    JsonNode v = finished(server.post("/api/tasks/" + taskId + "/verify", null));
    assertThat(v.get("state").asText()).as(v.toString()).isEqualTo("SUCCEEDED");
    assertThat(v.get("different").asLong()).isEqualTo(1);
    assertThat(v.get("missing").asLong() + v.get("extra").asLong()).isZero();
    assertThat(v.get("sample").get(0).get("key").get("id").asText()).isEqualTo("30");
    assertThat(v.get("sourceRows").asLong()).isEqualTo(30);
    assertThat(v.get("targetRows").asLong()).isEqualTo(30);
    assertThat(v.get("notes").toString()).contains("continued from the checkpoint");
    assertThat(checkpoint).doesNotExist();
    sql("UPDATE dst SET name = 'n30' WHERE id = 30");
  }

  @Test
  void aVerificationScheduleFiresThroughQuartz() throws Exception {
    Reply bad =
        server.put("/api/tasks/" + taskId + "/verify-schedule", Map.of("cron", "every day"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().findValuesAsText("field")).contains("cron");

    Reply set =
        server.put(
            "/api/tasks/" + taskId + "/verify-schedule",
            Map.of("cron", "0/2 * * * * ?", "zone", "UTC"));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(server.get("/api/tasks/" + taskId + "/verify-schedule").json().get("cron").asText())
        .isEqualTo("0/2 * * * * ?");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode scheduled = null;
    while (scheduled == null && System.nanoTime() < deadline) {
      for (JsonNode v : server.get("/api/verifications?taskId=" + taskId).json().get("items")) {
        if (v.get("trigger").asText().equals("SCHEDULE")) {
          scheduled = v;
        }
      }
      Thread.sleep(200);
    }
    assertThat(scheduled).as("a verification the schedule started").isNotNull();
    assertThat(scheduled.get("startedBy").asText()).isEqualTo("scheduler");
    assertThat(server.delete("/api/tasks/" + taskId + "/verify-schedule").status()).isEqualTo(204);
    assertThat(server.get("/api/tasks/" + taskId + "/verify-schedule").status()).isEqualTo(404);
    // Let what the schedule started end: one verification of a task runs at a time.
    for (JsonNode v : server.get("/api/verifications?taskId=" + taskId).json().get("items")) {
      await("/api/verifications/" + v.get("id").asLong(), "state", List.of("SUCCEEDED", "FAILED"));
    }
  }
}
