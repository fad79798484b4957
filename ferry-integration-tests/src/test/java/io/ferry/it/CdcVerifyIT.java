package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.verify.Difference;
import io.ferry.engine.verify.VerifyOptions;
import io.ferry.engine.verify.VerifyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kind: cdc} job verified (issue 21): each captured table of a MariaDB with binlog is
 * compared with its PostgreSQL target as its snapshot's copy job would write it; differences name
 * their table, and rows that the change stream applies between the first look and the second are
 * not reported.
 */
@Timeout(120)
class CdcVerifyIT {
  private static BinlogMariaDb server;
  private static TestDatabases.Postgres target;
  private static final String DB = "cdc_verify";

  @TempDir Path dir;

  @BeforeAll
  static void servers() throws Exception {
    server = BinlogMariaDb.shared();
    target = new TestDatabases.Postgres();
    source(null, "DROP DATABASE IF EXISTS " + DB, "CREATE DATABASE " + DB);
    for (String t : List.of("orders", "customers")) {
      source(
          DB,
          "CREATE TABLE " + t + " (id INT PRIMARY KEY, name VARCHAR(20), qty INT)",
          "INSERT INTO " + t + " SELECT seq, CONCAT('n', seq), seq FROM seq_1_to_50");
      // What the cdc run wrote: the same rows.
      target.execute(
          "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, name VARCHAR(20), qty INTEGER)",
          "INSERT INTO " + t + " SELECT i, 'n' || i, i FROM generate_series(1, 50) i");
    }
  }

  @AfterAll
  static void drop() throws Exception {
    if (server != null) {
      source(null, "DROP DATABASE IF EXISTS " + DB);
    }
    if (target != null) {
      target.close();
    }
  }

  private static void source(String database, String... statements) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                server.jdbcUrl(database == null ? "" : database),
                server.user(),
                server.password());
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static String job() {
    return """
        name: cdc-verify
        kind: cdc
        source:
          connector: mysql
          host: %s
          port: %d
          user: %s
          password: "%s"
          database: %s
          tables: [orders, customers]
        sink:
          connector: postgresql
          %s
          table: "${table}"
        settings:
          channels: 2
        """
        .formatted(
            server.host(),
            server.port(),
            server.user(),
            server.password(),
            DB,
            target.options().replace(", ", "\n  "));
  }

  private VerifyResult verify(VerifyOptions options) {
    return new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), dir)
        .verify(JobSpecLoader.parse(job(), false, null, "cdc-verify", Map.of()), options);
  }

  private static Map<String, String> found(VerifyResult r) {
    Map<String, String> m = new TreeMap<>();
    for (Difference d : r.sample()) {
      m.put(d.kind().name().toLowerCase() + " " + d.key(), d.columns().toString());
    }
    return m;
  }

  @Test
  void eachCapturedTableIsVerifiedAndALaggingRowIsComparedAgain() throws Exception {
    VerifyResult equal = verify(VerifyOptions.content().withParallelism(2));
    assertThat(equal.equal()).as("%s", equal).isTrue();
    assertThat(equal.sourceRows()).isEqualTo(100);
    assertThat(equal.targetRows()).isEqualTo(100);

    // The target lags on customers 7 (the stream applies it between the two looks) and lost
    // customers 3.
    target.execute(
        "UPDATE customers SET name = 'behind' WHERE id = 7", "DELETE FROM customers WHERE id = 3");
    List<Long> told = new ArrayList<>();
    Path report = dir.resolve("cdc.jsonl");
    VerifyResult r =
        verify(
            VerifyOptions.content()
                .withParallelism(2)
                .withReport(report)
                .withRecheck(
                    Duration.ofMillis(200),
                    rows -> {
                      told.add(rows);
                      try {
                        target.execute("UPDATE customers SET name = 'n7' WHERE id = 7");
                      } catch (SQLException e) {
                        throw new IllegalStateException(e);
                      }
                    }));
    assertThat(r.equal()).isFalse();
    assertThat(found(r)).isEqualTo(Map.of("missing {customers.id=3}", "[]"));
    assertThat(r.missing()).isEqualTo(1);
    assertThat(r.different()).isZero();
    assertThat(told).containsExactly(2L);
    assertThat(Files.readAllLines(report)).hasSize(1).first().asString().contains("customers.id");
    assertThat(r.notes()).anyMatch(n -> n.startsWith("customers: 1 rows differed at first"));
  }
}
