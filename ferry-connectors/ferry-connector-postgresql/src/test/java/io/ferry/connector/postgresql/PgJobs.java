package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;

/** Runs the connector's roles the way the engine does, for the connector-specific tests. */
final class PgJobs {
  private PgJobs() {}

  static Source source(Map<String, Object> options, TestConnectorContext context) {
    Connector.Role<Source> role = new PostgresConnector().source().orElseThrow();
    return role.create(role.options().parse(options), context);
  }

  static Sink sink(Map<String, Object> options, TestConnectorContext context) {
    Connector.Role<Sink> role = new PostgresConnector().sink().orElseThrow();
    return role.create(role.options().parse(options), context);
  }

  /**
   * Writes the rows with one writer in batches of {@code batch}, flushes, commits; {@code
   * afterBatch} runs after each batch is handed over (to disturb the writer).
   */
  static void write(
      Map<String, Object> options,
      TestConnectorContext context,
      Schema schema,
      List<Object[]> rows,
      int batch,
      Runnable afterBatch) {
    try (Sink sink = sink(options, context)) {
      assertThat(sink.check()).as("check problems").isEmpty();
      sink.prepare(schema);
      try (SinkWriter writer = sink.createWriter(0)) {
        RowBatch b = new RowBatch(schema.size(), batch);
        for (int i = 0; i < rows.size(); i++) {
          b.addRow(rows.get(i).clone());
          if (b.size() == batch || i == rows.size() - 1) {
            writer.write(b);
            b.clear();
            afterBatch.run();
          }
        }
        writer.flush();
      }
      sink.commit();
    }
  }

  static void write(
      Map<String, Object> options,
      TestConnectorContext context,
      Schema schema,
      List<Object[]> rows) {
    write(options, context, schema, rows, 100, () -> {});
  }
}
