package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code tables} option on H2 (the generic connector has no {@code shards}): splits per table
 * with ids unique in the plan and surviving their codec, the columns checked across tables, and the
 * options that contradict it. Shards are tested on MariaDB and PostgreSQL (ferry-cli's
 * ShardedSourceIT).
 */
class SeveralTablesTest {
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));

  private final H2Database db = new H2Database("several-tables");
  private final TestConnectorContext context = new TestConnectorContext("several-tables");
  private final List<Source> sources = new ArrayList<>();

  @BeforeEach
  void createTables() throws Exception {
    db.create("a", SCHEMA, "id");
    db.create("b", SCHEMA, "id");
    db.create(
        "c",
        Schema.of(new Column("id", DataType.INT64, false), Column.of("title", DataType.STRING)));
    List<Object[]> a = new ArrayList<>();
    List<Object[]> b = new ArrayList<>();
    for (long i = 1; i <= 100; i++) {
      a.add(new Object[] {i, "a" + i});
      b.add(new Object[] {i, "b" + i});
    }
    db.insert("a", SCHEMA, a);
    db.insert("b", SCHEMA, b.subList(0, 40));
  }

  @AfterEach
  void close() {
    sources.forEach(Source::close);
  }

  private Source source(Map<String, Object> extra) {
    Map<String, Object> options = db.options();
    options.putAll(extra);
    Source source = Jdbc.source(new GenericJdbcConnector(), options, context);
    sources.add(source);
    return source;
  }

  @Test
  void readsEveryTableInSplitsOfItsOwn() {
    Source source = source(Map.of("tables", List.of("a", "b")));
    assertThat(source.check()).isEmpty();
    assertThat(source.schema().names()).containsExactly("id", "name");
    assertThat(source.schema().key()).as("keys repeat across tables").isEmpty();
    List<Split> splits = source.planner().plan(2);
    assertThat(splits.stream().map(Split::id).distinct()).hasSize(splits.size());
    assertThat(splits.stream().map(Split::id))
        .anyMatch(id -> id.startsWith("a/range-"))
        .anyMatch(id -> id.startsWith("b/range-"));
    Codec<Split> codec = source.splitCodec();
    List<Split> decoded = new ArrayList<>();
    for (Split s : splits) {
      decoded.add(codec.decode(codec.version(), codec.encode(s)));
    }
    assertThat(decoded.stream().map(Split::id))
        .containsExactlyElementsOf(splits.stream().map(Split::id).toList());
    List<String> read =
        Rows.readSequentially(source, decoded).stream().map(r -> (String) r[1]).sorted().toList();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      expected.add("a" + i);
      if (i <= 40) {
        expected.add("b" + i);
      }
    }
    assertThat(read).containsExactlyElementsOf(expected.stream().sorted().toList());
  }

  @Test
  void differentColumnsAreAProblemNamingTableAndColumn() {
    Source source = source(Map.of("tables", List.of("a", "c")));
    assertThat(source.check())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("tables");
              assertThat(p.message())
                  .startsWith("c (")
                  .contains("has column title at position 2 where a has name");
            });
    // the common columns can be picked
    Source common = source(Map.of("tables", List.of("a", "c"), "columns", List.of("id")));
    assertThat(common.check()).isEmpty();
    assertThat(Rows.readSequentially(common, common.planner().plan(1))).hasSize(100);
  }

  @Test
  void tablesContradictingOtherOptionsAreNamed() {
    assertThatThrownBy(() -> source(Map.of("tables", List.of("a", "b"), "table", "a")))
        .isInstanceOfSatisfying(
            InvalidOptionsException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(p -> assertThat(p.toString()).contains("table or tables")));
    assertThatThrownBy(() -> source(Map.of("tables", List.of("a", "b"), "snapshot", true)))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("snapshot");
    assertThatThrownBy(() -> source(Map.of("tables", List.of("a"), "shards", List.of("x"))))
        .hasMessageContaining("shards")
        .hasMessageContaining("unknown option");
  }
}
