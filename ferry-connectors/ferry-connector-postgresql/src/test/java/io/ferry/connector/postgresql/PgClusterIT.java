package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A data source naming a cluster with {@code hosts}, its first server dead (nothing listens on
 * 127.0.0.1:1), the live PostgreSQL second: check, writes (COPY and batched), reads in parallel
 * splits and the catalog reach the live server, which is a primary; {@code targetServerType} from
 * {@code properties} replaces the default {@code primary}; a cluster with no live server is a
 * problem on {@code hosts}.
 */
class PgClusterIT {
  private static final String DEAD = "127.0.0.1:1";
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));

  private static PgTestDatabase db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = new PgTestDatabase();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  /** The test database's options with hosts [dead, live] instead of host and port. */
  private static Map<String, Object> cluster(String table) {
    Map<String, Object> o = db.options();
    o.remove("host");
    o.remove("port");
    o.put("hosts", List.of(DEAD, PgTestDatabase.HOST + ":" + PgTestDatabase.PORT));
    o.put("table", table);
    return o;
  }

  private static List<Object[]> rows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      rows.add(new Object[] {i, "name " + i});
    }
    return rows;
  }

  private static List<Object[]> readBack(String table) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        rows.add(new Object[] {rs.getLong(1), rs.getString(2)});
      }
    }
    return rows;
  }

  private static List<OptionProblem> check(Map<String, Object> options) {
    try (Source source = PgJobs.source(options, new TestConnectorContext("cluster-check"))) {
      return source.check();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void writesAndReadsThroughThePrimary(String bulkLoad) throws Exception {
    String table = "cluster_" + bulkLoad;
    db.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text)");
    List<Object[]> rows = rows(2_000);
    Map<String, Object> sink = cluster(table);
    sink.put("bulkLoad", bulkLoad);
    sink.put("batchSize", 500);
    PgJobs.write(sink, new TestConnectorContext("cluster-write"), SCHEMA, rows);
    Rows.assertRowsEqual(SCHEMA, readBack(table), rows);

    try (Source source = PgJobs.source(cluster(table), new TestConnectorContext("cluster-read"))) {
      assertThat(source.check()).isEmpty();
      Rows.assertSameRows(SCHEMA, Rows.readSequentially(source, source.planner().plan(3)), rows);
    }
  }

  @Test
  void theCatalogListsTheLiveServersTables() throws Exception {
    db.execute("CREATE TABLE listed (id int PRIMARY KEY)");
    Map<String, Object> options = cluster("listed");
    options.remove("table");
    Connector.Role<Catalog> role = new PostgresConnector().catalog().orElseThrow();
    try (Catalog catalog =
        role.create(role.options().parse(options), new TestConnectorContext("cluster-catalog"))) {
      assertThat(catalog.tables("public")).extracting(Catalog.TableRef::name).contains("listed");
    }
  }

  @Test
  void targetServerTypeComesFromProperties() throws Exception {
    db.execute("CREATE TABLE typed (id int PRIMARY KEY)");
    Map<String, Object> o = cluster("typed");
    o.put("properties", Map.of("targetServerType", "secondary"));
    o.put("connectTimeout", "2s");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("hosts");
    assertThat(problems.get(0).message())
        .contains("jdbc:postgresql://127.0.0.1:1,127.0.0.1:5432/" + db.name())
        .contains("targetServerType: secondary");

    o.put("properties", Map.of("targetServerType", "preferSecondary"));
    assertThat(check(o)).as("no standby: the primary").isEmpty();
  }

  @Test
  void aClusterWithoutALiveServerIsAProblemOnHosts() {
    Map<String, Object> o = cluster("t");
    o.put("hosts", List.of(DEAD, "127.0.0.1:2"));
    o.put("connectTimeout", "2s");
    o.put("maxRetries", 0);
    long start = System.nanoTime();
    List<OptionProblem> problems = check(o);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(problems).extracting(OptionProblem::option).containsExactly("hosts");
    assertThat(problems.get(0).message())
        .contains("jdbc:postgresql://127.0.0.1:1,127.0.0.1:2/" + db.name())
        .contains("refused");
    assertThat(millis).as("ms to fail").isLessThan(3_000);
  }
}
