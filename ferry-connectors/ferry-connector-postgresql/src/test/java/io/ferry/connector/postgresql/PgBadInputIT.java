package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wrong database, table, column, port and a role that cannot log in: check() names the option. */
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
  void wrongDatabaseNamesDatabase() {
    Map<String, Object> o = options();
    o.put("database", "ferry_no_such_database");
    List<OptionProblem> problems = check(o);
    // The base attaches every non-authentication connection failure to host/url; SQLState 3D000
    // (invalid_catalog_name) should go to `database` once the base has a hook for it. The message
    // names the database already.
    assertThat(problems).extracting(OptionProblem::option).containsAnyOf("database", "host");
    assertThat(problems.toString()).contains("database \"ferry_no_such_database\" does not exist");
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
  void unreachablePortFailsFastNamingHostOrPort() {
    Map<String, Object> o = options();
    o.put("port", 1);
    o.put("connectTimeout", "1s");
    o.put("maxRetries", 0);
    long start = System.nanoTime();
    List<OptionProblem> problems = check(o);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(problems).extracting(OptionProblem::option).containsAnyOf("host", "port");
    assertThat(problems.toString()).contains(PgTestDatabase.HOST);
    assertThat(millis).as("milliseconds to fail").isLessThan(5_000);
  }

  @Test
  void aRoleWithoutLoginNamesUser() {
    Map<String, Object> o = options();
    o.put("user", role);
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).contains("user");
    assertThat(problems.toString()).contains(role);
  }
}
