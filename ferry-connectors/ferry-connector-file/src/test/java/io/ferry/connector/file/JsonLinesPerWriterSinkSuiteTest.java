package io.ferry.connector.file;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.util.Map;

/** The shared sink suite writing one JSON Lines file per writer. */
class JsonLinesPerWriterSinkSuiteTest extends SinkTestSuite {
  @Override
  protected Connector connector() {
    return new FileConnector();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    return Map.of(
        "path",
        target.directory().resolve(target.name() + ".jsonl").toString(),
        "format",
        "jsonl",
        "fileMode",
        "perWriter");
  }

  @Override
  protected java.util.List<Object[]> readBack(SinkTarget target) {
    return FileSuiteFixtures.readBack(
        target, target.directory().resolve(target.name() + "-*.jsonl").toString(), "jsonl");
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
  }
}
