package io.ferry.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    void pass(Duration d) {
      now = now.plus(d);
    }
  }

  final TestClock clock = new TestClock();
  final LoginThrottle throttle = new LoginThrottle(clock);

  private void fail(String name, String address) {
    throttle.begin(name, address);
    throttle.end(name, address, false);
  }

  private long refusedFor(String name, String address) {
    LoginThrottle.Throttled t =
        catchThrowableOfType(LoginThrottle.Throttled.class, () -> throttle.begin(name, address));
    assertThat(t).as(name + " from " + address + " admitted").isNotNull();
    return t.retryAfterSeconds();
  }

  @Test
  void theDelayStartsAfterTheLimitAndDoublesUpToItsMaximum() {
    for (int i = 0; i < LoginThrottle.NAME_FAILURES - 1; i++) {
      fail("tom", "10.0.0." + i);
    }
    fail("tom", "10.0.0.9"); // the fifth attempt is still checked
    List<Long> delays = new ArrayList<>();
    for (int round = 0; round < 12; round++) {
      long wait = refusedFor("TOM", "10.0.0.99"); // names compare without case
      delays.add(wait);
      clock.pass(Duration.ofSeconds(wait));
      fail("tom", "10.0.0.99");
    }
    assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L, 900L);
    // A success clears the name: one failure later, there is no delay.
    clock.pass(LoginThrottle.MAX_DELAY);
    throttle.begin("tom", "10.0.0.99");
    throttle.end("tom", "10.0.0.99", true);
    fail("tom", "10.0.0.99");
    throttle.begin("tom", "10.0.0.99");
    throttle.end("tom", "10.0.0.99", true);
  }

  @Test
  void oneAddressIsLimitedWhateverTheNames() {
    for (int i = 0; i < LoginThrottle.ADDRESS_FAILURES; i++) {
      fail("ghost-" + i, "10.0.0.1");
    }
    assertThat(refusedFor("admin", "10.0.0.1")).isEqualTo(1);
    throttle.begin("admin", "10.0.0.2"); // another address is not held up
    throttle.end("admin", "10.0.0.2", true);
    // Forgotten after an hour without failures.
    clock.pass(LoginThrottle.FORGET_AFTER.plusSeconds(1));
    for (int i = 0; i < LoginThrottle.ADDRESS_FAILURES - 1; i++) {
      fail("ghost-again-" + i, "10.0.0.1");
    }
    throttle.begin("admin", "10.0.0.1");
    throttle.end("admin", "10.0.0.1", true);
  }

  @Test
  void parallelGuessesCannotOutrunTheLimitOnceANameHasFailed() {
    fail("tom", "10.0.0.1");
    int admitted = 0;
    for (int i = 0; i < 10; i++) {
      try {
        throttle.begin("tom", "10.0.1." + i); // in flight, not ended
        admitted++;
      } catch (LoginThrottle.Throttled refused) {
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
      }
    }
    assertThat(admitted).isEqualTo(LoginThrottle.NAME_FAILURES - 1);
    // Without failures, parallel logins pass (scripts using HTTP Basic).
    for (int i = 0; i < 10; i++) {
      throttle.begin("script", "10.0.2.1");
    }
  }

  @Test
  void refusalsNeverReachThePasswordCheck() {
    for (int i = 0; i < LoginThrottle.NAME_FAILURES; i++) {
      fail("tom", "10.0.0." + i);
    }
    List<String> checked = new ArrayList<>();
    var guarded =
        throttle.guard(
            attempt -> {
              checked.add(attempt.getName());
              return attempt;
            },
            (name, address) -> {});
    assertThatThrownBy(
            () ->
                guarded.authenticate(
                    org.springframework.security.authentication.UsernamePasswordAuthenticationToken
                        .unauthenticated("tom", "right")))
        .isInstanceOf(LoginThrottle.Throttled.class);
    assertThat(checked).isEmpty();
  }
}
