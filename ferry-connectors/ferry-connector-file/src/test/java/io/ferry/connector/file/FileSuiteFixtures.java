package io.ferry.connector.file;

import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Files for the shared suites, written and read with the connector's own sink and source. */
final class FileSuiteFixtures {
  private FileSuiteFixtures() {}

  static List<String> columns(Schema schema) {
    List<String> columns = new ArrayList<>();
    for (Column c : schema.columns()) {
      columns.add(c.name() + " " + c.type());
    }
    return columns;
  }

  /** Writes the requested rows into one file and returns source options that read it. */
  static SourceDataset dataset(
      DatasetRequest request, String extension, Map<String, Object> format, ConnectorContext ctx) {
    Path file = request.directory().resolve(request.name() + "." + extension);
    Map<String, Object> sinkOptions = new HashMap<>();
    sinkOptions.put("path", file.toString());
    sinkOptions.put("format", format.get("format"));
    Sink sink = FileTestSupport.sink(sinkOptions, new TestContext(request.directory()));
    FileTestSupport.writeAll(sink, request.schema(), request.rows(), 1);
    Map<String, Object> options = new HashMap<>(format);
    options.put("path", file.toString());
    options.put("columns", columns(request.schema()));
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, request.rows());
  }

  /** Every row of the files a sink wrote for {@code target}. */
  static List<Object[]> readBack(SinkTarget target, String pathOrGlob, String format) {
    Source source =
        FileTestSupport.source(
            Map.of("path", pathOrGlob, "format", format, "columns", columns(target.schema())),
            new TestContext(target.directory()));
    return FileTestSupport.readAll(source);
  }
}
