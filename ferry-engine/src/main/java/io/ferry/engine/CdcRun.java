package io.ferry.engine;

import io.ferry.engine.internal.BatchSizer;
import io.ferry.engine.internal.RowPipeline;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Connector;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a {@code kind: cdc} run, driven by its {@link JobRun} (which keeps the states, the
 * claim, the listeners and the end): the snapshot, then the log, until the run is stopped or
 * paused. See docs/cdc.md and docs/adr/0006-cdc-hand-off.md.
 *
 * <ol>
 *   <li>The captured tables come from {@link ChangeSource#tables()}; each table's key from its
 *       batch source's schema, or from {@code cdc.keys}; a table without either is refused.
 *   <li>{@code startup: initial}: {@link ChangeSource#currentPosition()} is taken and checkpointed
 *       <em>before</em> the snapshot reads a row. Each table is then copied by a copy run of its
 *       own ({@code <run key>.snapshot-<n>}, the job's batch source and sink, the engine's parallel
 *       split readers and per-split checkpoints), one table after the other; the run's checkpoint
 *       marks a table done once its copy succeeded. Only when every table is done does the log
 *       start, at the position taken before: every change since is applied again by key, so rows
 *       the snapshot saw newer converge (the ADR's proof).
 *   <li>Streaming: events are polled in log order, buffered per table and applied in batches by
 *       each table's {@link ChangeWriter}; every {@code flushInterval}, or after {@link
 *       #MAX_UNFLUSHED} events, every writer flushes, then the reader's position is checkpointed,
 *       then {@link ChangeSource.ChangeReader#committed} is called. A stop or pause flushes and
 *       checkpoints the same way before the run ends.
 *   <li>A schema change of a captured table first flushes what came before it, then follows {@code
 *       schemaChanges}; when it cannot be followed the run pauses at the position just before it,
 *       with the DDL in the message.
 * </ol>
 *
 * <p>The checkpoint is a {@link Checkpoint} of the usual format whose entries are not source
 * splits: {@code log} holds the log position (and whether the snapshot is over), {@code table:...}
 * each table's snapshot state and change counts.
 */
final class CdcRun {
  private static final Logger log = LoggerFactory.getLogger(CdcRun.class);

  /** A stop asked for by the schema-change policy: the run pauses, a resume tries again. */
  static final ErrorCode SCHEMA_CHANGE = ErrorCode.external("cdc.schema-change", true);

  private static final ErrorCode NO_KEY = ErrorCode.user("cdc.no-key");

  /** Events read but not flushed, at most: then every writer flushes (bounded memory). */
  static final int MAX_UNFLUSHED = 20_000;

  /**
   * Bytes of row data read but not flushed, at most (estimated as the channels count them): big
   * rows flush sooner, so what the run and its writers hold stays bounded.
   */
  static final long MAX_UNFLUSHED_BYTES = 32L << 20;

  /** Changes of one table handed to its writer at once. */
  static final int APPLY_BATCH = 1_000;

  /** Bytes of one table's changes handed to its writer at once, at most. */
  static final long APPLY_BATCH_BYTES = 4L << 20;

  private static final String LOG_ENTRY = "log";
  private static final String TABLE_ENTRY = "table:";

  private final JobRun run;
  private final PreparedJob job;
  private final CheckpointStore store;
  private final ChangeSource source;
  private final JobSpec.CdcSpec cdc;
  private final CdcSinks sinks;
  private final Checkpoint resumeFrom;

  private final Map<TableRef, TableState> byTable = new LinkedHashMap<>();
  private volatile List<TableState> tables = List.of();
  private volatile Position position;
  private volatile boolean streaming;
  private volatile Duration lag = Duration.ZERO;

  /** Counts of this attempt behind its checkpoints: changes flushed, snapshot rows copied. */
  private volatile RowCounts committedNow = RowCounts.ZERO;

  /** The log reader while streaming. */
  private ChangeSource.ChangeReader reader;

  /** Events read by this attempt and not flushed yet. */
  private volatile long unflushed;

  /** Bytes of the row data of {@link #unflushed}. */
  private long unflushedBytes;

  /** Flushes so far: a retry that got one through counts its failures afresh. */
  private long flushes;

  CdcRun(JobRun run, PreparedJob job, CheckpointStore store, Checkpoint resumeFrom) {
    this.run = run;
    this.job = job;
    this.store = store;
    this.source = job.changeSource();
    this.cdc = job.spec().cdc();
    this.sinks = (CdcSinks) job.sink();
    this.resumeFrom = resumeFrom;
  }

  /** One captured table and what the run knows of it. */
  private static final class TableState {
    final TableRef table;
    Schema schema;
    List<String> keys;
    volatile SplitProgress.State snapshot = SplitProgress.State.PENDING;
    volatile long snapshotRows;
    volatile double snapshotPercent = -1;
    volatile long inserts;
    volatile long updates;
    volatile long deletes;
    volatile Duration lag = Duration.ZERO;
    volatile JobRun snapshotRun;

    // The streaming thread's own: changes not handed to the writer, counts not flushed.
    final List<RowChange> buffer = new ArrayList<>();
    long bufferBytes;
    long pendingInserts;
    long pendingUpdates;
    long pendingDeletes;
    Instant pendingCommitted;
    ChangeWriter writer;

    TableState(TableRef table) {
      this.table = table;
    }
  }

  // ---- the run ------------------------------------------------------------------------------

  void execute() throws InterruptedException {
    List<TableRef> captured = source.tables();
    if (captured.isEmpty()) {
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "the source captures no tables: check its table list or include/exclude patterns");
    }
    Map<String, Checkpoint.SplitCheckpoint> saved = new HashMap<>();
    if (resumeFrom != null) {
      resumeFrom.splits().forEach(s -> saved.put(s.id(), s));
    }
    List<TableState> states = new ArrayList<>();
    for (TableRef t : captured) {
      TableState state = new TableState(t);
      Checkpoint.SplitCheckpoint entry = saved.get(TABLE_ENTRY + t);
      if (entry != null) {
        restore(state, entry);
      }
      states.add(state);
      byTable.put(t, state);
    }
    tables = List.copyOf(states);
    describe(states);

    Checkpoint.SplitCheckpoint logEntry = saved.get(LOG_ENTRY);
    if (logEntry != null && logEntry.committed() != null) {
      position = logEntry.committed();
      streaming = logEntry.state() == SplitProgress.State.DONE;
      log.info(
          "Run {}: continues {} at log position {}",
          run.runKey(),
          streaming ? "streaming" : "the snapshot",
          position);
    } else {
      if (source instanceof SharedMiningSource shared && !shared.awaitCaptured(run::interrupted)) {
        return; // stopped or paused while the mining run did not capture the tables yet
      }
      startPosition();
    }
    run.checkpoint();
    if (!streaming) {
      if (!snapshot()) {
        return; // stopped or paused: the checkpoint has what is done
      }
      streaming = true;
      run.checkpoint();
    }
    stream();
  }

  /** Where a run without a checkpoint starts; the snapshot's tables are marked accordingly. */
  private void startPosition() {
    switch (job.cdcStartup()) {
      case INITIAL -> {
        // Before the snapshot reads a row: every change the snapshot may miss comes after it.
        position = source.currentPosition();
        streaming = false;
      }
      case LATEST -> {
        position = source.currentPosition();
        streaming = true;
      }
      case POSITION, TIMESTAMP -> {
        position = source.startPosition();
        streaming = true;
      }
    }
    if (streaming) {
      tables.forEach(t -> t.snapshot = SplitProgress.State.DONE);
    }
    log.info(
        "Run {}: startup {}, log position {}{}",
        run.runKey(),
        job.cdcStartup().name().toLowerCase(java.util.Locale.ROOT),
        position,
        streaming ? "" : " (taken before the snapshot)");
  }

  /**
   * Each table's columns and key: from its batch source (no rows read), else from its first change.
   * A table whose key is neither known nor named in {@code cdc.keys} is refused.
   */
  private void describe(List<TableState> states) {
    Connector connector = job.cdcParts().registry().connector(job.spec().source().connector());
    for (TableState t : states) {
      Optional<List<String>> named = cdc.keysOf(t.table);
      if (connector.source().isPresent()) {
        try (Source batch = batchSource(connector, t.table)) {
          t.schema = batch.schema();
        }
        t.keys = named.orElse(t.schema.key());
        if (t.keys.isEmpty()) {
          throw noKey(t.table);
        }
        for (String k : t.keys) {
          if (t.schema.names().stream().noneMatch(k::equalsIgnoreCase)) {
            throw new FerryException(
                NO_KEY, "cdc.keys names " + k + " for " + t.table + ", which has no such column");
          }
        }
      } else {
        t.keys = named.orElse(null);
      }
    }
  }

  private static FerryException noKey(TableRef table) {
    return new FerryException(
        NO_KEY,
        "table "
            + table
            + " has no primary key, so its changes cannot be applied by key: name its key columns"
            + " in the job (cdc: {keys: {"
            + table.name()
            + ": [col1, col2]}}) or give the table a primary key");
  }

  // ---- snapshot -------------------------------------------------------------------------------

  /**
   * Copies every table not yet done, one after the other.
   *
   * @return false when the run was stopped or paused before the snapshot was complete
   */
  private boolean snapshot() throws InterruptedException {
    for (int i = 0; i < tables.size(); i++) {
      TableState t = tables.get(i);
      if (t.snapshot == SplitProgress.State.DONE) {
        continue;
      }
      if (run.interrupted()) {
        return false;
      }
      t.snapshot = SplitProgress.State.RUNNING;
      if (!copy(t, i)) {
        t.snapshot = SplitProgress.State.PENDING;
        return false;
      }
      t.snapshot = SplitProgress.State.DONE;
      run.checkpoint();
    }
    log.info("Run {}: snapshot done; reading the log from {}", run.runKey(), position);
    return true;
  }

  /**
   * Copies one table with a copy run of its own, continuing it when an earlier attempt of this run
   * left it unfinished.
   *
   * @return true when the copy succeeded, false when this run was stopped or paused meanwhile
   */
  private boolean copy(TableState t, int index) throws InterruptedException {
    String key = run.runKey() + ".snapshot-" + index;
    Optional<RunRecord> stored = store.run(key);
    if (stored.isPresent() && stored.get().state() == RunState.SUCCEEDED) {
      return true;
    }
    JobSpec copy = copyJob(t);
    PreparedJob.CdcParts parts = job.cdcParts();
    PreparedJob prepared =
        PreparedJob.prepare(
            copy, parts.registry(), parts.stateDirectory(), parts.localFiles(), key);
    JobRun copyRun;
    try {
      prepared.check();
      RowPipeline pipeline = prepared.bind();
      CheckpointStore.Claim claim =
          store
              .claim(key)
              .orElseThrow(
                  () ->
                      new FerryException(
                          Engine.RUN_HELD,
                          "the snapshot run " + key + " is running in another process"));
      Checkpoint checkpoint = stored.isPresent() ? store.checkpoint(key).orElse(null) : null;
      RunRecord record =
          stored
              .map(
                  r ->
                      r.state() == RunState.CREATED || r.state() == RunState.PAUSED
                          ? r
                          : r.with(RunState.PAUSED, null, "continued by run " + run.runKey()))
              .orElse(
                  RunRecord.created(
                      key, copy.name(), null, copy.params(), copy.settings(), "", Instant.now()));
      if (record.state() == RunState.PAUSED && checkpoint == null) {
        // Interrupted before its first checkpoint: nothing of it is known; it starts over.
        record =
            RunRecord.created(
                key, copy.name(), null, copy.params(), copy.settings(), "", record.createdAt());
      }
      store.save(record);
      copyRun = new JobRun(prepared, pipeline, store, record, claim, checkpoint);
    } catch (RuntimeException e) {
      prepared.close();
      throw e;
    }
    t.snapshotRun = copyRun;
    log.info("Run {}: snapshot of {} by run {}", run.runKey(), t.table, key);
    copyRun.start();
    Optional<RunResult> result;
    boolean paused = false;
    while ((result = copyRun.await(Duration.ofMillis(200))).isEmpty()) {
      if (run.interrupted() && !paused) {
        copyRun.pause();
        paused = true;
      }
    }
    t.snapshotRun = null;
    RunResult end = result.get();
    t.snapshotRows = end.progress().committed().written();
    t.snapshotPercent = end.progress().percent().orElse(-1);
    switch (end.state()) {
      case SUCCEEDED -> {
        committedNow = committedNow.plus(end.progress().committed());
        return true;
      }
      case PAUSED -> {
        if (end.failure() == null && run.interrupted()) {
          return false;
        }
        throw end.failure() != null
            ? end.failure()
            : new FerryException(
                ErrorCode.INTERNAL, "the snapshot run " + key + " paused on its own");
      }
      default ->
          throw end.failure() != null
              ? end.failure()
              : new FerryException(
                  ErrorCode.INTERNAL, "the snapshot run " + key + " ended " + end.state());
    }
  }

  /**
   * The copy job of one table: the connector's batch source with the job's source options it
   * declares and {@code table}, into the table's sink; an upsert by the table's key where the sink
   * has {@code writeMode} and the job sets none, so a snapshot can be taken again over a target
   * that holds rows.
   */
  private JobSpec copyJob(TableState t) {
    Connector connector = job.cdcParts().registry().connector(job.spec().source().connector());
    JobSpec.ConnectorSpec sink = sinks.sectionFor(t.table);
    Map<String, Object> sinkOptions = new LinkedHashMap<>(sink.options());
    var sinkRole = job.cdcParts().sink().sink().orElseThrow().options();
    if (sinkRole.option("writeMode") != null && !sinkOptions.containsKey("writeMode")) {
      sinkOptions.put("writeMode", "upsert");
    }
    if (sinkRole.option("keys") != null && !sinkOptions.containsKey("keys")) {
      sinkOptions.put("keys", t.keys);
    }
    return new JobSpec(
        null,
        job.spec().params(),
        job.spec().name() + "-snapshot-" + t.table,
        batchSection(connector, t.table),
        new JobSpec.ConnectorSpec("sink", sink.connector(), sinkOptions),
        null,
        List.of(),
        job.spec().settings(),
        JobSpec.Kind.COPY);
  }

  private JobSpec.ConnectorSpec batchSection(Connector connector, TableRef table) {
    return batchSection(job.spec().source(), connector.source().orElseThrow().options(), table);
  }

  /**
   * The batch source section that reads one table of a cdc job's source: the source's options its
   * batch source declares, with {@code table} set to the table instead of the job's table list.
   */
  static JobSpec.ConnectorSpec batchSection(
      JobSpec.ConnectorSpec source, OptionSet declared, TableRef table) {
    Map<String, Object> options = new LinkedHashMap<>();
    source
        .options()
        .forEach(
            (k, v) -> {
              if (declared.option(k) != null && !k.equals("table") && !k.equals("tables")) {
                options.put(k, v);
              }
            });
    options.put("table", table.toString());
    return new JobSpec.ConnectorSpec("source", source.connector(), options);
  }

  private Source batchSource(Connector connector, TableRef table) {
    JobSpec.ConnectorSpec section = batchSection(connector, table);
    var role = connector.source().orElseThrow();
    return role.create(
        role.options().parse(section.options()),
        PreparedJob.sinkContext(
            job.spec(),
            run.runKey(),
            job.settings().zone(),
            job.workDirectory(),
            job.dirtyRows(),
            job.cdcParts().localFiles(),
            job.fence()));
  }

  // ---- streaming ------------------------------------------------------------------------------

  /**
   * Streams until the run ends. A failure a retry may fix (a lost log or target connection) closes
   * the reader and the writers and reads the log again from the last checkpointed position, up to
   * {@code settings.maxRetries} times in a row with a doubling wait ({@code retryBackoff}), as a
   * batch split is retried: what followed the checkpoint is applied again, idempotently. A retry
   * that got a flush through starts the count afresh. A schema change the job does not follow is
   * not retried: it pauses the run.
   */
  private void stream() {
    Settings settings = job.settings();
    int failures = 0;
    while (true) {
      long flushesBefore = flushes;
      try {
        streamOnce();
        return;
      } catch (FerryException e) {
        if (flushes > flushesBefore) {
          failures = 0;
        }
        if (!e.retriable()
            || e.code().equals(SCHEMA_CHANGE)
            || failures >= settings.maxRetries()
            || run.interrupted()) {
          throw e;
        }
        failures++;
        log.warn(
            "Run {}: streaming failed ({}); reading the log again from {}, retry {}",
            run.runKey(),
            e.getMessage(),
            position,
            failures);
        forgetUnflushed();
        backOff(settings.retryBackoff(), failures);
      }
    }
  }

  /** Drops what was read after the last checkpoint: it is read again from the log. */
  private void forgetUnflushed() {
    for (TableState t : tables) {
      t.buffer.clear();
      t.pendingInserts = 0;
      t.pendingUpdates = 0;
      t.pendingDeletes = 0;
      t.pendingCommitted = null;
    }
    unflushed = 0;
    unflushedBytes = 0;
  }

  private void backOff(Duration backoff, int failures) {
    long millis = backoff.toMillis() << Math.min(failures - 1, 12);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!run.interrupted() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(Math.min(100, Math.max(1, millis)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void streamOnce() {
    long flushNanos = job.settings().flushInterval().toNanos();
    Duration pollTimeout = Duration.ofMillis(Math.max(10, Math.min(200, flushNanos / 1_000_000)));
    log.info("Run {}: reading the log from {}", run.runKey(), position);
    try (ChangeSource.ChangeReader reader = source.open(position)) {
      this.reader = reader;
      long lastFlush = System.nanoTime();
      Position lastEvent = position;
      while (!run.interrupted()) {
        List<ChangeEvent> events = reader.poll(pollTimeout);
        for (ChangeEvent event : events) {
          TableState t = byTable.get(event.table());
          if (t == null) {
            lastEvent = event.position();
            continue; // a table this run does not capture
          }
          if (event instanceof RowChange change) {
            add(t, change);
          } else if (event instanceof ChangeEvent.SchemaChange change) {
            schemaChange(t, change, lastEvent);
          }
          lastEvent = event.position();
        }
        boolean moved = !reader.position().equals(position);
        if (unflushed >= MAX_UNFLUSHED
            || unflushedBytes >= MAX_UNFLUSHED_BYTES
            || (moved && System.nanoTime() - lastFlush >= flushNanos)) {
          flush(reader, reader.position());
          lastFlush = System.nanoTime();
        }
      }
      if (!run.halted()) {
        flush(reader, reader.position());
      }
    } finally {
      for (TableState t : tables) {
        if (t.writer != null) {
          try {
            t.writer.close();
          } catch (RuntimeException e) {
            log.warn(
                "Run {}: closing the writer of {} failed: {}", run.runKey(), t.table, e.toString());
          }
          t.writer = null;
        }
      }
    }
  }

  private void add(TableState t, RowChange change) {
    t.buffer.add(change);
    unflushed++;
    long bytes = BatchSizer.rowBytes(change.before()) + BatchSizer.rowBytes(change.after());
    unflushedBytes += bytes;
    t.bufferBytes += bytes;
    switch (change.kind()) {
      case INSERT -> t.pendingInserts++;
      case UPDATE -> t.pendingUpdates++;
      case DELETE -> t.pendingDeletes++;
    }
    if (change.committedAt() != null) {
      t.pendingCommitted = change.committedAt();
    }
    if (t.buffer.size() >= APPLY_BATCH || t.bufferBytes >= APPLY_BATCH_BYTES) {
      handOn(t);
    }
  }

  /** Hands the table's buffered changes to its writer. */
  private void handOn(TableState t) {
    if (t.buffer.isEmpty()) {
      return;
    }
    run.ensureHeld();
    writer(t, t.buffer.get(0).schema()).apply(t.buffer);
    t.buffer.clear();
    t.bufferBytes = 0;
  }

  /**
   * The table's writer, opened at its first use.
   *
   * @param seen the columns of the change at hand, for a table the run could not describe
   */
  private ChangeWriter writer(TableState t, Schema seen) {
    if (t.writer == null) {
      Schema schema = t.schema != null ? t.schema : seen;
      List<String> keys = t.keys != null ? t.keys : seen.key();
      if (keys == null || keys.isEmpty()) {
        throw noKey(t.table);
      }
      Sink sink = sinks.open(t.table);
      t.writer =
          sink.changeWriter(
              new ChangeWriter.Target(
                  t.table,
                  schema,
                  keys,
                  cdc.deleteMode(),
                  cdc.deleteMode() == ChangeWriter.DeleteMode.SOFT ? cdc.softDeleteFlag() : null,
                  cdc.deleteMode() == ChangeWriter.DeleteMode.SOFT ? cdc.softDeleteTime() : null));
    }
    return t.writer;
  }

  /**
   * Every writer flushes, then {@code at} is checkpointed, then the source hears of it: the
   * position never gets ahead of what the target holds.
   */
  private void flush(ChangeSource.ChangeReader reader, Position at) {
    run.ensureHeld();
    long inserts = 0;
    long updates = 0;
    long deletes = 0;
    Instant now = Instant.now();
    for (TableState t : tables) {
      handOn(t);
      if (t.writer != null) {
        t.writer.flush();
      }
    }
    synchronized (run) {
      Instant newest = null;
      for (TableState t : tables) {
        t.inserts += t.pendingInserts;
        t.updates += t.pendingUpdates;
        t.deletes += t.pendingDeletes;
        inserts += t.pendingInserts;
        updates += t.pendingUpdates;
        deletes += t.pendingDeletes;
        t.pendingInserts = 0;
        t.pendingUpdates = 0;
        t.pendingDeletes = 0;
        if (t.pendingCommitted != null) {
          t.lag = positive(Duration.between(t.pendingCommitted, now));
          newest =
              newest == null || t.pendingCommitted.isAfter(newest) ? t.pendingCommitted : newest;
          t.pendingCommitted = null;
        }
      }
      if (newest != null) {
        lag = positive(Duration.between(newest, now));
      }
      long applied = inserts + updates + deletes;
      committedNow = committedNow.plus(new RowCounts(applied, applied, 0, 0, 0, 0, 0, 0));
      unflushed = 0;
      unflushedBytes = 0;
      flushes++;
      position = at;
      run.checkpoint();
    }
    reader.committed(at);
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /**
   * Follows a schema change as {@code schemaChanges} says. What came before it is flushed first;
   * when it cannot be followed, the run pauses at {@code before} (the position just before the
   * change), so a resume meets it again.
   */
  private void schemaChange(TableState t, ChangeEvent.SchemaChange change, Position before) {
    String ddl = change.ddl() != null ? change.ddl() : "a change of the columns of " + t.table;
    if (cdc.schemaChanges() == JobSpec.CdcSpec.SchemaChanges.IGNORE) {
      log.info("Run {}: schema change of {} ignored: {}", run.runKey(), t.table, ddl);
      if (change.after() != null && t.schema != null) {
        t.schema = change.after();
      }
      return;
    }
    handOn(t);
    ChangeWriter writer = t.writer;
    if (writer == null && change.after() != null) {
      writer = writer(t, change.before() != null ? change.before() : change.after());
    }
    ChangeWriter.SchemaFit fit;
    if (writer == null) {
      fit = ChangeWriter.SchemaFit.no("the table was dropped or renamed");
    } else {
      writer.flush();
      fit =
          writer.schemaChanged(change, cdc.schemaChanges() == JobSpec.CdcSpec.SchemaChanges.APPLY);
    }
    if (fit.fits()) {
      log.info("Run {}: schema change of {} followed: {}", run.runKey(), t.table, ddl);
      if (change.after() != null) {
        t.schema = change.after();
      }
      return;
    }
    // What came before the change is at the target; a resume opens the log just before it.
    flush(reader, before);
    throw new FerryException(
        SCHEMA_CHANGE,
        "paused at a schema change of "
            + t.table
            + " ("
            + ddl
            + ") at "
            + change.position()
            + ": "
            + fit.reason()
            + ". Change the target to fit (or set cdc.schemaChanges: ignore, or apply where the"
            + " change can be applied) and resume");
  }

  // ---- checkpoint and progress -----------------------------------------------------------------

  /** The checkpoint's entries: the log position and each table's state. Called under the run. */
  List<Checkpoint.SplitCheckpoint> checkpointEntries() {
    List<Checkpoint.SplitCheckpoint> entries = new ArrayList<>();
    entries.add(
        new Checkpoint.SplitCheckpoint(
            LOG_ENTRY,
            new byte[0],
            streaming ? SplitProgress.State.DONE : SplitProgress.State.PENDING,
            position,
            RowCounts.ZERO));
    for (TableState t : tables) {
      String text =
          t.table.schema()
              + "\n"
              + t.table.name()
              + "\n"
              + t.inserts
              + "\n"
              + t.updates
              + "\n"
              + t.deletes
              + "\n"
              + t.snapshotRows;
      entries.add(
          new Checkpoint.SplitCheckpoint(
              TABLE_ENTRY + t.table,
              text.getBytes(StandardCharsets.UTF_8),
              t.snapshot == SplitProgress.State.DONE
                  ? SplitProgress.State.DONE
                  : SplitProgress.State.PENDING,
              null,
              RowCounts.ZERO));
    }
    return entries;
  }

  private static void restore(TableState t, Checkpoint.SplitCheckpoint entry) {
    String[] parts = new String(entry.split(), StandardCharsets.UTF_8).split("\n", -1);
    if (parts.length >= 6) {
      t.inserts = Long.parseLong(parts[2]);
      t.updates = Long.parseLong(parts[3]);
      t.deletes = Long.parseLong(parts[4]);
      t.snapshotRows = Long.parseLong(parts[5]);
    }
    t.snapshot = entry.state();
  }

  /** What this attempt added to the run's counts behind its checkpoints. */
  RowCounts committedCounts() {
    return committedNow;
  }

  /** What this attempt added to the run's counts so far: also what is not flushed yet. */
  RowCounts liveCounts() {
    long snapshotLive = 0;
    for (TableState t : tables) {
      JobRun copy = t.snapshotRun;
      if (copy != null) {
        snapshotLive += copy.progress().counts().written();
      }
    }
    long pending = unflushed;
    return committedNow.plus(new RowCounts(pending + snapshotLive, snapshotLive, 0, 0, 0, 0, 0, 0));
  }

  /** Each table as a split of the progress: its snapshot's state and rows. */
  List<SplitProgress> splitProgress() {
    List<SplitProgress> splits = new ArrayList<>();
    for (TableState t : tables) {
      splits.add(
          new SplitProgress(
              t.table.toString(),
              t.snapshot,
              t.snapshotRows + t.inserts + t.updates + t.deletes,
              null));
    }
    return splits;
  }

  int tablesDone() {
    return (int) tables.stream().filter(t -> t.snapshot == SplitProgress.State.DONE).count();
  }

  int tableCount() {
    return tables.size();
  }

  ChangeProgress changeProgress() {
    List<ChangeProgress.TableProgress> list = new ArrayList<>();
    for (TableState t : tables) {
      long rows = t.snapshotRows;
      double percent = t.snapshot == SplitProgress.State.DONE ? 100 : t.snapshotPercent;
      JobRun copy = t.snapshotRun;
      if (copy != null) {
        Progress p = copy.progress();
        rows = p.counts().written();
        percent = p.percent().orElse(-1);
      }
      list.add(
          new ChangeProgress.TableProgress(
              t.table.toString(),
              t.snapshot,
              rows,
              percent,
              t.inserts,
              t.updates,
              t.deletes,
              t.lag));
    }
    return new ChangeProgress(
        streaming ? ChangeProgress.Phase.STREAMING : ChangeProgress.Phase.SNAPSHOT,
        position,
        lag,
        list);
  }
}
