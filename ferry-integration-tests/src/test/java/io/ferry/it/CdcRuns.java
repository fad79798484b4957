package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.ChangeProgress;
import io.ferry.engine.JobRun;
import io.ferry.engine.MiningRun;
import io.ferry.engine.RunState;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for and ending the cdc and mining runs of the change-capture tests. */
final class CdcRuns {
  private CdcRuns() {}

  /** {@link #await(BooleanSupplier, String, Duration)} for 90 s. */
  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    await(condition, what, Duration.ofSeconds(90));
  }

  /** Polls {@code condition} every 100 ms; fails naming {@code what} after {@code timeout}. */
  static void await(BooleanSupplier condition, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Whether a cdc run passed its snapshot and streams changes. */
  static boolean streaming(JobRun run) {
    ChangeProgress c = run.progress().changes();
    return c != null && c.phase() == ChangeProgress.Phase.STREAMING;
  }

  /** Pauses a run that has not ended, and waits for it. */
  static void end(JobRun run) throws InterruptedException {
    if (!run.state().isFinal() && run.state() != RunState.PAUSED) {
      run.pause();
    }
    run.await();
  }

  /** Stops a mining run and waits (30 s at most) for it. */
  static void end(MiningRun mining) throws InterruptedException {
    mining.stop();
    assertThat(mining.await(Duration.ofSeconds(30))).isTrue();
  }
}
