package io.ferry.connector.datagen;

import static io.ferry.connector.datagen.DatagenTestSupport.column;
import static io.ferry.connector.datagen.DatagenTestSupport.read;
import static io.ferry.connector.datagen.DatagenTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.testkit.Rows;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The values datagen makes, checked against values computed here, independently. */
class DatagenGeneratorsTest {
  @Test
  void defaultSchemaIsTheDocumentedOrderTable() {
    try (Source source = source(Map.of("rows", 10_000))) {
      assertThat(source.schema())
          .isEqualTo(
              Schema.of(
                  new Column("id", DataType.INT64, false),
                  new Column("customer_id", DataType.INT32, false),
                  new Column("sku", DataType.STRING, false),
                  new Column("qty", DataType.INT32, false),
                  new Column("price", DataType.decimal(12, 2), false),
                  new Column("status", DataType.STRING, false),
                  new Column("created_at", DataType.TIMESTAMP, false),
                  new Column("note", DataType.STRING, true)));
      List<Object[]> rows = read(source, 4);
      assertThat(rows).hasSize(10_000);
      Rows.assertConform(source.schema(), rows);
      Set<String> statuses = Set.of("pending", "paid", "shipped", "delivered", "cancelled");
      int nulls = 0;
      for (int i = 0; i < rows.size(); i++) {
        Object[] row = rows.get(i);
        assertThat(row[0]).isEqualTo(i + 1L);
        assertThat((Integer) row[1]).isBetween(1, 100_000);
        assertThat((String) row[2]).hasSize(12).matches("[A-Za-z0-9]+");
        assertThat((Integer) row[3]).isBetween(1, 100);
        assertThat((BigDecimal) row[4])
            .isBetween(new BigDecimal("0.01"), new BigDecimal("9999.99"));
        assertThat(statuses).contains((String) row[5]);
        assertThat(((LocalDateTime) row[6]).getYear()).isEqualTo(2024);
        if (row[7] == null) {
          nulls++;
        } else {
          assertThat(((String) row[7]).length()).isBetween(0, 32);
        }
      }
      assertThat(nulls).as("NULL notes of 10000 (20%% expected)").isBetween(1700, 2300);
      assertThat(rows).extracting(r -> r[5]).containsAll(statuses);
    }
  }

  @Test
  void sameSeedGivesSameRowsWhateverTheParallelismAndADifferentSeedOthers() {
    Map<String, Object> options = Map.of("rows", 5000, "seed", 7, "batchSize", 333);
    List<Object[]> one;
    try (Source source = source(options)) {
      one = read(source, 1);
      Rows.assertRowsEqual(source.schema(), read(source, 3), one);
      Rows.assertRowsEqual(source.schema(), read(source, 16), one);
    }
    try (Source again = source(options)) {
      Rows.assertRowsEqual(again.schema(), read(again, 2), one);
    }
    List<Object[]> other = read(Map.of("rows", 5000, "seed", 8));
    int same = 0;
    for (int i = 0; i < one.size(); i++) {
      if (one.get(i)[1].equals(other.get(i)[1])) {
        same++;
      }
    }
    assertThat(same).as("customer ids equal under seeds 7 and 8").isLessThan(50);
    assertThat(other.get(0)[0]).as("ids are a sequence under any seed").isEqualTo(1L);
  }

  @Test
  void plansFourContiguousSplitsPerReaderAndNoMoreThanRows() {
    try (Source source = source(Map.of("rows", 1003))) {
      assertThat(source.planner().plan(2))
          .extracting(Split::id)
          .containsExactly(
              "rows-0-126",
              "rows-126-252",
              "rows-252-378",
              "rows-378-503",
              "rows-503-628",
              "rows-628-753",
              "rows-753-878",
              "rows-878-1003");
    }
    try (Source source = source(Map.of("rows", 3))) {
      assertThat(source.planner().plan(4))
          .extracting(Split::id)
          .containsExactly("rows-0-1", "rows-1-2", "rows-2-3");
    }
  }

  @Test
  void sequencesOfEveryType() {
    List<Object[]> rows =
        read(
            Map.of(
                "rows",
                3,
                "columns",
                List.of(
                    column("i8", "int8", "sequence", "start", -128, "step", 100),
                    column("i32", "int32", "sequence", "start", 5, "step", 3),
                    column("f64", "float64", "sequence", "start", 0.5, "step", 0.25),
                    column("d", "decimal(10,2)", "sequence", "start", "1.5", "step", "0.25"),
                    column("s", "string", "sequence", "start", 100, "step", 10),
                    column("day", "date", "sequence", "start", "2024-02-28"),
                    column(
                        "ts", "timestamp(3)", "sequence", "start", "2024-01-01T00:00", "step", 0.5),
                    column(
                        "tz",
                        "timestamp_tz",
                        "sequence",
                        "start",
                        "2024-01-01T23:59:59+08:00",
                        "step",
                        1))));
    assertThat(rows.get(2))
        .containsExactly(
            (byte) 72,
            11,
            1.0,
            new BigDecimal("2.00"),
            "120",
            LocalDate.of(2024, 3, 1),
            LocalDateTime.of(2024, 1, 1, 0, 0, 1),
            OffsetDateTime.of(2024, 1, 2, 0, 0, 1, 0, ZoneOffset.ofHours(8)));
    assertThat(rows.get(1)[6]).isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 500_000_000));
  }

  @Test
  void constantsAndChoices() {
    List<Object[]> rows =
        read(
            Map.of(
                "rows",
                1000,
                "columns",
                List.of(
                    column("c", "decimal(5,2)", "constant", "value", "1.5"),
                    column("tags", "array<int32>", "constant", "value", List.of(1, 2)),
                    column("color", "string", "choice", "values", List.of("red", "green", "blue")),
                    column("flag", "int16", "choice", "values", List.of(7, "-7")))));
    Set<Object> colors = new HashSet<>();
    Set<Object> flags = new HashSet<>();
    for (Object[] row : rows) {
      assertThat(row[0]).isEqualTo(new BigDecimal("1.50"));
      assertThat(row[1]).isEqualTo(List.of(1, 2));
      colors.add(row[2]);
      flags.add(row[3]);
    }
    assertThat(rows.get(0)[1])
        .as("mutable constants are copied per row")
        .isNotSameAs(rows.get(1)[1]);
    assertThat(colors).containsExactlyInAnyOrder("red", "green", "blue");
    assertThat(flags).containsExactlyInAnyOrder((short) 7, (short) -7);
  }

  @Test
  void randomValuesStayWithinTheirBounds() {
    List<Object[]> rows =
        read(
            Map.of(
                "rows",
                2000,
                "columns",
                List.of(
                    column("small", "int8", "random", "min", -3, "max", 3),
                    column("wide", "int64", "random"),
                    column("day", "date", "random", "min", "2024-02-27", "max", "2024-03-01"),
                    column("t", "time(3)", "random", "min", "10:00", "max", "10:00:01"),
                    column(
                        "ts",
                        "timestamp(0)",
                        "random",
                        "min",
                        "2024-01-01T00:00:00",
                        "max",
                        "2024-01-01T00:00:02"),
                    column("name", "string", "random", "minLength", 2, "maxLength", 4),
                    column("blob", "bytes", "random", "length", 3),
                    column("ratio", "float32", "random", "min", -1, "max", 1),
                    column("list", "array<string>", "random", "minLength", 1, "maxLength", 2))));
    Set<Object> small = new HashSet<>();
    Set<Object> days = new HashSet<>();
    Set<Object> seconds = new HashSet<>();
    Set<Long> wideSigns = new HashSet<>();
    for (Object[] row : rows) {
      small.add(row[0]);
      wideSigns.add(Long.signum((Long) row[1]) + 0L);
      days.add(row[2]);
      LocalTime t = (LocalTime) row[3];
      assertThat(t).isBetween(LocalTime.of(10, 0), LocalTime.of(10, 0, 1));
      assertThat(t.getNano() % 1_000_000).isZero();
      seconds.add(row[4]);
      assertThat(((String) row[5]).length()).isBetween(2, 4);
      assertThat((byte[]) row[6]).hasSize(3);
      assertThat((Float) row[7]).isBetween(-1f, 1f);
      assertThat((List<?>) row[8]).hasSizeBetween(1, 2);
    }
    assertThat(small)
        .containsExactlyInAnyOrder(
            (byte) -3, (byte) -2, (byte) -1, (byte) 0, (byte) 1, (byte) 2, (byte) 3);
    assertThat(wideSigns).contains(-1L, 1L);
    assertThat(days).hasSize(4);
    assertThat(seconds)
        .containsExactlyInAnyOrder(
            LocalDateTime.of(2024, 1, 1, 0, 0, 0),
            LocalDateTime.of(2024, 1, 1, 0, 0, 1),
            LocalDateTime.of(2024, 1, 1, 0, 0, 2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "boolean",
        "int8",
        "int16",
        "int32",
        "int64",
        "float32",
        "float64",
        "decimal(38,10)",
        "decimal(3,3)",
        "string",
        "bytes",
        "date",
        "time(0)",
        "time(9)",
        "timestamp(9)",
        "timestamp_tz(3)",
        "json",
        "array<row<a int32, b array<date>>>",
        "map<string,decimal(6,2)>",
        "row<id int64, tags array<string>, attrs map<int32,json>>"
      })
  void generatesEveryType(String type) {
    List<Object[]> rows =
        read(Map.of("rows", 200, "columns", List.of(column("v", type, "random"))));
    Schema schema = Schema.of(new Column("v", DataType.parse(type), false));
    Rows.assertConform(schema, rows);
    Set<String> distinct = new HashSet<>();
    for (Object[] row : rows) {
      assertThat(row[0]).isNotNull();
      distinct.add(io.ferry.connector.testkit.ValueComparison.key(row[0], schema.column(0).type()));
    }
    assertThat(distinct).as("distinct values of %s", type).hasSizeGreaterThan(1);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.5, 1})
  void nullRatioIsTheShareOfNulls(double ratio) {
    List<Object[]> rows =
        read(
            Map.of(
                "rows",
                4000,
                "columns",
                List.of(column("v", "int32", "random", "nullRatio", ratio))));
    long nulls = rows.stream().filter(r -> r[0] == null).count();
    assertThat(nulls).isBetween((long) (ratio * 4000 - 200), (long) (ratio * 4000 + 200));
  }

  @Test
  void pacesEachReader() {
    try (Source source = source(Map.of("rows", 1200, "rowsPerSecond", 1000))) {
      Split first = source.planner().plan(1).get(0);
      long start = System.nanoTime();
      List<Rows.ReadBatch> batches = Rows.readBatches(source, first, null);
      long millis = (System.nanoTime() - start) / 1_000_000;
      // 300 rows in batches of 100 (a tenth of a second's rows): the second batch is due after
      // 100 ms, the third after 200 ms.
      assertThat(batches).hasSize(3);
      assertThat(millis).isGreaterThanOrEqualTo(190);
    }
  }

  @Test
  void rejectsBadColumnSpecsNamingTheColumn() {
    assertColumnsRejected(
        List.of(column("qty", "int32", "random", "lenght", 3)),
        "columns[0] (qty): unknown key 'lenght'");
    assertColumnsRejected(
        List.of(column("qty", "integr", "random")), "columns[0] (qty): invalid type 'integr'");
    assertColumnsRejected(
        List.of(column("ok", "boolean", "sequence")),
        "columns[0] (ok): kind sequence does not apply to boolean");
    assertColumnsRejected(
        List.of(column("n", "int32", "random", "min", 5, "max", 1)),
        "columns[0] (n): 'min' 5 and 'max' 1");
    assertColumnsRejected(
        List.of(column("n", "int32", "random", "length", 4)),
        "lengths do not apply to random int32");
    assertColumnsRejected(
        List.of(column("n", "int32", "constant", "value", "x")),
        "columns[0] (n): 'value': 'x' is not a valid int32");
    assertColumnsRejected(
        List.of(column("n", "int32", "choice", "value", "1")),
        "'value' does not apply to kind choice");
    assertColumnsRejected(
        List.of(column("n", "int32", "random"), column("n", "int64", "random")),
        "columns[1] (n): duplicate column name 'n'");
    assertColumnsRejected(List.of(column("n", "int32", "weird")), "unknown kind 'weird'");
    assertColumnsRejected(
        List.of(column("n", "int32", "random", "nullRatio", 2)),
        "'nullRatio' must be between 0 and 1");
    assertColumnsRejected(List.of(), "must list at least one column");
  }

  @Test
  void rejectsASequenceThatLeavesItsTypeWithinTheRows() {
    Map<String, Object> raw =
        Map.of("rows", 200, "columns", List.of(column("n", "int8", "sequence", "start", 0)));
    assertThatThrownBy(() -> source(raw))
        .isInstanceOf(InvalidOptionsException.class)
        .satisfies(
            e ->
                assertThat(((InvalidOptionsException) e).problems().get(0).option())
                    .isEqualTo("columns"))
        .hasMessageContaining(
            "columns[0] (n): a sequence from 0 by 1 over 200 rows reaches 199, outside int8");
  }

  private static void assertColumnsRejected(List<Map<String, Object>> columns, String message) {
    assertThatThrownBy(() -> source(Map.of("columns", new ArrayList<>(columns))))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("columns: ")
        .hasMessageContaining(message);
  }
}
