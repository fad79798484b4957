package io.ferry.engine;

import io.ferry.engine.JobSpec.ConnectorSpec;
import io.ferry.engine.JobSpecException.Problem;
import io.ferry.engine.internal.DirtyDataStore;
import io.ferry.engine.internal.DirtyRowCounter;
import io.ferry.engine.internal.ErrorLimit;
import io.ferry.engine.internal.RowPipeline;
import io.ferry.engine.internal.Transform;
import io.ferry.engine.internal.Transforms;
import io.ferry.engine.verify.Verifier;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.Connector;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.ErrorCategory;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.MiningLog;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import io.ferry.spi.WriteFence;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job whose options all parsed (validation phase one): connectors found, source and sink created,
 * transforms built. {@link #check()} is phase two (live checks) and {@link #bind()} fits transforms
 * and mapping to the source's columns. A prepared job serves one run.
 */
public final class PreparedJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PreparedJob.class);
  private volatile Incremental.Range incrementalRange;

  private final JobSpec spec;
  private final String runKey;
  private final Settings settings;
  private final Source source;
  private final Sink sink;
  private final List<Transform> transforms;
  private final ErrorLimit errorLimit;
  private final DirtyRowCounter dirtyRows;
  private final DirtyDataStore dirtyData;
  private final Path workDirectory;
  private final RunFence fence;

  /** The change source of a {@code kind: cdc} job; null for other kinds (then source is set). */
  private ChangeSource changeSource;

  private JobSpec.CdcSpec.Startup cdcStartup;

  /** What a cdc run needs to make per-table sinks and the snapshot's copy jobs. */
  private CdcParts cdcParts;

  /** Where the job was prepared: what {@link #readBack} makes the target's reader with. */
  private Environment environment;

  private record Environment(ConnectorRegistry registry, Path stateDirectory, LocalFiles files) {}

  /**
   * What a cdc job's run needs beyond its change source: how to make the sink of each captured
   * table, and what its snapshot's copy jobs are prepared with.
   */
  record CdcParts(
      ConnectorRegistry registry, Path stateDirectory, LocalFiles localFiles, Connector sink) {}

  private PreparedJob(
      JobSpec spec,
      String runKey,
      Settings settings,
      Source source,
      Sink sink,
      List<Transform> transforms,
      ErrorLimit errorLimit,
      DirtyRowCounter dirtyRows,
      DirtyDataStore dirtyData,
      Path workDirectory,
      RunFence fence) {
    this.spec = spec;
    this.runKey = runKey;
    this.settings = settings;
    this.source = source;
    this.sink = sink;
    this.transforms = transforms;
    this.errorLimit = errorLimit;
    this.dirtyRows = dirtyRows;
    this.dirtyData = dirtyData;
    this.workDirectory = workDirectory;
    this.fence = fence;
  }

  /**
   * Phase one: every option of the job parsed and validated on its own.
   *
   * @throws JobSpecException naming every problem
   */
  static PreparedJob prepare(
      JobSpec spec,
      ConnectorRegistry registry,
      Path stateDirectory,
      LocalFiles localFiles,
      String runKey) {
    String origin = spec.origin();
    List<Problem> problems = new ArrayList<>();
    Connector sourceConnector = connector(registry, spec.source(), problems);
    Connector sinkConnector = connector(registry, spec.sink(), problems);
    Set<String> ownRetries = new HashSet<>();
    if (retriesOwnOption(sourceConnector, Connector::source)) {
      ownRetries.add(spec.source().section());
    }
    if (retriesOwnOption(sinkConnector, Connector::sink)) {
      ownRetries.add(spec.sink().section());
    }
    Settings settings =
        parse(problems, "settings", () -> Settings.parse(withConnectorRetries(spec, ownRetries)));
    boolean cdc = spec.kind() == JobSpec.Kind.CDC;
    JobSpec.CdcSpec.Startup startup =
        cdc && sourceConnector != null ? startup(spec, sourceConnector, problems) : null;
    Options sourceOptions =
        sourceConnector == null
            ? null
            : cdc
                ? role(
                    sourceConnector,
                    withStartup(spec.source(), sourceConnector, startup),
                    Connector::changeSource,
                    problems,
                    "change source")
                : role(sourceConnector, spec.source(), Connector::source, problems, "source");
    Options sinkOptions =
        sinkConnector == null
            ? null
            : role(
                sinkConnector,
                cdc ? CdcSinks.probe(spec.sink()) : sinkSpec(spec, sinkConnector, problems),
                Connector::sink,
                problems,
                "sink");
    Options miningOptions = null;
    Connector miningConnector = null;
    if (cdc && spec.cdc().sharedMining()) {
      miningConnector = connector(registry, spec.cdc().miningLog(), problems);
      if (miningConnector != null) {
        miningOptions =
            role(
                miningConnector,
                spec.cdc().miningLog(),
                Connector::miningLog,
                problems,
                "mining-log store");
      }
      if (startup == JobSpec.CdcSpec.Startup.POSITION
          || startup == JobSpec.CdcSpec.Startup.TIMESTAMP) {
        problems.add(
            new Problem(
                "cdc.startup",
                "sharedMining reads the mining log, which starts where the mining run started:"
                    + " use startup initial or latest"));
      }
    }
    ZoneId zone = settings == null ? ZoneId.of("UTC") : settings.zone();
    List<Transform> transforms = new ArrayList<>();
    for (JobSpec.TransformSpec t : spec.transforms()) {
      try {
        transforms.add(Transforms.create(t, zone));
      } catch (InvalidOptionsException e) {
        e.problems()
            .forEach(p -> problems.add(new Problem(t.path() + "." + p.option(), p.message())));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(t.path(), e.getMessage()));
      }
    }
    Path dirtyPath = null;
    if (settings != null && settings.dirtyDataPath().isPresent()) {
      try {
        dirtyPath =
            localFiles.resolve(Settings.DIRTY_DATA_PATH.name(), settings.dirtyDataPath().get());
      } catch (FerryException e) {
        problems.add(new Problem("settings." + e.option(), e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new JobSpecException(code(problems), origin, problems);
    }
    Path work = stateDirectory.resolve("work").resolve(runKey);
    DirtyDataStore dirtyData =
        new DirtyDataStore(
            dirtyPath != null
                ? dirtyPath
                : stateDirectory.resolve("dirty").resolve(runKey + ".jsonl"));
    ErrorLimit errorLimit =
        new ErrorLimit(settings.errorLimit(), settings.errorPercent(), dirtyData);
    DirtyRowCounter dirtyRows = new DirtyRowCounter(errorLimit);
    RunFence fence = new RunFence(runKey);
    Context sourceContext =
        new Context(
            spec.name(),
            runKey,
            zone,
            work.resolve("source"),
            dirtyRows.onRead(),
            localFiles,
            WriteFence.NONE);
    Context sinkContext =
        new Context(
            spec.name(),
            runKey,
            zone,
            work.resolve("sink"),
            dirtyRows.onWrite(),
            localFiles,
            fence);
    if (cdc) {
      PreparedJob job =
          prepareCdc(
              spec,
              runKey,
              settings,
              sourceConnector,
              sourceOptions,
              sourceContext,
              sinkConnector,
              sinkOptions,
              sinkContext,
              new CdcParts(registry, stateDirectory, localFiles, sinkConnector),
              errorLimit,
              dirtyRows,
              dirtyData,
              work,
              startup,
              fence);
      if (miningConnector != null) {
        MiningLog miningLog;
        try {
          miningLog =
              create(
                  miningConnector.miningLog(),
                  miningOptions,
                  spec.cdc().miningLog(),
                  origin,
                  new Context(
                      spec.name(),
                      runKey,
                      zone,
                      work.resolve("mining"),
                      dirtyRows.onRead(),
                      localFiles,
                      WriteFence.NONE));
        } catch (RuntimeException e) {
          job.close();
          throw e;
        }
        job.changeSource = new SharedMiningSource(job.changeSource, miningLog);
      }
      return job;
    }
    Source source =
        create(sourceConnector.source(), sourceOptions, spec.source(), origin, sourceContext);
    Sink sink;
    try {
      sink = create(sinkConnector.sink(), sinkOptions, spec.sink(), origin, sinkContext);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    PreparedJob job =
        new PreparedJob(
            spec,
            runKey,
            settings,
            source,
            sink,
            transforms,
            errorLimit,
            dirtyRows,
            dirtyData,
            work,
            fence);
    job.environment = new Environment(registry, stateDirectory, localFiles);
    return job;
  }

  private static PreparedJob prepareCdc(
      JobSpec spec,
      String runKey,
      Settings settings,
      Connector sourceConnector,
      Options sourceOptions,
      Context sourceContext,
      Connector sinkConnector,
      Options sinkOptions,
      Context sinkContext,
      CdcParts parts,
      ErrorLimit errorLimit,
      DirtyRowCounter dirtyRows,
      DirtyDataStore dirtyData,
      Path work,
      JobSpec.CdcSpec.Startup startup,
      RunFence fence) {
    String origin = spec.origin();
    // The sink is made per captured table; one made now for a stand-in table tells whether this
    // connector, with these options, can apply changes at all (factories do no I/O).
    try (Sink probe = create(sinkConnector.sink(), sinkOptions, spec.sink(), origin, sinkContext)) {
      if (!probe.appliesChanges()) {
        List<Problem> problems = new java.util.ArrayList<>();
        for (io.ferry.spi.OptionProblem p : probe.changeProblems()) {
          problems.add(
              new Problem(
                  "sink." + p.option(),
                  "the "
                      + sinkConnector.name()
                      + " sink cannot apply changes with this "
                      + p.option()
                      + " (kind: cdc): "
                      + p.message()));
        }
        if (problems.isEmpty()) {
          problems.add(
              new Problem(
                  "sink.connector",
                  "the "
                      + sinkConnector.name()
                      + " sink cannot apply changes, so it cannot be the target of kind: cdc"));
        }
        throw new JobSpecException(ErrorCode.JOB_INVALID, origin, problems);
      }
    }
    ChangeSource changes =
        create(sourceConnector.changeSource(), sourceOptions, spec.source(), origin, sourceContext);
    CdcSinks sinks =
        new CdcSinks(
            spec,
            runKey,
            sinkContext.zone(),
            work,
            dirtyRows,
            sinkContext.localFiles(),
            sinkConnector,
            fence);
    PreparedJob job =
        new PreparedJob(
            spec,
            runKey,
            settings,
            null,
            sinks,
            List.of(),
            errorLimit,
            dirtyRows,
            dirtyData,
            work,
            fence);
    job.changeSource = changes;
    job.cdcParts = parts;
    job.cdcStartup = startup;
    return job;
  }

  /**
   * A cdc run's startup: {@code cdc.startup}, else the change source's own {@code startup} option,
   * else initial. Both given and different is a problem of the job.
   */
  private static JobSpec.CdcSpec.Startup startup(
      JobSpec spec, Connector connector, List<Problem> problems) {
    JobSpec.CdcSpec.Startup startup = spec.cdc().startup();
    Object given = spec.source().options().get("startup");
    JobSpec.CdcSpec.Startup fromSource = null;
    if (given != null) {
      for (JobSpec.CdcSpec.Startup s : JobSpec.CdcSpec.Startup.values()) {
        if (s.name().equalsIgnoreCase(given.toString())) {
          fromSource = s;
        }
      }
    }
    if (startup != null && fromSource != null && startup != fromSource) {
      problems.add(
          new Problem(
              "source.startup",
              "says "
                  + given
                  + " but cdc.startup says "
                  + startup.name().toLowerCase(java.util.Locale.ROOT)
                  + "; give it once, under cdc:"));
    }
    return startup != null
        ? startup
        : fromSource != null ? fromSource : JobSpec.CdcSpec.Startup.INITIAL;
  }

  /**
   * The source section with the run's startup, for a change source that declares a {@code startup}
   * option of its own and is not given one: it reads its position or timestamp options by it.
   */
  private static ConnectorSpec withStartup(
      ConnectorSpec source, Connector connector, JobSpec.CdcSpec.Startup startup) {
    boolean declared =
        connector.changeSource().map(r -> r.options().option("startup") != null).orElse(false);
    if (!declared || source.options().containsKey("startup")) {
      return source;
    }
    Map<String, Object> options = new LinkedHashMap<>(source.options());
    options.put("startup", startup.name().toLowerCase(java.util.Locale.ROOT));
    return new ConnectorSpec(source.section(), source.connector(), options);
  }

  /** Where a cdc run without a checkpoint starts; null for other kinds. */
  JobSpec.CdcSpec.Startup cdcStartup() {
    return cdcStartup;
  }

  /** What this job's sinks check before each commit; the run holds it to its claim. */
  RunFence fence() {
    return fence;
  }

  /** Makes the connector context for a sink of a cdc job's table. */
  static ConnectorContext sinkContext(
      JobSpec spec,
      String runKey,
      ZoneId zone,
      Path work,
      DirtyRowCounter dirtyRows,
      LocalFiles localFiles,
      RunFence fence) {
    return new Context(
        spec.name(), runKey, zone, work.resolve("sink"), dirtyRows.onWrite(), localFiles, fence);
  }

  /**
   * A connector's refusal of its options while it was created, checks its option declarations
   * cannot make (a path outside the allowed folders, a combination of options, a column type that
   * does not parse), as problems of the job: each names the option, e.g. {@code source.path}, or
   * the section when the connector names none. That is what they are, whatever the connector threw
   * (its options' problems, a user error, an IllegalArgumentException), so {@code ferry validate}
   * and {@code ferry run} report them as a bad job. Other failures (an I/O error) stay as they are.
   */
  private static RuntimeException refusal(
      RuntimeException e, ConnectorSpec section, String origin) {
    if (e instanceof JobSpecException) {
      return e;
    }
    if (e instanceof InvalidOptionsException invalid && !invalid.problems().isEmpty()) {
      return new JobSpecException(
          invalid.code(),
          origin,
          invalid.problems().stream()
              .map(p -> new Problem(section.section() + "." + p.option(), p.message()))
              .toList());
    }
    if (e instanceof FerryException f) {
      if (f.option() != null) {
        return new JobSpecException(
            f.code(),
            origin,
            List.of(new Problem(section.section() + "." + f.option(), f.getMessage())));
      }
      if (f.code().category() == ErrorCategory.USER) {
        return new JobSpecException(
            f.code(), origin, List.of(new Problem(section.section(), f.getMessage())));
      }
      return f;
    }
    if (e instanceof IllegalArgumentException) {
      return new JobSpecException(
          ErrorCode.JOB_INVALID, origin, List.of(new Problem(section.section(), e.getMessage())));
    }
    return e;
  }

  /**
   * The sink as the job gives it; for a full sync, with the connector's full-sync defaults under
   * the options the job sets.
   */
  /**
   * The job's settings with the connectors' {@code maxRetries} and {@code retryBackoff} (and ftp's
   * older {@code retries}) taken over where the settings leave them out, with a warning: retries
   * are the engine's now ({@link Settings#MAX_RETRIES}), and the connector options are deprecated
   * aliases of the job setting. Where the source and the sink both give one, the larger applies.
   * Connectors still accept the options, so job files and stored data sources stay valid, but
   * ignore them.
   */
  static Map<String, Object> withConnectorRetries(JobSpec spec) {
    return withConnectorRetries(spec, Set.of());
  }

  /**
   * @param ownRetries the sections (source, sink) whose connector still retries on its own under
   *     its {@code maxRetries}: their options are theirs, not aliases
   */
  static Map<String, Object> withConnectorRetries(JobSpec spec, Set<String> ownRetries) {
    Map<String, Object> settings = new LinkedHashMap<>(spec.settings());
    Integer retries = null;
    java.time.Duration backoff = null;
    for (ConnectorSpec side : List.of(spec.source(), spec.sink())) {
      if (ownRetries.contains(side.section())) {
        continue;
      }
      for (String name : List.of(Settings.MAX_RETRIES.name(), "retries")) {
        Object raw = side.options().get(name);
        if (raw != null) {
          Integer value = parsedOrNull(Settings.MAX_RETRIES::parse, raw);
          if (value != null && (retries == null || value > retries)) {
            retries = value;
          }
          warnDeprecated(side, name, Settings.MAX_RETRIES.name(), settings);
        }
      }
      Object raw = side.options().get(Settings.RETRY_BACKOFF.name());
      if (raw != null) {
        java.time.Duration value = parsedOrNull(Settings.RETRY_BACKOFF::parse, raw);
        if (value != null && (backoff == null || value.compareTo(backoff) > 0)) {
          backoff = value;
        }
        warnDeprecated(
            side, Settings.RETRY_BACKOFF.name(), Settings.RETRY_BACKOFF.name(), settings);
      }
    }
    if (retries != null) {
      settings.putIfAbsent(Settings.MAX_RETRIES.name(), retries);
    }
    if (backoff != null) {
      settings.putIfAbsent(Settings.RETRY_BACKOFF.name(), backoff.toMillis() + "ms");
    }
    return settings;
  }

  /**
   * Whether the connector's role declares {@code maxRetries} with a default: a connector that still
   * retries on its own under that option (the deprecated alias declared by {@code
   * CommonOptions.deprecatedMaxRetries} has none).
   */
  private static boolean retriesOwnOption(
      Connector connector, Function<Connector, Optional<? extends Connector.Role<?>>> role) {
    if (connector == null) {
      return false;
    }
    return role.apply(connector)
        .map(r -> r.options().option(Settings.MAX_RETRIES.name()))
        .map(o -> o.defaultValue() != null)
        .orElse(false);
  }

  private static <T> T parsedOrNull(Function<Object, T> parser, Object raw) {
    try {
      return parser.apply(raw);
    } catch (RuntimeException e) {
      // The connector's own validation names the value at fault.
      return null;
    }
  }

  private static void warnDeprecated(
      ConnectorSpec side, String option, String setting, Map<String, Object> settings) {
    log.warn(
        "{}.{} is deprecated: retries are the engine's, set settings.{} instead{}",
        side.section(),
        option,
        setting,
        settings.containsKey(setting) ? " (settings." + setting + " is set and applies)" : "");
  }

  private static ConnectorSpec sinkSpec(JobSpec spec, Connector sink, List<Problem> problems) {
    if (spec.kind() != JobSpec.Kind.FULL_SYNC) {
      return spec.sink();
    }
    Map<String, Object> defaults = sink.fullSyncSinkDefaults();
    if (defaults.isEmpty()) {
      problems.add(
          new Problem(
              "kind", "the " + sink.name() + " connector has no full-sync mode; use kind: copy"));
      return spec.sink();
    }
    Map<String, Object> options = new LinkedHashMap<>(defaults);
    options.putAll(spec.sink().options());
    return new ConnectorSpec(spec.sink().section(), spec.sink().connector(), options);
  }

  private static ErrorCode code(List<Problem> problems) {
    return problems.stream().allMatch(p -> p.message().startsWith("unknown option"))
        ? ErrorCode.OPTION_UNKNOWN
        : ErrorCode.JOB_INVALID;
  }

  private static <T> T parse(
      List<Problem> problems, String section, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidOptionsException e) {
      e.problems().forEach(p -> problems.add(new Problem(section + "." + p.option(), p.message())));
      return null;
    }
  }

  private static Connector connector(
      ConnectorRegistry registry, ConnectorSpec spec, List<Problem> problems) {
    if (spec.connector().isEmpty()) {
      return null; // the loader already reported the missing name
    }
    try {
      return registry.connector(spec.connector());
    } catch (FerryException e) {
      problems.add(new Problem(spec.section() + ".connector", e.getMessage()));
      return null;
    }
  }

  private static <T> Options role(
      Connector connector,
      ConnectorSpec spec,
      Function<Connector, Optional<Connector.Role<T>>> role,
      List<Problem> problems,
      String what) {
    Optional<Connector.Role<T>> r = role.apply(connector);
    if (r.isEmpty()) {
      problems.add(
          new Problem(
              spec.section() + ".connector",
              "connector '" + connector.name() + "' cannot be a " + what));
      return null;
    }
    return parse(problems, spec.section(), () -> r.get().options().parse(spec.options()));
  }

  /**
   * Creates an instance of a connector's role (the role was checked present when the options were
   * parsed); a refusal is reported against the section's options.
   */
  private static <T> T create(
      Optional<Connector.Role<T>> role,
      Options options,
      JobSpec.ConnectorSpec section,
      String origin,
      Context context) {
    try {
      return role.orElseThrow().create(options, context);
    } catch (RuntimeException e) {
      throw refusal(e, section, origin);
    }
  }

  /** What the engine gives each connector instance of this job. */
  private record Context(
      String jobName,
      String runKey,
      ZoneId zone,
      Path workDirectory,
      DirtyRowSink dirtyRows,
      LocalFiles localFiles,
      WriteFence fence)
      implements ConnectorContext {}

  /**
   * Phase two: the source and the sink connect and check their options against the stores.
   *
   * @throws JobSpecException naming each option the stores rejected
   */
  public void check() {
    List<Problem> problems = new ArrayList<>();
    if (changeSource != null) {
      // The per-table sinks are checked when the run opens them, once the tables are known.
      for (OptionProblem p : changeSource.check()) {
        problems.add(new Problem("source." + p.option(), p.message()));
      }
      if (!problems.isEmpty()) {
        throw new JobSpecException(ErrorCode.OPTION_INVALID, spec.origin(), problems);
      }
      return;
    }
    for (OptionProblem p : source.check()) {
      problems.add(new Problem("source." + p.option(), p.message()));
    }
    for (OptionProblem p : sink.check()) {
      problems.add(new Problem("sink." + p.option(), p.message()));
    }
    if (!problems.isEmpty()) {
      throw new JobSpecException(ErrorCode.OPTION_INVALID, spec.origin(), problems);
    }
  }

  /**
   * Fits transforms and mapping to the source's columns and the sink's.
   *
   * @throws JobSpecException naming each transform or mapping entry that does not fit
   */
  RowPipeline bind() {
    List<String> paths = spec.transforms().stream().map(JobSpec.TransformSpec::path).toList();
    RowPipeline.Result result =
        RowPipeline.bind(
            source.schema(), transforms, paths, spec.mapping(), sink.targetSchema(), zone());
    if (!result.problems().isEmpty()) {
      throw new JobSpecException(ErrorCode.JOB_INVALID, spec.origin(), result.problems());
    }
    return result.pipeline();
  }

  /** Runs both validation phases and binding; moves no data. */
  public void validate() {
    check();
    if (changeSource == null) {
      if (spec.incremental() != null) {
        Incremental.check(this);
      }
      bind();
    }
  }

  /** The change source of a {@code kind: cdc} job; null for other kinds. */
  ChangeSource changeSource() {
    return changeSource;
  }

  /** What a cdc run makes its per-table sinks and snapshot jobs with; null for other kinds. */
  CdcParts cdcParts() {
    return cdcParts;
  }

  public JobSpec spec() {
    return spec;
  }

  /** The cursor range an incremental run reads (set when it launches); null for other runs. */
  Incremental.Range incrementalRange() {
    return incrementalRange;
  }

  void incrementalRange(Incremental.Range range) {
    this.incrementalRange = range;
  }

  public String runKey() {
    return runKey;
  }

  /** The job's engine settings, parsed once. */
  public Settings settings() {
    return settings;
  }

  ZoneId zone() {
    return settings.zone();
  }

  Source source() {
    return source;
  }

  Sink sink() {
    return sink;
  }

  ErrorLimit errorLimit() {
    return errorLimit;
  }

  /** Counts dirty rows by kind and by the thread that reported them. */
  DirtyRowCounter dirtyRows() {
    return dirtyRows;
  }

  DirtyDataStore dirtyData() {
    return dirtyData;
  }

  Path workDirectory() {
    return workDirectory;
  }

  /** The state directory the job was prepared under. */
  Path stateDirectory() {
    return environment.stateDirectory();
  }

  /**
   * The job's target, read through the sink connector's source role created with the sink's options
   * that role declares (connection, table): what a verification compares the source with. The
   * caller closes it.
   *
   * @throws FerryException with {@link Verifier#UNSUPPORTED} when the sink's connector cannot read
   *     or its options do not describe a table its source can read
   */
  Source readBack() {
    Connector connector = environment.registry().connector(spec.sink().connector());
    Connector.Role<Source> role =
        connector
            .source()
            .orElseThrow(
                () ->
                    new FerryException(
                        Verifier.UNSUPPORTED,
                        "the "
                            + connector.name()
                            + " connector cannot read, so Ferry cannot read the target back to"
                            + " verify it"));
    Map<String, Object> options = new LinkedHashMap<>();
    spec.sink()
        .options()
        .forEach(
            (name, value) -> {
              if (role.options().option(name) != null) {
                options.put(name, value);
              }
            });
    Options parsed;
    try {
      parsed = role.options().parse(options);
    } catch (InvalidOptionsException e) {
      throw new FerryException(
          Verifier.UNSUPPORTED,
          "the sink's options do not describe a table the "
              + connector.name()
              + " source can read: "
              + e.getMessage());
    }
    // Dirty rows of a read-back are not kept.
    return role.create(
        parsed,
        new Context(
            spec.name(),
            runKey,
            zone(),
            workDirectory.resolve("verify"),
            row -> {},
            environment.files(),
            WriteFence.NONE));
  }

  @Override
  public void close() {
    try {
      if (source != null) {
        source.close();
      }
      if (changeSource != null) {
        changeSource.close();
      }
    } finally {
      try {
        sink.close();
      } finally {
        dirtyData.close();
      }
    }
  }
}
