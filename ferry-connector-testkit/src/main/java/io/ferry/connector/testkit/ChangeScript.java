package io.ferry.connector.testkit;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.Kind;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One batch of row changes every sink that applies changes is tested with, and the target it must
 * leave: inserts (one over a row already there), several updates of one key in the batch, an update
 * whose {@code qty} the log did not carry ({@link ChangeEvent#UNCHANGED}), a delete and a re-insert
 * of a key, a change of the key, a delete of a key never there. Rows are {@code (id BIGINT key,
 * name STRING, qty INT)}; the expected target maps id to {@code [name, qty]}, with the soft-delete
 * flag appended in {@link ChangeWriter.DeleteMode#SOFT}.
 */
public final class ChangeScript {
  public static final Schema SCHEMA =
      Schema.of(
              new Column("id", DataType.INT64, false),
              Column.of("name", DataType.STRING),
              Column.of("qty", DataType.INT32))
          .withKey(List.of("id"));

  /** The soft-delete columns the tests use: the job's defaults. */
  public static final String FLAG = "_ferry_deleted";

  public static final String TIME = "_ferry_deleted_at";

  public static final TableRef TABLE = new TableRef("shop", "items");

  private long offset;

  /** The target of {@link #SCHEMA} keyed by id, deleting as {@code mode} says. */
  public static ChangeWriter.Target target(ChangeWriter.DeleteMode mode) {
    boolean soft = mode == ChangeWriter.DeleteMode.SOFT;
    return new ChangeWriter.Target(
        TABLE, SCHEMA, List.of("id"), mode, soft ? FLAG : null, soft ? TIME : null);
  }

  /** The change batch, with fresh positions: positions 1, 2, ... of this script. */
  public List<RowChange> batch() {
    return List.of(
        insert(1, "one", 1), // over a row already there (a snapshot's): an upsert
        insert(2, "two", 2),
        update(2, "two", 2, "two'", 20),
        update(2, "two'", 2, "two''", ChangeEvent.UNCHANGED), // qty stays 20
        insert(3, "three", 3),
        delete(3, "three", 3),
        insert(3, "three again", 33),
        update(1, "one", 10, "one moved", 1), // a key change
        insert(4, "four", 4),
        delete(4, "four", 4),
        delete(99, "never there", 99));
  }

  /** The row already in the target before the batch (id 1), as a snapshot may have written it. */
  public static Object[] existingRow() {
    return new Object[] {1L, "old", 0};
  }

  /**
   * What the target holds after {@link #batch()} (applied once or more), id → [name, qty(,flag)].
   */
  public static Map<Long, List<Object>> expected(ChangeWriter.DeleteMode mode) {
    Map<Long, List<Object>> rows = new TreeMap<>();
    if (mode == ChangeWriter.DeleteMode.SOFT) {
      rows.put(1L, Arrays.asList("one", 1, true)); // the old key of the key change
      rows.put(2L, Arrays.asList("two''", 20, false));
      rows.put(3L, Arrays.asList("three again", 33, false));
      rows.put(4L, Arrays.asList("four", 4, true));
      rows.put(10L, Arrays.asList("one moved", 1, false));
    } else {
      rows.put(2L, Arrays.asList("two''", 20));
      rows.put(3L, Arrays.asList("three again", 33));
      rows.put(10L, Arrays.asList("one moved", 1));
    }
    return rows;
  }

  /** The keys {@link #expected} shows soft-deleted: their time column must be set. */
  public static List<Long> softDeleted() {
    return List.of(1L, 4L);
  }

  public RowChange insert(long id, String name, Object qty) {
    return change(Kind.INSERT, null, new Object[] {id, name, qty});
  }

  public RowChange update(long id, String before, long newId, String after, Object qty) {
    return change(Kind.UPDATE, new Object[] {id, before, null}, new Object[] {newId, after, qty});
  }

  public RowChange delete(long id, String name, Object qty) {
    return change(Kind.DELETE, new Object[] {id, name, qty}, null);
  }

  private RowChange change(Kind kind, Object[] before, Object[] after) {
    offset++;
    return new RowChange(
        kind,
        TABLE,
        SCHEMA,
        before,
        after,
        new Position(1, new Codec.Writer().writeLong(offset).toByteArray(), "event " + offset),
        Instant.parse("2026-01-02T03:04:05Z").plusSeconds(offset));
  }

  /** The changes of {@code batch} from index {@code from} on, as a resumed run reads them again. */
  public static List<RowChange> from(List<RowChange> batch, int from) {
    return new ArrayList<>(batch.subList(from, batch.size()));
  }
}
