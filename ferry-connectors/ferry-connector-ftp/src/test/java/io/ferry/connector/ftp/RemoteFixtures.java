package io.ferry.connector.ftp;

import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.spi.ConnectorContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Datasets and read-backs of the shared suites, on the servers' root folder. */
final class RemoteFixtures {
  private RemoteFixtures() {}

  /**
   * Writes the requested rows, in order, into {@code files} files {@code part-N.<extension>} of the
   * request's folder, and returns options that read them through a wildcard.
   */
  static SourceDataset dataset(
      DatasetRequest request,
      Map<String, Object> connection,
      Map<String, Object> format,
      String extension,
      int files,
      ConnectorContext context) {
    List<Object[]> rows = request.rows();
    int count = rows.isEmpty() ? 1 : files;
    for (int f = 0; f < count; f++) {
      List<Object[]> share = rows.subList(rows.size() * f / count, rows.size() * (f + 1) / count);
      LocalFiles.write(
          request.directory().resolve("part-" + f + "." + extension),
          format,
          request.schema(),
          share,
          context);
    }
    Map<String, Object> options = new HashMap<>(connection);
    options.putAll(format);
    options.put("path", TestServers.remote(request.directory()) + "/part-*." + extension);
    options.put("columns", LocalFiles.columns(request.schema()));
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, rows);
  }

  /** Sink options writing {@code target.name()}.<extension> in the target's folder. */
  static Map<String, Object> sinkOptions(
      SinkTarget target,
      Map<String, Object> connection,
      Map<String, Object> format,
      String extension) {
    Map<String, Object> options = new HashMap<>(connection);
    options.putAll(format);
    options.put(
        "path", TestServers.remote(target.directory()) + "/" + target.name() + "." + extension);
    return options;
  }
}
