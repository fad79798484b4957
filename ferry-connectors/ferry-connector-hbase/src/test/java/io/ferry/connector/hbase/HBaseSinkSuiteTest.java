package io.ferry.connector.hbase;

import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared sink suite: the sink creates each table (createTable), the id is the binary row key,
 * numbers and bytes are binary, the rest string; rows are read back with the source and the same
 * mapping. Resume relies on Puts overwriting by row key.
 */
class HBaseSinkSuiteTest extends SinkTestSuite {
  @Override
  protected Connector connector() {
    return new HBaseConnector();
  }

  /** A table per test: the target's name and the test's run key. */
  protected String table(SinkTarget target) {
    return "sink_"
        + target.name()
        + "_"
        + Integer.toHexString(context().runKey().hashCode() & 0x7fffffff);
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = new HashMap<>(HBaseTestCluster.options());
    options.put("table", table(target));
    options.put("columns", HBaseTestCluster.columns(target.schema(), false));
    options.put("createTable", true);
    options.put("writeBufferSize", "256KB");
    return options;
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) {
    Map<String, Object> options = new HashMap<>();
    options.put("table", table(target));
    options.put("columns", HBaseTestCluster.columns(target.schema(), true));
    TestConnectorContext readContext = new TestConnectorContext("readBack");
    List<Object[]> rows = new ArrayList<>();
    try (Source source = HBaseTestCluster.source(options, readContext)) {
      Schema schema = source.schema();
      for (Split split : source.planner().plan(1)) {
        rows.addAll(io.ferry.connector.testkit.Rows.readSplit(source, split));
      }
      if (!readContext.dirtyRows().rows().isEmpty()) {
        throw new AssertionError(
            "reading "
                + schema
                + " back sent rows to the dirty store: "
                + readContext.dirtyRows().rows());
      }
    }
    return rows;
  }
}
