package io.ferry.connector.file;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** The shared sink suite writing one merged gzip csv file. */
class CsvGzipSinkSuiteTest extends SinkTestSuite {
  @Override
  protected Connector connector() {
    return new FileConnector();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    return Map.of("path", target.directory().resolve(target.name() + ".csv.gz").toString());
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) {
    var file = target.directory().resolve(target.name() + ".csv.gz");
    return Files.exists(file)
        ? FileSuiteFixtures.readBack(target, file.toString(), "csv")
        : List.of();
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
  }
}
