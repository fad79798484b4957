package io.ferry.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The mining-log store of shared change-log mining (docs/shared-mining.md): one mining run reads a
 * source's log once and appends its change events here; every cdc run of that source with {@code
 * sharedMining: true} reads them back at its own pace, with its own offset.
 *
 * <p>Events are numbered by the store in append order: the {@code seq} of the first event ever
 * appended is 1, each next one is one more, and a number is never reused (a purge removes a prefix
 * of the log). A reader's offset is the {@code seq} of the last event it has taken; it reads on
 * with {@link #read}.
 *
 * <p>Exactly once towards readers rests on {@link #append}: the events of a call and the source
 * position after them are committed together, so the mining run, started again after a crash, opens
 * the source's log at {@link State#minedTo()} and appends neither a gap nor an event twice. One
 * writer at a time: an append whose {@code expectedHead} is not the log's head fails.
 *
 * <p>Implementations are used from several threads (one writer, any number of readers).
 */
public interface MiningLog extends AutoCloseable {
  /** A non-retriable error: a reader's offset is older than what the log retains. */
  ErrorCode OFFSET_EXPIRED = ErrorCode.user("mining.offset-expired");

  /** Another mining run appended to the same log meanwhile: this one must stop. */
  ErrorCode CONFLICT = ErrorCode.external("mining.conflict", false);

  /** Creates the store's tables or collections when they are missing (idempotent). */
  void prepare();

  /** The log's state now. */
  State state();

  /**
   * Appends events in the order given and records the source position after them, in one commit.
   *
   * @param expectedHead the head this writer last saw ({@link State#head()}): when the log's head
   *     differs, another writer appended meanwhile and nothing is written ({@link #CONFLICT})
   * @param events row and schema changes with their documents, in log order (may be empty: only the
   *     position moves)
   * @param minedTo the source position after everything read, including events of tables nobody
   *     reads: where the mining run continues
   * @return the new head
   */
  long append(long expectedHead, List<Encoded> events, Position minedTo);

  /**
   * Reads events after {@code after}, of the given tables only, in append order.
   *
   * @param after the last seq the reader has taken (0 before the first event)
   * @param tables the tables the reader wants
   * @param max at most this many events
   * @return the events, and how far the log was scanned: a reader continues after {@link
   *     Batch#scannedTo()}; it is the head read at the start when fewer than {@code max} events
   *     came
   * @throws FerryException with {@link #OFFSET_EXPIRED} when events after {@code after} were
   *     purged: the reader would miss them
   */
  Batch read(long after, Collection<Catalog.TableRef> tables, int max);

  /**
   * Removes the events appended before {@code before} (the retention counts from when an event
   * reached the log), always a prefix of the log; a reader whose offset lies in the removed prefix
   * gets {@link #OFFSET_EXPIRED} from then on.
   *
   * @return how many events were removed
   */
  long purge(Instant before);

  /**
   * Asks the mining run to capture these tables too (a cdc run that starts calls it); a table
   * already asked for keeps its state.
   */
  void request(Collection<Catalog.TableRef> tables);

  /**
   * Records that the mining run captures these tables from now on: every change of theirs after
   * {@link State#minedTo()} will be appended after {@link State#head()}. Called by the mining run
   * when it opens the source's log with them.
   */
  void cover(Collection<Catalog.TableRef> tables);

  // ---- per-table stop and resume (docs/adr/0009-shared-mining.md) ----------------------------

  /**
   * An operator's wish for a table the log captures: {@code stopped} true asks the mining run to
   * stop reading it, false to resume it. The mining run acts on it within a second or so and
   * records the outcome ({@link #stopped}, {@link #resumed}); anyone may call it.
   *
   * @throws FerryException with {@link ErrorCode#NOT_FOUND} when the table was never asked for
   */
  void askStopped(Catalog.TableRef table, boolean stopped);

  /**
   * Records, for the mining run, that it stopped reading {@code table} once everything up to {@link
   * State#minedTo()} was appended: the table's {@link Stop} is {@code at} and the head.
   *
   * @param expectedHead the head this writer last saw: another head fails ({@link #CONFLICT})
   * @param at the source position everything of the table was appended up to: the log's {@link
   *     State#minedTo()}
   */
  void stopped(long expectedHead, Catalog.TableRef table, Position at);

  /**
   * Appends events of a stopped table that the mining run read again from its stop, and moves the
   * table's {@link Stop#at()} to {@code to}, in one commit (MongoDB: as idempotent as {@link
   * #append}), so that a run started again after a crash continues the catch-up from there.
   *
   * @param expectedHead the head this writer last saw ({@link #CONFLICT} otherwise)
   * @param events the table's events, in log order
   * @param to the source position after the last of them
   * @return the new head
   */
  long caughtUp(long expectedHead, Catalog.TableRef table, List<Encoded> events, Position to);

  /**
   * Clears a table's stop: the mining run reads it again with the others from now on.
   *
   * @param expectedHead the head this writer last saw ({@link #CONFLICT} otherwise)
   * @param caughtUp true when every change of the table from its stop up to {@link State#minedTo()}
   *     was appended ({@link #caughtUp}); false when the source's log no longer held the stop: then
   *     one number is spent (the head moves by one without an event) and the table is covered from
   *     the new head, so that every reader whose offset is older fails with {@link #OFFSET_EXPIRED}
   *     instead of missing the table's changes of the stop
   * @return the new head
   */
  long resumed(long expectedHead, Catalog.TableRef table, boolean caughtUp);

  /**
   * Where a table stopped.
   *
   * @param at the source position up to which its changes are appended
   * @param head the log's head then
   */
  record Stop(Position at, long head) {
    public Stop {
      Objects.requireNonNull(at, "at is null");
    }
  }

  /**
   * The space the log takes in its store (events, indexes and companions), as the store estimates
   * it; empty when the store cannot tell.
   */
  default java.util.OptionalLong sizeBytes() {
    return java.util.OptionalLong.empty();
  }

  /**
   * When the first event after {@code after} reached the log: the retention drops it, and with it a
   * reader whose offset is {@code after}, once that time is {@code retention} old. Empty when no
   * event follows (the reader is at the head) or the store cannot tell.
   */
  default java.util.Optional<Instant> appendedAfter(long after) {
    return java.util.Optional.empty();
  }

  /** Releases connections. */
  @Override
  void close();

  /**
   * A log's state.
   *
   * @param head the seq of the last event appended (0 when none ever was)
   * @param purgedTo the seq of the last event purged (0 when none was): events up to it are gone
   * @param minedTo the source position the mining run continues after, or null before its start
   * @param tables every table asked for, with the head at which the mining run started to capture
   *     it, or -1 while it does not yet
   * @param stopAsked the tables an operator asked to stop ({@link #askStopped}), stopped or not yet
   * @param stopped the tables the mining run stopped reading, with where ({@link #stopped})
   */
  record State(
      long head,
      long purgedTo,
      Position minedTo,
      Map<Catalog.TableRef, Long> tables,
      Set<Catalog.TableRef> stopAsked,
      Map<Catalog.TableRef, Stop> stopped) {
    public State {
      tables = Map.copyOf(tables);
      stopAsked = Set.copyOf(stopAsked);
      stopped = Map.copyOf(stopped);
    }

    /** A log whose tables are neither stopped nor asked to stop. */
    public State(long head, long purgedTo, Position minedTo, Map<Catalog.TableRef, Long> tables) {
      this(head, purgedTo, minedTo, tables, Set.of(), Map.of());
    }

    /** The tables being captured. */
    public Set<Catalog.TableRef> covered() {
      return tables.entrySet().stream()
          .filter(e -> e.getValue() >= 0)
          .map(Map.Entry::getKey)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
  }

  /**
   * Events read from a log.
   *
   * @param events the events with their seq, in order
   * @param scannedTo the seq the reader continues after
   */
  record Batch(List<Entry> events, long scannedTo) {
    public Batch {
      events = List.copyOf(events);
    }
  }

  /**
   * An event to append and the document the store keeps of it: its JSON as {@code
   * io.ferry.connector.support.ChangeEventJson#encode} writes it, which readers decode. The writer
   * encodes (a mining run does it on several threads, docs/shared-mining.md); the store keeps the
   * document as given and takes the table, op, commit time and position from the event.
   */
  record Encoded(ChangeEvent event, String document) {
    public Encoded {
      Objects.requireNonNull(event, "event is null");
      Objects.requireNonNull(document, "document is null");
    }
  }

  /**
   * One event and its number in the log.
   *
   * @param seq its number
   * @param event the event as appended
   */
  record Entry(long seq, ChangeEvent event) {
    public Entry {
      Objects.requireNonNull(event, "event is null");
    }
  }
}
