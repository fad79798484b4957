package io.ferry.connector.jdbc;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.sql.SQLException;
import java.time.Duration;

/** Retries with doubling backoff for the failures the dialect calls retriable. */
final class RetryPolicy {
  private final Dialect dialect;
  private final int maxRetries;
  private final Duration backoff;

  RetryPolicy(Dialect dialect, int maxRetries, Duration backoff) {
    this.dialect = dialect;
    this.maxRetries = maxRetries;
    this.backoff = backoff;
  }

  /** Whether attempt number {@code retriesSoFar + 1} may follow {@code e}. */
  boolean canRetry(SQLException e, int retriesSoFar) {
    return retriesSoFar < maxRetries && dialect.errors().isRetriable(e);
  }

  /** Sleeps before retry number {@code retriesSoFar + 1}: backoff, 2 × backoff, 4 × backoff... */
  void pause(int retriesSoFar) {
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
