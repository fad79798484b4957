package io.ferry.connector.postgresql;

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
 * Wrong database, host, port, table and column and a role that cannot log in: check() (and the
 * catalog) name the option at fault and the data source. A wrong password cannot be shown here: the
 * test server trusts every login from 127.0.0.1 (SQLState 28P01 is mapped to {@code user} like
 * 28000; see ConnectionProblemsTest in the JDBC base).
 */
class PgBadInputIT {
  private static PgTestDatabase db;
  private static String role;

  @BeforeAll
  static void createTable() throws Exception {
    db = new PgTestDatabase();
    role = db.name() + "_nologin";
    db.execute("CREATE TABLE t (id bigint PRIMARY KEY, v varchar(10))", "CREATE ROLE " + role);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    try {
      db.execute("DROP ROLE IF EXISTS " + role);
    } finally {
      db.close();
    }
  }

  private static List<OptionProblem> check(Map<String, Object> options) {
    try (Source source = PgJobs.source(options, new TestConnectorContext("bad-input"))) {
      return source.check();
    }
  }

  private static Map<String, Object> options() {
    Map<String, Object> o = db.options();
    o.put("table", "t");
    return o;
  }

  @Test
  void anUnknownDatabaseIsTheDatabases() {
    Map<String, Object> o = options();
    o.put("database", "ferry_no_such_database");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("database");
    assertThat(problems.get(0).message())
        .contains("no such database")
        .contains("jdbc:postgresql://" + PgTestDatabase.HOST + ":" + PgTestDatabase.PORT)
        .contains("database \"ferry_no_such_database\" does not exist");
  }

  @Test
  void anUnknownDatabaseInAUrlIsTheUrls() {
    Map<String, Object> o = options();
    o.remove("host");
    o.remove("port");
    o.remove("database");
    o.put("url", "jdbc:postgresql://127.0.0.1:5432/ferry_no_such_database");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("url");
    assertThat(problems.get(0).message())
        .contains("database \"ferry_no_such_database\" does not exist");
  }

  @Test
  void theCatalogNamesTheDatabaseAtOnce() {
    Map<String, Object> o = db.options();
    o.put("database", "ferry_no_such_database");
    Connector.Role<Catalog> role = new PostgresConnector().catalog().orElseThrow();
    try (Catalog catalog =
        role.create(role.options().parse(o), new TestConnectorContext("bad-input"))) {
      long start = System.nanoTime();
      FerryException e = catchThrowableOfType(FerryException.class, catalog::schemas);
      assertThat((System.nanoTime() - start) / 1_000_000)
          .as("ms: not retried, not left to the pool's timeout")
          .isLessThan(2_000);
      assertThat(e.option()).isEqualTo("database");
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).contains("ferry_no_such_database");
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
  void missingColumnNamesColumns() {
    Map<String, Object> o = options();
    o.put("columns", List.of("id", "no_such_column"));
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("columns");
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
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(problems).extracting(OptionProblem::option).containsExactly("port");
    assertThat(problems.get(0).message())
        .contains("cannot connect to jdbc:postgresql://127.0.0.1:1/" + db.name())
        .contains("refused");
    assertThat(millis).as("milliseconds to fail").isLessThan(5_000);
  }

  @Test
  void anUnknownHostIsTheHosts() {
    Map<String, Object> o = options();
    o.put("host", "ferry-no-such-host.invalid");
    o.put("connectTimeout", "2s");
    o.put("maxRetries", 0);
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("host");
    assertThat(problems.get(0).message()).contains("UnknownHostException");
  }

  /**
   * A host and port where something else answers (here a stand-in that replies like an HTTP proxy,
   * as one does on these machines for hosts it cannot reach): the problem is the address's, and
   * does not send the user to SSL settings as the driver's "error occurred while setting up the SSL
   * connection" did.
   */
  @Test
  void somethingElseAnsweringIsTheHostsNotAnSslProblem() throws Exception {
    try (java.net.ServerSocket other = new java.net.ServerSocket(0, 50, LOOPBACK)) {
      Thread answering =
          new Thread(
              () -> {
                while (!other.isClosed()) {
                  try (java.net.Socket s = other.accept()) {
                    s.getOutputStream()
                        .write(
                            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                  } catch (java.io.IOException e) {
                    // closed at the end of the test
                  }
                }
              });
      answering.setDaemon(true);
      answering.start();
      Map<String, Object> o = options();
      o.put("port", other.getLocalPort());
      o.put("connectTimeout", "2s");
      o.put("maxRetries", 0);
      List<OptionProblem> problems = check(o);
      assertThat(problems).extracting(OptionProblem::option).containsExactly("host");
      assertThat(problems.get(0).message())
          .contains("cannot connect to jdbc:postgresql://127.0.0.1:" + other.getLocalPort())
          .contains("no PostgreSQL server answers there")
          .contains("check host and port")
          .doesNotContain("SSL");

      try (Source source = PgJobs.source(o, new TestConnectorContext("not-postgres"))) {
        FerryException e = catchThrowableOfType(FerryException.class, source::schema);
        assertThat(e.option()).isEqualTo("host");
        assertThat(e.getMessage()).contains("no PostgreSQL server answers there");
      }
    }
  }

  private static final java.net.InetAddress LOOPBACK = java.net.InetAddress.getLoopbackAddress();

  @Test
  void aSinksMissingTableNamesTable() {
    Map<String, Object> o = options();
    o.put("table", "no_such_table");
    List<OptionProblem> problems;
    try (Sink sink = PgJobs.sink(o, new TestConnectorContext("bad-input"))) {
      problems = sink.check();
    }
    assertThat(problems).extracting(OptionProblem::option).containsExactly("table");
    assertThat(problems.get(0).message()).contains("no_such_table").contains("createTable");
  }

  @Test
  void aRoleWithoutLoginNamesUser() {
    Map<String, Object> o = options();
    o.put("user", role);
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("user");
    assertThat(problems.get(0).message())
        .contains("login to jdbc:postgresql://127.0.0.1:5432/" + db.name() + " as " + role)
        .contains("not permitted to log in");
  }
}
