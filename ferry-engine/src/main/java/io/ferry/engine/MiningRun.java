package io.ferry.engine;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.Connector;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Position;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mining run of one source (docs/shared-mining.md, docs/adr/0009-shared-mining.md): one reader
 * of the source's change log, for every table a cdc run with {@code sharedMining: true} asked for,
 * appending its events to the source's {@link MiningLog}.
 *
 * <ul>
 *   <li><b>Exactly once into the log.</b> Events and the source position after them are appended in
 *       one commit ({@link MiningLog#append}); the run (also a new one after a kill -9) opens the
 *       source's log at the position the log holds, so nothing is appended twice or skipped. The
 *       log's head check keeps a second mining run of the same log from writing.
 *   <li><b>Tables.</b> The union of the tables asked for ({@link MiningLog#request}); when a cdc
 *       run asks for a new one, what was read is appended, the source's reader is opened again with
 *       the union at the same position, and the new table is recorded as captured from the head
 *       then ({@link MiningLog#cover}). The cdc runs already reading are not disturbed.
 *   <li><b>Retention.</b> Events appended longer than {@code retention} ago are purged every {@code
 *       purgeInterval}.
 *   <li><b>Failures.</b> A failure a retry may fix closes the reader and starts over from the log's
 *       state after a doubling wait (at most a minute), for as long as the run is not stopped; any
 *       other failure ends the run {@link State#FAILED}. Cdc runs reading the log wait meanwhile.
 * </ul>
 */
public final class MiningRun {
  private static final Logger log = LoggerFactory.getLogger(MiningRun.class);

  /** Events read and not appended, at most: then they are appended. */
  static final int MAX_BUFFERED = 5_000;

  /** How often the run looks for tables asked for anew. */
  private static final long TABLES_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * What a mining run reads and where it writes.
   *
   * @param name the run's name, for logs and threads (the server names it after the data source)
   * @param source the source's section: a connector with a change source and its options, without
   *     the table list (the run sets {@code tables} to the union asked for)
   * @param miningLog the mining-log store's section: a connector with a {@code miningLog} role
   * @param retention how long events stay in the log (3 days by default)
   * @param flushInterval how often what was read is appended
   * @param purgeInterval how often the retention is enforced
   * @param zone the time zone the source's values are read in: the cdc runs reading the log must
   *     use the same {@code settings.zone} (UTC by default)
   * @param startAt null to continue where the mining log's mined-to position is; else the run, as
   *     it starts, moves that position to the first change committed at or after this time (the
   *     source's {@code startup: timestamp}) and reads the source's log from there: changes between
   *     the old position and this time are appended again (an earlier time; readers apply them
   *     again by key) or never appended (a later time). Refused when the source's log no longer
   *     holds that time.
   * @param writeThreads how many threads encode the events appended (1, the default: the run's own
   *     thread); the log stays in the source's order and each append one transaction either way
   * @param fillUpdates whether an update whose after image lacks values (a binlog with {@code
   *     binlog_row_image} MINIMAL or NOBLOB, PostgreSQL's unchanged TOAST) gets them from the
   *     source's current row, looked up by key, before it is appended ({@link UpdateFiller})
   */
  public record Spec(
      String name,
      JobSpec.ConnectorSpec source,
      JobSpec.ConnectorSpec miningLog,
      Duration retention,
      Duration flushInterval,
      Duration purgeInterval,
      ZoneId zone,
      Instant startAt,
      int writeThreads,
      boolean fillUpdates) {
    /** The most {@link #writeThreads}. */
    public static final int MAX_WRITE_THREADS = 16;

    public Spec(
        String name,
        JobSpec.ConnectorSpec source,
        JobSpec.ConnectorSpec miningLog,
        Duration retention,
        Duration flushInterval,
        Duration purgeInterval,
        ZoneId zone,
        Instant startAt) {
      this(
          name,
          source,
          miningLog,
          retention,
          flushInterval,
          purgeInterval,
          zone,
          startAt,
          1,
          false);
    }

    public Spec(
        String name,
        JobSpec.ConnectorSpec source,
        JobSpec.ConnectorSpec miningLog,
        Duration retention,
        Duration flushInterval,
        Duration purgeInterval,
        ZoneId zone) {
      this(name, source, miningLog, retention, flushInterval, purgeInterval, zone, null);
    }

    public Spec {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(source, "source is null");
      Objects.requireNonNull(miningLog, "miningLog is null");
      retention = retention == null ? Duration.ofDays(3) : retention;
      flushInterval = flushInterval == null ? Duration.ofMillis(500) : flushInterval;
      purgeInterval = purgeInterval == null ? Duration.ofMinutes(5) : purgeInterval;
      zone = zone == null ? ZoneId.of("UTC") : zone;
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("retention must be positive, got " + retention);
      }
      if (writeThreads < 1 || writeThreads > MAX_WRITE_THREADS) {
        throw new IllegalArgumentException(
            "writeThreads must be from 1 to " + MAX_WRITE_THREADS + ", got " + writeThreads);
      }
    }

    /** The same run with other {@link #writeThreads} and {@link #fillUpdates}. */
    public Spec withWriting(int writeThreads, boolean fillUpdates) {
      return new Spec(
          name,
          source,
          miningLog,
          retention,
          flushInterval,
          purgeInterval,
          zone,
          startAt,
          writeThreads,
          fillUpdates);
    }
  }

  /** The source's own object options: the mining run captures the union its readers ask for. */
  public static final List<String> OBJECT_OPTIONS =
      List.of("tables", "table", "include", "exclude", "startup");

  /**
   * The mining run a {@code kind: cdc} job with {@code cdc.sharedMining} reads from: the job's
   * source without its {@link #OBJECT_OPTIONS}, its {@code cdc.miningLog}, its {@code
   * settings.zone}.
   *
   * @param retention null for the default
   * @throws IllegalArgumentException when the job does not read a mining log
   */
  public static Spec forJob(JobSpec job, String name, Duration retention) {
    if (job.kind() != JobSpec.Kind.CDC || job.cdc() == null || !job.cdc().sharedMining()) {
      throw new IllegalArgumentException(
          "not a kind: cdc job with cdc.sharedMining: true, so it reads no mining log");
    }
    Map<String, Object> source = new LinkedHashMap<>(job.source().options());
    OBJECT_OPTIONS.forEach(source::remove);
    JobSpec.ConnectorSpec log = job.cdc().miningLog();
    Object zone = job.settings() == null ? null : job.settings().get("zone");
    return new Spec(
        name,
        new JobSpec.ConnectorSpec("source", job.source().connector(), source),
        new JobSpec.ConnectorSpec("miningLog", log.connector(), log.options()),
        retention,
        null,
        null,
        zone == null ? null : ZoneId.of(zone.toString()));
  }

  /** Where a mining run is. */
  public enum State {
    RUNNING,
    STOPPED,
    FAILED
  }

  /**
   * A mining run's figures.
   *
   * @param state where it is
   * @param head the log's head as this run last appended
   * @param minedTo the source position appended to, or null before the first append
   * @param eventsAppended events this run appended
   * @param tables the tables it captures
   * @param lag from the source's commit of the newest appended event to its append
   * @param failure why it failed or is retrying, or null
   * @param tableEvents events this run appended, by table (tables without any are left out)
   * @param storeBytes the space the mining log takes in its store, as last measured (every 10
   *     seconds); null before, or when the store cannot tell
   * @param stopped the tables whose reading an operator stopped, with where they stopped (their
   *     readers wait); they are not in {@code tables}
   * @param updatesFilled updates this run completed from the source's rows ({@link
   *     Spec#fillUpdates})
   * @param updatesNotFilled updates it appended as captured although they lacked values: their row
   *     was gone (deleted since) or could not be looked up by key
   */
  public record Status(
      State state,
      long head,
      Position minedTo,
      long eventsAppended,
      Set<TableRef> tables,
      Duration lag,
      FerryException failure,
      Map<TableRef, Long> tableEvents,
      Long storeBytes,
      Map<TableRef, MiningLog.Stop> stopped,
      long updatesFilled,
      long updatesNotFilled) {
    public Status {
      tableEvents = Map.copyOf(tableEvents);
      stopped = Map.copyOf(stopped);
    }
  }

  /** How often the mining log's size is measured. */
  static final long SIZE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Spec spec;
  private final ConnectorRegistry registry;
  private final LocalFiles localFiles;
  private final Path work;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Thread thread;

  private volatile boolean stopping;
  private volatile State state = State.RUNNING;
  private volatile long head;
  private volatile Position minedTo;
  private volatile long appended;
  private volatile Set<TableRef> captured = Set.of();
  private volatile Duration lag = Duration.ZERO;
  private volatile FerryException failure;
  private final Map<TableRef, Long> tableEvents = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Long storeBytes;
  private volatile Map<TableRef, MiningLog.Stop> stoppedTables = Map.of();
  private volatile long updatesFilled;
  private volatile long updatesNotFilled;

  /** Encodes what the run appends (its own thread or {@link Spec#writeThreads}); while it runs. */
  private MiningEncoder encoder;

  /** Completes updates ({@link Spec#fillUpdates}), or null; while the run runs. */
  private UpdateFiller filler;

  /**
   * The oldest position a stopped table needs again, or null: confirmed to the source instead of
   * the mined-to position, so that the source keeps its log from there (a PostgreSQL slot).
   */
  private volatile Position holdAt;

  /** The mining log while the run has it open. */
  private volatile MiningLog openLog;

  /** Whether {@link Spec#startAt()} was applied to the mining log (once per run). */
  private volatile boolean startAtApplied;

  private MiningRun(Spec spec, ConnectorRegistry registry, LocalFiles localFiles, Path work) {
    this.spec = spec;
    this.registry = registry;
    this.localFiles = localFiles;
    this.work = work;
    this.thread = new Thread(this::body, "ferry-mining-" + spec.name());
    this.thread.setDaemon(true);
  }

  /**
   * Starts a mining run on a thread of its own.
   *
   * @param work a folder the connectors may use
   * @throws FerryException when a connector is unknown, lacks the role or refuses its options
   */
  public static MiningRun start(
      ConnectorRegistry registry, Spec spec, LocalFiles localFiles, Path work) {
    Connector source = registry.connector(spec.source().connector());
    if (source.changeSource().isEmpty()) {
      throw new FerryException(
          ErrorCode.JOB_INVALID,
          "connector '" + source.name() + "' has no change source, so it cannot be mined");
    }
    Connector store = registry.connector(spec.miningLog().connector());
    if (store.miningLog().isEmpty()) {
      throw new FerryException(
          ErrorCode.JOB_INVALID,
          "connector '"
              + store.name()
              + "' cannot keep a mining log (mysql, postgresql and mongodb can)");
    }
    MiningRun run = new MiningRun(spec, registry, localFiles, work);
    run.thread.start();
    return run;
  }

  /** Asks the run to append what it read and end; {@link #await} waits for it. */
  public void stop() {
    stopping = true;
  }

  /**
   * Waits for the run to end.
   *
   * @return true when it ended within {@code timeout}
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Spec spec() {
    return spec;
  }

  public Status status() {
    return new Status(
        state,
        head,
        minedTo,
        appended,
        captured,
        lag,
        failure,
        tableEvents,
        storeBytes,
        stoppedTables,
        updatesFilled,
        updatesNotFilled);
  }

  // ---- a table's stop and resume, asked from outside the run ----------------------------------

  /**
   * Asks the mining run of {@code spec} to stop reading {@code table} ({@code stop} true) or to
   * resume it, through its mining log: whichever process runs it acts on it within a second or so
   * (also a run started later). Its readers of the table wait while it is stopped.
   *
   * @throws FerryException with {@link ErrorCode#NOT_FOUND} when the log does not capture it
   */
  public static void askStopped(
      ConnectorRegistry registry,
      Spec spec,
      LocalFiles localFiles,
      Path work,
      TableRef table,
      boolean stop) {
    try (MiningLog miningLog = openLog(registry, spec, localFiles, work)) {
      miningLog.askStopped(table, stop);
    }
  }

  /**
   * Opens the mining log of {@code spec}, prepared, for a caller outside the run (its tables, their
   * covers and stops, {@link MiningLog#askStopped}); the caller closes it.
   */
  public static MiningLog openLog(
      ConnectorRegistry registry, Spec spec, LocalFiles localFiles, Path work) {
    MiningLog miningLog = new MiningRun(spec, registry, localFiles, work).createLog();
    try {
      miningLog.prepare();
      return miningLog;
    } catch (RuntimeException e) {
      miningLog.close();
      throw e;
    }
  }

  /**
   * What resuming a stopped table would do, told before it is asked for.
   *
   * @param table the table
   * @param stoppedAt the source position it stopped at
   * @param stoppedHead the mining log's head then
   * @param fromStop true when the source's log still holds {@code stoppedAt}: its changes since are
   *     appended, none lost; false when they are gone: the table is captured again from the log's
   *     head and its readers fail with {@code mining.offset-expired} (a new snapshot)
   * @param message the same for people
   */
  public record ResumePreview(
      TableRef table, String stoppedAt, long stoppedHead, boolean fromStop, String message) {}

  /**
   * Tells what resuming {@code table} would do ({@link ResumePreview}).
   *
   * @throws FerryException with {@link ErrorCode#NOT_FOUND} when the table is not stopped
   */
  public static ResumePreview previewResume(
      ConnectorRegistry registry, Spec spec, LocalFiles localFiles, Path work, TableRef table) {
    MiningRun outside = new MiningRun(spec, registry, localFiles, work);
    MiningLog.Stop stop;
    try (MiningLog miningLog = outside.createLog()) {
      miningLog.prepare();
      stop = miningLog.state().stopped().get(table);
    }
    if (stop == null) {
      throw new FerryException(
          ErrorCode.NOT_FOUND, table + " is not stopped in the mining log of " + spec.name());
    }
    try (ChangeSource one = outside.createSource(Set.of(table))) {
      String lost = lostBecause(one, one.positionOrder().orElse(null), stop);
      String message =
          lost == null
              ? "resumes "
                  + table
                  + " from "
                  + stop.at()
                  + ", where it stopped: its changes since are appended before it reads on"
                  + " with the other tables; no change is lost"
              : lost
                  + ": "
                  + table
                  + " is captured again from the mining log's head, and every task reading it"
                  + " fails with mining.offset-expired; start those tasks again as new runs (a"
                  + " new snapshot)";
      return new ResumePreview(table, stop.at().description(), stop.head(), lost == null, message);
    }
  }

  /**
   * When the first event after a reader's offset reached the mining log ({@link
   * MiningLog#appendedAfter}); empty when none follows, the store cannot tell or the run is not
   * running.
   */
  public java.util.Optional<Instant> appendedAfter(long offset) {
    MiningLog open = openLog;
    return open == null ? java.util.Optional.empty() : open.appendedAfter(offset);
  }

  // ---- the run ------------------------------------------------------------------------------

  private void body() {
    int failures = 0;
    try (MiningLog miningLog = createLog();
        MiningEncoder encoding = new MiningEncoder(spec.name(), spec.writeThreads());
        UpdateFiller filling =
            spec.fillUpdates() ? new UpdateFiller(this::createBatchSource) : null) {
      openLog = miningLog;
      encoder = encoding;
      filler = filling;
      while (!stopping) {
        long appendedBefore = appended;
        try {
          miningLog.prepare();
          mine(miningLog);
          failure = null;
        } catch (FerryException e) {
          encoding.discard(); // not appended: read again from the mining log's position
          if (appended > appendedBefore) {
            failures = 0;
          }
          if (!e.retriable()) {
            throw e;
          }
          failures++;
          failure = e;
          log.warn(
              "Mining run {}: {}; starting again from the mining log's state, retry {}",
              spec.name(),
              e.getMessage(),
              failures);
          pause(Math.min(60_000L, 500L << Math.min(failures, 7)));
        }
      }
      state = State.STOPPED;
      log.info("Mining run {}: stopped at #{} ({})", spec.name(), head, minedTo);
    } catch (RuntimeException e) {
      failure =
          e instanceof FerryException f
              ? f
              : new FerryException(ErrorCode.INTERNAL, "mining run " + spec.name() + ": " + e, e);
      state = State.FAILED;
      log.error("Mining run {} failed: {}", spec.name(), e.getMessage(), e);
    } finally {
      openLog = null;
      ended.countDown();
    }
  }

  /**
   * Reads the source's log for the tables asked for until the run stops or more tables are asked
   * for; everything read is appended before it returns.
   */
  private void mine(MiningLog miningLog) {
    MiningLog.State st = miningLog.state();
    Set<TableRef> tables = new LinkedHashSet<>(st.tables().keySet());
    if (tables.isEmpty()) {
      head = st.head();
      pause(500);
      return; // nothing asked for yet
    }
    if (st.minedTo() != null) {
      st = settleStops(miningLog, st);
      if (stopping) {
        return; // asked to stop during a catch-up: it continues at the next start
      }
    }
    tables.removeAll(st.stopped().keySet());
    Map<TableRef, Long> coverage = st.tables();
    captured = Set.copyOf(tables);
    stoppedTables = st.stopped();
    if (tables.isEmpty()) {
      head = st.head();
      captured = Set.of();
      pause(500);
      return; // every table asked for is stopped
    }
    try (ChangeSource source = createSource(tables)) {
      List<io.ferry.spi.OptionProblem> problems = source.check();
      if (!problems.isEmpty()) {
        // The source is not set up for reading its log (binlog off, grants): waiting won't help.
        throw new FerryException(
            ErrorCode.JOB_INVALID,
            "the source of mining run "
                + spec.name()
                + " cannot be mined: "
                + String.join(
                    "; ",
                    problems.stream()
                        .map(p -> "source." + p.option() + ": " + p.message())
                        .toList()));
      }
      long at = st.head();
      Position from = st.minedTo();
      if (spec.startAt() != null && !startAtApplied) {
        Position edited = positionAt(tables, spec.startAt());
        at = miningLog.append(at, List.of(), edited);
        log.info(
            "Mining run {}: start time {} edited: reading the source's log from {} (was {})",
            spec.name(),
            spec.startAt(),
            edited,
            from);
        from = edited;
        startAtApplied = true;
      } else if (from == null) {
        from = source.currentPosition();
        at = miningLog.append(at, List.of(), from);
      } else if (tables.stream().anyMatch(t -> uncovered(coverage, t))) {
        // A table asked for since the last read: the source prepares its log for it before it
        // counts as captured, so that a change committed after that is in the log read from
        // `from` on (PostgreSQL adds it to its publication: pgoutput decodes a change with the
        // publication as it was when the change was written). The stopped tables stay in, since
        // their catch-up reads them from where they stopped.
        try (ChangeSource all = createSource(coverage.keySet())) {
          all.currentPosition();
        }
      }
      miningLog.cover(tables);
      holdAt = oldestStop(source, st);
      head = at;
      minedTo = from;
      captured = Set.copyOf(tables);
      log.info(
          "Mining run {}: reading {} from {} into #{} onwards", spec.name(), tables, from, at + 1);
      try (ChangeSource.ChangeReader reader = source.open(from)) {
        MiningEncoder buffer = encoder;
        long flushNanos = spec.flushInterval().toNanos();
        Duration pollTimeout =
            Duration.ofMillis(Math.max(10, Math.min(200, flushNanos / 1_000_000)));
        long lastFlush = System.nanoTime();
        long lastTablesCheck = System.nanoTime();
        long lastPurge = 0;
        long lastSize = 0;
        while (!stopping) {
          for (ChangeEvent e : reader.poll(pollTimeout)) {
            if (tables.contains(e.table())) {
              buffer.add(filled(e));
            }
          }
          long now = System.nanoTime();
          boolean moved = !reader.position().equals(minedTo);
          if (buffer.size() >= MAX_BUFFERED || (moved && now - lastFlush >= flushNanos)) {
            append(miningLog, reader, buffer);
            lastFlush = now;
          }
          if (now - lastPurge >= spec.purgeInterval().toNanos()) {
            long removed = miningLog.purge(Instant.now().minus(spec.retention()));
            if (removed > 0) {
              log.info(
                  "Mining run {}: purged {} events older than {}",
                  spec.name(),
                  removed,
                  spec.retention());
            }
            lastPurge = now;
          }
          if (lastSize == 0 || now - lastSize >= SIZE_INTERVAL_NANOS) {
            lastSize = now;
            storeBytes = size(miningLog);
          }
          if (now - lastTablesCheck >= TABLES_CHECK_NANOS) {
            lastTablesCheck = now;
            MiningLog.State latest = miningLog.state();
            Set<TableRef> asked = new LinkedHashSet<>(latest.tables().keySet());
            asked.removeAll(latest.stopped().keySet());
            if (stopsPending(latest)) {
              append(miningLog, reader, buffer);
              log.info("Mining run {}: a table's stop or resume was asked for", spec.name());
              return;
            }
            if (!tables.containsAll(asked)) {
              append(miningLog, reader, buffer);
              log.info(
                  "Mining run {}: more tables asked for; reading the log again with {}",
                  spec.name(),
                  asked);
              return;
            }
          }
        }
        append(miningLog, reader, buffer);
      }
    }
  }

  private void append(MiningLog miningLog, ChangeSource.ChangeReader reader, MiningEncoder buffer) {
    Position to = reader.position();
    if (buffer.size() == 0 && to.equals(minedTo)) {
      return;
    }
    List<MiningLog.Encoded> events = buffer.drain();
    head = miningLog.append(head, events, to);
    minedTo = to;
    appended += events.size();
    Instant newest = null;
    for (MiningLog.Encoded encoded : events) {
      ChangeEvent e = encoded.event();
      tableEvents.merge(e.table(), 1L, Long::sum);
      if (e.committedAt() != null && (newest == null || e.committedAt().isAfter(newest))) {
        newest = e.committedAt();
      }
    }
    if (newest != null) {
      Duration d = Duration.between(newest, Instant.now());
      lag = d.isNegative() ? Duration.ZERO : d;
    }
    Position hold = holdAt;
    reader.committed(hold == null ? to : hold);
  }

  // ---- per-table stop and resume (docs/adr/0009-shared-mining.md) ----------------------------

  /** A stop asked for a captured table that is not stopped yet, or a resume asked for. */
  private static boolean stopsPending(MiningLog.State st) {
    for (TableRef t : st.stopAsked()) {
      if (st.tables().getOrDefault(t, -1L) >= 0 && !st.stopped().containsKey(t)) {
        return true;
      }
    }
    for (TableRef t : st.stopped().keySet()) {
      if (!st.stopAsked().contains(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records the stops asked for (everything read is appended: each table stops at the log's
   * mined-to position and head) and carries out the resumes asked for; returns the log's state
   * after them.
   */
  private MiningLog.State settleStops(MiningLog miningLog, MiningLog.State st) {
    if (!stopsPending(st)) {
      return st;
    }
    long at = st.head();
    for (TableRef t : st.stopAsked()) {
      if (st.tables().getOrDefault(t, -1L) >= 0 && !st.stopped().containsKey(t)) {
        miningLog.stopped(at, t, st.minedTo());
        log.info(
            "Mining run {}: stopped reading {} at {} (#{}); its readers wait",
            spec.name(),
            t,
            st.minedTo(),
            at);
      }
    }
    for (Map.Entry<TableRef, MiningLog.Stop> e : st.stopped().entrySet()) {
      if (!st.stopAsked().contains(e.getKey()) && !stopping) {
        at = resume(miningLog, at, e.getKey(), e.getValue(), st.minedTo());
      }
    }
    head = at;
    return miningLog.state();
  }

  /**
   * Resumes a stopped table: when the source's log still holds its stop, reads the log from there
   * for the table alone and appends its events up to {@code minedTo} — no further, by the source's
   * order of positions: the union's reader goes on from {@code minedTo} — then clears the stop;
   * else covers the table again from a new head, so that its older readers fail with {@link
   * MiningLog#OFFSET_EXPIRED}.
   *
   * @return the log's head after it
   */
  private long resume(
      MiningLog miningLog, long at, TableRef table, MiningLog.Stop stop, Position minedTo) {
    try (ChangeSource one = createSource(Set.of(table))) {
      java.util.Comparator<Position> order = one.positionOrder().orElse(null);
      String lost = lostBecause(one, order, stop);
      if (lost != null) {
        return resumeLost(miningLog, at, table, stop, lost);
      }
      try {
        return catchUp(miningLog, at, table, stop, minedTo, one, order);
      } catch (FerryException e) {
        if (e.retriable() || one.holds(stop.at())) {
          throw e;
        }
        // The log was purged between the check and the read (or reset): as if it had been before.
        return resumeLost(miningLog, head, table, stop, e.getMessage());
      }
    }
  }

  private long resumeLost(
      MiningLog miningLog, long at, TableRef table, MiningLog.Stop stop, String why) {
    long h = miningLog.resumed(at, table, false);
    head = h;
    log.warn(
        "Mining run {}: resumed {} from #{} without its changes since {}: {}; its readers"
            + " older than #{} fail (mining.offset-expired)",
        spec.name(),
        table,
        h,
        stop.at(),
        why,
        h);
    return h;
  }

  /** Appends the table's changes from its stop up to {@code minedTo}, then clears the stop. */
  private long catchUp(
      MiningLog miningLog,
      long at,
      TableRef table,
      MiningLog.Stop stop,
      Position minedTo,
      ChangeSource one,
      java.util.Comparator<Position> order) {
    log.info("Mining run {}: catching {} up from {} to {}", spec.name(), table, stop.at(), minedTo);
    List<ChangeEvent> buffer = new ArrayList<>();
    long caught = 0;
    try (ChangeSource.ChangeReader reader = one.open(stop.at())) {
      Position progress = reader.position();
      long lastProgress = System.nanoTime();
      boolean passed = order.compare(stop.at(), minedTo) >= 0;
      while (!passed) {
        if (stopping) {
          at = flushCatchUp(miningLog, at, table, buffer);
          return at; // the stop stays: the next start continues the catch-up
        }
        for (ChangeEvent e : reader.poll(Duration.ofMillis(200))) {
          if (order.compare(e.position(), minedTo) > 0) {
            passed = true; // the union's reader, opened at minedTo, reads it
          } else if (!passed && e.table().equals(table)) {
            buffer.add(e);
          }
        }
        if (buffer.size() >= MAX_BUFFERED) {
          caught += buffer.size();
          at = flushCatchUp(miningLog, at, table, buffer);
        }
        Position now = reader.position();
        passed = passed || order.compare(now, minedTo) >= 0;
        if (!now.equals(progress)) {
          progress = now;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > CATCH_UP_STALL.toNanos()) {
          throw new FerryException(
              ErrorCode.CONNECTION,
              "catching "
                  + table
                  + " up: the source's log did not move past "
                  + now
                  + " within "
                  + CATCH_UP_STALL.toSeconds()
                  + " s, before "
                  + minedTo);
        }
      }
    }
    caught += buffer.size();
    at = flushCatchUp(miningLog, at, table, buffer);
    at = miningLog.resumed(at, table, true);
    log.info(
        "Mining run {}: resumed {}: appended its {} changes since {}",
        spec.name(),
        table,
        caught,
        stop.at());
    return at;
  }

  /** How long a catch-up waits for the source's log to move before it starts over. */
  static final Duration CATCH_UP_STALL = Duration.ofSeconds(60);

  /** Why a table's stop cannot be caught up, or null when it can. */
  private static String lostBecause(
      ChangeSource one, java.util.Comparator<Position> order, MiningLog.Stop stop) {
    if (order == null) {
      return "the source offers no order of its log positions";
    }
    if (!one.holds(stop.at())) {
      return "the source's log no longer holds " + stop.at();
    }
    return null;
  }

  private long flushCatchUp(
      MiningLog miningLog, long at, TableRef table, List<ChangeEvent> buffer) {
    if (buffer.isEmpty()) {
      return at;
    }
    for (ChangeEvent e : buffer) {
      encoder.add(filled(e));
    }
    long h =
        miningLog.caughtUp(at, table, encoder.drain(), buffer.get(buffer.size() - 1).position());
    for (ChangeEvent e : buffer) {
      tableEvents.merge(e.table(), 1L, Long::sum);
    }
    appended += buffer.size();
    buffer.clear();
    head = h;
    return h;
  }

  /** The event, its update completed when {@link Spec#fillUpdates} asks for it. */
  private ChangeEvent filled(ChangeEvent e) {
    if (filler == null) {
      return e;
    }
    ChangeEvent out = filler.fill(e);
    updatesFilled = filler.filled();
    updatesNotFilled = filler.missed();
    return out;
  }

  /** The oldest stop of the log by the source's order, or null (none, or no order). */
  private static Position oldestStop(ChangeSource source, MiningLog.State st) {
    var order = source.positionOrder();
    if (st.stopped().isEmpty() || order.isEmpty()) {
      return null;
    }
    return st.stopped().values().stream().map(MiningLog.Stop::at).min(order.get()).orElse(null);
  }

  /** The log's size, or null when its store cannot tell or the measure failed (only a figure). */
  private Long size(MiningLog miningLog) {
    try {
      java.util.OptionalLong bytes = miningLog.sizeBytes();
      return bytes.isPresent() ? bytes.getAsLong() : null;
    } catch (RuntimeException e) {
      log.debug("Mining run {}: could not measure the mining log: {}", spec.name(), e.toString());
      return storeBytes;
    }
  }

  private MiningLog createLog() {
    Connector connector = registry.connector(spec.miningLog().connector());
    var role = connector.miningLog().orElseThrow();
    return role.create(role.options().parse(spec.miningLog().options()), context("mining-log"));
  }

  /** Whether the mining log records no head from which {@code table} is captured yet. */
  private static boolean uncovered(Map<TableRef, Long> coverage, TableRef table) {
    Long from = coverage.get(table);
    return from == null || from < 0;
  }

  private ChangeSource createSource(Set<TableRef> tables) {
    return createSource(tables, Map.of());
  }

  private ChangeSource createSource(Set<TableRef> tables, Map<String, Object> startup) {
    Connector connector = registry.connector(spec.source().connector());
    var role = connector.changeSource().orElseThrow();
    Map<String, Object> options = new LinkedHashMap<>(spec.source().options());
    options.remove("include");
    options.remove("exclude");
    options.remove("table");
    options.remove("startup");
    options.put("tables", tables.stream().map(TableRef::toString).toList());
    options.putAll(startup);
    return role.create(role.options().parse(options), context("source"));
  }

  /**
   * The source connector's batch source of one table (its key-ordered reads look rows up for {@link
   * Spec#fillUpdates}): the options it declares, with {@code table} set.
   */
  private io.ferry.spi.Source createBatchSource(TableRef table) {
    Connector connector = registry.connector(spec.source().connector());
    var role =
        connector
            .source()
            .orElseThrow(
                () ->
                    new FerryException(
                        ErrorCode.JOB_INVALID,
                        "connector '"
                            + connector.name()
                            + "' has no batch source, so fillUpdates cannot look rows up"));
    JobSpec.ConnectorSpec section = CdcRun.batchSection(spec.source(), role.options(), table);
    return role.create(role.options().parse(section.options()), context("lookup"));
  }

  /** The source's position of the first change committed at or after {@code time}. */
  private Position positionAt(Set<TableRef> tables, Instant time) {
    try (ChangeSource source =
        createSource(tables, Map.of("startup", "timestamp", "timestamp", time.toString()))) {
      return source.startPosition();
    }
  }

  /**
   * Checks that the source's log of a mining run still holds {@code time} (a start time edited
   * while the run is stopped), without starting the run.
   *
   * @param tables the tables the run captures (some sources need one to open their log)
   * @throws FerryException when the log no longer holds it, or the source takes no start time,
   *     saying why
   */
  public static void checkStartTime(
      ConnectorRegistry registry,
      Spec spec,
      LocalFiles localFiles,
      Path work,
      Set<TableRef> tables,
      Instant time) {
    new MiningRun(spec, registry, localFiles, work).positionAt(tables, time);
  }

  private ConnectorContext context(String part) {
    return new Context(
        "mining-" + spec.name(),
        "mining-" + spec.name(),
        spec.zone(),
        work.resolve(part),
        row -> {
          throw new FerryException(
              ErrorCode.INTERNAL, "the mining run has no dirty-data store: " + row);
        },
        localFiles);
  }

  private record Context(
      String jobName,
      String runKey,
      ZoneId zone,
      Path workDirectory,
      DirtyRowSink dirtyRows,
      LocalFiles localFiles)
      implements ConnectorContext {}

  private void pause(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!stopping && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping = true;
      }
    }
  }
}
