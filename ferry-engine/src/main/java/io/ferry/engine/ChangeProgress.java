package io.ferry.engine;

import io.ferry.spi.Position;
import java.time.Duration;
import java.util.List;

/**
 * The change-capture side of a {@code kind: cdc} run's {@link Progress}.
 *
 * @param phase SNAPSHOT while tables are being copied, STREAMING once the log is applied
 * @param position the log position behind the last checkpoint: everything before it is at the
 *     target (during the snapshot, where the log will be read from)
 * @param lag from the source's commit of the last flushed change to its flush at the target; zero
 *     before the first flush
 * @param tables each captured table
 */
public record ChangeProgress(
    Phase phase, Position position, Duration lag, List<TableProgress> tables) {
  public ChangeProgress {
    tables = List.copyOf(tables);
  }

  /** What a cdc run is doing. */
  public enum Phase {
    SNAPSHOT,
    STREAMING
  }

  /** Changes applied over all tables: inserts, updates and deletes flushed to the target. */
  public long changesApplied() {
    return tables.stream().mapToLong(t -> t.inserts() + t.updates() + t.deletes()).sum();
  }

  /**
   * One captured table.
   *
   * @param table the source table, {@code schema.name}
   * @param snapshot PENDING, RUNNING or DONE (DONE also when the run takes no snapshot)
   * @param snapshotRows rows its snapshot has written so far
   * @param snapshotPercent its snapshot's progress in percent, or -1 when unknown
   * @param inserts, updates, deletes changes flushed to the target, over all attempts
   * @param lag the lag of its last flushed change
   */
  public record TableProgress(
      String table,
      SplitProgress.State snapshot,
      long snapshotRows,
      double snapshotPercent,
      long inserts,
      long updates,
      long deletes,
      Duration lag) {}
}
