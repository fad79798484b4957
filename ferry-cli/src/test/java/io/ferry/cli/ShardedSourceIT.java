package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JDBC source over several tables of several databases (shards) read into one target, between the
 * real MariaDB and PostgreSQL of the machine: two shards × two tables, the target read back and
 * compared; different columns fail naming the table and column; a run killed midway resumes
 * exactly.
 */
class ShardedSourceIT {
  private static Db maria1;
  private static Db maria2;
  private static Db pg1;
  private static Db pg2;

  @TempDir Path state;

  @BeforeAll
  static void databases() throws SQLException {
    maria1 = Db.newMariaDb();
    maria2 = Db.newMariaDb();
    pg1 = Db.newPostgres();
    pg2 = Db.newPostgres();
  }

  @AfterAll
  static void drop() throws SQLException {
    for (Db db : new Db[] {maria1, maria2, pg1, pg2}) {
      if (db != null) {
        db.drop();
      }
    }
  }

  /** A database of its own on the machine's MariaDB or PostgreSQL, dropped after the class. */
  private record Db(String url, String name, boolean postgres) {
    static Db newMariaDb() throws SQLException {
      Db db = new Db("jdbc:mariadb://127.0.0.1:3306/", randomName(), false);
      db.admin("CREATE DATABASE " + db.name);
      return db;
    }

    static Db newPostgres() throws SQLException {
      Db db = new Db("jdbc:postgresql://127.0.0.1:5432/", randomName(), true);
      db.admin("CREATE DATABASE " + db.name);
      return db;
    }

    private static String randomName() {
      return "ferry_shards_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private void admin(String sql) throws SQLException {
      try (Connection c =
              DriverManager.getConnection(
                  url + (postgres ? "postgres" : ""), postgres ? "postgres" : "root", "");
          Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }

    void drop() throws SQLException {
      admin("DROP DATABASE IF EXISTS " + name + (postgres ? " WITH (FORCE)" : ""));
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(url + name, postgres ? "postgres" : "root", "");
    }

    void execute(String... sql) throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        for (String q : sql) {
          s.execute(q);
        }
      }
    }

    /** Connector options of this database, YAML flow style. */
    String options() {
      return postgres
          ? "host: 127.0.0.1, port: 5432, database: " + name + ", user: postgres"
          : "host: 127.0.0.1, port: 3306, database: " + name + ", user: root";
    }
  }

  private Engine engine(Path dir) {
    return new Engine(ConnectorRegistry.fromClassPath(ShardedSourceIT.class.getClassLoader()), dir);
  }

  private static JobSpec job(String name, String yaml) {
    return JobSpecLoader.parse(yaml, false, null, name, Map.of());
  }

  private static RunResult succeeded(RunResult r) {
    assertThat(r.state()).as("state; failure: %s", r.failure()).isEqualTo(RunState.SUCCEEDED);
    return r;
  }

  /** Ids {@code base+1 .. base+n}, value {@code <table>-<id>}, amount id/100. */
  private static String fill(String table, int base, int n) {
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
    for (int i = 1; i <= n; i++) {
      int id = base + i;
      sql.append(i > 1 ? ", " : "")
          .append("(")
          .append(id)
          .append(", '")
          .append(table)
          .append('-')
          .append(id)
          .append("', ")
          .append(id / 100.0)
          .append(")");
    }
    return sql.toString();
  }

  /** The rows {@link #fill} wrote into each table, sorted as {@link #rows} sorts them. */
  private static List<String> expected(int[] bases, String[] tables, int[] counts) {
    List<String> rows = new ArrayList<>();
    for (int t = 0; t < bases.length; t++) {
      for (int i = 1; i <= counts[t]; i++) {
        int id = bases[t] + i;
        rows.add(
            id + "|" + tables[t] + "-" + id + "|" + String.format(Locale.ROOT, "%.2f", id / 100.0));
      }
    }
    rows.sort(null);
    return rows;
  }

  /**
   * Two MariaDB databases with two tables each, by host/port/database, into one PostgreSQL table.
   */
  @Test
  void mariaDbShardsAndTablesIntoOnePostgresTable() throws Exception {
    String ddl = "(id INT PRIMARY KEY, v VARCHAR(40), amount DECIMAL(10,2))";
    maria1.execute(
        "CREATE TABLE orders_a " + ddl,
        "CREATE TABLE orders_b " + ddl,
        fill("orders_a", 1000, 150),
        fill("orders_b", 2000, 90));
    maria2.execute(
        "CREATE TABLE orders_a " + ddl,
        "CREATE TABLE orders_b " + ddl,
        fill("orders_a", 3000, 120),
        fill("orders_b", 4000, 1));
    pg1.execute("CREATE TABLE all_orders (id INT, v VARCHAR(40), amount NUMERIC(10,2))");
    String yaml =
        """
        source:
          connector: mysql
          user: root
          shards:
            - {host: 127.0.0.1, port: 3306, database: %s}
            - {host: 127.0.0.1, port: 3306, database: %s}
          tables: [orders_a, orders_b]
          splitsPerChannel: 3
        sink: {connector: postgresql, %s, table: all_orders}
        settings: {channels: 2}
        """
            .formatted(maria1.name, maria2.name, pg1.options());
    RunResult r = succeeded(engine(state).start(job("maria-shards", yaml)).await());
    assertThat(r.progress().recordsRead()).isEqualTo(361);
    assertThat(rows(pg1.connect(), "SELECT id, v, amount FROM all_orders"))
        .containsExactlyElementsOf(
            expected(
                new int[] {1000, 2000, 3000, 4000},
                new String[] {"orders_a", "orders_b", "orders_a", "orders_b"},
                new int[] {150, 90, 120, 1}));
  }

  /**
   * Two PostgreSQL databases by URL, each shard with its own tables, into one MariaDB table; and
   * tables whose columns differ fail naming the table and the column.
   */
  @Test
  void postgresShardsWithTheirOwnTablesIntoOneMariaDbTable() throws Exception {
    String ddl = "(id INT PRIMARY KEY, v VARCHAR(40), amount NUMERIC(10,2))";
    pg1.execute(
        "CREATE TABLE p1 " + ddl,
        "CREATE TABLE p2 " + ddl,
        fill("p1", 100, 70),
        fill("p2", 200, 30));
    pg2.execute(
        "CREATE TABLE p3 " + ddl,
        "CREATE TABLE p4 " + ddl,
        "CREATE TABLE p5 (id INT PRIMARY KEY, v VARCHAR(40), amount TEXT)",
        fill("p3", 300, 55),
        fill("p4", 400, 10));
    maria1.execute(
        "CREATE TABLE from_pg (id INT PRIMARY KEY, v VARCHAR(40), amount DECIMAL(10,2))");
    String shards =
        """
            - {url: "jdbc:postgresql://127.0.0.1:5432/%s", tables: [p1, p2]}
            - {url: "jdbc:postgresql://127.0.0.1:5432/%s", tables: [%s]}
        """;
    String yaml =
        """
        source:
          connector: postgresql
          user: postgres
          shards:
        %s
        sink: {connector: mysql, %s, table: from_pg, writeMode: upsert, keys: [id]}
        settings: {channels: 2}
        """;
    succeeded(
        engine(state)
            .start(
                job(
                    "pg-shards",
                    yaml.formatted(
                        shards.formatted(pg1.name, pg2.name, "p3, p4"), maria1.options())))
            .await());
    assertThat(rows(maria1.connect(), "SELECT id, v, amount FROM from_pg"))
        .containsExactlyElementsOf(
            expected(
                new int[] {100, 200, 300, 400},
                new String[] {"p1", "p2", "p3", "p4"},
                new int[] {70, 30, 55, 10}));

    // Checked before the run starts: the table, the column and both types are named.
    assertThatThrownBy(
            () ->
                engine(state)
                    .start(
                        job(
                            "pg-mismatch",
                            yaml.formatted(
                                shards.formatted(pg1.name, pg2.name, "p3, p5"), maria1.options()))))
        .hasMessageContaining("source.shards: shard-1.p5")
        .hasMessageContaining(
            "has column amount of type string where shard-0.p1 has decimal(10,2)");
  }

  /**
   * A DataX mysqlreader with two connection entries (databases) of two tables each runs unchanged
   * through {@code ferry run}, into one PostgreSQL table.
   */
  @Test
  void dataxConnectionEntriesReadEveryTableOfEveryDatabase() throws Exception {
    String ddl = "(id INT PRIMARY KEY, v VARCHAR(40), amount DECIMAL(10,2))";
    maria1.execute(
        "CREATE TABLE dx_a " + ddl,
        "CREATE TABLE dx_b " + ddl,
        fill("dx_a", 500, 20),
        fill("dx_b", 600, 25));
    maria2.execute(
        "CREATE TABLE dx_a " + ddl,
        "CREATE TABLE dx_b " + ddl,
        fill("dx_a", 700, 30),
        fill("dx_b", 800, 5));
    pg1.execute("CREATE TABLE dx_all (id INT, v VARCHAR(40), amount NUMERIC(10,2))");
    String datax =
        """
        {"job": {"setting": {"speed": {"channel": 2}},
          "content": [{
            "reader": {"name": "mysqlreader", "parameter": {
              "username": "root", "password": "", "column": ["id", "v", "amount"], "splitPk": "id",
              "connection": [
                {"table": ["dx_a", "dx_b"], "jdbcUrl": ["jdbc:mysql://127.0.0.1:3306/%s"]},
                {"table": ["dx_a", "dx_b"], "jdbcUrl": ["jdbc:mysql://127.0.0.1:3306/%s"]}]}},
            "writer": {"name": "postgresqlwriter", "parameter": {
              "username": "postgres", "password": "", "column": ["id", "v", "amount"],
              "connection": [{"jdbcUrl": "jdbc:postgresql://127.0.0.1:5432/%s",
                              "table": ["dx_all"]}]}}}]}}
        """
            .formatted(maria1.name, maria2.name, pg1.name);
    Path file = state.resolve("sharded.json");
    Files.writeString(file, datax);
    Cli.Result r =
        Cli.ferry("run", file.toString(), "--state-dir", state.resolve("cli").toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(rows(pg1.connect(), "SELECT id, v, amount FROM dx_all"))
        .containsExactlyElementsOf(
            expected(
                new int[] {500, 600, 700, 800},
                new String[] {"dx_a", "dx_b", "dx_a", "dx_b"},
                new int[] {20, 25, 30, 5}));
  }

  /**
   * A run killed midway (its state directory as a kill -9 leaves it: a copy taken while it ran)
   * resumes in a new engine: every split continues after its own checkpointed position, and the
   * target, upserted by id, ends up equal to the four tables.
   */
  @Test
  void killedRunResumesEverySplitExactly(@TempDir Path killed) throws Exception {
    String ddl = "(id INT PRIMARY KEY, v VARCHAR(40), amount DECIMAL(10,2))";
    maria1.execute(
        "CREATE TABLE k_a " + ddl,
        "CREATE TABLE k_b " + ddl,
        fill("k_a", 10000, 200),
        fill("k_b", 20000, 200));
    maria2.execute(
        "CREATE TABLE k_a " + ddl,
        "CREATE TABLE k_b " + ddl,
        fill("k_a", 30000, 200),
        fill("k_b", 40000, 200));
    pg2.execute("CREATE TABLE k_all (id INT PRIMARY KEY, v VARCHAR(40), amount NUMERIC(10,2))");
    String yaml =
        """
        source:
          connector: mysql
          user: root
          shards: ["jdbc:mariadb://127.0.0.1:3306/%s", "jdbc:mariadb://127.0.0.1:3306/%s"]
          tables: [k_a, k_b]
          fetchSize: 10
          splitsPerChannel: 2
        sink: {connector: postgresql, %s, table: k_all, writeMode: upsert, keys: [id], batchSize: 10}
        settings: {channels: 2, recordsPerSecond: 300, flushInterval: 200ms}
        """
            .formatted(maria1.name, maria2.name, pg2.options());
    JobRun run = engine(state).start(job("killed", yaml));
    Thread.sleep(1500);
    copyState(state, killed); // the process dies here, as far as the copy knows
    run.stop();
    assertThat(run.await().state()).isEqualTo(RunState.STOPPED);
    long before = count(pg2.connect(), "SELECT COUNT(*) FROM k_all");
    assertThat(before).as("rows written before the kill").isBetween(1L, 799L);

    Engine restarted = engine(killed);
    assertThat(restarted.runOf(run.runKey()).orElseThrow().state()).isEqualTo(RunState.PAUSED);
    RunResult resumed =
        succeeded(
            restarted
                .resume(
                    run.runKey(),
                    job("killed", yaml.replace("recordsPerSecond: 300, ", "")),
                    Map.of())
                .await(Duration.ofMinutes(2))
                .orElseThrow());
    // Counts continue from the checkpoint: a split read again from its start would count twice.
    assertThat(resumed.progress().recordsRead()).isEqualTo(800);
    assertThat(rows(pg2.connect(), "SELECT id, v, amount FROM k_all"))
        .containsExactlyElementsOf(
            expected(
                new int[] {10000, 20000, 30000, 40000},
                new String[] {"k_a", "k_b", "k_a", "k_b"},
                new int[] {200, 200, 200, 200}));
  }

  /** Copies a state directory as it is now, leaving out files being written ({@code .tmp}). */
  private static void copyState(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        try {
          if (Files.isDirectory(f)) {
            Files.createDirectories(target);
          } else if (!f.toString().endsWith(".tmp")) {
            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
          }
        } catch (NoSuchFileException gone) {
          // replaced while listed: its new version is there under its own name
        }
      }
    }
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (c;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(b.toString());
      }
    }
    out.sort(null);
    return out;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (c;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
