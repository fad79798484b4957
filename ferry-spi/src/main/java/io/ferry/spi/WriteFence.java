package io.ferry.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Keeps a process that lost its run from committing to the target after another process took the
 * run over. A server cluster lets a node continue a run whose holder stopped renewing its claim (it
 * died, was frozen or was cut off from the metadata database); the holder may wake up with a batch
 * in flight. The engine checks the claim before it hands a batch to a writer, which leaves the time
 * the writer spends on the batch: so a sink that commits transactions calls {@link #check()}
 * immediately before each commit, and, where the target can, has it abort a transaction of its
 * session that stays idle for {@link #idleLimit()} — the gap between the check and the commit.
 * {@code check()} passes only while the claim holds for at least twice that limit, so a process
 * frozen right after it has its transaction aborted by the target before anyone can take the run.
 */
public interface WriteFence {
  /** No other process can take the run over (the command line): nothing to check. */
  WriteFence NONE =
      new WriteFence() {
        @Override
        public void check() {}

        @Override
        public Optional<Duration> idleLimit() {
          return Optional.empty();
        }
      };

  /**
   * Returns when this process may commit now.
   *
   * @throws FerryException a retriable error ({@code run.claim-lost}) when it may not: roll back
   *     and stop writing
   */
  void check();

  /**
   * The longest a transaction of this run may stay idle in the target before the target should
   * abort it (PostgreSQL's {@code idle_in_transaction_session_timeout}, MariaDB's {@code
   * idle_transaction_timeout}); empty when no other process can take the run over. Known once the
   * run holds its claim, i.e. when writers connect.
   */
  Optional<Duration> idleLimit();
}
