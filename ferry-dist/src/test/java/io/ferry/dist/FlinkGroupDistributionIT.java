package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.flink.session.FlinkSessionCluster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task of a {@code flink} resource group run by the built distribution's {@code bin/ferry
 * server}: the server (its {@code server/} folder, without Flink) submits the run from a JVM of its
 * own whose class path adds the installation's {@code lib/} and {@code lib/flink/}, with the
 * installation's jars and connector folders shipped to a Flink session cluster that has Flink and
 * nothing of Ferry. A MariaDB table is copied to PostgreSQL there and read back row by row.
 * (ferry-server's FlinkGroupIT covers the same from a test class path, stop and orphan included.)
 */
@Timeout(300)
class FlinkGroupDistributionIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path WORK = Path.of("target/it-flink-group").toAbsolutePath();
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final int ROWS = 3_000;
  private static final String GROUP = "flink-22d";
  private static final String ADMIN = "dist-" + UUID.randomUUID();

  /** The target data source's password (trust ignores it): never in the run's log. */
  private static final String SECRET = "flink-s3cret-" + UUID.randomUUID();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String NAME = "ferry_22d_" + UUID.randomUUID().toString().substring(0, 8);
  private static final String META = NAME + "_meta";

  private static Process server;
  private static FlinkSessionCluster cluster;
  private static int port;

  @BeforeAll
  static void databasesClusterAndServer() throws Exception {
    Files.createDirectories(WORK);
    execute(MARIADB, "root", "CREATE DATABASE " + NAME + " CHARACTER SET utf8mb4");
    execute(
        MARIADB + NAME,
        "root",
        "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
            + " amount DECIMAL(12,2), created DATETIME, note VARCHAR(80))",
        "INSERT INTO orders SELECT seq, CONCAT('customer ', seq % 97),"
            + " CASE WHEN seq % 10 = 0 THEN NULL ELSE seq / 7 END,"
            + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE,"
            + " CASE WHEN seq % 7 = 0 THEN NULL ELSE CONCAT('note ', seq, ' 订单 ✓') END"
            + " FROM seq_1_to_"
            + ROWS);
    execute(
        POSTGRES + "postgres", "postgres", "CREATE DATABASE " + NAME, "CREATE DATABASE " + META);
    startServer(); // starts while the cluster does
    cluster = FlinkSessionCluster.start(WORK.resolve("cluster"), 2);
    awaitHealthy();
  }

  /**
   * {@code bin/ferry server} on PostgreSQL (a run of a flink group refuses the embedded H2), with
   * no {@code ferry.runs.flink-home}: the installation is the launcher's own.
   */
  private static void startServer() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                DIST.resolve("bin/ferry").toString(),
                "server",
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--spring.datasource.url=" + POSTGRES + META,
                "--spring.datasource.username=postgres")
            .directory(WORK.toFile())
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("server.out").toFile());
    builder.environment().put("FERRY_DATA_DIR", WORK.resolve("data-" + NAME).toString());
    builder.environment().put("FERRY_STATE_DIR", WORK.resolve("state").toString());
    builder.environment().put("FERRY_ADMIN_PASSWORD", ADMIN);
    server = builder.start();
  }

  private static void awaitHealthy() throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline && server.isAlive()) {
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.net.ConnectException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the server did not become healthy; it printed:\n"
            + Files.readString(WORK.resolve("server.out")));
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
    execute(MARIADB, "root", "DROP DATABASE IF EXISTS " + NAME);
    execute(
        POSTGRES + "postgres",
        "postgres",
        "DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)",
        "DROP DATABASE IF EXISTS " + META + " WITH (FORCE)");
  }

  @Test
  void aTaskOfAFlinkGroupCopiesOnTheClusterExactly() throws Exception {
    try (var serverFolder = Files.list(DIST.resolve("server"))) {
      assertThat(serverFolder.map(f -> f.getFileName().toString()))
          .as("the server's own folder: Flink comes from lib/flink/ only")
          .noneMatch(f -> f.startsWith("flink-") || f.startsWith("ferry-flink-"));
    }
    created(
        "/api/resource-groups",
        Map.of("name", GROUP, "kind", "flink", "flinkAddress", cluster.master()));
    dataSource("maria", "mysql", MARIADB + NAME, "root", "");
    dataSource("pg", "postgresql", POSTGRES + NAME, "postgres", SECRET);
    long task =
        created(
                "/api/tasks",
                Map.of(
                    "name",
                    "flink-copy",
                    "mode",
                    "script",
                    "resourceGroup",
                    GROUP,
                    "script",
                    """
                    source: {datasource: maria, table: orders, splitsPerChannel: 3}
                    sink: {datasource: pg, table: orders_copy, createTable: true, writeMode: insert}
                    settings: {channels: 2, flushInterval: 1s}
                    """))
            .get("id")
            .asLong();

    HttpResponse<String> started = api("POST", "/api/tasks/" + task + "/runs", null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    long run = JSON.readTree(started.body()).get("id").asLong();
    JsonNode done = awaitSucceeded(run, Duration.ofSeconds(180));

    assertThat(done.get("recordsWritten").asLong()).isEqualTo(ROWS);
    List<String> target = rows(POSTGRES + NAME, "postgres", "orders_copy");
    assertThat(target).hasSize(ROWS).isEqualTo(rows(MARIADB + NAME, "root", "orders"));
    String log = log(run);
    Files.writeString(WORK.resolve("run-" + run + ".log"), log);
    assertThat(log)
        .contains(
            "submitted to the Flink session cluster "
                + cluster.master()
                + " of resource group "
                + GROUP)
        .doesNotContain(SECRET);
    assertThat(flinkJobState(done.get("runKey").asText())).isEqualTo("FINISHED");
  }

  private static String base() {
    return "http://127.0.0.1:" + port;
  }

  private static HttpResponse<String> api(String method, String path, Object body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(("admin:" + ADMIN).getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode created(String path, Object body) throws Exception {
    HttpResponse<String> r = api("POST", path, body);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static void dataSource(
      String alias, String connector, String url, String user, String password) throws Exception {
    created(
        "/api/datasources",
        Map.of(
            "alias",
            alias,
            "connector",
            connector,
            "options",
            Map.of("url", url, "user", user, "password", password)));
  }

  /** Waits for the run to succeed; a run that ends otherwise, or never, fails with its log. */
  private static JsonNode awaitSucceeded(long run, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = JSON.readTree(api("GET", "/api/runs/" + run, null).body());
      String state = last.get("state").asText();
      if (state.equals("SUCCEEDED")) {
        return last;
      }
      if (state.equals("FAILED") || state.equals("STOPPED")) {
        break;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("run " + run + " did not succeed: " + last + "\n" + log(run));
  }

  private static String log(long run) throws Exception {
    return api("GET", "/api/runs/" + run + "/log/download", null).body();
  }

  /** The state of the Flink job of a run ({@code ferry RUN_KEY}), as the cluster has it. */
  private static String flinkJobState(String runKey) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + cluster.master() + "/jobs/overview"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (JsonNode job : JSON.readTree(r.body()).get("jobs")) {
      if (job.get("name").asText().equals("ferry " + runKey)) {
        return job.get("state").asText();
      }
    }
    throw new AssertionError("no Flink job of run " + runKey + ": " + r.body());
  }

  /** Every row of an orders table, in key order, as text. */
  private static List<String> rows(String url, String user, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, customer, amount, created, note FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.add(
            rs.getLong(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getBigDecimal(3)
                + "|"
                + rs.getObject(4, LocalDateTime.class)
                + "|"
                + rs.getString(5));
      }
    }
    return rows;
  }

  private static void execute(String url, String user, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
