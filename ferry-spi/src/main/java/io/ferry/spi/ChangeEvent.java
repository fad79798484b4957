package io.ferry.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One row change read from a store's log.
 *
 * @param kind what happened
 * @param table the changed table
 * @param schema the columns of {@code before} and {@code after}
 * @param before the row before the change (UPDATE and DELETE), or null when the log lacks it
 * @param after the row after the change (INSERT and UPDATE), or null
 * @param offset the position after this event
 * @param committedAt when the store committed the change
 */
public record ChangeEvent(
    Kind kind,
    Catalog.TableRef table,
    Schema schema,
    Object[] before,
    Object[] after,
    Position offset,
    Instant committedAt) {
  public ChangeEvent {
    Objects.requireNonNull(kind, "kind is null");
    Objects.requireNonNull(table, "table is null");
    Objects.requireNonNull(schema, "schema is null");
    Objects.requireNonNull(offset, "offset is null");
  }

  public enum Kind {
    INSERT,
    UPDATE,
    DELETE
  }
}
