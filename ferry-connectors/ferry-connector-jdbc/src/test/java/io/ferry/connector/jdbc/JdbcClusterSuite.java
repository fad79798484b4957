package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A data source naming a cluster with {@code hosts}, its first server dead (nothing listens on
 * 127.0.0.1:1), the live test server second: check, writes (bulk and batched), reads in parallel
 * splits and the catalog all reach the live server; a cluster with no live server is a problem on
 * {@code hosts}, naming the URL {@link Sessions#clusterUrl} builds. A dialect module that builds
 * cluster URLs subclasses it with its connector and its server's database.
 *
 * @param <D> the module's test database, for the subclass's own cases
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JdbcClusterSuite<D extends JdbcTestDatabase> {
  protected static final ServerAddress DEAD = ServerAddress.parse("127.0.0.1:1");
  protected static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));

  private final JdbcConnector connector;

  /** The test database, open from before the first test to after the last. */
  protected D db;

  protected JdbcClusterSuite(JdbcConnector connector) {
    this.connector = Objects.requireNonNull(connector, "connector is null");
  }

  /** Creates the test database on the server (its options name host, port, database, user). */
  protected abstract D openDatabase() throws Exception;

  @BeforeAll
  void open() throws Exception {
    db = openDatabase();
  }

  @AfterAll
  void closeDatabase() throws Exception {
    db.close();
  }

  /** The schema the catalog lists the test database's tables under. Default: the database. */
  protected String catalogSchema() {
    return db.databaseName();
  }

  /**
   * How many bulk loads the server has run so far (all sessions), to show the bulk path works
   * through the driver's cluster connection; empty where the server does not count them.
   */
  protected OptionalLong bulkLoads() throws Exception {
    return OptionalLong.empty();
  }

  /** The test database's options with hosts [dead, live] instead of host and port. */
  protected Map<String, Object> cluster(String table) {
    Map<String, Object> o = db.options();
    o.remove("host");
    o.remove("port");
    o.put("hosts", List.of(DEAD.toUrlPart(0), db.server().toUrlPart(0)));
    o.put("table", table);
    return o;
  }

  protected List<OptionProblem> check(Map<String, Object> options) {
    try (Source source =
        Jdbc.source(connector, options, new TestConnectorContext("cluster-check"))) {
      return source.check();
    }
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
    db.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name varchar(20))");
    List<Object[]> rows = rows(2_000);
    Map<String, Object> options = cluster(table);
    options.put("bulkLoad", bulkLoad);
    options.put("batchSize", 500);
    OptionalLong loadsBefore = bulkLoads();
    try (Sink sink = Jdbc.sink(connector, options, new TestConnectorContext("cluster-write"))) {
      assertThat(sink.check()).as("check problems").isEmpty();
      Jdbc.writeAll(sink, SCHEMA, rows, 100);
    }
    Rows.assertRowsEqual(SCHEMA, db.read(table, SCHEMA, "id"), rows);
    if (bulkLoad.equals("auto") && loadsBefore.isPresent()) {
      assertThat(bulkLoads().orElseThrow())
          .as("the bulk path works through the driver's cluster connection")
          .isGreaterThanOrEqualTo(loadsBefore.getAsLong() + rows.size() / 500);
    }

    try (Source source =
        Jdbc.source(connector, cluster(table), new TestConnectorContext("cluster-read"))) {
      assertThat(source.check()).as("check problems").isEmpty();
      Rows.assertSameRows(SCHEMA, Rows.readSequentially(source, source.planner().plan(3)), rows);
    }
  }

  @Test
  void theCatalogListsTheLiveServersTables() throws Exception {
    db.execute("CREATE TABLE listed (id int PRIMARY KEY)");
    Map<String, Object> options = cluster("listed");
    options.remove("table");
    try (Catalog catalog =
        Jdbc.catalog(connector, options, new TestConnectorContext("cluster-catalog"))) {
      assertThat(catalog.tables(catalogSchema()))
          .extracting(Catalog.TableRef::name)
          .contains("listed");
    }
  }

  @Test
  void aClusterWithoutALiveServerIsAProblemOnHostsNamingEveryServer() {
    ServerAddress alsoDead = ServerAddress.parse("127.0.0.1:2");
    Map<String, Object> o = cluster("t");
    o.put("hosts", List.of(DEAD.toUrlPart(0), alsoDead.toUrlPart(0)));
    o.put("connectTimeout", "2s");
    o.put("maxRetries", 0);
    long start = System.nanoTime();
    List<OptionProblem> problems = check(o);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(problems).extracting(OptionProblem::option).containsExactly("hosts");
    String url =
        connector
            .dialect()
            .sessions()
            .clusterUrl(List.of(DEAD, alsoDead), db.databaseName())
            .orElseThrow();
    assertThat(problems.get(0).message()).contains(url).contains("refused");
    assertThat(millis)
        .as("ms to fail: each server tried, not the driver's retries")
        .isLessThan(3_000);
  }
}
