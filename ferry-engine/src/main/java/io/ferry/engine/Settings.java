package io.ferry.engine;

import io.ferry.engine.verify.VerifyMode;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Validator;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The engine's settings, the {@code settings:} section of a job file: the options it accepts
 * ({@link #OPTIONS}) and, as an instance, one run's settings parsed and validated once ({@link
 * #parse}). Settings travel as raw maps only where they are stored or typed by a person (job file,
 * run record, command line, HTTP request); the engine reads them from here.
 *
 * <p>A resumed run takes its settings from three layers, each over the one before ({@link
 * #forResume}): the job as it is now &lt; the settings the run last ran with (its record) &lt; the
 * overrides given with the resume (command line, request). A setting changed in the job file after
 * the run started therefore does not apply to it (the run keeps what it ran with); one the job file
 * gained does, and an override always does.
 */
public final class Settings {
  public static final Option<Integer> CHANNELS =
      Option.integer("channels")
          .defaultValue(Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())))
          .validator(Validator.range(1, 1024))
          .description(
              "Parallel channels, each one reader and one writer. Default: the number of CPU"
                  + " cores, at most 8.")
          .build();

  public static final Option<Long> CHANNEL_CAPACITY =
      Option.size("channelCapacity")
          .defaultValue(1L << 20)
          .validator(Validator.range(64L << 10, 1L << 30))
          .description(
              "Bytes of row data a channel holds between its reader and its writer; the reader"
                  + " waits when it is full. Bounds memory whatever the table size: rows take"
                  + " about four times their data size as Java objects, and the capacity is"
                  + " lowered when all channels together would take more than a quarter of the"
                  + " heap.")
          .build();

  public static final Option<Long> RECORDS_PER_SECOND =
      Option.longInteger("recordsPerSecond")
          .validator(Validator.atLeast(1L))
          .description("Job-wide limit of records read per second. Default: unlimited.")
          .build();

  public static final Option<Long> BYTES_PER_SECOND =
      Option.size("bytesPerSecond")
          .validator(Validator.atLeast(1L))
          .description("Job-wide limit of bytes read per second, e.g. 10MB. Default: unlimited.")
          .build();

  public static final Option<Long> ERROR_LIMIT =
      Option.longInteger("errorLimit")
          .validator(Validator.atLeast(0L))
          .description(
              "Dirty rows (rows that cannot be read, converted or written) the run tolerates; one"
                  + " more fails it. Every dirty row is kept in the dirty-data file. Default: 0,"
                  + " or no count limit when errorPercent is given.")
          .build();

  public static final Option<Double> ERROR_PERCENT =
      Option.decimal("errorPercent")
          .validator(Validator.range(0.0, 100.0))
          .description(
              "Largest share of dirty rows among rows read, in percent, checked when the run"
                  + " ends. Default: no share limit, only errorLimit.")
          .build();

  public static final Option<String> DIRTY_DATA_PATH =
      Option.string("dirtyDataPath")
          .description(
              "JSON Lines file that receives dirty rows. Default: dirty/<run key>.jsonl under the"
                  + " state directory.")
          .build();

  public static final Option<String> ZONE =
      Option.string("zone")
          .defaultValue("UTC")
          .validator(Settings::checkZone)
          .description(
              "Time zone in which zone-less timestamps are read and written where a store needs"
                  + " an instant, e.g. UTC or Asia/Shanghai. Never the machine's default.")
          .build();

  public static final Option<Duration> FLUSH_INTERVAL =
      Option.duration("flushInterval")
          .defaultValue(Duration.ofSeconds(10))
          .description(
              "Longest time a writer keeps rows unflushed; writers also flush when a split ends.")
          .build();

  public static final Option<Duration> PROGRESS_INTERVAL =
      Option.duration("progressInterval")
          .defaultValue(Duration.ofSeconds(1))
          .description("How often progress is reported to listeners (terminal, server).")
          .build();

  public static final Option<Integer> MAX_RETRIES =
      Option.integer("maxRetries")
          .defaultValue(3)
          .validator(Validator.range(0, 100))
          .description(
              "How often a split is taken up again after its reader or writer failed for a reason"
                  + " a retry may fix (a lost connection, a server restarting, a deadlock): a"
                  + " reader is opened again after its last batch; a writer is replaced, the sink"
                  + " discards what it wrote past the split's last checkpoint and the split is read"
                  + " again from there (not for a sink that cannot resume). Counted per split; 0"
                  + " never retries. When retries are used up, the run pauses with its checkpoint.")
          .build();

  public static final Option<Duration> RETRY_BACKOFF =
      Option.duration("retryBackoff")
          .defaultValue(Duration.ofSeconds(1))
          .description(
              "The wait before the first retry of a split; each further retry waits twice as"
                  + " long.")
          .build();

  public static final Option<VerifyMode> VERIFY =
      Option.enumeration("verify", VerifyMode.class)
          .description(
              "What to compare after a copy succeeds: count compares the row counts of source and target where both stores count in place (skipped otherwise), content compares every row by key (as ferry verify does), off nothing. A difference fails the command with exit code 6. Default: count.")
          .build();

  public static final Option<Duration> VERIFY_EVERY =
      Option.duration("verifyEvery")
          .description(
              "For a kind: cdc task run by the server whose job sets verify (count or content): how often its running run is verified again after the first verification, which follows the snapshot once the change lag settled. Unset: only that first one.")
          .build();

  public static final OptionSet OPTIONS =
      OptionSet.of(
          CHANNELS,
          CHANNEL_CAPACITY,
          RECORDS_PER_SECOND,
          BYTES_PER_SECOND,
          ERROR_LIMIT,
          ERROR_PERCENT,
          DIRTY_DATA_PATH,
          ZONE,
          FLUSH_INTERVAL,
          PROGRESS_INTERVAL,
          MAX_RETRIES,
          RETRY_BACKOFF,
          VERIFY,
          VERIFY_EVERY);

  private final Map<String, Object> raw;
  private final Options options;
  private final ZoneId zone;

  private Settings(Map<String, Object> raw, Options options) {
    this.raw = raw;
    this.options = options;
    this.zone = ZoneId.of(options.get(ZONE));
  }

  /**
   * Parses and validates a {@code settings:} section.
   *
   * @param raw setting name to value as written (a job file, a run record); null values are absent
   * @throws InvalidOptionsException naming every unknown or invalid setting
   */
  public static Settings parse(Map<String, ?> raw) {
    Map<String, Object> copy = new HashMap<>();
    raw.forEach(
        (name, value) -> {
          if (value != null) {
            copy.put(name, value);
          }
        });
    Map<String, Object> options = new HashMap<>(copy);
    // Kept by Ferry in a run's record (an incremental run's range, for its resume); not an option.
    options.remove(Incremental.RANGE_SETTING);
    return new Settings(Map.copyOf(copy), OPTIONS.parse(options));
  }

  /**
   * The one precedence rule for a resumed run's settings, for every way a run resumes (the command
   * line reading the job file again, the server building the job from its task): {@code job} &lt;
   * {@code run} &lt; {@code overrides}, each layer replacing the keys it has.
   *
   * @param job the settings of the job as it is now
   * @param run the settings the run last ran with, as its record keeps them
   * @param overrides the settings given with the resume
   * @return the raw settings the resumed run runs with, and its record keeps from then on
   */
  public static Map<String, Object> forResume(
      Map<String, ?> job, Map<String, ?> run, Map<String, ?> overrides) {
    Map<String, Object> merged = new HashMap<>(job);
    merged.putAll(run);
    merged.putAll(overrides);
    merged.values().removeIf(java.util.Objects::isNull);
    return Map.copyOf(merged);
  }

  /** The settings as written, without defaults: what a run record keeps. */
  public Map<String, Object> raw() {
    return raw;
  }

  public int channels() {
    return options.get(CHANNELS);
  }

  public long channelCapacity() {
    return options.get(CHANNEL_CAPACITY);
  }

  public OptionalLong recordsPerSecond() {
    Long limit = options.get(RECORDS_PER_SECOND);
    return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  public OptionalLong bytesPerSecond() {
    Long limit = options.get(BYTES_PER_SECOND);
    return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /**
   * The count limit: {@code errorLimit}; without it 0, unless {@code errorPercent} is given, which
   * is then the only limit (as DataX checks only the limits a job sets).
   */
  public long errorLimit() {
    Long limit = options.get(ERROR_LIMIT);
    if (limit != null) {
      return limit;
    }
    return options.get(ERROR_PERCENT) == null ? 0 : Long.MAX_VALUE;
  }

  public OptionalDouble errorPercent() {
    Double share = options.get(ERROR_PERCENT);
    return share == null ? OptionalDouble.empty() : OptionalDouble.of(share);
  }

  /** The dirty-data file as written; empty for the default under the state directory. */
  public Optional<String> dirtyDataPath() {
    return Optional.ofNullable(options.get(DIRTY_DATA_PATH));
  }

  public ZoneId zone() {
    return zone;
  }

  public Duration flushInterval() {
    return options.get(FLUSH_INTERVAL);
  }

  public Duration progressInterval() {
    return options.get(PROGRESS_INTERVAL);
  }

  /** How often a split's reader or writer is taken up again after a retriable failure. */
  public int maxRetries() {
    return options.get(MAX_RETRIES);
  }

  /** The wait before the first retry; it doubles with each further one. */
  public Duration retryBackoff() {
    return options.get(RETRY_BACKOFF);
  }

  /** The verification after a copy; empty when the job does not say (then: count, in place). */
  public Optional<VerifyMode> verify() {
    return Optional.ofNullable(options.get(VERIFY));
  }

  @Override
  public String toString() {
    return raw.toString();
  }

  private static String checkZone(String zone) {
    try {
      ZoneId.of(zone);
      return null;
    } catch (DateTimeException e) {
      return "'" + zone + "' is not a time zone (e.g. UTC, +08:00, Europe/Berlin)";
    }
  }
}
