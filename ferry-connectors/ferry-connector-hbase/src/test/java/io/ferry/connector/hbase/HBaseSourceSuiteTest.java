package io.ferry.connector.hbase;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared source suite against the mini cluster: each dataset is written with the sink (the
 * row's id as binary row key, so key order is the dataset's order) into a table pre-split into four
 * regions, and read back with declared columns: binary numbers, string text and times.
 */
class HBaseSourceSuiteTest extends SourceTestSuite {
  @Override
  protected Connector connector() {
    return new HBaseConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    String table = HBaseTestCluster.uniqueTable("src_" + request.name());
    HBaseTestCluster.createTable(
        table, List.of("d"), HBaseTestCluster.idSplits(Math.max(4, request.rowCount()), 4));
    HBaseTestCluster.write(table, request.schema(), request.rows(), context());
    Map<String, Object> options = new HashMap<>(HBaseTestCluster.options());
    options.put("table", table);
    options.put("columns", HBaseTestCluster.columns(request.schema(), true));
    options.put("batchSize", request.batchSize());
    options.put("caching", 100);
    return SourceDataset.holding(options, request.rows());
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SOURCE_PRESERVES_ORDER || behavior.byDefault();
  }
}
