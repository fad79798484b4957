package io.ferry.connector.ftp;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to reach one server: opens logged-in connections ({@link RemoteFs}), retrying a connection
 * the server refused or dropped, and retries single operations outside any split (listing, checks,
 * renames and deletes of the sink's commit and discard) on a new connection. FTP servers refuse
 * connections for a few seconds when a user is at their connection limit (421) or while they
 * restart, and those operations run once per run, outside the engine's per-split retry, so a short
 * retry here keeps such a moment from failing a run. Reading a file and writing a part are not
 * retried here: the engine takes their split up again (settings {@code maxRetries}).
 */
abstract class RemoteAccess {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteAccess.class);

  protected final String host;
  protected final int port;
  protected final String user;
  protected final String password;
  protected final Duration connectTimeout;
  protected final Duration readTimeout;

  /** Retries of one connection or operation: 0.5 + 1 + 2 s of waiting at most. */
  static final int RETRIES = 3;

  private static final Duration BACKOFF = Duration.ofMillis(500);

  RemoteAccess(Options options, int port, String user) {
    this.host = options.get(RemoteOptions.HOST).trim();
    this.port = port;
    this.user = user;
    this.password = options.get(RemoteOptions.PASSWORD);
    this.connectTimeout = options.get(RemoteOptions.CONNECT_TIMEOUT);
    this.readTimeout = options.get(RemoteOptions.READ_TIMEOUT);
  }

  /** ftp or sftp. */
  abstract String scheme();

  /** Opens one logged-in connection, without retrying. */
  protected abstract RemoteFs open();

  /** The server, for messages: {@code sftp://user@host:port}. */
  final String where() {
    return scheme() + "://" + user + "@" + host + ":" + port;
  }

  /** Opens a logged-in connection, retrying lost or refused connections. */
  final RemoteFs connect() {
    return retry("connect to " + where(), this::open);
  }

  /**
   * Runs {@code action} on a new connection, closed before this returns, retrying retriable
   * failures on a new connection each time.
   */
  final <T> T call(String what, Function<RemoteFs, T> action) {
    return retry(
        what,
        () -> {
          try (RemoteFs fs = open()) {
            return action.apply(fs);
          }
        });
  }

  /** Runs {@code action}, retrying retriable failures after a doubling backoff. */
  final <T> T retry(String what, Supplier<T> action) {
    for (int attempt = 0; ; attempt++) {
      try {
        return action.get();
      } catch (FerryException e) {
        if (!e.retriable() || attempt >= RETRIES) {
          throw e;
        }
        long wait = BACKOFF.toMillis() << Math.min(attempt, 20);
        LOG.warn(
            "{} failed ({}); retry {} of {} in {} ms",
            what,
            e.getMessage(),
            attempt + 1,
            RETRIES,
            wait);
        sleep(wait);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted while waiting to retry", e);
    }
  }

  /** A problem for a live check: the failure under the option it names (host by default). */
  static List<OptionProblem> problemsOf(FerryException e) {
    String option = e.option() != null ? e.option() : RemoteOptions.HOST.name();
    return List.of(new OptionProblem(option, e.getMessage()));
  }
}
