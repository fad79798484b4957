package io.ferry.engine.internal;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.ferry.engine.Settings;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one split and, after a failure a retry may fix ({@link FerryException#retriable()}: a lost
 * connection), opens it again from the position of the last batch it returned, up to {@code
 * maxRetries} times with a doubling wait ({@link Settings#maxRetries()}, {@link
 * Settings#retryBackoff()}). By the {@link SplitReader} contract that continues with exactly the
 * rows after that batch, so the rows already handed on are neither lost nor read twice. Rows of a
 * batch the failure cut short are read again; dirty rows the source reported among them are
 * reported again.
 *
 * <p>Errors no retry can fix pass at once, and so does any error once {@code stop} says the run is
 * ending (a pause, a stop, another channel's failure).
 */
public final class RetryingReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetryingReader.class);

  private final Source source;
  private final Split split;
  private final FailsafeExecutor<RowBatch> retries;
  private Position after;
  private SplitReader reader;

  /** A batch came without a position: the split cannot be opened again where it stopped. */
  private boolean unpositioned;

  /**
   * @param after the position to start after, or null for the split's beginning
   * @param stop whether the run is ending, so a failure should not be retried
   */
  public RetryingReader(
      Source source,
      Split split,
      Position after,
      Settings settings,
      String runKey,
      BooleanSupplier stop) {
    this.source = source;
    this.split = split;
    this.after = after;
    this.retries = Failsafe.with(policy(settings, runKey, split, stop));
  }

  private RetryPolicy<RowBatch> policy(
      Settings settings, String runKey, Split split, BooleanSupplier stop) {
    Duration backoff = settings.retryBackoff();
    var policy =
        RetryPolicy.<RowBatch>builder()
            .handleIf(e -> e instanceof FerryException f && f.retriable())
            .abortIf((result, e) -> stop.getAsBoolean() || unpositioned)
            .withMaxRetries(settings.maxRetries())
            .onRetry(
                e ->
                    log.warn(
                        "Run {}: reading split {} failed ({}); opening it again, retry {}",
                        runKey,
                        split.id(),
                        e.getLastException().getMessage(),
                        e.getAttemptCount()));
    if (!backoff.isZero() && !backoff.isNegative() && settings.maxRetries() > 0) {
      // backoff, 2 × backoff, 4 × backoff...
      policy =
          policy.withBackoff(
              backoff, backoff.multipliedBy(1L << Math.min(settings.maxRetries(), 12)));
    }
    return policy.build();
  }

  /** The next batch, or null once the split is exhausted. */
  public RowBatch next() {
    return retries.get(this::attempt);
  }

  private RowBatch attempt() {
    try {
      if (reader == null) {
        reader = source.openReader(split, after);
      }
      RowBatch batch = reader.next();
      if (batch != null) {
        if (batch.position() == null) {
          unpositioned = true;
        } else {
          after = batch.position();
        }
      }
      return batch;
    } catch (RuntimeException e) {
      // The next attempt opens the split again; this reader's state is unknown.
      closeReader();
      throw e;
    }
  }

  private void closeReader() {
    SplitReader open = reader;
    reader = null;
    if (open != null) {
      try {
        open.close();
      } catch (RuntimeException e) {
        log.debug("closing the reader of split {} after a failure failed", split.id(), e);
      }
    }
  }

  @Override
  public void close() {
    SplitReader open = reader;
    reader = null;
    if (open != null) {
      open.close();
    }
  }
}
