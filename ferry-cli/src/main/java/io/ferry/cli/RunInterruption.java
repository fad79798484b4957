package io.ferry.cli;

import io.ferry.engine.JobRun;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What Ctrl-C (SIGINT) and SIGTERM do to a running job, through a JVM shutdown hook: apply {@link
 * #action} to the run, wait until the run ended and its summary was printed, then end the process
 * with the run's exit code ({@link ExitCode#STOPPED} for a stopped run) rather than the signal's.
 *
 * <p>The hook halts the JVM itself because {@code System.exit} called while shutdown hooks run
 * blocks forever, and the JVM would otherwise exit with the signal's status.
 */
final class RunInterruption implements AutoCloseable {
  /**
   * Today a signal stops the run. When runs can pause and resume from a checkpoint, this becomes
   * {@code JobRun::pause}, and the summary tells how to resume.
   */
  static final Consumer<JobRun> STOP = JobRun::stop;

  private final Thread hook;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

  private RunInterruption(JobRun run, Consumer<JobRun> action, PrintWriter err) {
    this.hook =
        new Thread(
            () -> {
              err.println();
              err.println("ferry: interrupted; stopping run " + run.runKey() + "...");
              err.flush();
              action.accept(run);
              int code = exitCode.join();
              System.out.flush();
              err.flush();
              Runtime.getRuntime().halt(code);
            },
            "ferry-interrupt");
  }

  /** Installs the hook for {@code run}; close when the run ended. */
  static RunInterruption install(JobRun run, Consumer<JobRun> action, PrintWriter err) {
    RunInterruption interruption = new RunInterruption(run, action, err);
    Runtime.getRuntime().addShutdownHook(interruption.hook);
    return interruption;
  }

  /** The run ended and its summary is printed; a signal's hook may now end the process. */
  void ended(int code) {
    exitCode.complete(code);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // A signal arrived: the hook runs and ends the process with the code given to ended().
    }
  }
}
