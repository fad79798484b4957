package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wrong credentials, database, port, table and column: check() (and the catalog) name the option at
 * fault and the data source, never the password.
 */
class MySqlBadInputIT {
  private static MariaDb db;

  @BeforeAll
  static void createTable() throws Exception {
    db = MariaDb.create();
    db.execute("CREATE TABLE t (id bigint primary key, v varchar(10))");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static List<OptionProblem> check(Map<String, Object> options) {
    try (Source source = Jobs.source(options, new TestConnectorContext("bad-input"))) {
      return source.check();
    }
  }

  private static Map<String, Object> options() {
    Map<String, Object> o = db.options();
    o.put("table", "t");
    return o;
  }

  @Test
  void anUnknownUserIsTheUsersButTheMessageNeverShowsThePassword() {
    Map<String, Object> o = options();
    o.put("user", "ferry_no_such_user");
    o.put("password", "s3cret-Value");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("user");
    String text = problems.toString();
    assertThat(text).contains(MariaDb.HOST).doesNotContain("s3cret-Value");
  }

  @Test
  void aWrongPasswordIsTheUsersNamingTheServerAndTheReason() {
    Map<String, Object> o = options();
    o.put("password", "s3cret-Value");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("user");
    assertThat(problems.get(0).message())
        .contains(
            "login to jdbc:mariadb://" + MariaDb.HOST + ":" + MariaDb.PORT + "/" + db.database)
        .contains("Access denied for user '" + MariaDb.USER + "'")
        .doesNotContain("s3cret-Value");
  }

  @Test
  void anUnknownDatabaseIsTheDatabases() {
    Map<String, Object> o = options();
    o.put("database", "ferry_no_such_database");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("database");
    assertThat(problems.get(0).message())
        .contains("no such database")
        .contains(MariaDb.HOST)
        .contains("Unknown database 'ferry_no_such_database'");
  }

  @Test
  void anUnknownDatabaseInAUrlIsTheUrls() {
    Map<String, Object> o = options();
    o.remove("host");
    o.remove("port");
    o.remove("database");
    o.put("url", "jdbc:mariadb://" + MariaDb.HOST + ":" + MariaDb.PORT + "/ferry_no_such_database");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("url");
    assertThat(problems.get(0).message()).contains("Unknown database 'ferry_no_such_database'");
  }

  @Test
  void aUserWithoutAccessToTheDatabaseIsTheDatabases() throws Exception {
    String user = db.database + "_u";
    db.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw-" + user + "'");
    try {
      Map<String, Object> o = options();
      o.put("user", user);
      o.put("password", "pw-" + user);
      List<OptionProblem> problems = check(o);
      assertThat(problems).extracting(OptionProblem::option).containsExactly("database");
      assertThat(problems.get(0).message()).contains("to database '" + db.database + "'");
    } finally {
      db.execute("DROP USER IF EXISTS '" + user + "'@'%'");
    }
  }

  @Test
  void theCatalogNamesTheDatabaseAtOnce() {
    Map<String, Object> o = db.options();
    o.put("database", "ferry_no_such_database");
    Connector.Role<Catalog> role = new MySqlConnector().catalog().orElseThrow();
    try (Catalog catalog =
        role.create(role.options().parse(o), new TestConnectorContext("bad-input"))) {
      long start = System.nanoTime();
      FerryException e = catchThrowableOfType(FerryException.class, catalog::schemas);
      assertThat(millisSince(start))
          .as("ms: not retried, not left to the pool's timeout")
          .isLessThan(2_000);
      assertThat(e.option()).isEqualTo("database");
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).contains("Unknown database 'ferry_no_such_database'");
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
    try (Sink sink = Jobs.sink(o, new TestConnectorContext("bad-input"))) {
      problems = sink.check();
    }
    assertThat(problems).extracting(OptionProblem::option).containsExactly("table");
    assertThat(problems.get(0).message()).contains("no_such_table").contains("createTable");
  }

  @Test
  void missingColumnNamesIt() {
    Map<String, Object> o = options();
    o.put("columns", List.of("id", "no_such_column"));
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).contains("columns");
    assertThat(problems.toString()).contains("no_such_column");
  }

  /**
   * A port that accepts the TCP connection and never answers (a hung server, a firewall that
   * swallows packets): the check, the pool and the driver itself all give up after connectTimeout.
   */
  @Test
  void aSilentServerFailsWithinTheConnectTimeout() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      Map<String, Object> o = options();
      o.put("port", silent.getLocalPort());
      o.put("connectTimeout", "1s");
      o.put("maxRetries", 0);
      long start = System.nanoTime();
      List<OptionProblem> problems = check(o);
      assertThat(problems).extracting(OptionProblem::option).containsAnyOf("host", "port");
      assertThat(millisSince(start)).as("ms for the check to fail").isLessThan(2_500);

      start = System.nanoTime();
      try (Source source = Jobs.source(o, new TestConnectorContext("silent"))) {
        io.ferry.spi.FerryException e =
            org.assertj.core.api.Assertions.catchThrowableOfType(
                io.ferry.spi.FerryException.class, source::schema);
        assertThat(e.code()).isEqualTo(io.ferry.connector.jdbc.JdbcErrors.CONNECTION);
        assertThat(e.retriable()).as("an unreachable server pauses a run").isTrue();
      }
      assertThat(millisSince(start)).as("ms for the pool to fail").isLessThan(2_500);

      // The driver's own timeout (30 s by default) is the dialect's connectTimeout property.
      java.util.Properties properties = new java.util.Properties();
      properties.putAll(
          new MySqlDialect().connectTimeoutProperties(java.time.Duration.ofSeconds(1)));
      properties.setProperty("user", MariaDb.USER);
      start = System.nanoTime();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  java.sql.DriverManager.getConnection(
                      "jdbc:mariadb://127.0.0.1:" + silent.getLocalPort() + "/", properties))
          .isInstanceOf(java.sql.SQLException.class);
      assertThat(millisSince(start)).as("ms for the driver to fail").isLessThan(2_500);
    }
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void aClosedPortIsThePortsAndFailsFast() {
    Map<String, Object> o = options();
    o.put("port", 1);
    o.put("connectTimeout", "2s");
    o.put("maxRetries", 0);
    long start = System.nanoTime();
    List<OptionProblem> problems = check(o);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(problems).extracting(OptionProblem::option).containsExactly("port");
    assertThat(problems.get(0).message())
        .contains("cannot connect to jdbc:mariadb://127.0.0.1:1/")
        .contains("Connection refused");
    assertThat(millis).as("milliseconds to fail").isLessThan(3_000);
  }
}
