package io.ferry.connector.hdfs;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.List;
import java.util.Map;

/** The shared sink suite on a real HDFS: text files, compression gzip, one file per split. */
class HdfsCsvGzipSinkSuiteTest extends SinkTestSuite {
  @Override
  protected Connector connector() {
    return new HdfsConnector();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    Map<String, Object> options = TestHdfs.connection();
    options.put("fileType", "text");
    options.put("compression", "gzip");
    options.put("writeMode", "overwrite");
    options.put("format", "csv");
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
    return true;
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    if (behavior == ConnectorBehavior.KEEPS_TIMESTAMP_TZ_OFFSET) {
      return true;
    }
    return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
  }
}
