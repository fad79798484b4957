package io.ferry.connector.jdbc;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;

/**
 * Creates sources, sinks and catalogs as the engine does, and writes rows through a sink. In the
 * test-jar, for the dialect modules too.
 */
public final class Jdbc {
  private Jdbc() {}

  public static Source source(
      Connector connector, Map<String, Object> options, TestConnectorContext ctx) {
    Connector.Role<Source> role = connector.source().orElseThrow();
    return role.create(role.options().parse(options), ctx);
  }

  public static Sink sink(
      Connector connector, Map<String, Object> options, TestConnectorContext ctx) {
    Connector.Role<Sink> role = connector.sink().orElseThrow();
    return role.create(role.options().parse(options), ctx);
  }

  public static Catalog catalog(
      Connector connector, Map<String, Object> options, TestConnectorContext ctx) {
    Connector.Role<Catalog> role = connector.catalog().orElseThrow();
    return role.create(role.options().parse(options), ctx);
  }

  /** prepare, one writer writing batches of {@code batch} rows, flush, close, commit. */
  public static void writeAll(Sink sink, Schema schema, List<Object[]> rows, int batch) {
    sink.prepare(schema);
    try (SinkWriter writer = sink.createWriter(0)) {
      RowBatch b = new RowBatch(schema.size(), batch);
      for (Object[] row : rows) {
        b.addRow(row.clone());
        if (b.isFull()) {
          writer.write(b);
          b.clear();
        }
      }
      writer.write(b);
      writer.flush();
    }
    sink.commit();
  }
}
