package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.jdbc.JdbcBadInputSuite;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wrong credentials, database, port, table and column: check() (and the catalog) name the option at
 * fault and the data source, never the password. The cases every server has are {@link
 * JdbcBadInputSuite}'s; MariaDB's users, grants and a silent server are here.
 */
class MySqlBadInputIT extends JdbcBadInputSuite<MariaDb> {
  MySqlBadInputIT() {
    super(new MySqlConnector(), "Unknown database '" + NO_SUCH_DATABASE + "'");
  }

  @Override
  protected MariaDb openDatabase() throws Exception {
    return MariaDb.create();
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
  void aDataxStyleMysqlUrlConnects() {
    Map<String, Object> o = options();
    o.remove("host");
    o.remove("port");
    o.remove("database");
    o.put(
        "url",
        "jdbc:mysql://"
            + MariaDb.HOST
            + ":"
            + MariaDb.PORT
            + "/"
            + db.database
            + "?useUnicode=true&characterEncoding=utf8");
    assertThat(check(o)).isEmpty();
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
          new MySqlDialect().sessions().connectTimeoutProperties(java.time.Duration.ofSeconds(1)));
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
}
