package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wrong credentials, host, table and column: check() names the option and the data source. */
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
  void wrongPasswordNamesUserAndPasswordButNotThePassword() {
    Map<String, Object> o = options();
    o.put("user", "ferry_no_such_user");
    o.put("password", "s3cret-Value");
    List<OptionProblem> problems = check(o);
    assertThat(problems).isNotEmpty();
    assertThat(problems).extracting(OptionProblem::option).containsAnyOf("user", "password");
    String text = problems.toString();
    assertThat(text).contains(MariaDb.HOST).doesNotContain("s3cret-Value");
  }

  @Test
  void missingTableNamesTable() {
    Map<String, Object> o = options();
    o.put("table", "no_such_table");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).contains("table");
    assertThat(problems.toString()).contains("no_such_table");
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
  void unreachablePortFailsFastNamingHost() {
    Map<String, Object> o = options();
    o.put("port", 1);
    o.put("connectTimeout", "2s");
    o.put("maxRetries", 0);
    long start = System.nanoTime();
    List<OptionProblem> problems = check(o);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(problems).extracting(OptionProblem::option).containsAnyOf("host", "port");
    assertThat(problems.toString()).contains("127.0.0.1");
    assertThat(millis).as("milliseconds to fail").isLessThan(3_000);
  }
}
