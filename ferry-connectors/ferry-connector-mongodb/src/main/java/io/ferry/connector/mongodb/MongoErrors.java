package io.ferry.connector.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoCursorNotFoundException;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import java.util.Set;
import java.util.function.Supplier;

/** Which driver failures a retry can cure, and how they read as Ferry errors. */
final class MongoErrors {
  /** A command the server refused for a reason a retry does not change. */
  static final ErrorCode COMMAND = ErrorCode.external("mongodb.command", false);

  /** The server or a replica set member was unavailable for a moment. */
  static final ErrorCode UNAVAILABLE = ErrorCode.external("mongodb.unavailable", true);

  /** A document the server rejected (duplicate key, validation): a dirty row, not a failure. */
  static final int DUPLICATE_KEY = 11000;

  /**
   * Server error codes that mean "try again": network, elections, shutdowns, cursor timeouts
   * (MongoDB's own list of retryable codes).
   */
  private static final Set<Integer> RETRIABLE_CODES =
      Set.of(
          6, 7, 89, 91, 134, 189, 262, 9001, 10107, 11600, 11602, 13388, 13435, 13436, 43, 63, 150,
          64, 50);

  private MongoErrors() {}

  static boolean retriable(Throwable t) {
    if (t instanceof FerryException f) {
      return f.retriable();
    }
    if (!(t instanceof MongoException e)) {
      return false;
    }
    if (e instanceof MongoSecurityException) {
      return false;
    }
    if (e instanceof MongoSocketException
        || e instanceof MongoTimeoutException
        || e instanceof MongoNotPrimaryException
        || e instanceof MongoNodeIsRecoveringException
        || e instanceof MongoCursorNotFoundException) {
      return true;
    }
    if (e.hasErrorLabel("RetryableWriteError")
        || e.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)) {
      return true;
    }
    if (e instanceof MongoWriteConcernException w) {
      return RETRIABLE_CODES.contains(w.getWriteConcernError().getCode());
    }
    return RETRIABLE_CODES.contains(e.getCode());
  }

  /** A driver failure as a Ferry error, naming the option at fault where one is. */
  static FerryException translate(RuntimeException e, MongoSettings settings, String doing) {
    if (e instanceof FerryException f) {
      return f;
    }
    if (e instanceof MongoSecurityException) {
      return new FerryException(
          ErrorCode.AUTHENTICATION,
          doing + ": login to " + settings.description() + " failed: " + message(e),
          settings.userOption(),
          e);
    }
    if (e instanceof MongoTimeoutException) {
      return new FerryException(
          ErrorCode.CONNECTION,
          doing
              + ": no MongoDB server reachable at "
              + settings.description()
              + " within "
              + settings.connectTimeout().toMillis()
              + " ms (connectTimeout): "
              + message(e),
          settings.serverOption(),
          e);
    }
    if (retriable(e)) {
      return new FerryException(UNAVAILABLE, doing + ": " + message(e), e);
    }
    return new FerryException(COMMAND, doing + ": " + message(e), e);
  }

  /** What the live check reports for a failure to reach or use the server. */
  static OptionProblem problem(RuntimeException e, MongoSettings settings) {
    FerryException f = translate(e, settings, "connecting to " + settings.description());
    return new OptionProblem(
        f.option() != null ? f.option() : settings.serverOption(), f.getMessage());
  }

  static String message(Throwable e) {
    if (e instanceof MongoCommandException c) {
      return c.getErrorMessage() + " (code " + c.getErrorCode() + ")";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** Retries of a unit of work outside a split: with {@link #BACKOFF} they span 1 + 2 + 4 s. */
  private static final int MAX_RETRIES = 3;

  private static final long BACKOFF_MILLIS = 1000;

  /**
   * Runs {@code work}, again after retriable failures with doubling backoff, at most 3 times. For
   * units of work the engine's retry does not cover, since they run outside any split (planning,
   * preparing or discarding in the collection, catalog calls), and repeating them whole is safe
   * (reads, index creation, a delete by range). Reading and writing splits are not retried here:
   * the engine takes the split up again from its checkpoint (settings {@code maxRetries}).
   */
  static <T> T withRetries(MongoSettings settings, String doing, Supplier<T> work) {
    for (int attempt = 0; ; attempt++) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        if (attempt >= MAX_RETRIES || !retriable(e)) {
          throw translate(e, settings, doing);
        }
        pause(attempt);
      }
    }
  }

  /** Sleeps before retry number {@code attempt + 1}: backoff, 2 × backoff, 4 × backoff... */
  private static void pause(int attempt) {
    long millis = BACKOFF_MILLIS << Math.min(attempt, 20);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted while waiting to retry", ie);
    }
  }
}
