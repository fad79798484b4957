package io.ferry.connector.datagen;

import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.util.List;
import java.util.Map;

/** The shared sink suite on the console sink's JSON lines, parsed back from the captured stream. */
class ConsoleJsonSinkTest extends SinkTestSuite {
  private final ConsoleOutput output = new ConsoleOutput();

  @Override
  protected Connector connector() {
    return new ConsoleConnector(output.outStream, output.errStream);
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) {
    return Map.of("format", "json");
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) {
    return output.jsonRows(target.schema());
  }
}
