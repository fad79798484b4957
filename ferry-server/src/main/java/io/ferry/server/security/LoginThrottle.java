package io.ferry.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing down. After {@value #NAME_FAILURES} consecutive wrong passwords for one
 * user name, or {@value #ADDRESS_FAILURES} from one client address (several users may share one),
 * every login of that name or from that address is refused with 429 for a delay: one second, then
 * twice as long after each further failure, at most {@link #MAX_DELAY}. Refused attempts check no
 * password, so they tell nothing. A success clears its user name's failures; an address's are
 * forgotten after {@link #FORGET_AFTER} without one. Once a name or an address has failed, its
 * attempts in flight count as failures to come, so that parallel guesses cannot outrun the limit.
 *
 * <p>Applies to every password check: {@code POST /api/auth/login} and HTTP Basic on any request.
 * The state is this node's, in memory: each node of a cluster counts on its own.
 */
@Component
public class LoginThrottle {
  public static final int NAME_FAILURES = 5;
  public static final int ADDRESS_FAILURES = 20;
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofMinutes(15);
  static final Duration FORGET_AFTER = Duration.ofHours(1);

  /** Entries kept before the forgotten ones are dropped: memory stays bounded under a flood. */
  private static final int PURGE_ABOVE = 10_000;

  private final Clock clock;
  private final Map<String, Counter> counters = new HashMap<>();

  /** Failures of one user name or one address. */
  private static final class Counter {
    final int limit;
    int failures;
    int inFlight;
    Instant lastFailure;
    Instant blockedUntil;

    Counter(int limit) {
      this.limit = limit;
    }

    boolean forgotten(Instant now) {
      return inFlight == 0 && (lastFailure == null || lastFailure.plus(FORGET_AFTER).isBefore(now));
    }
  }

  /** Refused: too many failures; try again after {@link #retryAfter()}. */
  public static final class Throttled extends AuthenticationException {
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    Throttled(Duration retryAfter) {
      super("too many failed logins; try again in " + seconds(retryAfter) + " s");
      this.retryAfter = retryAfter;
    }

    /** Whole seconds, at least one: the value of a Retry-After header. */
    public long retryAfterSeconds() {
      return seconds(retryAfter);
    }

    private static long seconds(Duration d) {
      return Math.max(1, (d.toMillis() + 999) / 1000);
    }
  }

  public LoginThrottle() {
    this(Clock.systemUTC());
  }

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * {@code passwords}, throttled: a refused attempt throws {@link Throttled} without checking the
   * password; a wrong password is counted and reported to {@code failed} (user name, address).
   */
  AuthenticationManager guard(AuthenticationManager passwords, BiConsumer<String, String> failed) {
    return attempt -> {
      String name = attempt.getName();
      String address =
          attempt.getDetails() instanceof WebAuthenticationDetails d
              ? d.getRemoteAddress()
              : "unknown";
      begin(name, address);
      boolean ok = false;
      try {
        Authentication done = passwords.authenticate(attempt);
        ok = true;
        return done;
      } catch (BadCredentialsException wrong) {
        failed.accept(name, address);
        throw wrong;
      } finally {
        end(name, address, ok);
      }
    };
  }

  /**
   * Admits an attempt (counted in flight until {@link #end}).
   *
   * @throws Throttled when the name or the address must wait
   */
  synchronized void begin(String name, String address) {
    Instant now = clock.instant();
    if (counters.size() > PURGE_ABOVE) {
      counters.values().removeIf(c -> c.forgotten(now) && !blocked(c, now));
    }
    Counter byName = counter(nameKey(name), NAME_FAILURES, now);
    Counter byAddress = counter(addressKey(address), ADDRESS_FAILURES, now);
    Duration wait = max(waitOf(byName, now), waitOf(byAddress, now));
    if (wait.compareTo(Duration.ZERO) > 0) {
      throw new Throttled(wait);
    }
    byName.inFlight++;
    byAddress.inFlight++;
  }

  /** Ends an attempt {@link #begin} admitted. */
  synchronized void end(String name, String address, boolean succeeded) {
    Instant now = clock.instant();
    Counter byName = counter(nameKey(name), NAME_FAILURES, now);
    Counter byAddress = counter(addressKey(address), ADDRESS_FAILURES, now);
    byName.inFlight = Math.max(0, byName.inFlight - 1);
    byAddress.inFlight = Math.max(0, byAddress.inFlight - 1);
    if (succeeded) {
      byName.failures = 0;
      byName.blockedUntil = null;
    } else {
      fail(byName, now);
      fail(byAddress, now);
    }
  }

  private static void fail(Counter c, Instant now) {
    c.failures++;
    c.lastFailure = now;
    if (c.failures >= c.limit) {
      int doublings = Math.min(c.failures - c.limit, 30);
      Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
      c.blockedUntil = now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
    }
  }

  /**
   * How long {@code c} must wait: until its block ends. Besides, once it has failures, attempts in
   * flight count as failures to come, so that parallel guesses cannot outrun the limit; without
   * failures, parallel logins (scripts using HTTP Basic) pass.
   */
  private static Duration waitOf(Counter c, Instant now) {
    if (blocked(c, now)) {
      return Duration.between(now, c.blockedUntil);
    }
    boolean admitted = c.failures == 0 || c.inFlight == 0 || c.failures + c.inFlight < c.limit;
    return admitted ? Duration.ZERO : FIRST_DELAY;
  }

  private static boolean blocked(Counter c, Instant now) {
    return c.blockedUntil != null && c.blockedUntil.isAfter(now);
  }

  private Counter counter(String key, int limit, Instant now) {
    Counter c = counters.computeIfAbsent(key, k -> new Counter(limit));
    if (c.failures > 0 && c.forgotten(now) && !blocked(c, now)) {
      c.failures = 0;
      c.blockedUntil = null;
    }
    return c;
  }

  /** User names compare without case: some metadata stores match them so. */
  private static String nameKey(String name) {
    return "name:" + String.valueOf(name).toLowerCase(Locale.ROOT);
  }

  private static String addressKey(String address) {
    return "address:" + address;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
