package io.ferry.cli;

import io.ferry.engine.JobRun;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What Ctrl-C (SIGINT) and SIGTERM do to a running job: the first pauses it — readers stop, writers
 * flush, the checkpoint is written, and the summary tells how to resume; a second one aborts at
 * once (exit 130), leaving the run interrupted but resumable from its last checkpoint.
 *
 * <p>Signal handlers rather than a shutdown hook: a hook runs only once the JVM is already exiting,
 * where a second Ctrl-C can no longer be told apart.
 */
final class RunInterruption implements AutoCloseable {
  /** The exit status of a process ended by a second interrupt, as shells report SIGINT. */
  static final int ABORTED = 130;

  private static final String[] SIGNALS = {"INT", "TERM"};

  private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];

  private RunInterruption(JobRun run, PrintWriter err) {
    AtomicInteger count = new AtomicInteger();
    SignalHandler handler =
        signal -> {
          if (count.incrementAndGet() == 1) {
            err.println();
            err.println(
                run.pausable()
                    ? "ferry: pausing run "
                        + run.runKey()
                        + " (flushing, writing the checkpoint); interrupt again to abort"
                    : "ferry: stopping run "
                        + run.runKey()
                        + " (its sink cannot continue a run later); interrupt again to abort");
            err.flush();
            run.pause();
          } else {
            err.println();
            err.println(
                "ferry: aborted; resume from the last checkpoint: ferry resume " + run.runKey());
            err.flush();
            Runtime.getRuntime().halt(ABORTED);
          }
        };
    for (int i = 0; i < SIGNALS.length; i++) {
      previous[i] = Signal.handle(new Signal(SIGNALS[i]), handler);
    }
  }

  /** Installs the handlers for {@code run}; close when the run ended. */
  static RunInterruption install(JobRun run, PrintWriter err) {
    return new RunInterruption(run, err);
  }

  @Override
  public void close() {
    for (int i = 0; i < SIGNALS.length; i++) {
      Signal.handle(new Signal(SIGNALS[i]), previous[i]);
    }
  }
}
