package io.ferry.engine;

import io.ferry.engine.internal.RowPipeline;
import io.ferry.engine.verify.Verifier;
import io.ferry.engine.verify.VerifyMode;
import io.ferry.engine.verify.VerifyOptions;
import io.ferry.engine.verify.VerifyResult;
import io.ferry.spi.Connector;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Option;
import io.ferry.spi.Source;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Ferry's local engine: validates jobs and runs them. Thread-safe; one engine serves any number of
 * runs at once.
 *
 * <pre>{@code
 * Engine engine = new Engine(ConnectorRegistry.fromClassPath(loader), Path.of("state"));
 * JobRun run = engine.start(JobSpecLoader.load(Path.of("job.yaml"), Map.of()));
 * run.addListener(...);
 * RunResult result = run.await();
 * }</pre>
 */
public final class Engine {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);
  private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ErrorCode RUN_UNKNOWN = ErrorCode.user("run.unknown");
  private static final ErrorCode RUN_NOT_RESUMABLE = ErrorCode.user("run.not-resumable");

  /** Another live process holds the run: it may let go of it later. */
  static final ErrorCode RUN_HELD = ErrorCode.external("run.held-elsewhere", true);

  /** A cursor value set by hand is not a number, date or date-time. */
  public static final ErrorCode CURSOR_INVALID = ErrorCode.user("cursor.invalid");

  private final ConnectorRegistry connectors;
  private final Path stateDirectory;
  private final CheckpointStore store;
  private final LocalFiles localFiles;

  /**
   * An engine that keeps runs and checkpoints as files under {@code stateDirectory} and lets jobs
   * use every local file (the command line: a job runs with the rights of whoever starts it).
   *
   * @param stateDirectory where runs keep checkpoints, dirty-data files and scratch space
   */
  public Engine(ConnectorRegistry connectors, Path stateDirectory) {
    this(
        connectors,
        stateDirectory,
        new FileCheckpointStore(stateDirectory),
        LocalFiles.unrestricted());
  }

  /**
   * @param store where runs and checkpoints are kept (the server keeps them in its database)
   * @param localFiles the local files jobs may name (connectors' paths, {@code dirtyDataPath})
   */
  public Engine(
      ConnectorRegistry connectors,
      Path stateDirectory,
      CheckpointStore store,
      LocalFiles localFiles) {
    this.connectors = Objects.requireNonNull(connectors, "connectors is null");
    this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory is null");
    this.store = Objects.requireNonNull(store, "store is null");
    this.localFiles = Objects.requireNonNull(localFiles, "localFiles is null");
  }

  public ConnectorRegistry connectors() {
    return connectors;
  }

  /** Where runs keep checkpoints, dirty-data files and scratch space, and reports go. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /**
   * Validation phase one: connectors exist and every option parses.
   *
   * @throws JobSpecException naming every problem
   */
  public PreparedJob prepare(JobSpec spec) {
    return PreparedJob.prepare(
        spec, connectors, stateDirectory, localFiles, newRunKey(spec.name()));
  }

  /**
   * Both validation phases and the binding of transforms and mapping; moves no data.
   *
   * @param live whether to connect to the stores (phase two)
   * @throws JobSpecException naming every problem
   */
  public void validate(JobSpec spec, boolean live) {
    try (PreparedJob job = prepare(spec)) {
      if (live) {
        job.validate();
      }
    }
  }

  /**
   * Compares a copy job's target with its source ({@code ferry verify}): see {@link Verifier}. The
   * target is read through the sink connector's own source role, created with the sink's options
   * that role declares (its connection and table). Moves no data unless {@code options} ask for a
   * repair.
   *
   * @throws JobSpecException when the job is invalid
   * @throws FerryException with {@link Verifier#UNSUPPORTED} when the job cannot be verified
   */
  public VerifyResult verify(JobSpec spec, VerifyOptions options) {
    if (spec.kind() == JobSpec.Kind.CDC) {
      return verifyCdc(spec, options);
    }
    try (PreparedJob job = prepare(spec);
        Source target = job.readBack()) {
      job.check();
      return verifier(job, target, job.bind()).run(options);
    }
  }

  /**
   * A {@code kind: cdc} job's tables, each verified as the copy job of its snapshot would be (the
   * connector's batch source with the job's source options and the table, into the table's sink),
   * one after the other; differences name their table in their key ({@code orders.id}). Rows that
   * differ are compared again after {@link VerifyOptions#recheckDelay}, after what {@link
   * VerifyOptions#beforeRecheck} waited for (a caller that knows the change stream's lag waits
   * there for it to settle).
   */
  private VerifyResult verifyCdc(JobSpec spec, VerifyOptions options) {
    List<io.ferry.spi.Catalog.TableRef> tables;
    try (PreparedJob job = prepare(spec)) {
      tables = job.changeSource().tables();
    }
    if (tables.isEmpty()) {
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "the source captures no tables: check its table list or include/exclude patterns");
    }
    Connector connector = connectors.connector(spec.source().connector());
    var declared =
        connector
            .source()
            .orElseThrow(
                () ->
                    new FerryException(
                        Verifier.UNSUPPORTED,
                        "the " + connector.name() + " connector cannot read its tables in batch"))
            .options();
    List<VerifyResult> results = new java.util.ArrayList<>();
    List<String> names = new java.util.ArrayList<>();
    for (io.ferry.spi.Catalog.TableRef table : tables) {
      JobSpec copy =
          new JobSpec(
              null,
              spec.params(),
              spec.name() + "-" + table.name(),
              CdcRun.batchSection(spec.source(), declared, table),
              CdcSinks.withTable(spec.sink(), table.name()),
              null,
              List.of(),
              spec.settings(),
              JobSpec.Kind.COPY);
      Path report =
          options.report() == null
              ? null
              : options.report().resolveSibling(options.report().getFileName() + "." + table);
      Path checkpoint =
          options.checkpoint() == null
              ? null
              : options
                  .checkpoint()
                  .resolveSibling(options.checkpoint().getFileName() + "." + table);
      results.add(verify(copy, options.withReport(report).withCheckpoint(checkpoint)));
      names.add(table.name());
    }
    return VerifyResult.ofTables(names, results, options.sampleSize(), options.report());
  }

  /**
   * The verification a copy job's {@code verify} setting asks for once a run of it succeeded
   * ({@link Settings#VERIFY}): count by default, and then only where both stores count in place.
   * The run does it before it ends, with its own source (its connections, its described schema) and
   * sink, so nothing is prepared or checked again; the result is {@link RunResult#verification}.
   *
   * @param report the JSON Lines file for a content verification's differences
   * @param checkpoint where a content verification records the key ranges it completed: a run
   *     killed during its verification and resumed continues the verification from there
   * @return empty when the setting is off, or when the default count is not possible in place or
   *     fails (the reason is logged)
   * @throws FerryException when an explicitly asked verification cannot run
   */
  static Optional<VerifyResult> afterCopy(
      PreparedJob job, RowPipeline pipeline, Path report, Path checkpoint) {
    Settings settings = job.settings();
    VerifyMode mode = settings.verify().orElse(VerifyMode.COUNT);
    if (mode == VerifyMode.OFF || job.spec().kind() == JobSpec.Kind.CDC) {
      return Optional.empty();
    }
    if (job.spec().incremental() != null) {
      // The run read a cursor range, the target holds every run's rows: they do not compare.
      LOG.info("no verification after an incremental run: it read a cursor range only");
      return Optional.empty();
    }
    boolean asked = settings.verify().isPresent();
    VerifyOptions options =
        VerifyOptions.content()
            .withMode(mode)
            .withReport(mode == VerifyMode.CONTENT ? report : null)
            .withParallelism(settings.channels())
            .withCountByReading(asked)
            .withCheckpoint(mode == VerifyMode.CONTENT ? checkpoint : null);
    try (Source target = job.readBack()) {
      return Optional.of(verifier(job, target, pipeline).run(options));
    } catch (RuntimeException e) {
      if (asked) {
        throw e;
      }
      // The default count is a bonus of a copy that succeeded; it never fails it.
      LOG.info("no count verification after the copy: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static Verifier verifier(PreparedJob job, Source target, RowPipeline pipeline) {
    Object table = job.spec().sink().options().get("table");
    return new Verifier(
        job.source(),
        target,
        job.sink(),
        pipeline,
        table != null ? table.toString() : job.spec().sink().connector(),
        job.zone());
  }

  /**
   * {@code <state dir>/verify/<job>-<yyyyMMdd-HHmmss>.jsonl}: where a verification's differences go
   * unless the caller names a file.
   */
  public static Path defaultReport(Path stateDirectory, String jobName) {
    String name = jobName.replaceAll("[^A-Za-z0-9_.-]", "_");
    return stateDirectory
        .resolve("verify")
        .resolve(name + "-" + LocalDateTime.now().format(KEY_TIME) + ".jsonl");
  }

  /**
   * Drops what the change source of a {@code kind: cdc} job keeps on its server between runs (a
   * PostgreSQL replication slot; with {@code publication}, the publication Ferry created), for a
   * job that will not run again: {@link io.ferry.spi.ChangeSource#dropRetained}. Connects to the
   * source only; a slot a reader is using stays.
   *
   * @return what the source found, one entry per thing; empty when it keeps nothing there
   * @throws JobSpecException when the job is invalid or not a {@code kind: cdc} job
   */
  public List<io.ferry.spi.ChangeSource.Retained> dropRetained(JobSpec spec, boolean publication) {
    if (spec.kind() != JobSpec.Kind.CDC) {
      throw new JobSpecException(
          spec.origin(),
          "kind",
          "is " + spec.kind().spelling() + ": only a kind: cdc job keeps anything on its source");
    }
    try (PreparedJob job = prepare(spec)) {
      return job.changeSource().dropRetained(publication);
    }
  }

  /**
   * Validates the job and starts it as a new run on its own threads; returns once it runs.
   *
   * @throws JobSpecException when the job is invalid; nothing was started
   */
  public JobRun start(JobSpec spec) {
    if (spec.settings().containsKey(Incremental.RANGE_SETTING)) {
      throw new JobSpecException(
          spec.origin(),
          "settings." + Incremental.RANGE_SETTING,
          "is kept by Ferry in a run's record for its resume; it is not a setting a job gives");
    }
    PreparedJob job = prepare(spec);
    RunRecord record =
        RunRecord.created(
            job.runKey(),
            spec.name(),
            spec.file() == null ? null : spec.file().toAbsolutePath(),
            spec.params(),
            spec.settings(),
            fingerprint(spec),
            Instant.now());
    return launch(job, record, false);
  }

  /**
   * The key a run record's settings carry when another engine executed the run: that engine's name.
   * Such a run has no Ferry checkpoint and never resumes on the local engine.
   */
  static final String EXTERNAL = "executedBy";

  private static Map<String, Object> external(Map<String, Object> settings, String executor) {
    Map<String, Object> marked = new java.util.LinkedHashMap<>(settings);
    marked.put(EXTERNAL, executor);
    return marked;
  }

  /**
   * Validates the job and starts it as a new run that another engine executes (Flink): the run is
   * recorded and claimed as a local one, its splits planned for {@code parallelism} tasks and the
   * sink prepared; the caller runs the tasks with {@link TaskWork} and ends the run with {@link
   * ExternalRun#finish}.
   *
   * @throws JobSpecException when the job is invalid; nothing was started
   * @param executor the other engine's name, kept in the run record (e.g. {@code flink})
   * @throws FerryException with {@link ExternalRun#UNSUPPORTED} for a job that cannot run there
   */
  public ExternalRun startExternal(JobSpec spec, int parallelism, String executor) {
    if (spec.kind() == JobSpec.Kind.CDC) {
      throw new FerryException(
          ExternalRun.UNSUPPORTED, "kind: cdc jobs run on the local engine only, not on Flink");
    }
    if (spec.incremental() != null) {
      throw new FerryException(
          ExternalRun.UNSUPPORTED,
          "incremental jobs (a cursor range and its commit) run on the local engine only, not on"
              + " Flink");
    }
    PreparedJob job = prepare(spec);
    RunRecord record =
        RunRecord.created(
            job.runKey(),
            spec.name(),
            spec.file() == null ? null : spec.file().toAbsolutePath(),
            spec.params(),
            external(spec.settings(), executor),
            fingerprint(spec),
            Instant.now());
    CheckpointStore.Claim claim = null;
    try {
      TaskWork.resumable(job);
      job.check();
      RowPipeline pipeline = job.bind();
      claim =
          store
              .claim(job.runKey())
              .orElseThrow(
                  () ->
                      new FerryException(
                          RUN_HELD, "run " + job.runKey() + " is running in another process"));
      store.save(record);
      return new ExternalRun(job, pipeline, store, record, claim, parallelism);
    } catch (RuntimeException e) {
      if (claim != null) {
        try {
          store.save(record.with(RunState.FAILED, null, e.getMessage()));
        } catch (RuntimeException ignored) {
          // The first failure is the one to report.
        } finally {
          claim.close();
        }
      }
      job.close();
      throw e;
    }
  }

  /**
   * Continues a PAUSED run, or one whose process ended while it ran (a crash), from its last
   * checkpoint: the job file is read again with the run's parameters and must still describe the
   * same data. Its settings follow {@link Settings#forResume}: the job file's &lt; the run's &lt;
   * {@code overrides} (e.g. a new channel count).
   *
   * @throws FerryException when there is no such run, it cannot be resumed, or its job changed
   * @throws JobSpecException when the job file is now invalid
   */
  public JobRun resume(String runKey, Map<String, Object> overrides) {
    RunRecord record = resumable(runKey);
    if (record.jobFile() == null) {
      throw new FerryException(
          RUN_NOT_RESUMABLE, "run " + runKey + " did not come from a job file; start it again");
    }
    JobSpec spec = JobSpecLoader.load(record.jobFile(), record.params());
    return resume(record, spec, overrides, String.valueOf(record.jobFile()));
  }

  /**
   * Continues a PAUSED run with a job the caller supplies instead of the run's job file, for
   * callers that keep jobs elsewhere (the server builds them from its tasks and data sources). The
   * settings follow the same rule as for a job file ({@link Settings#forResume}): the job's &lt;
   * the run's &lt; {@code overrides}; the job must still describe the same data as when the run
   * started.
   *
   * @throws FerryException when there is no such run, it cannot be resumed, or its job changed
   */
  public JobRun resume(String runKey, JobSpec spec, Map<String, Object> overrides) {
    return resume(resumable(runKey), spec, overrides, "the job");
  }

  private RunRecord resumable(String runKey) {
    RunRecord record =
        runOf(runKey)
            .orElseThrow(() -> new FerryException(RUN_UNKNOWN, "there is no run '" + runKey + "'"));
    if (record.settings().containsKey(EXTERNAL)) {
      throw new FerryException(
          RUN_NOT_RESUMABLE,
          "run "
              + runKey
              + " ran on "
              + record.settings().get(EXTERNAL)
              + ", which restarts its tasks from its own checkpoints; Ferry cannot resume it."
              + " Start the job again");
    }
    if (record.state() != RunState.PAUSED) {
      throw new FerryException(
          record.state() == RunState.RUNNING ? RUN_HELD : RUN_NOT_RESUMABLE,
          "run "
              + runKey
              + " is "
              + record.state()
              + (record.state() == RunState.RUNNING
                  ? " in another process"
                  : "; only a paused or interrupted run resumes — start the job again for a new run"));
    }
    return record;
  }

  private JobRun resume(
      RunRecord record, JobSpec asItIs, Map<String, Object> overrides, String origin) {
    String runKey = record.runKey();
    if (overrides.containsKey(Incremental.RANGE_SETTING)) {
      throw new JobSpecException(
          origin,
          "settings." + Incremental.RANGE_SETTING,
          "is the range the run read from its start; a resume cannot change it");
    }
    JobSpec spec =
        asItIs.withSettings(Settings.forResume(asItIs.settings(), record.settings(), overrides));
    if (!fingerprint(spec).equals(record.fingerprint())) {
      throw new FerryException(
          RUN_NOT_RESUMABLE,
          "the source, sink, mapping or transforms in "
              + origin
              + " changed since run "
              + runKey
              + " started; resuming would mix two jobs. Start the job again as a new run");
    }
    PreparedJob job = PreparedJob.prepare(spec, connectors, stateDirectory, localFiles, runKey);
    if (!job.sink().resumeModel().resumable()) {
      job.close();
      throw new FerryException(
          RUN_NOT_RESUMABLE,
          "the "
              + spec.sink().connector()
              + " sink cannot continue an earlier attempt's output; start the job again");
    }
    // The settings it resumes with (overrides included) are the run's from now on.
    return launch(job, record.withSettings(spec.settings()), true);
  }

  /**
   * Ends a paused run without resuming it: its record becomes STOPPED and it no longer resumes (the
   * checkpoint stays for inspection).
   *
   * @throws FerryException when the run is not paused, or another process holds it
   */
  public RunRecord stopPaused(String runKey, String message) {
    RunRecord record = resumable(runKey);
    try (CheckpointStore.Claim claim =
        store
            .claim(runKey)
            .orElseThrow(
                () ->
                    new FerryException(
                        RUN_HELD, "run " + runKey + " is running in another process"))) {
      RunRecord stopped = record.with(RunState.STOPPED, null, message);
      store.save(stopped);
      return stopped;
    }
  }

  /**
   * @param resume whether to continue from the run's checkpoint, read once the run is claimed (so
   *     that no earlier holder can still move it)
   */
  private JobRun launch(PreparedJob job, RunRecord record, boolean resume) {
    RowPipeline pipeline;
    CheckpointStore.Claim claim;
    Checkpoint checkpoint;
    try {
      job.check();
      if (job.spec().incremental() != null) {
        record = incremental(job, record, resume);
      }
      pipeline = job.changeSource() != null ? null : job.bind(); // a cdc run maps by name
      claim =
          store
              .claim(job.runKey())
              .orElseThrow(
                  () ->
                      new FerryException(
                          RUN_HELD, "run " + job.runKey() + " is running in another process"));
      try {
        checkpoint = resume ? store.checkpoint(job.runKey()).orElse(null) : null;
        store.save(record);
      } catch (RuntimeException e) {
        claim.close();
        throw e;
      }
    } catch (RuntimeException e) {
      job.close();
      throw e;
    }
    JobRun run = new JobRun(job, pipeline, store, record, claim, checkpoint);
    run.start();
    return run;
  }

  /**
   * Restricts an incremental run's source to its cursor range: a new run's is worked out now and
   * kept in its record's settings, a resumed run's is the one its record keeps (never worked out
   * again: the rows it reads stay those of its first attempt).
   */
  private RunRecord incremental(PreparedJob job, RunRecord started, boolean resume) {
    RunRecord record = started;
    Incremental.Range range;
    if (resume) {
      range =
          Incremental.Range.of(record.settings())
              .orElseThrow(
                  () ->
                      new FerryException(
                          RUN_NOT_RESUMABLE,
                          "run "
                              + started.runKey()
                              + " keeps no incremental range; start the job again as a new run"));
    } else {
      Incremental.check(job);
      range = Incremental.plan(job, store);
      Map<String, Object> settings = new java.util.HashMap<>(record.settings());
      settings.put(Incremental.RANGE_SETTING, range.toSetting());
      record = record.withSettings(settings);
    }
    Incremental.apply(job, range);
    job.incrementalRange(range);
    return record;
  }

  /**
   * The committed cursor of an incremental job ({@link JobSpec#cursorKey()}): what its next run
   * reads past; empty before its first successful run and after a reset.
   */
  public Optional<CursorState> cursor(String key) {
    return store.cursor(key);
  }

  /** Every committed cursor. */
  public List<CursorState> cursors() {
    return store.cursors();
  }

  /**
   * Sets the committed cursor of {@code key} by hand: the next run reads the rows past {@code
   * value} (less the job's look-back). The value is checked against the column's type when that run
   * starts; here it must be a number or an ISO date or date-time.
   *
   * @throws FerryException with {@link #CURSOR_INVALID} when the value is neither
   */
  public CursorState setCursor(String key, String column, String value) {
    String v = value == null ? "" : value.trim();
    if (column == null || column.isBlank()) {
      throw new FerryException(CURSOR_INVALID, "name the cursor column the value belongs to");
    }
    if (!looksLikeCursorValue(v)) {
      throw new FerryException(
          CURSOR_INVALID,
          "'"
              + v
              + "' is not a cursor value: give a number (42, 12.5), a date (2024-05-01) or a"
              + " date-time (2024-05-01 08:30:00, with an offset such as +08:00 for a column with a"
              + " time zone)");
    }
    CursorState state = new CursorState(key, column.trim(), null, v, null, Instant.now());
    store.saveCursor(state);
    return state;
  }

  /** Forgets the committed cursor of {@code key}: the next run reads every row. */
  public boolean resetCursor(String key) {
    return store.deleteCursor(key);
  }

  static boolean looksLikeCursorValue(String v) {
    for (io.ferry.spi.TypeKind kind :
        List.of(
            io.ferry.spi.TypeKind.INT64,
            io.ferry.spi.TypeKind.DECIMAL,
            io.ferry.spi.TypeKind.DATE,
            io.ferry.spi.TypeKind.TIMESTAMP,
            io.ferry.spi.TypeKind.TIMESTAMP_TZ)) {
      try {
        Incremental.parse(kind, v, java.time.ZoneOffset.UTC);
        return true;
      } catch (IllegalArgumentException e) {
        // try the next kind
      }
    }
    return false;
  }

  /** The job's fingerprint, leaving out the options its connectors declare secret. */
  private String fingerprint(JobSpec spec) {
    return spec.fingerprint(
        (section, option) -> {
          try {
            Connector connector = connectors.connector(section.connector());
            return (section.section().equals("source")
                    ? (spec.kind() == JobSpec.Kind.CDC
                        ? connector.changeSource().map(Connector.Role::options)
                        : connector.source().map(Connector.Role::options))
                    : connector.sink().map(Connector.Role::options))
                .map(options -> options.option(option))
                .map(Option::secret)
                .orElse(false);
          } catch (FerryException unknownConnector) {
            return false; // prepare() reports it
          }
        });
  }

  /**
   * A stored run as it stands: a run recorded as RUNNING that no live process holds was interrupted
   * (killed, a power loss) and is reported PAUSED, ready to resume.
   */
  public Optional<RunRecord> runOf(String runKey) {
    return store.run(runKey).map(this::asItStands);
  }

  /** All stored runs, newest first, as they stand (see {@link #runOf}). */
  public List<RunRecord> runs() {
    return store.runs().stream().map(this::asItStands).toList();
  }

  private RunRecord asItStands(RunRecord stored) {
    if (stored.state() != RunState.RUNNING && stored.state() != RunState.CREATED) {
      return stored;
    }
    // Running here or elsewhere, or killed: its checkpoint has the counts of what was committed.
    RunRecord run = store.checkpoint(stored.runKey()).map(stored::withCounts).orElse(stored);
    if (!store.isClaimed(run.runKey())) {
      return run.with(
          RunState.PAUSED,
          null,
          "interrupted: the process ended while the run was "
              + run.state()
              + "; resume continues from the last checkpoint");
    }
    return run;
  }

  /** A unique, sortable run key: {@code <job>-<yyyyMMdd-HHmmss>-<6 hex>}. */
  static String newRunKey(String jobName) {
    String safe = jobName.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (safe.length() > 40) {
      safe = safe.substring(0, 40);
    }
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    return safe
        + "-"
        + LocalDateTime.now().format(KEY_TIME)
        + "-"
        + HexFormat.of().formatHex(random);
  }
}
