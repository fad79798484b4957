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

  private RunInterruption(
      Runnable first, String firstMessage, String abortMessage, PrintWriter err) {
    AtomicInteger count = new AtomicInteger();
    SignalHandler handler =
        signal -> {
          err.println();
          if (count.incrementAndGet() == 1) {
            err.println(firstMessage);
            err.flush();
            first.run();
          } else {
            err.println(abortMessage);
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
    return new RunInterruption(
        run::pause,
        run.pausable()
            ? "ferry: pausing run "
                + run.runKey()
                + " (flushing, writing the checkpoint); interrupt again to abort"
            : "ferry: stopping run "
                + run.runKey()
                + " (its sink cannot continue a run later); interrupt again to abort",
        "ferry: aborted; resume from the last checkpoint: ferry resume " + run.runKey(),
        err);
  }

  /**
   * Installs the handlers for something that ends in good order when asked ({@code stop}), such as
   * a mining run; close when it ended.
   *
   * @param stopping what the first interrupt prints
   */
  static RunInterruption stopping(Runnable stop, String stopping, PrintWriter err) {
    return new RunInterruption(
        stop, stopping + "; interrupt again to abort", "ferry: aborted", err);
  }

  @Override
  public void close() {
    for (int i = 0; i < SIGNALS.length; i++) {
      Signal.handle(new Signal(SIGNALS[i]), previous[i]);
    }
  }
}
