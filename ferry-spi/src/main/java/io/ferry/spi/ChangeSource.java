package io.ferry.spi;

import java.time.Duration;
import java.util.List;

/**
 * A log-based change source (a binlog, a WAL slot, a change stream), beside the batch {@link
 * Source}. Its offset is an opaque, versioned {@link Position}: a reader opened after an offset
 * continues with the first change after it.
 *
 * <p>No connector implements this yet; the contract is fixed here so the engine and the checkpoint
 * store need no change when one does.
 */
public interface ChangeSource extends AutoCloseable {
  /** The live check; see {@link Source#check()}. */
  default List<OptionProblem> check() {
    return List.of();
  }

  /**
   * @param after null to start where the connector's options say (now, or after a snapshot), or an
   *     offset from an earlier {@link ChangeEvent}
   */
  ChangeReader open(Position after);

  @Override
  default void close() {}

  /** Reads change events on one thread. */
  interface ChangeReader extends AutoCloseable {
    /** The next events, waiting at most {@code timeout}; empty when none came. */
    List<ChangeEvent> poll(Duration timeout);

    @Override
    void close();
  }
}
