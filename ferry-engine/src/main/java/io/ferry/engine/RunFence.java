package io.ferry.engine;

import io.ferry.spi.FerryException;
import io.ferry.spi.WriteFence;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@link WriteFence} of one run's connectors, over the run's claim once the run holds it. With
 * a lease, a transaction may stay idle in the target for a quarter of the lease, and a commit
 * passes only while the lease holds for at least half of it more: a process frozen right after its
 * check has its transaction aborted by the target before the lease can have run out. A renewal
 * comes every third of the lease, so a healthy holder always passes.
 */
final class RunFence implements WriteFence {
  private static final Duration SHORTEST_IDLE_LIMIT = Duration.ofSeconds(1);

  private final String runKey;
  private volatile CheckpointStore.Claim claim;

  RunFence(String runKey) {
    this.runKey = runKey;
  }

  /** The run holds {@code claim} from now on. */
  void hold(CheckpointStore.Claim claim) {
    this.claim = claim;
  }

  @Override
  public void check() {
    CheckpointStore.Claim held = claim;
    if (held == null) {
      return;
    }
    boolean may = idleLimit().map(limit -> held.heldFor(limit.multipliedBy(2))).orElse(held.held());
    if (!may) {
      throw new FerryException(
          CheckpointStore.CLAIM_LOST,
          "run "
              + runKey
              + " did not commit: this process no longer holds the run for long enough (its"
              + " lease ran out or is about to; another process may continue it from the"
              + " checkpoint)");
    }
  }

  @Override
  public Optional<Duration> idleLimit() {
    CheckpointStore.Claim held = claim;
    if (held == null) {
      return Optional.empty();
    }
    return held.lease()
        .map(lease -> lease.dividedBy(4))
        .map(limit -> limit.compareTo(SHORTEST_IDLE_LIMIT) < 0 ? SHORTEST_IDLE_LIMIT : limit);
  }
}
