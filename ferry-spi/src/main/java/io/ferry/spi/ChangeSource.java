package io.ferry.spi;

import java.time.Duration;
import java.util.List;

/**
 * A log-based change source (a MySQL/MariaDB binlog, a PostgreSQL replication slot), beside the
 * batch {@link Source} of the same connector. Its offset is an opaque, versioned {@link Position}:
 * a reader opened at a position continues with the first change after it, neither repeating nor
 * skipping one.
 *
 * <p>Lifecycle, driven by the engine for a {@code kind: cdc} run:
 *
 * <ol>
 *   <li>{@link Connector#changeSource()} creates it from parsed options (no I/O yet);
 *   <li>{@link #check()} checks the server's prerequisites (log on and in the right format, grants,
 *       a publication) and reports each unmet one on the option or server setting at fault, with
 *       the fix;
 *   <li>{@link #tables()} resolves the captured tables;
 *   <li>for a run that starts with a snapshot, {@link #currentPosition()} is taken <em>before</em>
 *       the snapshot reads its first row; the snapshot itself is read by the connector's batch
 *       {@link Source}, one per table, with Ferry's parallel split readers; the run then reads the
 *       log from that position and applies every change idempotently, so that rows the snapshot
 *       already saw in their newer state converge (docs/adr: the hand-off);
 *   <li>{@link #open} once per attempt, at the checkpointed position, at the snapshot's start
 *       position, or at {@link #startPosition()};
 *   <li>{@link #close()}; {@link #drop()} only when the task that owns the source is deleted.
 * </ol>
 *
 * <p>Values in {@link ChangeEvent.RowChange}s are Ferry values of the same {@link TypeKind}s, with
 * the same conversions, as the connector's batch source produces for the same columns: a row reads
 * the same from the snapshot and from the log.
 */
public interface ChangeSource extends AutoCloseable {
  /**
   * The live check of the server's prerequisites: each problem names the option or the server
   * setting at fault (e.g. {@code binlog_format}, {@code wal_level}) and says how to fix it. Empty
   * when reading the log can start.
   */
  default List<OptionProblem> check() {
    return List.of();
  }

  /**
   * The tables this source captures (its options' list or patterns, resolved against the server).
   */
  List<Catalog.TableRef> tables();

  /**
   * The end of the log now: a reader opened here sees only changes committed after this call. Taken
   * before a snapshot starts, it is where the log is read from once the snapshot is done.
   */
  Position currentPosition();

  /**
   * Where a run without a checkpoint and without a snapshot starts: the position or the time the
   * options give (a binlog file and offset or a GTID set, an LSN; the first change committed at or
   * after a timestamp), else {@link #currentPosition()}.
   */
  Position startPosition();

  /**
   * Opens a reader of the log.
   *
   * @param after a position from {@link #currentPosition()}, {@link #startPosition()} or {@link
   *     ChangeReader#position()} of an earlier reader of this source: the reader continues with the
   *     first change after it
   * @throws FerryException with a non-retriable code when the log no longer holds that position (a
   *     purged binlog, a dropped slot), saying so and how to recover (a new snapshot): never a
   *     silent gap
   */
  ChangeReader open(Position after);

  /**
   * The order of this source's positions, when it has one: {@code compare(a, b) < 0} when a reader
   * opened at {@code a} sees changes a reader opened at {@code b} does not see again, 0 when both
   * continue with the same change. It orders the positions of {@link ChangeReader#position()} and
   * those of the events a reader returns (an event's position is the one after it), whatever tables
   * the readers capture: so that a second reader of the same log knows when it has passed where the
   * first one stands (shared mining's per-table resume, docs/adr/0009-shared-mining.md). The
   * comparator throws a non-retriable {@link FerryException} for a position it cannot place (a
   * MariaDB GTID start position). Empty by default: the source offers no order.
   */
  default java.util.Optional<java.util.Comparator<Position>> positionOrder() {
    return java.util.Optional.empty();
  }

  /**
   * Whether the source's log still holds {@code position}, as far as the source can tell without
   * reading it: false when it knows a reader opened there would fail for a purged log (a binlog
   * file purged, a replication slot past it). The default says true, and {@link #open} reports a
   * lost position when it meets one.
   */
  default boolean holds(Position position) {
    return true;
  }

  /**
   * Releases what the server keeps for this source (a PostgreSQL replication slot and the
   * publication Ferry created), when the task that owns it is deleted. The default does nothing.
   */
  default void drop() {}

  /**
   * Drops what the server keeps for this source between runs, for a job that will not run again
   * ({@code ferry cdc drop-slot}): a PostgreSQL replication slot (which holds WAL on the server
   * until it is dropped) and, with {@code publication}, the publication Ferry created. Unlike
   * {@link #drop()} it never ends a reader that is using them: it reports them in use. It says what
   * it found, so that a name that is not on the server is reported rather than passed over. The
   * default: the source keeps nothing on its server (a binlog reader holds nothing there).
   *
   * @return one entry per thing the source looked for, in the order it handled them
   * @throws FerryException when the server cannot be reached or refuses
   */
  default List<Retained> dropRetained(boolean publication) {
    return List.of();
  }

  /**
   * One thing a source keeps on its server between runs, and what {@link #dropRetained} did to it.
   *
   * @param what the thing, named for a message: {@code replication slot ferry on db at host:5432}
   * @param outcome what became of it
   * @param detail why it was kept or absent, with what to do when there is something to do; null
   *     when dropped
   */
  record Retained(String what, Outcome outcome, String detail) {
    public Retained {
      java.util.Objects.requireNonNull(what, "what is null");
      java.util.Objects.requireNonNull(outcome, "outcome is null");
    }

    /** What became of a thing. */
    public enum Outcome {
      /** It was there and is dropped now. */
      DROPPED,
      /** It was not there: nothing to drop. */
      ABSENT,
      /** It is there and stays: in use by a reader, or not Ferry's to drop. */
      KEPT
    }
  }

  @Override
  default void close() {}

  /** Reads change events on one thread, in log order. */
  interface ChangeReader extends AutoCloseable {
    /**
     * The next events, waiting at most {@code timeout}; empty when none came. The list is bounded
     * (a few thousand events or a few MB): a transaction of a million rows arrives over many polls,
     * so memory stays flat.
     */
    List<ChangeEvent> poll(Duration timeout);

    /**
     * The position after everything read so far, including what the run does not see: changes of
     * tables it does not capture, heartbeats, transaction ends. Checkpointing it (after the sink
     * flushed the events returned before it) lets an idle or filtered log still advance.
     */
    Position position();

    /**
     * Everything up to {@code position} is durable at the target and checkpointed: the server may
     * release the log up to it (PostgreSQL's {@code confirmed_flush_lsn}). The default does
     * nothing.
     */
    default void committed(Position position) {}

    @Override
    void close();
  }
}
