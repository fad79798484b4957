package io.ferry.connector.mysql;

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
 * 127.0.0.1:1), the live MariaDB second: check, writes (LOAD DATA and batched), reads in parallel
 * splits and the catalog all reach the live server; a cluster with no live server is a problem on
 * {@code hosts}.
 */
class MySqlClusterIT {
  private static final String DEAD = "127.0.0.1:1";
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));

  private static MariaDb db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = MariaDb.create();
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
    o.put("hosts", List.of(DEAD, MariaDb.HOST + ":" + MariaDb.PORT));
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

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void writesAndReadsThroughTheFirstServerThatAnswers(String bulkLoad) throws Exception {
    String table = "cluster_" + bulkLoad;
    db.execute("CREATE TABLE " + table + " (id bigint primary key, name varchar(20))");
    List<Object[]> rows = rows(2_000);
    Map<String, Object> sink = cluster(table);
    sink.put("bulkLoad", bulkLoad);
    sink.put("batchSize", 500);
    long loadsBefore = loadDataStatements();
    Jobs.write(sink, new TestConnectorContext("cluster-write"), SCHEMA, rows);
    Rows.assertRowsEqual(SCHEMA, db.readAll(table, SCHEMA), rows);
    if (bulkLoad.equals("auto")) {
      assertThat(loadDataStatements())
          .as("LOAD DATA works through the driver's failover connection")
          .isGreaterThanOrEqualTo(loadsBefore + rows.size() / 500);
    }

    List<Object[]> read = Jobs.read(cluster(table), new TestConnectorContext("cluster-read"), 3);
    Rows.assertSameRows(SCHEMA, read, rows);
  }

  /** LOAD DATA statements the server ran so far (all sessions: other tests may add to it). */
  private static long loadDataStatements() throws Exception {
    try (java.sql.Connection c = db.connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_load'")) {
      rs.next();
      return rs.getLong(2);
    }
  }

  @Test
  void theCatalogListsTheLiveServersTables() throws Exception {
    db.execute("CREATE TABLE listed (id int primary key)");
    Map<String, Object> options = cluster("listed");
    options.remove("table");
    Connector.Role<Catalog> role = new MySqlConnector().catalog().orElseThrow();
    try (Catalog catalog =
        role.create(role.options().parse(options), new TestConnectorContext("cluster-catalog"))) {
      assertThat(catalog.tables(db.database)).extracting(Catalog.TableRef::name).contains("listed");
    }
  }

  @Test
  void aClusterWithoutALiveServerIsAProblemOnHostsNamingEveryServer() {
    Map<String, Object> o = cluster("t");
    o.put("hosts", List.of(DEAD, "127.0.0.1:2"));
    o.put("connectTimeout", "2s");
    o.put("maxRetries", 0);
    long start = System.nanoTime();
    List<OptionProblem> problems;
    try (Source source = Jobs.source(o, new TestConnectorContext("cluster-down"))) {
      problems = source.check();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(problems).extracting(OptionProblem::option).containsExactly("hosts");
    assertThat(problems.get(0).message())
        .contains("jdbc:mariadb:sequential://127.0.0.1:1,127.0.0.1:2/" + db.database)
        .contains("Connection refused");
    assertThat(millis)
        .as("ms to fail: each server tried, not the driver's 120 attempts")
        .isLessThan(3_000);
  }
}
