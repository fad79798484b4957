package io.ferry.connector.elasticsearch;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The shared sink suite against a real Elasticsearch 8, writing an index directly. */
class EsSinkSuiteIT extends SinkTestSuite {
  final EsServer server = EsServer.es8();

  @Override
  protected Connector connector() {
    return new ElasticsearchConnector();
  }

  @Override
  protected int largeRowCount() {
    return EsTestSupport.LARGE_ROWS;
  }

  String index(SinkTarget target) {
    return EsTestSupport.indexName(context().runKey(), target.name());
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index(target));
    options.put("idColumns", "id");
    options.put("bulkActions", 300);
    return options;
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) {
    return EsTestSupport.readAll(server, index(target), target.schema());
  }

  /** The same suite through the alias switch: a new index per run, the alias moved at commit. */
  @Nested
  class AliasSwitch extends SinkTestSuite {
    @Override
    protected Connector connector() {
      return new ElasticsearchConnector();
    }

    @Override
    protected int largeRowCount() {
      return EsTestSupport.LARGE_ROWS;
    }

    @Override
    protected Map<String, Object> sinkOptions(SinkTarget target) {
      Map<String, Object> options = EsTestSupport.connection(server);
      options.put("index", EsTestSupport.indexName(context().runKey(), "alias-" + target.name()));
      options.put("aliasSwitch", true);
      options.put("action", "upsert");
      options.put("idColumns", List.of("id"));
      options.put("shards", 2);
      options.put("replicas", 0);
      return options;
    }

    @Override
    protected List<Object[]> readBack(SinkTarget target) {
      return EsTestSupport.readAll(
          server,
          EsTestSupport.indexName(context().runKey(), "alias-" + target.name()),
          target.schema());
    }

    @Override
    protected boolean hasBehavior(ConnectorBehavior behavior) {
      return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
    }
  }
}
