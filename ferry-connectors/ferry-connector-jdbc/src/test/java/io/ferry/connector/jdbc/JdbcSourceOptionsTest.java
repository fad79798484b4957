package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Custom queries, filters, column subsets, and options the live check rejects by name. */
class JdbcSourceOptionsTest {
  private static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.decimal(8, 2)));

  private final H2Database db = new H2Database("source-options");
  private final TestConnectorContext context = new TestConnectorContext("source-options");
  private final List<Source> sources = new ArrayList<>();
  private final List<Object[]> rows = new ArrayList<>();

  @BeforeEach
  void createTable() throws Exception {
    db.create("items", SCHEMA, "id");
    for (long i = 0; i < 200; i++) {
      rows.add(new Object[] {i, i % 10 == 0 ? "" : "item " + i, BigDecimal.valueOf(i * 25, 2)});
    }
    db.insert("items", SCHEMA, rows);
  }

  @AfterEach
  void close() {
    sources.forEach(Source::close);
  }

  private Source source(Map<String, Object> options) {
    Source source = Jdbc.source(new GenericJdbcConnector(), options, context);
    sources.add(source);
    return source;
  }

  private List<Object[]> readAll(Source source) {
    assertThat(source.check()).isEmpty();
    return Rows.readSequentially(source, source.planner().plan(2));
  }

  @Test
  void readsACustomQueryAsOneSplit() {
    Map<String, Object> options = db.options(null);
    options.remove("table");
    options.put(
        "query", "SELECT \"id\", \"amount\" * 2 AS \"doubled\" FROM \"items\" WHERE \"id\" < 50");
    options.put("batchSize", 16);
    Source source = source(options);
    assertThat(source.schema().names()).containsExactly("id", "doubled");
    assertThat(source.planner().plan(4)).hasSize(1);
    List<Object[]> read = readAll(source);
    assertThat(read).hasSize(50);
    assertThat(read)
        .allSatisfy(
            r ->
                assertThat(((BigDecimal) r[1]).compareTo(BigDecimal.valueOf((Long) r[0] * 50, 2)))
                    .isZero());
  }

  @Test
  void appliesTheFilterToEverySplit() {
    Map<String, Object> options = db.options("items");
    options.put("where", "\"id\" % 3 = 0 AND \"name\" <> ''");
    List<Object[]> read = readAll(source(options));
    List<Object[]> expected =
        rows.stream().filter(r -> (Long) r[0] % 3 == 0 && !"".equals(r[1])).toList();
    Rows.assertSameRows(SCHEMA, read, expected);
  }

  @Test
  void readsAColumnSubsetWithoutTheKey() {
    Map<String, Object> options = db.options("items");
    options.put("columns", List.of("amount", "NAME"));
    options.put("batchSize", 30);
    Source source = source(options);
    assertThat(source.schema().names()).containsExactly("amount", "name");
    List<Object[]> read = readAll(source);
    List<Object[]> expected = rows.stream().map(r -> new Object[] {r[2], r[1]}).toList();
    Rows.assertSameRows(source.schema(), read, expected);
  }

  @Test
  void tableAndQueryTogetherNameBoth() {
    Map<String, Object> options = db.options("items");
    options.put("query", "SELECT 1");
    InvalidOptionsException e =
        catchThrowableOfType(InvalidOptionsException.class, () -> source(options));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("table", "query");
  }

  @Test
  void checkNamesTheMissingTable() {
    assertThat(source(db.options("nope")).check())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("table"))
        .satisfies(p -> assertThat(p.message()).contains("nope"));
  }

  @Test
  void checkNamesTheMissingColumns() {
    Map<String, Object> options = db.options("items");
    options.put("columns", List.of("id", "colour", "size"));
    assertThat(source(options).check())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("columns"))
        .satisfies(p -> assertThat(p.message()).contains("colour, size"));
  }

  @Test
  void checkNamesABrokenQueryAndFilter() {
    Map<String, Object> query = db.options(null);
    query.remove("table");
    query.put("query", "SELECT nothing FROM nowhere");
    assertThat(source(query).check()).extracting(OptionProblem::option).containsExactly("query");
    Map<String, Object> where = db.options("items");
    where.put("where", "no_such_column = 1");
    assertThat(source(where).check()).extracting(OptionProblem::option).containsExactly("where");
  }

  @Test
  void checkNamesSnapshotWhereTheDialectHasNone() {
    Map<String, Object> options = db.options("items");
    options.put("snapshot", true);
    assertThat(source(options).check())
        .extracting(OptionProblem::option)
        .containsExactly("snapshot");
  }

  @Test
  void checkNamesTheUrlOfAnUnreachableServer() {
    Map<String, Object> options = db.options("items");
    options.put("url", "jdbc:h2:tcp://127.0.0.1:1/nothing");
    options.put("connectTimeout", "300ms");
    assertThat(source(options).check())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("url"))
        .satisfies(p -> assertThat(p.message()).contains("127.0.0.1:1"));
  }

  @Test
  void checkNamesTheUserWhenTheLoginIsRefusedAndNeverShowsThePassword() throws Exception {
    H2Database secured = new H2Database("secured");
    try (var c = java.sql.DriverManager.getConnection(secured.url, "owner", "right-password")) {
      Map<String, Object> options = secured.options("items");
      options.put("user", "owner");
      options.put("password", "wrong-password");
      // H2 delays every refused login by 250ms or more against password guessing.
      options.put("connectTimeout", "5s");
      List<OptionProblem> problems = source(options).check();
      assertThat(problems)
          .singleElement()
          .satisfies(p -> assertThat(p.option()).as(p.message()).isEqualTo("user"));
      assertThat(problems.get(0).message()).doesNotContain("wrong-password");
    }
  }
}
