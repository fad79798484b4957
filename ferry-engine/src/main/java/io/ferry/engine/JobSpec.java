package io.ferry.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as written in a job file, after parameter substitution and before any connector looked at
 * its options. See {@code docs/job-file.md} for the format.
 *
 * @param file where the job was read from, or null when it came from elsewhere (the server)
 * @param params the parameter values given by the caller (not the file's defaults): a resumed run
 *     reads the file again with them
 * @param name the job's name (default: the file name without extension)
 * @param source the source's connector and raw options
 * @param sink the sink's connector and raw options
 * @param mapping explicit field mapping, or null for the automatic same-name mapping
 * @param transforms transforms applied to source rows, in order, before the mapping
 * @param settings raw engine settings (channels, rate limits, error limit...)
 * @param kind what the job does: a copy, a full sync with the sink's full-sync defaults, or change
 *     data capture
 * @param cdc the {@code cdc:} section of a {@code kind: cdc} job; null for other kinds
 * @param incremental the {@code incremental:} section (docs/incremental.md); null for a job that
 *     reads everything
 */
public record JobSpec(
    Path file,
    Map<String, String> params,
    String name,
    ConnectorSpec source,
    ConnectorSpec sink,
    List<FieldMapping> mapping,
    List<TransformSpec> transforms,
    Map<String, Object> settings,
    Kind kind,
    CdcSpec cdc,
    IncrementalSpec incremental) {
  /** What a job does. */
  public enum Kind {
    /** Rows go from the source to the sink as its options say. */
    COPY("copy"),
    /**
     * A whole table into a store as a fresh, complete copy: the sink connector's {@link
     * io.ferry.spi.Connector#fullSyncSinkDefaults()} apply wherever the job leaves an option out.
     */
    FULL_SYNC("fullSync"),
    /**
     * Change data capture: the source's {@link io.ferry.spi.ChangeSource} captures its tables, an
     * optional snapshot copies them first, and the sink applies every change; the run goes on until
     * it is stopped or paused (docs/cdc.md).
     */
    CDC("cdc");

    private final String spelling;

    Kind(String spelling) {
      this.spelling = spelling;
    }

    /** How job files write it. */
    public String spelling() {
      return spelling;
    }
  }

  public JobSpec {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(kind, "kind is null");
    if ((kind == Kind.CDC) != (cdc != null)) {
      throw new IllegalArgumentException("a cdc section goes with kind: cdc, and only with it");
    }
    params = params == null ? Map.of() : Map.copyOf(params);
    Objects.requireNonNull(source, "source is null");
    Objects.requireNonNull(sink, "sink is null");
    mapping = mapping == null ? null : List.copyOf(mapping);
    transforms = List.copyOf(transforms);
    settings = Map.copyOf(settings);
    if (incremental != null && kind == Kind.CDC) {
      throw new IllegalArgumentException("an incremental section does not go with kind: cdc");
    }
  }

  /** A job without an incremental section. */
  public JobSpec(
      Path file,
      Map<String, String> params,
      String name,
      ConnectorSpec source,
      ConnectorSpec sink,
      List<FieldMapping> mapping,
      List<TransformSpec> transforms,
      Map<String, Object> settings,
      Kind kind,
      CdcSpec cdc) {
    this(file, params, name, source, sink, mapping, transforms, settings, kind, cdc, null);
  }

  /** A job of a kind other than {@code cdc}. */
  public JobSpec(
      Path file,
      Map<String, String> params,
      String name,
      ConnectorSpec source,
      ConnectorSpec sink,
      List<FieldMapping> mapping,
      List<TransformSpec> transforms,
      Map<String, Object> settings,
      Kind kind) {
    this(file, params, name, source, sink, mapping, transforms, settings, kind, null);
  }

  /** A copy with one setting replaced, e.g. {@code channels} given on the command line. */
  public JobSpec withSetting(String key, Object value) {
    Map<String, Object> copy = new java.util.HashMap<>(settings);
    copy.put(key, value);
    return new JobSpec(
        file, params, name, source, sink, mapping, transforms, copy, kind, cdc, incremental);
  }

  /** A copy whose settings are {@code overrides} laid over its own. */
  public JobSpec withSettings(Map<String, Object> overrides) {
    Map<String, Object> copy = new java.util.HashMap<>(settings);
    copy.putAll(overrides);
    return new JobSpec(
        file, params, name, source, sink, mapping, transforms, copy, kind, cdc, incremental);
  }

  /**
   * A copy whose incremental cursor state is kept under {@code stateKey} instead of the job's name
   * (the server keys it by task); nothing else changes.
   */
  public JobSpec withCursorKey(String stateKey) {
    if (incremental == null) {
      return this;
    }
    return new JobSpec(
        file,
        params,
        name,
        source,
        sink,
        mapping,
        transforms,
        settings,
        kind,
        cdc,
        new IncrementalSpec(
            incremental.cursor(), incremental.lookBack(), incremental.start(), stateKey));
  }

  /** Where the cursor state of an incremental job is kept: its key, by default the job's name. */
  public String cursorKey() {
    return incremental == null || incremental.stateKey() == null ? name : incremental.stateKey();
  }

  /**
   * A digest of what decides which rows go where: source, sink, mapping and transforms after
   * parameter substitution. Settings such as channels may change between a run and its resume, and
   * so may secrets (a rotated password), which {@code secret} names to leave out.
   */
  public String fingerprint(java.util.function.BiPredicate<ConnectorSpec, String> secret) {
    String text =
        (kind == Kind.COPY ? "" : kind.spelling())
            + source.connector()
            + withoutSecrets(source, secret)
            + sink.connector()
            + withoutSecrets(sink, secret)
            + mapping
            + transforms
            + (cdc == null ? "" : cdc.fingerprint())
            + (incremental == null ? "" : "incremental" + incremental.cursor());
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  private static Map<String, Object> withoutSecrets(
      ConnectorSpec spec, java.util.function.BiPredicate<ConnectorSpec, String> secret) {
    Map<String, Object> kept = new java.util.TreeMap<>(spec.options());
    kept.keySet().removeIf(option -> secret.test(spec, option));
    return kept;
  }

  /** Where the job came from, for messages: the file name, or the job name. */
  public String origin() {
    return file != null ? file.toString() : name;
  }

  /**
   * The {@code cdc:} section of a {@code kind: cdc} job (docs/job-file.md).
   *
   * @param startup where a run without a checkpoint starts; null when the section does not say
   *     (then the source's own {@code startup} option, else {@code initial})
   * @param deleteMode how deletes reach the target
   * @param softDeleteFlag the flag column of soft deletes ({@code _ferry_deleted} by default)
   * @param softDeleteTime the time column of soft deletes ({@code _ferry_deleted_at} by default)
   * @param schemaChanges what a change of a captured table's columns does
   * @param keys key columns per table (its name, or {@code schema.name}) for tables without a key
   * @param sharedMining read the changes from the source's shared mining log instead of the
   *     source's own log (docs/shared-mining.md)
   * @param miningLog the mining-log store ({@code cdc.miningLog}: a connector with a {@code
   *     miningLog} role and its options); null without shared mining
   */
  public record CdcSpec(
      Startup startup,
      io.ferry.spi.ChangeWriter.DeleteMode deleteMode,
      String softDeleteFlag,
      String softDeleteTime,
      SchemaChanges schemaChanges,
      Map<String, List<String>> keys,
      boolean sharedMining,
      ConnectorSpec miningLog) {
    public CdcSpec {
      Objects.requireNonNull(deleteMode, "deleteMode is null");
      Objects.requireNonNull(schemaChanges, "schemaChanges is null");
      softDeleteFlag = softDeleteFlag == null ? "_ferry_deleted" : softDeleteFlag;
      softDeleteTime = softDeleteTime == null ? "_ferry_deleted_at" : softDeleteTime;
      keys = keys == null ? Map.of() : Map.copyOf(keys);
      if (sharedMining && miningLog == null) {
        throw new IllegalArgumentException("sharedMining needs a miningLog");
      }
    }

    /** A cdc section that reads the source's own log (no shared mining). */
    public CdcSpec(
        Startup startup,
        io.ferry.spi.ChangeWriter.DeleteMode deleteMode,
        String softDeleteFlag,
        String softDeleteTime,
        SchemaChanges schemaChanges,
        Map<String, List<String>> keys) {
      this(startup, deleteMode, softDeleteFlag, softDeleteTime, schemaChanges, keys, false, null);
    }

    /** The defaults: startup not given (initial), delete, pause. */
    public static CdcSpec defaults() {
      return new CdcSpec(
          null,
          io.ferry.spi.ChangeWriter.DeleteMode.DELETE,
          null,
          null,
          SchemaChanges.PAUSE,
          Map.of());
    }

    /**
     * What decides where rows go: not {@code schemaChanges}, which a paused run may switch before
     * it resumes (e.g. to {@code ignore} a change it cannot apply), nor {@code startup}, which only
     * a run's first attempt reads.
     */
    String fingerprint() {
      // Shared mining changes what the run's log position means (a mining-log seq, not a
      // position of the source's log): a resume across the switch is refused.
      return "cdc"
          + deleteMode
          + softDeleteFlag
          + softDeleteTime
          + new java.util.TreeMap<>(keys)
          + (sharedMining ? "shared" : "");
    }

    /** The key columns the job names for {@code table}, by {@code schema.name} or by name. */
    public Optional<List<String>> keysOf(io.ferry.spi.Catalog.TableRef table) {
      List<String> k = keys.get(table.toString());
      if (k == null) {
        k = keys.get(table.name());
      }
      return Optional.ofNullable(k);
    }

    /** Where a cdc run without a checkpoint starts. */
    public enum Startup {
      /** A snapshot of every table, then the log from where it began. */
      INITIAL,
      /** The log from now on, no snapshot. */
      LATEST,
      /** The log from the position the source's options give. */
      POSITION,
      /** The log from the first change committed at or after the time the source's options give. */
      TIMESTAMP
    }

    /** What a change of a captured table's columns does. */
    public enum SchemaChanges {
      /** Add new columns to the target and widen compatible types; pause when it cannot. */
      APPLY,
      /** Go on; values of columns the target lacks are not written. */
      IGNORE,
      /** Pause the run with the DDL in the message, unless the target already fits. */
      PAUSE
    }
  }

  /**
   * The {@code incremental:} section of a copy job (docs/incremental.md): each run reads only the
   * rows whose cursor column is past the value the job's last successful run committed, up to the
   * column's highest value when the run starts.
   *
   * @param cursor the cursor column
   * @param lookBack how far before the committed value a run starts again, for rows committed late:
   *     a duration ({@code 5m}, {@code 2h}, {@code 1d}) for a date or timestamp cursor, a number
   *     for a numeric one; null for none
   * @param start the lower bound (inclusive) of a run without a committed value, as text of the
   *     cursor's type; null to read every row then
   * @param stateKey where the committed value is kept; null for the job's name
   */
  public record IncrementalSpec(String cursor, String lookBack, String start, String stateKey) {
    public IncrementalSpec {
      Objects.requireNonNull(cursor, "cursor is null");
    }
  }

  /**
   * A connector and its options.
   *
   * @param section {@code source} or {@code sink}, for messages
   */
  public record ConnectorSpec(String section, String connector, Map<String, Object> options) {
    public ConnectorSpec {
      Objects.requireNonNull(section, "section is null");
      Objects.requireNonNull(connector, "connector is null");
      options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }
  }

  /**
   * One entry of an explicit mapping: a source column copied to a target column, or a constant.
   *
   * @param from the source column, or null for a constant
   * @param to the target column
   * @param constant the constant's text when {@code from} is null (converted to the target type)
   * @param path where the entry is in the job file, e.g. {@code mapping[2]}
   */
  public record FieldMapping(String from, String to, String constant, String path) {
    public FieldMapping {
      Objects.requireNonNull(to, "to is null");
      Objects.requireNonNull(path, "path is null");
    }

    public boolean isConstant() {
      return from == null;
    }
  }

  /**
   * One transform: its type and raw options.
   *
   * @param path where it is in the job file, e.g. {@code transforms[0]}
   */
  public record TransformSpec(String type, Map<String, Object> options, String path) {
    public TransformSpec {
      Objects.requireNonNull(type, "type is null");
      options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }
  }
}
