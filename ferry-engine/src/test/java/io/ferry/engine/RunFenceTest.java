package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.FerryException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunFenceTest {
  /** A lease whose remaining time the test sets. */
  private static final class Lease implements CheckpointStore.Claim {
    final Duration lease;
    Duration remaining;

    Lease(Duration lease) {
      this.lease = lease;
      this.remaining = lease;
    }

    @Override
    public boolean held() {
      return !remaining.isNegative() && !remaining.isZero();
    }

    @Override
    public Optional<Duration> lease() {
      return Optional.of(lease);
    }

    @Override
    public boolean heldFor(Duration margin) {
      return held() && remaining.compareTo(margin) >= 0;
    }

    @Override
    public void close() {}
  }

  @Test
  void beforeTheRunHoldsItsClaimNothingIsFenced() {
    RunFence fence = new RunFence("r1");
    fence.check();
    assertThat(fence.idleLimit()).isEmpty();
  }

  @Test
  void aLeasedRunCommitsOnlyWhileItsLeaseHoldsForTwiceTheIdleLimit() {
    RunFence fence = new RunFence("r1");
    Lease lease = new Lease(Duration.ofSeconds(30));
    fence.hold(lease);
    assertThat(fence.idleLimit()).contains(Duration.ofMillis(7_500));
    lease.remaining = Duration.ofSeconds(20); // the renewal every 10 s keeps it above 20 s
    fence.check();
    lease.remaining = Duration.ofSeconds(15);
    fence.check();
    lease.remaining = Duration.ofMillis(14_999);
    assertThatThrownBy(fence::check)
        .isInstanceOf(FerryException.class)
        .satisfies(
            e -> assertThat(((FerryException) e).code()).isEqualTo(CheckpointStore.CLAIM_LOST))
        .hasMessageContaining("run r1 did not commit");
  }

  @Test
  void theIdleLimitIsAtLeastASecond() {
    RunFence fence = new RunFence("r1");
    fence.hold(new Lease(Duration.ofSeconds(3)));
    assertThat(fence.idleLimit()).contains(Duration.ofSeconds(1));
  }

  @Test
  void aClaimWithoutALeaseIsFencedByHeldAlone() {
    RunFence fence = new RunFence("r1");
    boolean[] held = {true};
    fence.hold(
        new CheckpointStore.Claim() {
          @Override
          public boolean held() {
            return held[0];
          }

          @Override
          public void close() {}
        });
    assertThat(fence.idleLimit()).isEmpty();
    fence.check();
    held[0] = false;
    assertThatThrownBy(fence::check).isInstanceOf(FerryException.class);
  }
}
