package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
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
final class Jobs {
  private Jobs() {}

  static Source source(Map<String, Object> options, TestConnectorContext context) {
    Connector.Role<Source> role = new MySqlConnector().source().orElseThrow();
    return role.create(role.options().parse(options), context);
  }

  static Sink sink(Map<String, Object> options, TestConnectorContext context) {
    Connector.Role<Sink> role = new MySqlConnector().sink().orElseThrow();
    return role.create(role.options().parse(options), context);
  }

  /** Every row of the source with parallelism {@code parallelism}, split after split. */
  static List<Object[]> read(
      Map<String, Object> options, TestConnectorContext context, int parallelism) {
    try (Source source = source(options, context)) {
      assertThat(source.check()).as("check problems").isEmpty();
      return Rows.readSequentially(source, source.planner().plan(parallelism));
    }
  }

  /** Writes the rows with one writer in batches of 100, then commits. */
  static void write(
      Map<String, Object> options,
      TestConnectorContext context,
      Schema schema,
      List<Object[]> rows) {
    try (Sink sink = sink(options, context)) {
      assertThat(sink.check()).as("check problems").isEmpty();
      sink.prepare(schema);
      try (SinkWriter writer = sink.createWriter(0)) {
        RowBatch batch = new RowBatch(schema.size(), 100);
        for (int i = 0; i < rows.size(); i++) {
          batch.addRow(rows.get(i).clone());
          if (batch.isFull() || i == rows.size() - 1) {
            writer.write(batch);
            batch.clear();
          }
        }
        writer.flush();
      }
      sink.commit();
    }
  }
}
