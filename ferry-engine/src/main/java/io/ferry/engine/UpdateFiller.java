package io.ferry.engine;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.KeyRange;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.SplitReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * "Fill complete fields of update events" ({@code fillUpdates}, docs/shared-mining.md): an update
 * whose after image lacks values ({@link ChangeEvent#UNCHANGED} — a MySQL/MariaDB binlog with
 * {@code binlog_row_image} MINIMAL or NOBLOB, PostgreSQL's unchanged TOAST values) gets them from
 * the source's row as it is when the mining run reads the event, looked up by the event's key with
 * the source connector's key-ordered read ({@link Source#openOrdered}), so readers of the mining
 * log get complete rows.
 *
 * <ul>
 *   <li>Only the after image is filled: the before image of such a log lacks the old values, which
 *       the source no longer has.
 *   <li>The row is the source's current one: a later change of it is in the log after this event,
 *       so readers converge on it.
 *   <li>A row that is gone (deleted since), an event without a key, or a source that cannot read in
 *       key order: the event stays as captured, and {@link #missed()} counts it.
 * </ul>
 *
 * Used by the mining run's thread only.
 */
final class UpdateFiller implements AutoCloseable {
  private final Function<TableRef, Source> sources;
  private final Map<TableRef, Source> open = new HashMap<>();
  private long filled;
  private long missed;

  /**
   * @param sources opens the source's batch source of one table (the caller's connector and
   *     options); each is closed with this filler
   */
  UpdateFiller(Function<TableRef, Source> sources) {
    this.sources = sources;
  }

  /** The event with its after image complete, or the event itself. */
  ChangeEvent fill(ChangeEvent event) {
    if (!(event instanceof ChangeEvent.RowChange r)
        || r.kind() != ChangeEvent.Kind.UPDATE
        || r.after() == null
        || !lacks(r.after())) {
      return event;
    }
    Object[] row = lookUp(r);
    if (row == null) {
      missed++;
      return event;
    }
    filled++;
    return new ChangeEvent.RowChange(
        r.kind(), r.table(), r.schema(), r.before(), row, r.position(), r.committedAt());
  }

  /** Updates whose after image was completed. */
  long filled() {
    return filled;
  }

  /** Updates left as captured: their row was gone, or could not be looked up by key. */
  long missed() {
    return missed;
  }

  private static boolean lacks(Object[] image) {
    for (Object v : image) {
      if (v == ChangeEvent.UNCHANGED) {
        return true;
      }
    }
    return false;
  }

  /** The after image with the lacking values from the source's row, or null. */
  private Object[] lookUp(ChangeEvent.RowChange r) {
    Schema schema = r.schema();
    if (schema.key().isEmpty()) {
      return null;
    }
    Source source = open.computeIfAbsent(r.table(), sources);
    if (!source.readsInKeyOrder()) {
      return null;
    }
    List<DataType> types = new ArrayList<>();
    Object[] key = new Object[schema.key().size()];
    for (int k = 0; k < key.length; k++) {
      int c = schema.indexOf(schema.key().get(k));
      Object v = r.after()[c];
      if (v == ChangeEvent.UNCHANGED) {
        v = r.before() == null ? null : r.before()[c]; // a key that did not change
      }
      if (v == null || v == ChangeEvent.UNCHANGED) {
        return null;
      }
      key[k] = v;
      types.add(schema.column(c).type());
    }
    Object[] current = null;
    try (SplitReader reader =
        source.openOrdered(new KeyRange(schema.key(), types, key, true, key))) {
      for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
        if (!batch.isEmpty()) {
          current = batch.row(0);
          break;
        }
      }
    }
    if (current == null) {
      return null; // deleted since: its delete follows in the log
    }
    Schema read = source.schema();
    Object[] after = r.after().clone();
    for (int i = 0; i < after.length; i++) {
      if (after[i] != ChangeEvent.UNCHANGED) {
        continue;
      }
      Column column = schema.column(i);
      int j = read.indexOf(column.name());
      if (j < 0 || read.column(j).type().kind() != column.type().kind()) {
        return null; // the table changed since the event: leave it as captured
      }
      after[i] = current[j];
    }
    return after;
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (Source s : open.values()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    open.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
