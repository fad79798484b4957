package io.ferry.cli;

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
      ExitCode.STOPPED + ":stopped by Ctrl-C or SIGTERM"
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
          "Where runs keep dirty-data files and scratch space. Default: $FERRY_STATE_DIR, else"
              + " $FERRY_HOME/state in an installation, else ./.ferry.")
  Path stateDirectory;

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    PrintWriter err = spec.commandLine().getErr();
    JobRun run;
    try {
      JobSpec jobSpec = job.load();
      if (channels != null) {
        jobSpec = jobSpec.withSetting("channels", channels);
      }
      run = FerryHome.current().engine(stateDirectory).start(jobSpec);
    } catch (JobSpecException e) {
      ProblemLines.print(err, e);
      return ExitCode.INVALID;
    } catch (FerryException e) {
      err.println("ferry: cannot start " + job.file + ": " + RunSummary.failure(e));
      return ExitCode.FAILED;
    }
    ProgressDisplay display = ProgressDisplay.create(err, ProgressDisplay.isTerminal());
    run.addListener(display);
    try (RunInterruption interruption = RunInterruption.install(run, RunInterruption.STOP, err)) {
      RunResult result = run.await();
      display.finish();
      RunSummary.print(err, run.runKey(), result);
      int code = ExitCode.of(result);
      interruption.ended(code);
      return code;
    }
  }
}
