package io.ferry.engine;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.MiningLog;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change source of a cdc run with {@code sharedMining: true}: it reads the source's changes
 * from the mining log a {@link MiningRun} fills, instead of opening the source's log itself
 * (docs/shared-mining.md, docs/adr/0009-shared-mining.md). {@link CdcRun} drives it like any change
 * source, so the snapshot and its hand-off are the ones of ADR 0006.
 *
 * <p>Its positions are mining-log numbers ({@code seq}): {@link #currentPosition()} first asks the
 * mining run to capture the run's tables and waits until it does, then answers the log's head.
 * Every change of those tables committed after that call is appended after the head, so a snapshot
 * taken after it and the log read from it hand off exactly as with the source's own log. Events
 * come back with their mining-log position (the source's position stays in the description).
 *
 * <p>An offset the log no longer holds (purged by its retention) fails the run with {@link
 * MiningLog#OFFSET_EXPIRED}, never a silent gap. When the mining run is behind or stopped, a poll
 * finds nothing new and the run waits; so it does while the mining log's store cannot be reached.
 */
final class SharedMiningSource implements ChangeSource {
  private static final Logger log = LoggerFactory.getLogger(SharedMiningSource.class);

  /** No mining run captured the run's tables in time: none runs for the source, or it fails. */
  static final ErrorCode NOT_CAPTURED = ErrorCode.external("mining.not-captured", true);

  /** The version of the positions this source writes. */
  static final int POSITION_VERSION = 1;

  /** Events read from the mining log at once, at most. */
  static final int READ_BATCH = 2_000;

  /** How long {@link #currentPosition()} waits for the mining run to capture the run's tables. */
  static final Duration COVER_WAIT = Duration.ofMinutes(10);

  private static final long IDLE_SLEEP_MILLIS = 100;

  /** The wait after a read the mining log's store failed, before the next poll tries again. */
  private static final long STORE_DOWN_SLEEP_MILLIS = 1_000;

  private final ChangeSource source;
  private final MiningLog miningLog;
  private volatile List<TableRef> tables;

  /**
   * @param source the source's own change source: it resolves the captured tables; its log is not
   *     opened
   * @param miningLog the mining log of that source
   */
  SharedMiningSource(ChangeSource source, MiningLog miningLog) {
    this.source = source;
    this.miningLog = miningLog;
  }

  @Override
  public List<OptionProblem> check() {
    miningLog.prepare();
    miningLog.state();
    return List.of();
  }

  @Override
  public List<TableRef> tables() {
    List<TableRef> t = tables;
    if (t == null) {
      t = List.copyOf(source.tables());
      tables = t;
    }
    return t;
  }

  @Override
  public Position currentPosition() {
    awaitCaptured(() -> false);
    return position(miningLog.state().head(), "the head");
  }

  /**
   * Asks the mining run to capture the run's tables and waits until it does, at most {@link
   * #COVER_WAIT}.
   *
   * @param interrupted true when the run was stopped or paused meanwhile
   * @return false when interrupted before the tables were captured
   */
  boolean awaitCaptured(java.util.function.BooleanSupplier interrupted) {
    List<TableRef> wanted = tables();
    miningLog.prepare();
    miningLog.request(wanted);
    long deadline = System.nanoTime() + COVER_WAIT.toNanos();
    long nextNotice = System.nanoTime();
    while (true) {
      MiningLog.State state = miningLog.state();
      List<TableRef> missing =
          wanted.stream().filter(t -> state.tables().getOrDefault(t, -1L) < 0).toList();
      if (missing.isEmpty()) {
        return true;
      }
      if (interrupted.getAsBoolean()) {
        return false;
      }
      if (System.nanoTime() > deadline) {
        throw new FerryException(
            NOT_CAPTURED,
            "no mining run captured "
                + missing
                + " of "
                + miningLog
                + " within "
                + COVER_WAIT.toMinutes()
                + " minutes: start the mining run of this source (docs/shared-mining.md)");
      }
      if (System.nanoTime() >= nextNotice) {
        log.info("Waiting for the mining run of {} to capture {}", miningLog, missing);
        nextNotice = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      }
      sleep(200);
    }
  }

  /**
   * Shared mining has no start of its own: a run starts at the head ({@code startup: latest}), the
   * engine refuses {@code position} and {@code timestamp} before it gets here.
   */
  @Override
  public Position startPosition() {
    return currentPosition();
  }

  @Override
  public ChangeReader open(Position after) {
    long seq = seq(after);
    List<TableRef> wanted = tables();
    MiningLog.State state = miningLog.state();
    if (state.purgedTo() > seq) {
      throw expired(seq, state);
    }
    for (TableRef t : wanted) {
      long from = state.tables().getOrDefault(t, -1L);
      if (from < 0 || from > seq) {
        throw new FerryException(
            MiningLog.OFFSET_EXPIRED,
            miningLog
                + (from < 0 ? " does not capture " + t : " captures " + t + " only from #" + from)
                + ", after this run's offset #"
                + seq
                + ": changes of it in between are not in the log. Start the job again as a new"
                + " run (a new snapshot)");
      }
    }
    return new Reader(seq, wanted, coveredFrom(state, wanted));
  }

  private static Map<TableRef, Long> coveredFrom(MiningLog.State state, List<TableRef> wanted) {
    Map<TableRef, Long> out = new java.util.HashMap<>();
    for (TableRef t : wanted) {
      out.put(t, state.tables().getOrDefault(t, -1L));
    }
    return out;
  }

  private FerryException expired(long seq, MiningLog.State state) {
    return new FerryException(
        MiningLog.OFFSET_EXPIRED,
        "the offset #"
            + seq
            + " is older than what "
            + miningLog
            + " retains: events up to #"
            + state.purgedTo()
            + " were purged by its retention, so changes after the offset are gone. Start the"
            + " job again as a new run (a new snapshot), or keep the log longer");
  }

  /** The shared log belongs to its mining run, not to this task: nothing is dropped. */
  @Override
  public void drop() {}

  @Override
  public void close() {
    try {
      miningLog.close();
    } finally {
      source.close();
    }
  }

  static Position position(long seq, String what) {
    return new Position(
        POSITION_VERSION,
        new Codec.Writer().writeLong(seq).toByteArray(),
        "mining log #" + seq + (what == null ? "" : " (" + what + ")"));
  }

  static long seq(Position position) {
    if (position.version() != POSITION_VERSION || position.bytes().length != Long.BYTES) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "the position "
              + position
              + " is not a mining-log position: the run was checkpointed without shared mining;"
              + " start it again as a new run");
    }
    return new Codec.Reader(position.bytes()).readLong();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted while reading the mining log");
    }
  }

  /** Reads the mining log after an offset, for the run's tables. */
  private final class Reader implements ChangeReader {
    private final List<TableRef> wanted;
    private final Map<TableRef, Long> coveredFrom;
    private volatile long seq;

    /** When the store was first found unreachable in the current outage; 0 while it answers. */
    private long storeDownSince;

    Reader(long seq, List<TableRef> wanted, Map<TableRef, Long> coveredFrom) {
      this.seq = seq;
      this.wanted = wanted;
      this.coveredFrom = coveredFrom;
    }

    /**
     * Fails when a table of the run is covered from another number than when the reader opened: its
     * mining run resumed it after its source's log lost the table's changes of a stop, so this
     * reader misses them (docs/adr/0009-shared-mining.md). Checked after each read that moved,
     * before its events are returned: the table's cover moves with the head, before any event after
     * it is appended.
     */
    private void checkCovered() {
      MiningLog.State state = miningLog.state();
      for (TableRef t : wanted) {
        long from = state.tables().getOrDefault(t, -1L);
        if (from != coveredFrom.get(t)) {
          throw new FerryException(
              MiningLog.OFFSET_EXPIRED,
              miningLog
                  + " captures "
                  + t
                  + " again only from #"
                  + from
                  + ": its mining run resumed the table after the source's log had lost its"
                  + " changes since the table was stopped, so this run (at #"
                  + seq
                  + ") misses them. Start the job again as a new run (a new snapshot)");
        }
      }
    }

    /**
     * Reads what follows the offset. While the mining log's store cannot be reached (a failure a
     * retry may fix, after the store's own retries), the reader waits as it does for a mining run
     * that is behind: the run is not failed, since nothing is lost — the mining run appends what
     * its source logged meanwhile once the store is back, and this reader reads on from its offset.
     */
    @Override
    public List<ChangeEvent> poll(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        MiningLog.Batch batch;
        boolean moved;
        try {
          batch = miningLog.read(seq, wanted, READ_BATCH);
          moved = batch.scannedTo() != seq;
          if (moved) {
            // A cover moves only with the head (resuming a lost stop spends a number): a read
            // that did not move finds nothing new to check, and saves the log's state query.
            checkCovered();
          }
        } catch (FerryException e) {
          if (!e.retriable()) {
            throw e;
          }
          storeDown(e);
          sleep(STORE_DOWN_SLEEP_MILLIS);
          return List.of();
        }
        if (storeDownSince != 0) {
          log.info(
              "Reading {} works again after {} s; reading on after #{}",
              miningLog,
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - storeDownSince),
              seq);
          storeDownSince = 0;
        }
        if (!batch.events().isEmpty()) {
          seq = batch.scannedTo();
          List<ChangeEvent> events = new ArrayList<>(batch.events().size());
          for (MiningLog.Entry e : batch.events()) {
            events.add(repositioned(e));
          }
          return events;
        }
        seq = batch.scannedTo();
        long left = deadline - System.nanoTime();
        if (moved || left <= 0) {
          return List.of();
        }
        sleep(Math.min(IDLE_SLEEP_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
      }
    }

    private void storeDown(FerryException e) {
      if (storeDownSince == 0) {
        storeDownSince = System.nanoTime();
        log.warn("Reading {} failed ({}); waiting for it", miningLog, e.getMessage());
      } else if (log.isDebugEnabled()) {
        log.debug("Reading {} still fails: {}", miningLog, e.getMessage());
      }
    }

    @Override
    public Position position() {
      return SharedMiningSource.position(seq, null);
    }

    @Override
    public void close() {}
  }

  /** The event with its mining-log position; the source's position stays in the description. */
  private static ChangeEvent repositioned(MiningLog.Entry e) {
    Position at = position(e.seq(), e.event().position().description());
    if (e.event() instanceof ChangeEvent.RowChange r) {
      return new ChangeEvent.RowChange(
          r.kind(), r.table(), r.schema(), r.before(), r.after(), at, r.committedAt());
    }
    ChangeEvent.SchemaChange s = (ChangeEvent.SchemaChange) e.event();
    return new ChangeEvent.SchemaChange(
        s.table(), s.before(), s.after(), s.ddl(), at, s.committedAt());
  }
}
