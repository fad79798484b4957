package io.ferry.connector.elasticsearch;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/**
 * The shared source suite against a real Elasticsearch 8: point in time + search_after, sliced, the
 * schema derived from the mapping (whose _meta records the Ferry types).
 */
class EsSourceSuiteIT extends SourceTestSuite {
  final EsServer server = EsServer.es8();

  @Override
  protected Connector connector() {
    return new ElasticsearchConnector();
  }

  @Override
  protected int largeRowCount() {
    return EsTestSupport.LARGE_ROWS;
  }

  SourceDataset store(DatasetRequest request, String runKey) {
    String index = EsTestSupport.indexName(runKey, request.name());
    EsTestSupport.createIndex(server, index, EsTypes.mappingFor(request.schema()), 2);
    EsTestSupport.load(server, index, request.schema(), request.rows());
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, request.rows());
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    return store(request, context().runKey());
  }

  /** Point-in-time plans count every slice in the snapshot. */
  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SOURCE_EXACT_ROW_ESTIMATE || behavior.byDefault();
  }

  /** Sorted and sliced by a unique field: positions that outlive the point in time. */
  @Nested
  class SortedById extends SourceTestSuite {
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
      SourceDataset data = store(request, context().runKey());
      data.options().put("sortFields", "id");
      return data;
    }

    @Override
    protected boolean hasBehavior(ConnectorBehavior behavior) {
      return behavior == ConnectorBehavior.SOURCE_EXACT_ROW_ESTIMATE || behavior.byDefault();
    }
  }
}
