package io.ferry.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One event read from a store's log by a {@link ChangeSource.ChangeReader}: a row change or a
 * change of a captured table's columns.
 */
public sealed interface ChangeEvent permits ChangeEvent.RowChange, ChangeEvent.SchemaChange {
  /** The changed table. */
  Catalog.TableRef table();

  /** The position after this event: a reader opened there continues with the next one. */
  Position position();

  /** When the store committed the change (its transaction's commit time). */
  Instant committedAt();

  /**
   * A value the log did not carry because it did not change (PostgreSQL omits unchanged TOASTed
   * values from an UPDATE): the target keeps what it has for that column.
   */
  Object UNCHANGED =
      new Object() {
        @Override
        public String toString() {
          return "(unchanged)";
        }
      };

  /** What happened to a row. */
  enum Kind {
    INSERT,
    UPDATE,
    DELETE
  }

  /**
   * A row inserted, updated or deleted.
   *
   * @param kind what happened
   * @param table the changed table
   * @param schema the columns of {@code before} and {@code after} at this point of the log, with
   *     the table's key
   * @param before the row before the change (UPDATE and DELETE; at least its key columns), or null
   *     for an INSERT; values the log lacks are null
   * @param after the row after the change (INSERT and UPDATE), or null for a DELETE; a value the
   *     log did not carry is {@link #UNCHANGED}
   * @param position the position after this event
   * @param committedAt when the store committed the change
   */
  record RowChange(
      Kind kind,
      Catalog.TableRef table,
      Schema schema,
      Object[] before,
      Object[] after,
      Position position,
      Instant committedAt)
      implements ChangeEvent {
    public RowChange {
      Objects.requireNonNull(kind, "kind is null");
      Objects.requireNonNull(table, "table is null");
      Objects.requireNonNull(schema, "schema is null");
      Objects.requireNonNull(position, "position is null");
      if (kind != Kind.INSERT && before == null) {
        throw new IllegalArgumentException(kind + " of " + table + " without a before image");
      }
      if (kind != Kind.DELETE && after == null) {
        throw new IllegalArgumentException(kind + " of " + table + " without an after image");
      }
    }
  }

  /**
   * A captured table's columns changed (ALTER TABLE, or a table dropped or renamed).
   *
   * @param table the table
   * @param before its columns before the change, or null when unknown
   * @param after its columns after the change, or null when the table was dropped
   * @param ddl the statement as the log carries it, for messages (may be null when the log carries
   *     only the new shape)
   * @param position the position after this event
   * @param committedAt when the store committed it
   */
  record SchemaChange(
      Catalog.TableRef table,
      Schema before,
      Schema after,
      String ddl,
      Position position,
      Instant committedAt)
      implements ChangeEvent {
    public SchemaChange {
      Objects.requireNonNull(table, "table is null");
      Objects.requireNonNull(position, "position is null");
    }
  }
}
