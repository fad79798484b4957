package io.ferry.connector.jdbc;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Retries, with doubling backoff, a unit of work the engine's retry does not cover: preparing the
 * table, discarding rows, post-SQL, planning splits and catalog calls run once per run (or per
 * request) outside any split, each on a fresh connection in a transaction of its own that a failure
 * rolls back, so repeating the whole unit is safe. A database restarting or failing over for a few
 * seconds should not fail a run there. Reading and writing splits are not retried here: the engine
 * reopens a split's reader, or replaces its writer, from the split's checkpoint (settings {@code
 * maxRetries}, {@code retryBackoff}).
 */
final class RetryPolicy {
  /** Retries of one unit: with {@link #BACKOFF} they span 1 + 2 + 4 = 7 s. */
  private static final int MAX_RETRIES = 3;

  private static final Duration BACKOFF = Duration.ofSeconds(1);

  private final Dialect dialect;
  private final int maxRetries;
  private final Duration backoff;

  RetryPolicy(Dialect dialect) {
    this(dialect, MAX_RETRIES, BACKOFF);
  }

  RetryPolicy(Dialect dialect, int maxRetries, Duration backoff) {
    this.dialect = dialect;
    this.maxRetries = maxRetries;
    this.backoff = backoff;
  }

  /** Whether attempt number {@code retriesSoFar + 1} may follow {@code e}. */
  private boolean canRetry(SQLException e, int retriesSoFar) {
    return retriesSoFar < maxRetries && dialect.errors().isRetriable(e);
  }

  /** Sleeps before retry number {@code retriesSoFar + 1}: backoff, 2 × backoff, 4 × backoff... */
  private void pause(int retriesSoFar) {
    long millis = backoff.toMillis() << Math.min(retriesSoFar, 20);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted while waiting to retry", e);
    }
  }

  /** A unit of work on a fresh connection, repeated as a whole after a retriable failure. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work}, retrying it after retriable failures.
   *
   * @throws SQLException the last failure when it is not retriable or retries are used up
   */
  <T> T run(Work<T> work) throws SQLException {
    for (int retries = 0; ; retries++) {
      try {
        return work.run();
      } catch (SQLException e) {
        if (!canRetry(e, retries)) {
          throw e;
        }
        pause(retries);
      }
    }
  }
}
