package io.ferry.connector.hbase;

import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.hbase.client.Mutation;
import org.apache.hadoop.hbase.client.Row;
import org.apache.hadoop.hbase.client.Table;

/**
 * Applies row changes to one table by row key (built by the sink's {@code rowKey}, as a copy builds
 * it). An INSERT or UPDATE puts the after image's cells and deletes the cells of its NULL values
 * (values the log did not carry, {@link ChangeEvent#UNCHANGED}, are left as they are); a DELETE
 * deletes the row, or with soft deletes puts the flag and time cells. A change of the key deletes
 * (or soft-deletes) the old row and puts the new one.
 *
 * <p>Order per key rests on cell timestamps, not on the order HBase applies a batch in: every
 * mutation of a row gets a timestamp later than the previous one of that row (the clock's
 * milliseconds, or one more than the last), so a Delete's marker never hides a later Put, and a
 * later value always wins. Mutations are sent with {@link Table#batch} at the sink's {@code
 * writeBuffer} and on {@link #flush()}, which returns once every region server acknowledged them
 * (durable as {@code durability} says).
 */
final class HBaseChangeWriter implements ChangeWriter {
  private final HBaseSink sink;
  private final Target target;
  private final boolean soft;
  private final Map<Schema, Shape> shapes = new HashMap<>();
  private Schema lastSchema;
  private Shape lastShape;
  private final List<Row> pending = new ArrayList<>();
  private long pendingBytes;

  /** Per row key touched lately: the timestamp of its last mutation. */
  private final Map<ByteBuffer, Long> lastStamp = new HashMap<>();

  private Table table;

  /** How a schema's rows become mutations: the encoder, and the soft-delete columns' indexes. */
  private record Shape(RowEncoder encoder, int width, int flag, int time) {}

  HBaseChangeWriter(HBaseSink sink, Target target) {
    this.sink = sink;
    this.target = target;
    this.soft = target.deleteMode() == DeleteMode.SOFT;
  }

  /** The shape of rows of {@code schema}, planned by the sink's mapping (and checked) once. */
  Shape encoder(Schema schema) {
    if (schema == lastSchema) {
      return lastShape;
    }
    if (shapes.size() > 64) {
      shapes.clear(); // a source may give each change a schema of its own
    }
    lastShape = shape(schema);
    lastSchema = schema;
    return lastShape;
  }

  private Shape shape(Schema schema) {
    return shapes.computeIfAbsent(
        schema,
        s -> {
          if (!soft) {
            return new Shape(sink.plan(s, Set.of()), s.size(), -1, -1);
          }
          List<Column> columns = new ArrayList<>(s.columns());
          columns.add(Column.of(target.softDeleteFlag(), DataType.BOOLEAN));
          columns.add(Column.of(target.softDeleteTime(), DataType.TIMESTAMP_TZ));
          RowEncoder encoder =
              sink.plan(
                  Schema.of(columns), Set.of(target.softDeleteFlag(), target.softDeleteTime()));
          return new Shape(encoder, s.size(), s.size(), s.size() + 1);
        });
  }

  @Override
  public void apply(List<RowChange> changes) {
    for (RowChange change : changes) {
      Shape shape = encoder(change.schema());
      try {
        switch (change.kind()) {
          case INSERT -> upsert(shape, change);
          case UPDATE -> {
            if (hasKey(shape, change.before())) {
              byte[] oldKey = shape.encoder().key(widen(shape, change.before()));
              byte[] newKey = shape.encoder().key(widen(shape, change.after()));
              if (!Arrays.equals(oldKey, newKey)) {
                delete(shape, change, change.before()); // a key change: the old row goes
              }
            }
            upsert(shape, change);
          }
          case DELETE -> {
            if (!hasKey(shape, change.before())) {
              throw new FerryException(
                  ErrorCode.CONVERSION,
                  "DELETE of "
                      + change.table()
                      + " at "
                      + change.position()
                      + " lacks a key value");
            }
            delete(shape, change, change.before());
          }
        }
      } catch (RowKeyRule.RowKeyProblem p) {
        throw new FerryException(
            ErrorCode.CONVERSION,
            "a "
                + change.kind()
                + " of "
                + change.table()
                + " at "
                + change.position()
                + " does not fit "
                + sink.label()
                + ": "
                + p.column
                + ": "
                + p.getMessage());
      }
      if (pendingBytes >= sink.writeBuffer()) {
        send();
      }
    }
  }

  private boolean hasKey(Shape shape, Object[] row) {
    Schema schema = shape.encoder().schema();
    for (String key : target.keys()) {
      int c = schema.indexOf(key);
      if (c < 0 || c >= row.length || row[c] == null || row[c] == ChangeEvent.UNCHANGED) {
        return false;
      }
    }
    return true;
  }

  /** {@code row} with room for the soft-delete columns (NULL). */
  private static Object[] widen(Shape shape, Object[] row) {
    return row.length == shape.encoder().schema().size()
        ? row
        : Arrays.copyOf(row, shape.encoder().schema().size());
  }

  private void upsert(Shape shape, RowChange change) {
    Object[] row = widen(shape, change.after());
    if (soft) {
      row[shape.flag()] = Boolean.FALSE;
      row[shape.time()] = null;
    }
    byte[] key = shape.encoder().key(row);
    long ts = stamp(key);
    Object[] values = row;
    add(shape.encoder().changeMutations(row, ts, c -> values[c] == ChangeEvent.UNCHANGED));
  }

  private void delete(Shape shape, RowChange change, Object[] before) {
    Object[] row = widen(shape, before);
    byte[] key = shape.encoder().key(row);
    long ts = stamp(key);
    if (soft) {
      row = row.clone();
      Instant at = change.committedAt() == null ? Instant.now() : change.committedAt();
      row[shape.flag()] = Boolean.TRUE;
      row[shape.time()] = at.atOffset(ZoneOffset.UTC);
      add(shape.encoder().changeMutations(row, ts, c -> c != shape.flag() && c != shape.time()));
    } else {
      add(List.of(shape.encoder().deleteRow(row, ts)));
    }
  }

  /** A timestamp for the next mutation of {@code key}: now, and later than its last one. */
  private long stamp(byte[] key) {
    long now = System.currentTimeMillis();
    ByteBuffer k = ByteBuffer.wrap(key);
    Long last = lastStamp.get(k);
    long ts = last == null ? now : Math.max(now, last + 1);
    lastStamp.put(k, ts);
    return ts;
  }

  private void add(List<Mutation> mutations) {
    for (Mutation m : mutations) {
      pending.add(m);
      pendingBytes += m.heapSize();
    }
  }

  @Override
  public void flush() {
    send();
    // Rows last changed before this millisecond cannot collide with a later mutation any more.
    long now = System.currentTimeMillis();
    lastStamp.values().removeIf(ts -> ts < now);
  }

  private Table table() throws IOException {
    if (table == null) {
      table = sink.connection().getTable(sink.tableName());
    }
    return table;
  }

  /** Sends what is pending; returns once HBase acknowledged every mutation, else throws. */
  private void send() {
    if (pending.isEmpty()) {
      return;
    }
    try {
      table().batch(pending, new Object[pending.size()]);
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "applying changes to " + sink.label());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(
          ErrorCode.INTERNAL, "interrupted while applying changes to " + sink.label(), e);
    } finally {
      pending.clear();
      pendingBytes = 0;
    }
  }

  /** Cells take any qualifier: a new column is written to the family unlisted columns go to. */
  @Override
  public SchemaFit schemaChanged(ChangeEvent.SchemaChange change, boolean apply) {
    if (change.after() == null) {
      return SchemaFit.no("the table was dropped or renamed");
    }
    try {
      encoder(change.after());
    } catch (FerryException e) {
      return SchemaFit.no(e.getMessage());
    }
    return SchemaFit.yes();
  }

  /** Drops what was not flushed: the engine re-applies it from its checkpoint. */
  @Override
  public void close() {
    pending.clear();
    if (table != null) {
      try {
        table.close();
      } catch (IOException e) {
        // nothing left to write
      }
      table = null;
    }
  }
}
