package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Elasticsearch 7.17: the shared suites through the paths 7.x takes (readMode auto picks scroll;
 * bulk and alias switch as on 8.x).
 */
class Es7IT {
  final EsServer server = EsServer.es7();

  /** Only this class uses this node: stop it now rather than at JVM exit. */
  @AfterAll
  static void stopNode() {
    EsServer.release(EsServer.ES7, false);
  }

  @Test
  void autoModeScrollsOnSeven() {
    TestConnectorContext context = new TestConnectorContext("seven");
    Connector.Role<Source> role = new ElasticsearchConnector().source().orElseThrow();
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", "*");
    try (Source source = role.create(role.options().parse(options), context)) {
      assertThat(((EsSource) source).mode()).isEqualTo(EsSource.ReadMode.SCROLL);
    }
  }

  @Nested
  class SinkSuite extends SinkTestSuite {
    @Override
    protected Connector connector() {
      return new ElasticsearchConnector();
    }

    @Override
    protected int largeRowCount() {
      return EsTestSupport.LARGE_ROWS;
    }

    private String alias(SinkTarget target) {
      return EsTestSupport.indexName(context().runKey(), "es7-" + target.name());
    }

    @Override
    protected Map<String, Object> sinkOptions(SinkTarget target) {
      Map<String, Object> options = EsTestSupport.connection(server);
      options.put("index", alias(target));
      options.put("aliasSwitch", true);
      options.put("idColumns", "id");
      return options;
    }

    @Override
    protected List<Object[]> readBack(SinkTarget target) {
      return EsTestSupport.readAll(server, alias(target), target.schema());
    }

    @Override
    protected boolean hasBehavior(io.ferry.connector.testkit.ConnectorBehavior behavior) {
      return behavior == io.ferry.connector.testkit.ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS
          || behavior.byDefault();
    }
  }

  @Nested
  class SourceSuite extends SourceTestSuite {
    @Override
    protected Connector connector() {
      return new ElasticsearchConnector();
    }

    @Override
    protected int largeRowCount() {
      return EsTestSupport.LARGE_ROWS;
    }

    @Override
    protected SourceDataset createDataset(DatasetRequest request) {
      String index = EsTestSupport.indexName(context().runKey(), "es7-" + request.name());
      EsTestSupport.createIndex(server, index, EsTypes.mappingFor(request.schema()), 2);
      EsTestSupport.load(server, index, request.schema(), request.rows());
      Map<String, Object> options = EsTestSupport.connection(server);
      options.put("index", index);
      options.put("batchSize", request.batchSize());
      // Resuming a scroll after a sort key (a range filter), not by passing over documents.
      if (request.name().equals("resumable")) {
        options.put("sortFields", "id");
      }
      return SourceDataset.holding(options, request.rows());
    }
  }

  @Test
  void scrollResumesByPassingOverWhatWasReadWithoutSortFields() {
    TestConnectorContext context = new TestConnectorContext("seven-skip");
    String index = EsTestSupport.indexName(context.runKey(), "es7-skip");
    io.ferry.spi.Schema schema =
        io.ferry.spi.Schema.of(io.ferry.spi.Column.of("id", io.ferry.spi.DataType.INT64));
    EsTestSupport.createIndex(server, index, EsTypes.mappingFor(schema), 1);
    List<Object[]> rows = new java.util.ArrayList<>();
    for (long i = 0; i < 250; i++) {
      rows.add(new Object[] {i});
    }
    EsTestSupport.load(server, index, schema, rows);
    Connector.Role<Source> role = new ElasticsearchConnector().source().orElseThrow();
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("batchSize", 30);
    try (Source source = role.create(role.options().parse(options), context)) {
      var split = source.planner().plan(1).get(0);
      List<Rows.ReadBatch> full = Rows.readBatches(source, split, null);
      List<Object[]> resumed = new java.util.ArrayList<>(Rows.rowsOf(full.subList(0, 4)));
      resumed.addAll(Rows.rowsOf(Rows.readBatches(source, split, full.get(3).position())));
      Rows.assertRowsEqual(schema, resumed, Rows.rowsOf(full));
      assertThat(resumed).hasSize(250);
    }
  }
}
