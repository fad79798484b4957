package io.ferry.connector.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Source;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unknown tables and families, options that contradict each other, an unreachable quorum. */
class HBaseBadInputTest {
  private final TestConnectorContext context = new TestConnectorContext("hbase-bad");

  private static Map<String, Object> columns(String table) {
    Map<String, Object> o = new HashMap<>();
    o.put("table", table);
    o.put("columns", List.of("k string :key", "v string d:v"));
    return o;
  }

  @Test
  void anUnknownTableIsAProblemOfTable() {
    HBaseTestCluster.createTable(HBaseTestCluster.uniqueTable("present"), List.of("d"));
    try (Source source = HBaseTestCluster.source(columns("no_such_table"), context)) {
      List<OptionProblem> problems = source.check();
      assertThat(problems)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.option()).isEqualTo("table");
                assertThat(p.message())
                    .contains("'no_such_table' does not exist")
                    .contains("present_");
              });
      FerryException e = catchThrowableOfType(FerryException.class, () -> source.planner().plan(1));
      assertThat(e.option()).isEqualTo("table");
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }

  @Test
  void anUnknownFamilyIsAProblemOfColumns() {
    String table = HBaseTestCluster.uniqueTable("families");
    HBaseTestCluster.createTable(table, List.of("d"));
    Map<String, Object> o = columns(table);
    o.put("columns", List.of("k string :key", "v string x:v"));
    try (Source source = HBaseTestCluster.source(o, context)) {
      assertThat(source.check())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.option()).isEqualTo("columns");
                assertThat(p.message()).contains("no column family 'x'").contains("[d]");
              });
    }
  }

  @Test
  void anUnreachableQuorumIsReportedWithinTheTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Map<String, Object> raw = new HashMap<>(columns("t"));
    raw.put("zookeeperQuorum", "127.0.0.1");
    raw.put("zookeeperPort", port);
    raw.put("connectTimeout", "3s");
    var role = new HBaseConnector().source().orElseThrow();
    try (Source source = role.create(role.options().parse(raw), context)) {
      long start = System.nanoTime();
      List<OptionProblem> problems = source.check();
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertThat(problems)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.option()).isEqualTo("zookeeperQuorum");
                assertThat(p.message()).contains("127.0.0.1").contains(String.valueOf(port));
              });
      assertThat(seconds).as("seconds the check took").isLessThan(15);
    }
  }

  @Test
  void contradictoryOptionsAreRejectedNamingTheOption() {
    var role = new HBaseConnector().source().orElseThrow();
    Map<String, Object> raw = new HashMap<>(HBaseTestCluster.options());
    raw.put("table", "t");
    raw.put("columns", List.of("a string :key", "b string :key"));
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class, () -> role.create(role.options().parse(raw), context));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("rowKey");

    raw.put("columns", List.of("a int64 :key binary", "b string :key"));
    raw.put("rowKey", Map.of("columns", List.of("a", "b"), "separator", "|"));
    e =
        catchThrowableOfType(
            InvalidOptionsException.class, () -> role.create(role.options().parse(raw), context));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("rowKey");
    assertThat(e.getMessage()).contains("binary key part 'a'");

    raw.put("rowKey", Map.of("columns", List.of("a", "c"), "widths", List.of(8, 0)));
    e =
        catchThrowableOfType(
            InvalidOptionsException.class, () -> role.create(role.options().parse(raw), context));
    assertThat(e.problems()).extracting(OptionProblem::option).contains("rowKey", "columns");

    raw.remove("rowKey");
    raw.put("columns", List.of("a :key"));
    e = catchThrowableOfType(InvalidOptionsException.class, () -> role.options().parse(raw));
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("columns");
              assertThat(p.message()).contains("needs a type");
            });

    raw.put("columns", List.of("a string :key"));
    raw.put("table", "bad name!");
    e =
        catchThrowableOfType(
            InvalidOptionsException.class, () -> role.create(role.options().parse(raw), context));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("table");
  }
}
