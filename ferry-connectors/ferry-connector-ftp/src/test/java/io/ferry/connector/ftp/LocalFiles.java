package io.ferry.connector.ftp;

import io.ferry.connector.file.FileConnector;
import io.ferry.connector.testkit.Rows;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Files in the servers' root, written and read locally with the file connector: what the remote
 * connectors read must be what the file connector wrote, and the other way round.
 */
final class LocalFiles {
  private static final Connector FILE = new FileConnector();

  private LocalFiles() {}

  static List<String> columns(Schema schema) {
    List<String> columns = new ArrayList<>();
    for (Column c : schema.columns()) {
      columns.add(c.name() + " " + c.type());
    }
    return columns;
  }

  /** Writes {@code rows} into the local file {@code file} with the file sink. */
  static void write(
      Path file,
      Map<String, Object> format,
      Schema schema,
      List<Object[]> rows,
      ConnectorContext context) {
    Map<String, Object> options = new HashMap<>(format);
    options.put("path", file.toString());
    options.put("overwrite", true);
    Connector.Role<Sink> role = FILE.sink().orElseThrow();
    try (Sink sink = role.create(role.options().parse(options), context)) {
      sink.prepare(schema);
      try (SinkWriter writer = sink.createWriter(0)) {
        writer.beginSplit(0);
        write(writer, schema, rows);
        writer.flush();
        writer.endSplit(0);
      }
      sink.commit();
    }
  }

  static void write(SinkWriter writer, Schema schema, List<Object[]> rows) {
    RowBatch batch = new RowBatch(schema.size(), 64);
    for (Object[] row : rows) {
      batch.addRow(row.clone());
      if (batch.isFull()) {
        writer.write(batch);
        batch.clear();
      }
    }
    if (batch.size() > 0) {
      writer.write(batch);
    }
  }

  /** Every row of the local files {@code pathOrGlob} names, in path order. */
  static List<Object[]> read(
      String pathOrGlob, Map<String, Object> format, Schema schema, ConnectorContext context) {
    Map<String, Object> options = new HashMap<>(format);
    options.put("path", pathOrGlob);
    options.put("columns", columns(schema));
    Connector.Role<Source> role = FILE.source().orElseThrow();
    try (Source source = role.create(role.options().parse(options), context)) {
      var problems = source.check();
      if (problems.size() == 1 && problems.get(0).message().contains("matches no file")) {
        return List.of();
      }
      if (!problems.isEmpty()) {
        throw new AssertionError("cannot read back " + pathOrGlob + ": " + problems);
      }
      return Rows.readSequentially(source, source.planner().plan(1));
    }
  }
}
