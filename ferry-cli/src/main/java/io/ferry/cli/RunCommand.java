package io.ferry.cli;

import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecException;
import io.ferry.engine.RunResult;
import io.ferry.spi.FerryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry run JOB}: one job, live progress on stderr, the outcome in the exit code. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = {
      "Runs a job and reports its progress and outcome.",
      "Progress and the final summary go to stderr; stdout carries only data (the console"
          + " sink)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.SUCCEEDED + ":succeeded, every row arrived",
      ExitCode.FAILED + ":the run failed; the reason is printed (code, category, message)",
      ExitCode.INVALID + ":bad job file or command line; nothing ran",
      ExitCode.DIRTY_ROWS
          + ":succeeded, but some rows went to the dirty-data file (within settings.errorLimit)",
      ExitCode.STOPPED + ":stopped; the run cannot be resumed",
      ExitCode.PAUSED
          + ":paused by Ctrl-C or SIGTERM, or by a fault a retry may fix (a lost connection);"
          + " continue with: ferry resume RUN_KEY",
      ExitCode.DIFFERS
          + ":succeeded, but the verification after the copy (settings.verify) found the target"
          + " different",
      RunInterruption.ABORTED + ":aborted by a second Ctrl-C; resumable from the last checkpoint"
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobArguments job;

  @Mixin LoggingOptions logging;

  @Option(
      names = "--channels",
      paramLabel = "N",
      description = "Parallel channels (reader + writer pairs); overrides settings.channels.")
  Integer channels;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where runs keep checkpoints, dirty-data files and scratch space. Default:"
              + " $FERRY_STATE_DIR, else"
              + " $FERRY_HOME/state in an installation, else ./.ferry.")
  Path stateDirectory;

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    PrintWriter err = spec.commandLine().getErr();
    JobRun run;
    JobSpec jobSpec;
    Engine engine;
    try {
      jobSpec = job.load();
      if (channels != null) {
        jobSpec = jobSpec.withSetting("channels", channels);
      }
      engine = FerryHome.current().engine(stateDirectory);
      run = engine.start(jobSpec);
    } catch (JobSpecException e) {
      ProblemLines.print(err, e);
      return ExitCode.INVALID;
    } catch (FerryException e) {
      err.println("ferry: cannot start " + job.file + ": " + RunSummary.failure(e));
      return ExitCode.FAILED;
    }
    return follow(run, err);
  }

  /**
   * Shows a started run's progress until it ends, pauses it on Ctrl-C, prints the summary and
   * returns the exit code. Shared by {@code run} and {@code resume}.
   */
  static int follow(JobRun run, PrintWriter err) throws InterruptedException {
    ProgressDisplay display = ProgressDisplay.create(err, ProgressDisplay.isTerminal());
    run.addListener(display);
    try (RunInterruption interruption = RunInterruption.install(run, err)) {
      RunResult result = run.await();
      display.finish();
      RunSummary.print(err, run.runKey(), result);
      run.incrementalRange()
          .ifPresent(
              range ->
                  err.println(
                      "  "
                          + RunSummary.row(
                              "Incremental",
                              range
                                  + (result.state() == io.ferry.engine.RunState.SUCCEEDED
                                      ? "; committed"
                                      : "; not committed: the next run reads it again"))));
      err.flush();
      return verification(result, ExitCode.of(result), err);
    }
  }

  /**
   * Prints the verification the job's {@code verify} setting asked for after a successful copy (the
   * run did it before it ended). A difference turns a clean success (0) into {@link
   * ExitCode#DIFFERS}; after dirty rows (3), which a count must miss, the code stays.
   */
  private static int verification(RunResult result, int code, PrintWriter err) {
    RunResult.Verification v = result.verification();
    if (v == null) {
      return code;
    }
    if (v.failure() != null) {
      err.println("Verification failed: " + RunSummary.failure(v.failure()));
      err.flush();
      return code == ExitCode.SUCCEEDED ? ExitCode.FAILED : code;
    }
    err.print("Verification: ");
    VerifyCommand.print(err, v.result());
    err.flush();
    return v.result().equal() || code != ExitCode.SUCCEEDED ? code : ExitCode.DIFFERS;
  }
}
