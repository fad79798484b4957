package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.connector.elasticsearch.EsServer;
import io.ferry.connector.testkit.BinlogMariaDb;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distribution's examples for the common paths run as shipped, against real stores: each is
 * {@code bin/ferry run examples/NAME.yaml} with only {@code --param}s that point it at this
 * machine's servers and a test database, and the target is read back. ({@link DocExamplesIT}
 * validates every example offline; this proves that they also do what their comments say.)
 */
class DistributionExamplesIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path SOURCES = Path.of("src/main/examples").toAbsolutePath();
  private static final Path WORK = Path.of("target/it-examples").toAbsolutePath();
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final int ROWS = 3000;

  /** The examples the docs promise (ferry-dist/README.md, docs/getting-started.md). */
  private static final List<String> COMMON_PATHS =
      List.of(
          "mariadb-to-postgresql.yaml",
          "mysql-to-elasticsearch.yaml",
          "csv-to-table.yaml",
          "cdc-mariadb-to-postgresql.yaml");

  private final String database = "ferry_ex_" + UUID.randomUUID().toString().substring(0, 8);
  private Path dir;

  @BeforeEach
  void createDatabases() throws Exception {
    dir = WORK.resolve(database);
    Files.createDirectories(dir);
    execute(MARIADB, "root", "", "CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
    execute(POSTGRES + "postgres", "postgres", "", "CREATE DATABASE " + database);
  }

  @AfterEach
  void dropDatabases() throws Exception {
    execute(MARIADB, "root", "", "DROP DATABASE IF EXISTS " + database);
    execute(
        POSTGRES + "postgres",
        "postgres",
        "",
        "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  @Test
  void theDistributionShipsAnExampleForEachCommonPath() throws IOException {
    for (String example : COMMON_PATHS) {
      Path shipped = DIST.resolve("examples").resolve(example);
      assertThat(shipped).as("the distribution's examples/%s", example).isRegularFile();
      assertThat(Files.readString(shipped)).isEqualTo(Files.readString(SOURCES.resolve(example)));
    }
  }

  @Test
  void mariadbToPostgresqlCopiesTheTableAndARerunDoublesNothing() throws Exception {
    createOrders(MARIADB + database, "root", "");
    List<String> params = params("sourceUser=root", "targetUser=postgres");

    for (int run = 1; run <= 2; run++) {
      Result result = ferry("mariadb-to-postgresql.yaml", params);
      assertThat(result.exit).as("run %d:%n%s", run, result.output).isZero();
      assertThat(
              query(
                  POSTGRES + database,
                  "postgres",
                  "SELECT count(*), sum(price), count(DISTINCT id) FROM orders"))
          .as("run %d", run)
          .isEqualTo(
              query(
                  MARIADB + database,
                  "root",
                  "SELECT count(*), sum(price), count(DISTINCT id) FROM orders"));
    }
    assertThat(query(POSTGRES + database, "postgres", "SELECT count(*) FROM orders"))
        .isEqualTo(List.of(String.valueOf(ROWS)));
  }

  @Test
  void csvToTableLoadsTheQuickstartFile() throws Exception {
    Path csv = dir.resolve("orders.csv");
    Result quickstart =
        ferry("quickstart.yaml", List.of("--param", "rows=" + ROWS, "--param", "output=" + csv));
    assertThat(quickstart.exit).as(quickstart.output).isZero();

    Result load = ferry("csv-to-table.yaml", params("input=" + csv, "targetUser=postgres"));

    assertThat(load.exit).as(load.output).isZero();
    assertThat(
            query(
                POSTGRES + database,
                "postgres",
                "SELECT count(*), min(id), max(id) FROM orders WHERE created_at IS NOT NULL"))
        .isEqualTo(List.of(String.valueOf(ROWS), "1", String.valueOf(ROWS)));
    // The created table has the declared key: loading the file again refuses the duplicates.
    assertThat(
            query(
                POSTGRES + database,
                "postgres",
                "SELECT count(*) FROM information_schema.table_constraints"
                    + " WHERE table_name = 'orders' AND constraint_type = 'PRIMARY KEY'"))
        .isEqualTo(List.of("1"));
  }

  @Test
  void mysqlToElasticsearchLoadsAFreshIndexBehindTheAlias() throws Exception {
    createOrders(MARIADB + database, "root", "");
    EsServer es = EsServer.es8();
    String alias = database.replace('_', '-');

    Result result =
        ferry(
            "mysql-to-elasticsearch.yaml",
            params("sourceUser=root", "es=" + es.url(), "index=" + alias));

    assertThat(result.exit).as(result.output).isZero();
    HttpClient http = HttpClient.newHttpClient();
    http.send(
        HttpRequest.newBuilder(URI.create(es.url() + "/" + alias + "/_refresh"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
    String count =
        http.send(
                HttpRequest.newBuilder(URI.create(es.url() + "/" + alias + "/_count")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(new ObjectMapper().readTree(count).path("count").asLong()).isEqualTo(ROWS);
    // The alias points at an index of the run, not at an index named like the alias.
    String aliases =
        http.send(
                HttpRequest.newBuilder(URI.create(es.url() + "/_alias/" + alias)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    List<String> indexes = new ArrayList<>();
    new ObjectMapper().readTree(aliases).fieldNames().forEachRemaining(indexes::add);
    assertThat(indexes).hasSize(1).doesNotContain(alias);
  }

  @Test
  void cdcCopiesTheTablesThenAppliesTheBinlog() throws Exception {
    BinlogMariaDb source = BinlogMariaDb.shared();
    String src = source.jdbcUrl(database);
    execute(source.jdbcUrl(""), source.user(), source.password(), "CREATE DATABASE " + database);
    Process ferry = null;
    try {
      createOrders(src, source.user(), source.password());
      execute(
          src,
          source.user(),
          source.password(),
          "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
          "INSERT INTO customers SELECT seq, CONCAT('customer ', seq) FROM seq_1_to_50");
      List<String> command =
          new ArrayList<>(
              List.of(
                  DIST.resolve("bin/ferry").toString(),
                  "run",
                  DIST.resolve("examples/cdc-mariadb-to-postgresql.yaml").toString()));
      command.addAll(
          params(
              "sourcePort=" + source.port(), "sourceUser=" + source.user(), "targetUser=postgres"));
      ferry = process(command, Map.of("CDC_PASSWORD", source.password(), "PG_PASSWORD", ""));

      String check = "SELECT count(*), sum(price) FROM orders";
      awaitEqual(src, source.user(), source.password(), check);
      execute(
          src,
          source.user(),
          source.password(),
          "INSERT INTO orders VALUES (" + (ROWS + 1) + ", 'SKU-NEW', 12.50, NOW())",
          "UPDATE orders SET price = price + 1 WHERE id <= 10",
          "DELETE FROM orders WHERE id = 20",
          "UPDATE customers SET name = 'changed' WHERE id = 7");
      awaitEqual(src, source.user(), source.password(), check);
      awaitEqual(src, source.user(), source.password(), "SELECT name FROM customers WHERE id = 7");
    } finally {
      if (ferry != null) {
        ferry.destroy(); // SIGTERM: the run pauses with its checkpoint
        assertThat(ferry.waitFor(60, TimeUnit.SECONDS)).as("ferry ended after SIGTERM").isTrue();
      }
      execute(
          source.jdbcUrl(""),
          source.user(),
          source.password(),
          "DROP DATABASE IF EXISTS " + database);
    }
    assertThat(Files.readString(dir.resolve("ferry.out"))).contains("PAUSED");
  }

  // ---------------------------------------------------------------------------------------------

  /** {@code --param}s that point an example at this test's databases on this machine. */
  private List<String> params(String... more) {
    List<String> params = new ArrayList<>();
    Stream.concat(
            Stream.of("sourceDatabase=" + database, "targetDatabase=" + database), Stream.of(more))
        .forEach(
            p -> {
              params.add("--param");
              params.add(p);
            });
    return params;
  }

  private static void createOrders(String url, String user, String password) throws SQLException {
    execute(
        url,
        user,
        password,
        "CREATE TABLE orders (id BIGINT PRIMARY KEY, sku VARCHAR(32) NOT NULL,"
            + " price DECIMAL(12,2), created_at DATETIME(3))",
        "INSERT INTO orders SELECT seq, CONCAT('SKU-', seq), (seq % 10000) / 100,"
            + " '2024-01-01' + INTERVAL seq SECOND FROM seq_1_to_"
            + ROWS);
  }

  private record Result(int exit, String output) {}

  private Result ferry(String example, List<String> params) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                DIST.resolve("bin/ferry").toString(),
                "run",
                DIST.resolve("examples").resolve(example).toString()));
    command.addAll(params);
    // The passwords of root and postgres on this machine are empty.
    Process process =
        process(command, Map.of("MARIADB_PASSWORD", "", "MYSQL_PASSWORD", "", "PG_PASSWORD", ""));
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(example + " did not end in 5 minutes");
    }
    return new Result(process.exitValue(), Files.readString(dir.resolve("ferry.out")));
  }

  private Process process(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ferry.out").toFile());
    builder.environment().put("FERRY_STATE_DIR", dir.resolve("state").toString());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Waits until the PostgreSQL target answers {@code sql} as the source does. */
  private void awaitEqual(String src, String user, String password, String sql) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      List<String> expected = query(src, user, password, sql);
      List<String> actual;
      try {
        actual = query(POSTGRES + database, "postgres", sql);
      } catch (SQLException notYetCreated) {
        actual = List.of(notYetCreated.getMessage());
      }
      if (expected.equals(actual)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the target did not catch up: "
                + actual
                + " instead of "
                + expected
                + "; ferry printed:\n"
                + Files.readString(dir.resolve("ferry.out")));
      }
      Thread.sleep(250);
    }
  }

  private static List<String> query(String url, String user, String sql) throws SQLException {
    return query(url, user, "", sql);
  }

  /** The first row's values as text (decimals without trailing zeros, so stores compare). */
  private static List<String> query(String url, String user, String password, String sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        Object value = rs.getObject(i);
        row.add(
            value instanceof java.math.BigDecimal d
                ? d.stripTrailingZeros().toPlainString()
                : String.valueOf(value));
      }
      return row;
    }
  }

  private static void execute(String url, String user, String password, String... sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }
}
