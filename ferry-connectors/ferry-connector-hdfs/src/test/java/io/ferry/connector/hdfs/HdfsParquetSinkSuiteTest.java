package io.ferry.connector.hdfs;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.List;
import java.util.Map;

/** The shared sink suite on a real HDFS: parquet files, compression snappy, one file per split. */
class HdfsParquetSinkSuiteTest extends SinkTestSuite {
  @Override
  protected Connector connector() {
    return new HdfsConnector();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = TestHdfs.connection();
    options.put("fileType", "parquet");
    options.put("compression", "snappy");
    options.put("writeMode", "overwrite");
    options.put("path", "/suite" + target.directory() + "/" + target.name());
    return options;
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) {
    Map<String, Object> options = sinkOptions(target);
    return TestHdfs.read(
        TestHdfs.readOptions(options, (String) options.get("path"), target.schema()), context());
  }

  @Override
  protected boolean supportsType(DataType type) {
    return !type.kind().isNested();
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    if (behavior == ConnectorBehavior.KEEPS_TIMESTAMP_TZ_OFFSET) {
      return false;
    }
    return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
  }
}
