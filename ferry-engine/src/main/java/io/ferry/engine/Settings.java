package io.ferry.engine;

import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Validator;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

/** The engine's settings, the {@code settings:} section of a job file. */
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
          .defaultValue(0L)
          .validator(Validator.atLeast(0L))
          .description(
              "Dirty rows (rows that cannot be read, converted or written) the run tolerates; one"
                  + " more fails it. Every dirty row is kept in the dirty-data file.")
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
          PROGRESS_INTERVAL);

  private Settings() {}

  static ZoneId zone(Options options) {
    return ZoneId.of(options.get(ZONE));
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
