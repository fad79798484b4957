package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wrong options are reported naming the option at fault. */
class EsBadInputIT {
  final EsServer server = EsServer.es8();
  final Connector connector = new ElasticsearchConnector();
  final TestConnectorContext context = new TestConnectorContext("bad");

  List<OptionProblem> sourceProblems(Map<String, Object> raw) {
    Connector.Role<Source> role = connector.source().orElseThrow();
    try (Source source = role.create(role.options().parse(raw), context)) {
      return source.check();
    }
  }

  List<OptionProblem> sinkProblems(Map<String, Object> raw) {
    Connector.Role<Sink> role = connector.sink().orElseThrow();
    try (Sink sink = role.create(role.options().parse(raw), context)) {
      return sink.check();
    }
  }

  String existingIndex() {
    String index = EsTestSupport.indexName(context.runKey(), "exists");
    EsTestSupport.createIndex(
        server,
        index,
        EsTypes.mappingFor(
            Schema.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING))),
        1);
    return index;
  }

  @Test
  void aHostWhereNothingListensNamesHosts() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, Object> raw =
        Map.of(
            "hosts",
            "http://127.0.0.1:" + port,
            "index",
            "x",
            "maxRetries",
            0,
            "connectTimeout",
            "2s");
    assertThat(sourceProblems(raw))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("hosts");
              assertThat(p.message()).contains("cannot connect").contains(String.valueOf(port));
            });
    assertThat(sinkProblems(raw)).extracting(OptionProblem::option).containsExactly("hosts");
  }

  @Test
  void aMissingSourceIndexNamesIndex() {
    Map<String, Object> raw = EsTestSupport.connection(server);
    raw.put("index", "no-such-index-" + context.runKey().toLowerCase());
    assertThat(sourceProblems(raw))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("index");
              assertThat(p.message()).contains("no index or alias").contains("no-such-index");
            });
    raw.put("index", "no-such-pattern-*");
    assertThat(sourceProblems(raw)).extracting(OptionProblem::option).containsExactly("index");
  }

  @Test
  void queryJsonThatDoesNotParseNamesQuery() {
    Map<String, Object> raw = EsTestSupport.connection(server);
    raw.put("index", "x");
    raw.put("query", "{\"match_all\": {");
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () -> connector.source().orElseThrow().options().parse(raw));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("query");
    assertThat(e.problems().get(0).message()).contains("not valid JSON");
  }

  @Test
  void aQueryOrSortElasticsearchRejectsNamesTheOption() {
    Map<String, Object> raw = EsTestSupport.connection(server);
    raw.put("index", existingIndex());
    raw.put("query", "{\"no_such_query\": {}}");
    assertThat(sourceProblems(raw))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("query");
              assertThat(p.message()).contains("no_such_query");
            });
    raw.remove("query");
    raw.put("sortFields", "name"); // text: no doc values to sort on
    assertThat(sourceProblems(raw)).extracting(OptionProblem::option).containsExactly("sortFields");
  }

  @Test
  void sinkOptionsThatDoNotFitTogether() {
    Map<String, Object> raw = EsTestSupport.connection(server);
    raw.put("index", "Upper");
    InvalidOptionsException upper =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () -> connector.sink().orElseThrow().options().parse(raw));
    assertThat(upper.problems()).extracting(OptionProblem::option).containsExactly("index");

    raw.put("index", "fine");
    raw.put("action", "update");
    Connector.Role<Sink> role = connector.sink().orElseThrow();
    InvalidOptionsException noId =
        catchThrowableOfType(
            InvalidOptionsException.class, () -> role.create(role.options().parse(raw), context));
    assertThat(noId.problems()).extracting(OptionProblem::option).containsExactly("idColumns");

    raw.put("action", "index");
    raw.put("idColumns", "nope");
    raw.put("index", existingIndex());
    try (Sink sink = role.create(role.options().parse(raw), context)) {
      InvalidOptionsException missing =
          catchThrowableOfType(
              InvalidOptionsException.class,
              () -> sink.prepare(Schema.of(Column.of("id", DataType.INT64))));
      assertThat(missing.problems()).extracting(OptionProblem::option).containsExactly("idColumns");
    }

    raw.remove("idColumns");
    raw.put("index", "missing-" + context.runKey().toLowerCase());
    raw.put("createIndex", false);
    assertThat(sinkProblems(raw)).extracting(OptionProblem::option).containsExactly("index");
  }
}
