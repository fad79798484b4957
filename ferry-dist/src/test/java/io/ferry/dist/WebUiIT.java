package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web UI end to end, as a person uses it: the built distribution's {@code bin/ferry server}
 * serves the UI from its own class path, and {@code ferry-web/e2e/ui.e2e.mjs} drives Debian's
 * headless Chromium through it (playwright-core): login, a MariaDB and a PostgreSQL data source
 * created and tested through the form, a task built in the wizard with same-name mapping and a
 * schedule, a run to 100 %, a slower run paused and resumed from the monitor. Screenshots of each
 * screen go to {@code target/ui-screenshots/}. Afterwards this test reads the target back over JDBC
 * and compares it with the source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path SCRIPT = Path.of("../ferry-web/e2e/ui.e2e.mjs").toAbsolutePath();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path WORK = Path.of("target/it-webui").toAbsolutePath();
  private static final Path SCREENSHOTS = Path.of("target/ui-screenshots").toAbsolutePath();
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final int ROWS = 30_000;
  private static final String PASSWORD = "ui-" + UUID.randomUUID();

  private final String database = "ferry_webui_" + UUID.randomUUID().toString().replace("-", "");
  private Process server;
  private int port;

  @BeforeAll
  void databasesAndServer() throws Exception {
    assertThat(CHROMIUM)
        .as("Debian's chromium package (.ci/run installs it: apt-get install chromium)")
        .isExecutable();
    assertThat(SCRIPT).as("the end-to-end script").isRegularFile();
    Files.createDirectories(WORK);
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
      s.execute("USE " + database); // seq_1_to_N lives in the current database
      s.execute(
          "CREATE TABLE "
              + database
              + ".orders (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL,"
              + " amount DECIMAL(12,2), created DATETIME, note VARCHAR(200) NULL)");
      s.execute(
          "INSERT INTO "
              + database
              + ".orders SELECT seq, CONCAT('customer ', seq % 997), (seq % 100000) / 100,"
              + " '2024-01-01' + INTERVAL seq MINUTE,"
              + " CASE WHEN seq % 7 = 0 THEN NULL ELSE CONCAT('note ', seq, ' 订单 ✓') END"
              + " FROM seq_1_to_"
              + ROWS);
    }
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    startServer();
  }

  private void startServer() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path data = WORK.resolve("data-" + UUID.randomUUID());
    ProcessBuilder builder =
        new ProcessBuilder(DIST.resolve("bin/ferry").toString(), "server", "--server.port=" + port)
            .directory(WORK.toFile())
            .redirectOutput(WORK.resolve("server.out").toFile())
            .redirectError(WORK.resolve("server.err").toFile());
    builder.environment().put("FERRY_DATA_DIR", data.toString());
    builder.environment().put("FERRY_STATE_DIR", WORK.resolve("state").toString());
    builder.environment().put("FERRY_ADMIN_PASSWORD", PASSWORD);
    server = builder.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline && server.isAlive()) {
      try {
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (java.net.ConnectException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the server did not become healthy; log: " + Files.readString(WORK.resolve("server.out")));
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  @AfterAll
  void stopAndDrop() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
    }
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  @Test
  void aPersonCopiesATableThroughTheWebUi() throws Exception {
    // The server serves the UI itself, without a login; the API behind it still needs one.
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> index =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<div id=\"root\"></div>").contains("assets/");

    Path out = WORK.resolve("e2e.out");
    Process e2e =
        new ProcessBuilder(
                List.of(
                    "node",
                    SCRIPT.toString(),
                    "--base-url",
                    base(),
                    "--user",
                    "admin",
                    "--password",
                    PASSWORD,
                    "--source-db",
                    database,
                    "--target-db",
                    database,
                    "--rows",
                    String.valueOf(ROWS),
                    "--screenshots",
                    SCREENSHOTS.toString()))
            .directory(SCRIPT.getParent().getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!e2e.waitFor(10, TimeUnit.MINUTES)) {
      e2e.destroyForcibly();
      throw new AssertionError("the UI test did not end in 10 minutes:\n" + Files.readString(out));
    }
    String log = Files.readString(out);
    System.out.println(log);
    assertThat(e2e.exitValue()).as("the UI test's exit code; its output:\n%s", log).isZero();

    // What the UI reported, checked independently: the target holds the source's rows.
    List<String> target = targetSummary();
    assertThat(target).isEqualTo(sourceSummary());
    assertThat(target.get(0)).isEqualTo(String.valueOf(ROWS));
    try (var shots = Files.list(SCREENSHOTS)) {
      assertThat(shots.filter(p -> p.toString().endsWith(".png")).count()).isGreaterThan(20);
    }
  }

  /** Row count, key sum, amount sum and the notes' total length: equal when the rows are. */
  private static final String SUMMARY =
      "SELECT COUNT(*), SUM(id), SUM(amount), SUM(CHAR_LENGTH(note)) FROM ";

  private List<String> sourceSummary() throws SQLException {
    try (Connection c = DriverManager.getConnection(MARIADB + database, "root", "")) {
      return summary(c, "orders");
    }
  }

  private List<String> targetSummary() throws SQLException {
    try (Connection c = DriverManager.getConnection(POSTGRES + database, "postgres", "")) {
      return summary(c, "public.orders");
    }
  }

  private static List<String> summary(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(SUMMARY + table)) {
      rs.next();
      return List.of(
          String.valueOf(rs.getLong(1)),
          String.valueOf(rs.getLong(2)),
          rs.getBigDecimal(3).setScale(2).toPlainString(),
          String.valueOf(rs.getLong(4)));
    }
  }
}
