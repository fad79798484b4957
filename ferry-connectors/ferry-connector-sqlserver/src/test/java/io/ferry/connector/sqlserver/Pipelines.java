package io.ferry.connector.sqlserver;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Drives sources and sinks through their lifecycle as the engine does. */
final class Pipelines {
  private Pipelines() {}

  static Sink sink(Connector connector, Map<String, Object> options, TestConnectorContext ctx) {
    Connector.Role<Sink> role = connector.sink().orElseThrow();
    return role.create(role.options().parse(options), ctx);
  }

  static Source source(Connector connector, Map<String, Object> options, TestConnectorContext ctx) {
    Connector.Role<Source> role = connector.source().orElseThrow();
    return role.create(role.options().parse(options), ctx);
  }

  /** check, prepare, one writer in batches of {@code batch}, flush, close, commit, close. */
  static void write(
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

  /** Every row the source emits, splits of parallelism 1 read in plan order. */
  static List<Object[]> readAll(Source source) {
    List<Object[]> rows = new ArrayList<>();
    for (Split split : source.planner().plan(1)) {
      try (SplitReader reader = source.openReader(split, null)) {
        for (RowBatch b = reader.next(); b != null; b = reader.next()) {
          for (int r = 0; r < b.size(); r++) {
            rows.add(b.row(r));
          }
        }
      }
    }
    return rows;
  }
}
