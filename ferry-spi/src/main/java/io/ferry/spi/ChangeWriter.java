package io.ferry.spi;

import java.util.List;
import java.util.Objects;

/**
 * Applies row changes read from a store's log to one target table of a {@link Sink} (a {@code kind:
 * cdc} run), on one thread. Created by {@link Sink#changeWriter} once the sink declared {@link
 * Sink#appliesChanges()}.
 *
 * <p>Contract, which the engine's exactly-once guarantee rests on:
 *
 * <ul>
 *   <li><b>Order per key.</b> {@link #apply} receives changes in log order and must leave the
 *       target as if they had been applied one after the other: a later change of a key wins over
 *       an earlier one. Batching is free as long as that holds.
 *   <li><b>Idempotence.</b> Applying a change a second time, or a change whose effect the target
 *       already shows, leaves the same result: an INSERT or UPDATE writes the whole after image by
 *       key (an upsert), a DELETE removes the key if it is there. A change of the key (UPDATE whose
 *       before key differs from its after key) is a delete of the old key and an upsert of the new
 *       one. The engine relies on it to re-apply what followed the last checkpoint after a crash,
 *       and to replay the log over a snapshot that already saw newer rows.
 *   <li><b>Durability.</b> {@link #flush()} returns only once every change applied so far is
 *       durable in the target; only then does the engine checkpoint the log position.
 * </ul>
 */
public interface ChangeWriter extends AutoCloseable {
  /**
   * Applies or buffers changes of this writer's table, in log order. Must not keep the list.
   *
   * @param changes row changes whose {@link ChangeEvent.RowChange#schema()} names their columns
   */
  void apply(List<ChangeEvent.RowChange> changes);

  /** Makes every change applied so far durable. */
  void flush();

  /**
   * The captured table's columns changed. Called after {@link #flush()}, before any change in the
   * new shape.
   *
   * @param apply true to change the target (add the new columns, widen a compatible type); false
   *     only to tell whether the target already fits the new shape
   * @return whether the target fits the new shape now, or why not (the engine then pauses the run
   *     with the DDL and this reason)
   */
  default SchemaFit schemaChanged(ChangeEvent.SchemaChange change, boolean apply) {
    return SchemaFit.no("the sink does not follow schema changes");
  }

  /** Releases what the writer holds; changes applied after the last flush may be lost. */
  @Override
  void close();

  /**
   * Whether a target fits a table's new shape.
   *
   * @param fits true when changes in the new shape can be applied
   * @param reason why not, when it does not fit; null otherwise
   */
  record SchemaFit(boolean fits, String reason) {
    public static SchemaFit yes() {
      return new SchemaFit(true, null);
    }

    public static SchemaFit no(String reason) {
      return new SchemaFit(false, Objects.requireNonNull(reason, "reason"));
    }
  }

  /** How a DELETE reaches the target. */
  enum DeleteMode {
    /** The target row goes. */
    DELETE,
    /**
     * The target row stays, marked: its flag column is set to true and its time column to the
     * commit time of the delete. A later INSERT of the key writes the row again with the flag false
     * and the time null.
     */
    SOFT
  }

  /**
   * What a change writer writes to.
   *
   * @param table the captured table, for messages
   * @param schema the table's columns as the run knows them first (the snapshot's, or the source
   *     table's): a sink that creates its target creates these columns
   * @param keys the columns that identify a row: the table's key, or the key columns the job names
   *     for a table without one; never empty
   * @param deleteMode how deletes are applied
   * @param softDeleteFlag the flag column of {@link DeleteMode#SOFT} (boolean); null otherwise
   * @param softDeleteTime the time column of {@link DeleteMode#SOFT} (timestamp); null otherwise
   */
  record Target(
      Catalog.TableRef table,
      Schema schema,
      List<String> keys,
      DeleteMode deleteMode,
      String softDeleteFlag,
      String softDeleteTime) {
    public Target {
      Objects.requireNonNull(table, "table is null");
      Objects.requireNonNull(schema, "schema is null");
      keys = List.copyOf(keys);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("a change target needs key columns");
      }
      Objects.requireNonNull(deleteMode, "deleteMode is null");
      if (deleteMode == DeleteMode.SOFT && (softDeleteFlag == null || softDeleteTime == null)) {
        throw new IllegalArgumentException("soft deletes need a flag and a time column");
      }
    }
  }
}
