package io.ferry.connector.mongodb;

import io.ferry.connector.testkit.Rows;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writing and reading rows through the connector itself, for the suites and the tests. */
final class MongoFixtures {
  private MongoFixtures() {}

  /** What MongoDB holds exactly: decimals of up to 34 digits, times to the millisecond. */
  static boolean supportsType(DataType type) {
    return switch (type.kind()) {
      case DECIMAL -> type.precision() <= 34;
      case TIMESTAMP, TIMESTAMP_TZ -> type.precision() <= 3;
      case ARRAY -> supportsType(type.elementType());
      case MAP -> supportsType(type.keyType()) && supportsType(type.valueType());
      case ROW -> type.fields().stream().allMatch(f -> supportsType(f.type()));
      default -> true;
    };
  }

  static List<String> columns(Schema schema) {
    List<String> columns = new ArrayList<>();
    for (Column c : schema.columns()) {
      columns.add(c.name() + " " + c.type());
    }
    return columns;
  }

  /** Writes the rows with one writer of a sink with {@code options}, committed. */
  static void write(
      MongoTestServer server,
      Map<String, Object> options,
      Schema schema,
      List<Object[]> rows,
      ConnectorContext context) {
    try (Sink sink = server.sink(options, context)) {
      sink.prepare(schema);
      try (SinkWriter writer = sink.createWriter(0)) {
        RowBatch batch = new RowBatch(schema.size(), 500);
        for (Object[] row : rows) {
          batch.addRow(row.clone());
          if (batch.isFull()) {
            writer.write(batch);
            batch.clear();
          }
        }
        writer.write(batch);
        writer.flush();
      }
      sink.commit();
    }
  }

  /** Every row of a collection, as values of {@code schema}, read with one split. */
  static List<Object[]> read(
      MongoTestServer server, String collection, Schema schema, ConnectorContext context) {
    if (!server.database().listCollectionNames().into(new ArrayList<>()).contains(collection)) {
      return List.of();
    }
    try (Source source =
        server.source(Map.of("collection", collection, "columns", columns(schema)), context)) {
      return Rows.readSequentially(source, source.planner().plan(1));
    }
  }
}
