package io.ferry.connector.testkit;

import io.ferry.spi.Connector;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;

/**
 * Drives sources and sinks through their lifecycle as the engine does, for a connector's own tests
 * beyond the suites (write flows, real-server tests).
 */
public final class Pipelines {
  private Pipelines() {}

  public static Sink sink(
      Connector connector, Map<String, Object> options, TestConnectorContext ctx) {
    Connector.Role<Sink> role = connector.sink().orElseThrow();
    return role.create(role.options().parse(options), ctx);
  }

  public static Source source(
      Connector connector, Map<String, Object> options, TestConnectorContext ctx) {
    Connector.Role<Source> role = connector.source().orElseThrow();
    return role.create(role.options().parse(options), ctx);
  }

  /**
   * check, prepare, one writer writing the rows as split 0 in batches of {@code batch}, flush, end
   * of split, close, commit, close.
   */
  public static void write(
      Connector connector,
      Map<String, Object> options,
      TestConnectorContext ctx,
      Schema schema,
      List<Object[]> rows,
      int batch) {
    try (Sink sink = sink(connector, options, ctx)) {
      if (!sink.check().isEmpty()) {
        throw new AssertionError("sink check reports " + sink.check());
      }
      sink.prepare(schema);
      try (SinkWriter writer = sink.createWriter(0)) {
        writer.beginSplit(0);
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
        writer.endSplit(0);
      }
      sink.commit();
    }
  }

  /** Every row the source emits, splits of parallelism 1 read in plan order. */
  public static List<Object[]> readAll(Source source) {
    return Rows.readSequentially(source, source.planner().plan(1));
  }
}
