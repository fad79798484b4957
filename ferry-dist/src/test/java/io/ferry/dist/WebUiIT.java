package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web UI end to end, as a person uses it: the built distribution's {@code bin/ferry server}
 * serves the UI from its own class path, and {@code ferry-web/e2e/ui.e2e.mjs} drives Debian's
 * headless Chromium through it (playwright-core): login, a MariaDB and a PostgreSQL data source
 * created and tested through the form, a metadata collection task created and its collected tables
 * browsed, a task built in the wizard with same-name mapping and a schedule, a run to 100 %, a
 * slower run paused and resumed from the monitor. Screenshots of each screen go to {@code
 * target/ui-screenshots/}. Afterwards this test reads the target back over JDBC and compares it
 * with the source. A second test asks the same server, as the UI does, for every installed
 * connector's form in Chinese and for its job templates, which the server must accept once their
 * placeholders are filled in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path SCRIPT = Path.of("../ferry-web/e2e/ui.e2e.mjs").toAbsolutePath();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path WORK = Path.of("target/it-webui").toAbsolutePath();
  private static final Path FILES = WORK.resolve("files");
  private static final Path SCREENSHOTS = Path.of("target/ui-screenshots").toAbsolutePath();
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final int ROWS = 30_000;
  private static final String PASSWORD = "ui-" + UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();

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
    Files.createDirectories(FILES);
    Path data = WORK.resolve("data-" + UUID.randomUUID());
    ProcessBuilder builder =
        new ProcessBuilder(
                DIST.resolve("bin/ferry").toString(),
                "server",
                "--server.port=" + port,
                // the file connector's templates are filled in with a path under this root
                "--ferry.file-roots=" + FILES)
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

  private HttpResponse<String> api(String method, String path, String body, String language)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path))
            .header(
                "Authorization",
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .header("Accept-Language", language)
            .header("Content-Type", "application/json");
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final Pattern PLACEHOLDER =
      Pattern.compile("^(\\s+)(\\w+): <(\\w+)>$", Pattern.MULTILINE);

  /** A value of the kind each placeholder takes; by connector where its kind differs. */
  private static String value(String connector, String option) {
    return switch (connector + "." + option) {
      case "mysql.url", "jdbc.url" -> MARIADB + "x";
      case "postgresql.url" -> POSTGRES + "x";
      case "oracle.url" -> "jdbc:oracle:thin:@//127.0.0.1:1521/x";
      case "sqlserver.url" -> "jdbc:sqlserver://127.0.0.1:1433;databaseName=x";
      case "elasticsearch.hosts" -> "http://127.0.0.1:9200";
      case "hbase.columns" -> "[\"id int64 :key\"]";
      case "kafka.bootstrapServers" -> "127.0.0.1:9092";
      case "hdfs.defaultFS" -> "hdfs://127.0.0.1:8020";
      case "kafka.columns" -> "[\"id int64\"]";
      case "file.path" -> FILES.resolve("orders.csv").toString();
      default ->
          switch (option) {
            case "hosts", "host", "zookeeperQuorum" -> "127.0.0.1";
            case "path" -> "/tmp/ferry-template/orders.csv";
            default -> "x";
          };
    };
  }

  @Test
  void everyInstalledConnectorHasChineseFormsAndTemplatesTheServerAccepts() throws Exception {
    JsonNode connectors = JSON.readTree(api("GET", "/api/connectors", null, "zh-CN").body());
    assertThat(connectors.size()).as("connectors installed").isGreaterThanOrEqualTo(14);
    List<String> untranslated = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int templates = 0;
    for (JsonNode c : connectors) {
      String name = c.get("name").asText();
      if (!chinese(c.get("description").asText())) {
        untranslated.add(name);
      }
      for (Map.Entry<String, JsonNode> role : c.get("roles").properties()) {
        for (JsonNode o : role.getValue()) {
          if (!chinese(o.get("description").asText()) || o.get("label").isNull()) {
            untranslated.add(name + "." + role.getKey() + "." + o.get("name").asText());
          }
        }
      }
      List<String> pairs = new ArrayList<>();
      if (c.get("roles").has("source")) {
        pairs.add("source=" + name + "&sink=blackhole");
      }
      if (c.get("roles").has("sink")) {
        pairs.add("source=datagen&sink=" + name);
      }
      for (String pair : pairs) {
        String yaml =
            JSON.readTree(api("GET", "/api/templates/job?" + pair, null, "zh-CN").body())
                .get("script")
                .asText();
        Matcher m = PLACEHOLDER.matcher(yaml);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(
              filled,
              Matcher.quoteReplacement(m.group(1) + m.group(2) + ": " + value(name, m.group(2))));
        }
        m.appendTail(filled);
        String script = filled.toString();
        if (pair.startsWith("source=hdfs")) {
          // The same for a text file without a header line: its columns are declared.
          script = script.replaceFirst("(?m)^  # columns: .*$", "  columns: [\"id int64\"]");
        }
        if (pair.endsWith("sink=hbase")) {
          // A rule across options that no declaration states: a row key unless a column maps to it.
          script = script.replaceFirst("(?m)^  # rowKey: .*$", "  rowKey: id");
        }
        HttpResponse<String> saved =
            api(
                "POST",
                "/api/tasks",
                JSON.writeValueAsString(
                    Map.of("name", "template-" + templates++, "mode", "script", "script", script)),
                "en");
        if (saved.statusCode() != 201) {
          refused.add(pair + ": " + saved.body());
        } else {
          // gone again: the UI test, in whichever order it runs, starts without tasks
          api("DELETE", "/api/tasks/" + JSON.readTree(saved.body()).get("id").asLong(), null, "en");
        }
      }
    }
    assertThat(untranslated).as("texts without a Simplified Chinese translation").isEmpty();
    assertThat(refused).as("templates the server refused once filled in").isEmpty();
    assertThat(templates).isGreaterThanOrEqualTo(20);
  }

  private static boolean chinese(String text) {
    return text.codePoints()
        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
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
