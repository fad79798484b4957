package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Basic authentication, and refused credentials, against an 8.x node with security on. */
class EsSecurityIT {
  static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));

  final EsServer server = EsServer.secured();

  /** Only this class uses this node: stop it now rather than at JVM exit. */
  @AfterAll
  static void stopNode() {
    EsServer.release(EsServer.ES8, true);
  }

  final Connector connector = new ElasticsearchConnector();
  final TestConnectorContext context = new TestConnectorContext("secure");

  Source source(Map<String, Object> raw) {
    Connector.Role<Source> role = connector.source().orElseThrow();
    return role.create(role.options().parse(raw), context);
  }

  @Test
  void basicAuthenticationAndApiKeysWriteAndRead() {
    String index = EsTestSupport.indexName(context.runKey(), "secured");
    Map<String, Object> basic = EsTestSupport.connection(server);
    basic.put("username", EsServer.USER);
    basic.put("password", EsServer.PASSWORD);
    basic.put("index", index);
    basic.put("idColumns", "id");
    Connector.Role<Sink> role = connector.sink().orElseThrow();
    Sink sink = role.create(role.options().parse(basic), context);
    assertThat(sink.check()).isEmpty();
    EsSinkIT.load(sink, SCHEMA, List.of(new Object[] {1L, "a"}, new Object[] {2L, "b"}));

    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("username", EsServer.USER);
    options.put("password", EsServer.PASSWORD);
    options.put("index", index);
    try (Source source = source(options)) {
      assertThat(source.check()).isEmpty();
      assertThat(Rows.readSequentially(source, source.planner().plan(1))).hasSize(2);
    }
    // API keys cannot be made on this distribution (the .security index needs analysis-common):
    // AuthHeaderTest checks the header; wrongOrMissingCredentialsNameTheOption the refusal.
  }

  @Test
  void wrongOrMissingCredentialsNameTheOption() {
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", "anything");
    options.put("username", EsServer.USER);
    options.put("password", "wrong-password");
    try (Source source = source(options)) {
      assertThat(source.check())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.option()).isEqualTo("username");
                assertThat(p.message()).contains("401").doesNotContain("wrong-password");
              });
    }
    options.remove("username");
    options.remove("password");
    options.put("apiKey", "bm90OmFrZXk=");
    try (Source source = source(options)) {
      assertThat(source.check()).extracting(OptionProblem::option).containsExactly("apiKey");
    }
  }
}
