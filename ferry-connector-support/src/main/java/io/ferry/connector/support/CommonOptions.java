package io.ferry.connector.support;

import io.ferry.spi.Option;
import io.ferry.spi.Validator;
import java.time.Duration;

/**
 * The options several connectors share, declared once so that they have one name, one type and one
 * meaning everywhere; a connector picks the default and the bounds that suit its server.
 */
public final class CommonOptions {
  private CommonOptions() {}

  /** Rows per batch a source hands to the engine, for sources whose batches carry positions. */
  public static final String BATCH_SIZE = "batchSize";

  /** How often a retriable failure is tried again. */
  public static final String MAX_RETRIES = "maxRetries";

  /** The wait before the first retry. */
  public static final String RETRY_BACKOFF = "retryBackoff";

  /**
   * The description of {@link #deprecatedMaxRetries} and {@link #deprecatedRetryBackoff}: retries
   * are the engine's, per split, under the job's settings.
   */
  private static final String ENGINE_RETRIES =
      " Retries are the engine's: a split whose reader or writer failed for a reason a retry may"
          + " fix is taken up again from its checkpoint. The connector does not use this value;"
          + " the engine takes it for the job setting when the job's settings leave it out, and"
          + " logs a warning.";

  /**
   * {@value #MAX_RETRIES} of a connector, kept so that job files and stored data sources that give
   * it stay valid: a deprecated alias of the job setting {@code settings.maxRetries}.
   */
  public static Option<Integer> deprecatedMaxRetries() {
    return deprecatedMaxRetriesBuilder().build();
  }

  /**
   * {@link #deprecatedMaxRetries}, for a connector that documented it as {@code olderName} as well.
   */
  public static Option<Integer> deprecatedMaxRetries(String olderName) {
    return deprecatedMaxRetriesBuilder().deprecatedName(olderName).build();
  }

  private static Option.Builder<Integer> deprecatedMaxRetriesBuilder() {
    return Option.integer(MAX_RETRIES)
        .validator(Validator.range(0, 100))
        .description("Deprecated: use the job setting settings.maxRetries." + ENGINE_RETRIES);
  }

  /**
   * {@value #RETRY_BACKOFF} of a connector: a deprecated alias of the job setting {@code
   * settings.retryBackoff}, see {@link #deprecatedMaxRetries}.
   */
  public static Option<Duration> deprecatedRetryBackoff() {
    return Option.duration(RETRY_BACKOFF)
        .description("Deprecated: use the job setting settings.retryBackoff." + ENGINE_RETRIES)
        .build();
  }

  /** How a sink writes rows that may already be there. */
  public static final String WRITE_MODE = "writeMode";

  /**
   * {@value #BATCH_SIZE} of a source: rows per batch handed to the engine, each with its position,
   * from 1 to 1,000,000.
   */
  public static Option<Integer> sourceBatchSize(int defaultValue) {
    return batchSize(
        defaultValue,
        1_000_000,
        "Rows per batch handed to the engine; each batch carries its position.");
  }

  /**
   * {@value #BATCH_SIZE}, from 1 to {@code max}.
   *
   * @param description what one batch is for this connector
   */
  public static Option<Integer> batchSize(int defaultValue, int max, String description) {
    return Option.integer(BATCH_SIZE)
        .defaultValue(defaultValue)
        .validator(Validator.range(1, max))
        .description(description)
        .build();
  }

  /**
   * {@value #MAX_RETRIES}, from 0 to 100.
   *
   * @param whatFails what is retried and which failures count, e.g. {@code "a request that failed
   *     on the connection"}
   */
  public static Option<Integer> maxRetries(int defaultValue, String whatFails) {
    return maxRetriesBuilder(defaultValue, whatFails).build();
  }

  /**
   * {@link #maxRetries}, for a connector that documented it as {@code deprecatedName}: job files
   * with the old name keep working, with a warning.
   */
  public static Option<Integer> maxRetries(
      int defaultValue, String whatFails, String deprecatedName) {
    return maxRetriesBuilder(defaultValue, whatFails).deprecatedName(deprecatedName).build();
  }

  private static Option.Builder<Integer> maxRetriesBuilder(int defaultValue, String whatFails) {
    return Option.integer(MAX_RETRIES)
        .defaultValue(defaultValue)
        .validator(Validator.range(0, 100))
        .description("How often " + whatFails + " is tried again; 0 never retries.");
  }

  /** {@value #RETRY_BACKOFF}: the first wait, doubled for every further retry. */
  public static Option<Duration> retryBackoff(Duration defaultValue) {
    return retryBackoff(defaultValue, "");
  }

  /**
   * {@value #RETRY_BACKOFF} with a note on this connector's waits.
   *
   * @param note a sentence added to the description, e.g. a cap on the wait; may be empty
   */
  public static Option<Duration> retryBackoff(Duration defaultValue, String note) {
    return Option.duration(RETRY_BACKOFF)
        .defaultValue(defaultValue)
        .description(
            "The wait before the first retry; each further retry waits twice as long."
                + (note.isEmpty() ? "" : " " + note))
        .build();
  }

  /**
   * {@value #WRITE_MODE} of a sink.
   *
   * @param modes this sink's modes
   * @param description each mode and what it does with a row that is already there
   */
  public static <E extends Enum<E>> Option<E> writeMode(
      Class<E> modes, E defaultValue, String description) {
    return Option.enumeration(WRITE_MODE, modes)
        .defaultValue(defaultValue)
        .description(description)
        .build();
  }
}
