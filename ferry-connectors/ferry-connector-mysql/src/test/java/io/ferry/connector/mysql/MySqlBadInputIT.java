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
    assertThat(millis).as("milliseconds to fail").isLessThan(10_000);
  }
}
