package io.ferry.connector.file;

import io.ferry.spi.Connector;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Creates file sources and sinks from raw options and moves rows through them. */
final class FileTestSupport {
  static final Connector CONNECTOR = new FileConnector();

  private FileTestSupport() {}

  static Source source(Map<String, ?> raw, TestContext context) {
    Connector.Role<Source> role = CONNECTOR.source().orElseThrow();
    return role.create(role.options().parse(raw), context);
  }

  static Sink sink(Map<String, ?> raw, TestContext context) {
    Connector.Role<Sink> role = CONNECTOR.sink().orElseThrow();
    return role.create(role.options().parse(raw), context);
  }

  /**
   * Writes {@code rows} spread round-robin over {@code writers} writers, one split per writer, then
   * commits.
   */
  static void writeAll(Sink sink, Schema schema, List<Object[]> rows, int writers) {
    sink.prepare(schema);
    List<SinkWriter> open = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      open.add(sink.createWriter(w));
    }
    for (int w = 0; w < writers; w++) {
      open.get(w).beginSplit(w);
      RowBatch batch = new RowBatch(schema.size(), 16);
      for (int r = w; r < rows.size(); r += writers) {
        batch.addRow(rows.get(r));
        if (batch.isFull()) {
          open.get(w).write(batch);
          batch.clear();
        }
      }
      open.get(w).write(batch);
      open.get(w).flush();
      open.get(w).endSplit(w);
      open.get(w).close();
    }
    sink.commit();
  }

  /** Every row of every split, split after split. */
  static List<Object[]> readAll(Source source) {
    List<Object[]> rows = new ArrayList<>();
    for (Split split : source.planner().plan(1)) {
      rows.addAll(readSplit(source, split, null));
    }
    return rows;
  }

  static List<Object[]> readSplit(Source source, Split split, Position after) {
    List<Object[]> rows = new ArrayList<>();
    try (SplitReader reader = source.openReader(split, after)) {
      for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
        for (int r = 0; r < batch.size(); r++) {
          rows.add(batch.row(r));
        }
      }
    }
    return rows;
  }

  /** Reads every split on its own thread, after a codec round trip of the split. */
  static List<Object[]> readParallel(Source source, List<Split> splits) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Object[]>>> results = new ArrayList<>();
      for (Split split : splits) {
        byte[] encoded = source.splitCodec().encode(split);
        Split decoded = source.splitCodec().decode(source.splitCodec().version(), encoded);
        results.add(pool.submit(() -> readSplit(source, decoded, null)));
      }
      List<Object[]> rows = new ArrayList<>();
      for (Future<List<Object[]>> result : results) {
        rows.addAll(result.get());
      }
      return rows;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A row as text that keeps each value's class and array contents, for exact comparisons. */
  static String canonical(Object[] row) {
    StringBuilder sb = new StringBuilder();
    for (Object value : row) {
      sb.append(canonicalValue(value)).append(" | ");
    }
    return sb.toString();
  }

  private static String canonicalValue(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Object[] nested) {
      return "row" + canonical(nested);
    }
    if (value instanceof byte[] bytes) {
      return "bytes" + Arrays.toString(bytes);
    }
    if (value instanceof List<?> list) {
      List<String> elements = new ArrayList<>();
      for (Object element : list) {
        elements.add(canonicalValue(element));
      }
      return "list" + elements;
    }
    return value.getClass().getSimpleName() + ":" + value;
  }

  static List<String> canonical(List<Object[]> rows) {
    return rows.stream().map(FileTestSupport::canonical).toList();
  }
}
