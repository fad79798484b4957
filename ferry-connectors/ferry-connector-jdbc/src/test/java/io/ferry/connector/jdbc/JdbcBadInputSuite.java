package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Wrong database, port, table and column against a live server: check() and the catalog name the
 * option at fault and the data source, the URL as the dialect builds it. A dialect module
 * subclasses it with its connector and its server's database, and adds the cases only its server
 * has; the suite opens the database before the tests, creates table {@code t (id, v)} in it, and
 * closes it after them.
 *
 * @param <D> the module's test database, for the subclass's own cases
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JdbcBadInputSuite<D extends JdbcTestDatabase> {
  /** A database name no test server has. */
  protected static final String NO_SUCH_DATABASE = "ferry_no_such_database";

  private final JdbcConnector connector;
  private final String unknownDatabaseMessage;

  /** The test database, open from before the first test to after the last. */
  protected D db;

  /**
   * @param connector the connector under test
   * @param unknownDatabaseMessage what the server says of {@link #NO_SUCH_DATABASE}
   */
  protected JdbcBadInputSuite(JdbcConnector connector, String unknownDatabaseMessage) {
    this.connector = Objects.requireNonNull(connector, "connector is null");
    this.unknownDatabaseMessage = unknownDatabaseMessage;
  }

  /** Creates the test database on the server (its options name host, port, database, user). */
  protected abstract D openDatabase() throws Exception;

  @BeforeAll
  void openDatabaseWithTable() throws Exception {
    db = openDatabase();
    db.execute("CREATE TABLE t (id bigint PRIMARY KEY, v varchar(10))");
  }

  @AfterAll
  void closeDatabase() throws Exception {
    db.close();
  }

  /** The URL the dialect builds for {@code server} and {@code database}. */
  protected String url(ServerAddress server, String database) {
    return connector.dialect().sessions().url(server.host(), server.port(), database);
  }

  /** The source options for table {@code t}. */
  protected Map<String, Object> options() {
    Map<String, Object> o = db.options();
    o.put("table", "t");
    return o;
  }

  protected List<OptionProblem> check(Map<String, Object> options) {
    try (Source source = Jdbc.source(connector, options, new TestConnectorContext("bad-input"))) {
      return source.check();
    }
  }

  protected static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void anUnknownDatabaseIsTheDatabases() {
    Map<String, Object> o = options();
    o.put("database", NO_SUCH_DATABASE);
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("database");
    assertThat(problems.get(0).message())
        .contains("no such database")
        .contains(url(db.server(), NO_SUCH_DATABASE))
        .contains(unknownDatabaseMessage);
  }

  @Test
  void anUnknownDatabaseInAUrlIsTheUrls() {
    Map<String, Object> o = options();
    o.remove("host");
    o.remove("port");
    o.remove("database");
    o.put("url", url(db.server(), NO_SUCH_DATABASE));
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("url");
    assertThat(problems.get(0).message()).contains(unknownDatabaseMessage);
  }

  @Test
  void theCatalogNamesTheDatabaseAtOnce() {
    Map<String, Object> o = db.options();
    o.put("database", NO_SUCH_DATABASE);
    try (Catalog catalog = Jdbc.catalog(connector, o, new TestConnectorContext("bad-input"))) {
      long start = System.nanoTime();
      FerryException e = catchThrowableOfType(FerryException.class, catalog::schemas);
      assertThat(millisSince(start))
          .as("ms: not retried, not left to the pool's timeout")
          .isLessThan(2_000);
      assertThat(e.option()).isEqualTo("database");
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).contains(unknownDatabaseMessage);
    }
  }

  @Test
  void missingTableNamesTable() {
    Map<String, Object> o = options();
    o.put("table", "no_such_table");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("table");
    assertThat(problems.toString()).contains("no_such_table");
  }

  @Test
  void aSinksMissingTableNamesTable() {
    Map<String, Object> o = options();
    o.put("table", "no_such_table");
    List<OptionProblem> problems;
    try (Sink sink = Jdbc.sink(connector, o, new TestConnectorContext("bad-input"))) {
      problems = sink.check();
    }
    assertThat(problems).extracting(OptionProblem::option).containsExactly("table");
    assertThat(problems.get(0).message()).contains("no_such_table").contains("createTable");
  }

  @Test
  void missingColumnNamesColumns() {
    Map<String, Object> o = options();
    o.put("columns", List.of("id", "no_such_column"));
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).contains("columns");
    assertThat(problems.toString()).contains("no_such_column");
  }

  @Test
  void aClosedPortIsThePortsAndFailsFast() {
    Map<String, Object> o = options();
    o.put("port", 1);
    o.put("connectTimeout", "1s");
    o.put("maxRetries", 0);
    long start = System.nanoTime();
    List<OptionProblem> problems = check(o);
    long millis = millisSince(start);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("port");
    assertThat(problems.get(0).message())
        .contains(
            "cannot connect to "
                + url(ServerAddress.of("127.0.0.1", OptionalInt.of(1)), db.databaseName()))
        .contains("refused");
    assertThat(millis).as("milliseconds to fail").isLessThan(5_000);
  }
}
