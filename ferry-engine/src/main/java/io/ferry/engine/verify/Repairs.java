package io.ferry.engine.verify;

import io.ferry.spi.Catalog;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mends the target through the sink's {@link ChangeWriter}: a missing or different row is written
 * whole by key (the writer's upsert), an extra row deleted by key, only when deletes are allowed.
 * One {@link Writer} per thread; changes go out in batches.
 */
final class Repairs {
  private static final Position NO_POSITION = new Position(1, new byte[0], "verify");
  private static final int BATCH = 500;

  private final Sink sink;
  private final ChangeWriter.Target target;
  private final boolean deleteExtra;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();

  /**
   * @param schema the rows' columns: the job's output, in the target's names
   * @param key the key columns among them
   */
  Repairs(Sink sink, String table, Schema schema, List<String> key, boolean deleteExtra) {
    this.sink = sink;
    this.target =
        new ChangeWriter.Target(
            new Catalog.TableRef(null, table),
            schema,
            key,
            ChangeWriter.DeleteMode.DELETE,
            null,
            null);
    this.deleteExtra = deleteExtra;
  }

  Writer open() {
    return new Writer(sink.changeWriter(target));
  }

  long written() {
    return written.get();
  }

  long deleted() {
    return deleted.get();
  }

  /** One thread's repairs. */
  final class Writer implements AutoCloseable {
    private final ChangeWriter writer;
    private final List<ChangeEvent.RowChange> pending = new ArrayList<>();

    private Writer(ChangeWriter writer) {
      this.writer = writer;
    }

    /** Writes the source's row (already in the target's columns) over whatever the key holds. */
    void upsert(Object[] row) {
      add(ChangeEvent.Kind.INSERT, null, row);
      written.incrementAndGet();
    }

    /** Deletes an extra row, when allowed; returns whether it will. */
    boolean delete(Object[] row) {
      if (!deleteExtra) {
        return false;
      }
      add(ChangeEvent.Kind.DELETE, row, null);
      deleted.incrementAndGet();
      return true;
    }

    private void add(ChangeEvent.Kind kind, Object[] before, Object[] after) {
      pending.add(
          new ChangeEvent.RowChange(
              kind, target.table(), target.schema(), before, after, NO_POSITION, Instant.now()));
      if (pending.size() >= BATCH) {
        apply();
      }
    }

    private void apply() {
      if (!pending.isEmpty()) {
        writer.apply(pending);
        pending.clear();
      }
    }

    @Override
    public void close() {
      try {
        apply();
        writer.flush();
      } finally {
        writer.close();
      }
    }
  }
}
