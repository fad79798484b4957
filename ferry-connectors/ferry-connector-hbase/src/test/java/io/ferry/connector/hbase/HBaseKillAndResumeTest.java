package io.ferry.connector.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.Source;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HBase sink after kill -9 (issue 5): {@code ferry run} copies a MariaDB table into HBase in a
 * child JVM (this JVM's class path: the CLI, the mysql and hbase connectors), is killed with
 * SIGKILL several times mid-copy and resumed with {@code ferry resume}; the table is then read back
 * through the hbase source and compared with MariaDB row by row. Puts overwrite by row key, so rows
 * written again after the last checkpoint are the same rows, never duplicates.
 */
class HBaseKillAndResumeTest {
  private static final int ROWS = 200_000;
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String COLUMNS =
      "id, customer_id, sku, qty, price, status, created_at, note";

  @Test
  void killedRunsIntoHBaseResumeWithoutLosingOrRepeatingARow() throws Exception {
    String database = "ferry_hbase_resume_" + UUID.randomUUID().toString().replace("-", "");
    Path work = Files.createDirectories(Path.of("target", "kill-resume").toAbsolutePath());
    Map<String, Object> hbase = HBaseTestCluster.options();
    String table = HBaseTestCluster.uniqueTable("resume");
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
      s.execute("USE " + database); // seq_1_to_N lives in the current database
      s.execute(
          "CREATE TABLE "
              + database
              + ".orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, sku VARCHAR(32),"
              + " qty INT, price DECIMAL(12,2), status VARCHAR(16) NULL, created_at DATETIME,"
              + " note VARCHAR(200) NULL)");
      s.execute(
          "INSERT INTO "
              + database
              + ".orders SELECT seq, seq % 10007, CONCAT('SKU-', seq % 9973), seq % 17,"
              + " (seq % 100000) / 100, CASE seq % 5 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE 'PAID'"
              + " END, '2024-01-01' + INTERVAL seq SECOND, CASE WHEN seq % 7 = 0 THEN NULL ELSE"
              + " CONCAT('note ', seq, ' \\t ✓ 订单') END FROM seq_1_to_"
              + ROWS);
    }
    try {
      Path job =
          Files.writeString(
              work.resolve(table + ".yaml"),
              """
              source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: orders}
              sink: {connector: hbase, zookeeperQuorum: '%s', zookeeperPort: %s, znodeParent: '%s',
                     table: %s, createTable: true, families: [d], rowKey: id,
                     columns: ["id :key binary"], family: d, encoding: string, writeBufferSize: 1MB}
              settings: {channels: 2, flushInterval: 200ms, recordsPerSecond: 30000}
              """
                  .formatted(
                      database,
                      hbase.get("zookeeperQuorum"),
                      hbase.get("zookeeperPort"),
                      hbase.get("znodeParent"),
                      table));
      Path err = work.resolve(table + ".err");
      Random random = new Random(table.hashCode());
      String key = null;
      int kills = 0;
      int exit;
      while (true) {
        Process process =
            key == null
                ? ferry(work, err, "run", "-v", job.toString())
                : ferry(work, err, "resume", "-v", key);
        boolean ended = process.waitFor(2500 + random.nextInt(1500), TimeUnit.MILLISECONDS);
        if (ended || kills == 4) {
          assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
          exit = process.exitValue();
          break;
        }
        process.destroyForcibly(); // SIGKILL: no pause, no last flush
        process.waitFor(30, TimeUnit.SECONDS);
        kills++;
        if (key == null) {
          key = lastRunKey(err);
        }
      }
      assertThat(exit).as(Files.readString(err)).isZero();
      assertThat(kills).as("the run must have been killed mid-copy").isGreaterThanOrEqualTo(2);
      assertSameRows(database, table, hbase);
    } finally {
      try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database);
      }
    }
  }

  /** {@code ferry ARGS} in a child JVM with this JVM's class path and options. */
  private static Process ferry(Path work, Path err, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-") || option.startsWith("-Dio.netty")) {
        command.add(option);
      }
    }
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.ferry.cli.Ferry");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().put("FERRY_STATE_DIR", work.resolve("state").toString());
    return builder
        .redirectOutput(work.resolve("ferry.out").toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
        .start();
  }

  /** The key of the run {@code ferry run} started, from its INFO log line; null before it. */
  private static String lastRunKey(Path err) throws Exception {
    if (!Files.exists(err)) {
      return null;
    }
    Matcher m = Pattern.compile("Run (\\S+): \\d+ splits").matcher(Files.readString(err));
    String key = null;
    while (m.find()) {
      key = m.group(1);
    }
    return key;
  }

  /** Reads the HBase table through the hbase source and compares every row with MariaDB's. */
  private static void assertSameRows(String database, String table, Map<String, Object> hbase)
      throws Exception {
    Map<String, Object> options = new HashMap<>(hbase);
    options.put("table", table);
    options.put(
        "columns",
        List.of(
            "id int64 :key binary",
            "customer_id int32 d:customer_id",
            "sku string d:sku",
            "qty int32 d:qty",
            "price decimal(12,2) d:price",
            "status string d:status",
            "created_at timestamp(0) d:created_at",
            "note string d:note"));
    Connector.Role<Source> role = new HBaseConnector().source().orElseThrow();
    Map<Long, Object[]> byId = new HashMap<>();
    try (Source source =
        role.create(role.options().parse(options), new TestConnectorContext("hbase-resume"))) {
      for (Object[] row : Rows.readSequentially(source, source.planner().plan(2))) {
        assertThat(byId.put((Long) row[0], row)).as("rows with id %s", row[0]).isNull();
      }
    }
    assertThat(byId).hasSize(ROWS);
    try (Connection c = DriverManager.getConnection(MARIADB + database, "root", "");
        Statement s = c.createStatement();
        ResultSet a = s.executeQuery("SELECT " + COLUMNS + " FROM orders")) {
      while (a.next()) {
        Object[] row = byId.get(a.getLong(1));
        assertThat(row).as("row of id %s", a.getLong(1)).isNotNull();
        for (int col = 0; col < 8; col++) {
          Object expected = a.getObject(col + 1);
          if (expected instanceof java.sql.Timestamp t) {
            expected = t.toLocalDateTime();
          }
          assertThat(row[col] == null ? null : row[col].toString())
              .as("id=%s column %d", a.getLong(1), col + 1)
              .isEqualTo(
                  expected instanceof java.math.BigDecimal d
                      ? d.toPlainString()
                      : expected == null ? null : expected.toString());
        }
      }
    }
  }
}
