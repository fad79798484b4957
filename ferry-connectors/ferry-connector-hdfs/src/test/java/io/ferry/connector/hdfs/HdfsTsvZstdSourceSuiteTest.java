package io.ferry.connector.hdfs;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared source suite on a real HDFS: text files (compression zstd) written by the sink, 3
 * splits.
 */
class HdfsTsvZstdSourceSuiteTest extends SourceTestSuite {
  @Override
  protected Connector connector() {
    return new HdfsConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    String folder = TestHdfs.folder(request.name());
    Map<String, Object> sink = TestHdfs.connection();
    sink.put("fileType", "text");
    sink.put("compression", "zstd");
    sink.put("format", "tsv");
    sink.put("path", folder);
    TestHdfs.write(sink, request.schema(), request.rows(), 3, context());
    Map<String, Object> options =
        new HashMap<>(TestHdfs.readOptions(sink, folder, request.schema()));
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, request.rows());
  }

  @Override
  protected boolean supportsType(DataType type) {
    return true;
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    if (behavior == ConnectorBehavior.KEEPS_TIMESTAMP_TZ_OFFSET) {
      return true;
    }
    return behavior == ConnectorBehavior.SOURCE_PRESERVES_ORDER || behavior.byDefault();
  }
}
