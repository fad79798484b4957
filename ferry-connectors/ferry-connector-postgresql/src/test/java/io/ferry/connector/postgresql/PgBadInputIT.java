package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.jdbc.JdbcBadInputSuite;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
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
 * 28000; see ConnectionProblemsTest in the JDBC base). The cases every server has are {@link
 * JdbcBadInputSuite}'s; an unknown host, a role without login and a non-PostgreSQL answer are here.
 */
class PgBadInputIT extends JdbcBadInputSuite<PgTestDatabase> {
  private String role;

  PgBadInputIT() {
    super(new PostgresConnector(), "database \"" + NO_SUCH_DATABASE + "\" does not exist");
  }

  @Override
  protected PgTestDatabase openDatabase() throws Exception {
    return new PgTestDatabase();
  }

  @BeforeAll
  void createRole() throws Exception {
    role = db.name() + "_nologin";
    db.execute("CREATE ROLE " + role);
  }

  /** Runs before the suite closes the database. */
  @AfterAll
  void dropRole() throws Exception {
    db.execute("DROP ROLE IF EXISTS " + role);
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
