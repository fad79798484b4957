package io.ferry.cli;

import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecException;
import io.ferry.engine.RunResult;
import io.ferry.flink.FlinkCluster;
import io.ferry.flink.FlinkRun;
import io.ferry.flink.FlinkRunner;
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

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description =
          "local (the default) or flink: the job as an Apache Flink job, settings.channels"
              + " parallel tasks, on a Flink mini cluster in this process or, with"
              + " --flink-master, on a Flink session cluster (docs/flink.md).")
  String engineName = "local";

  @Option(
      names = "--flink-master",
      paramLabel = "HOST:PORT",
      description =
          "With --engine flink: submit the job to the Flink session cluster whose JobManager"
              + " serves its REST API here (such as jobmanager:8081), shipping Ferry's jars and"
              + " the job's connectors; Ctrl-C cancels the Flink job.")
  String flinkMaster;

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    PrintWriter err = spec.commandLine().getErr();
    if (!engineName.equals("local") && !engineName.equals("flink")) {
      err.println("ferry: --engine must be local or flink, not '" + engineName + "'");
      return ExitCode.INVALID;
    }
    if (engineName.equals("flink")) {
      return runOnFlink(err);
    }
    if (flinkMaster != null) {
      err.println("ferry: --flink-master needs --engine flink");
      return ExitCode.INVALID;
    }
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
   * {@code --engine flink}: the job on a Flink mini cluster, or on the session cluster of {@code
   * --flink-master}, followed as a local run is.
   */
  private int runOnFlink(PrintWriter err) throws InterruptedException {
    FlinkRun run;
    FerryHome home = FerryHome.current();
    FlinkCluster session = null;
    if (flinkMaster != null) {
      try {
        session = FlinkCluster.at(flinkMaster, "--flink-master", home.jobJars());
      } catch (FerryException e) {
        err.println("ferry: " + e.getMessage());
        return ExitCode.INVALID;
      }
    }
    try {
      JobSpec jobSpec = job.load();
      if (channels != null) {
        jobSpec = jobSpec.withSetting("channels", channels);
      }
      FlinkRunner runner = new FlinkRunner(home.engine(stateDirectory), home.connectorsDirectory());
      if (session != null) {
        runner.onSessionCluster(session);
      }
      run = runner.start(jobSpec);
    } catch (JobSpecException e) {
      ProblemLines.print(err, e);
      return ExitCode.INVALID;
    } catch (FerryException e) {
      err.println("ferry: cannot start " + job.file + " on Flink: " + RunSummary.failure(e));
      return ExitCode.FAILED;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      err.println("ferry: cannot start " + job.file + " on Flink: " + e);
      return ExitCode.FAILED;
    }
    ProgressDisplay display = ProgressDisplay.create(err, ProgressDisplay.isTerminal());
    run.addListener(p -> display.progress(null, p));
    // Ctrl-C or SIGTERM cancels the Flink job: the run ends STOPPED and the sink aborts.
    FlinkRun started = run;
    Thread hook =
        new Thread(
            () -> {
              if (!started.completion().isDone()) {
                started.stop();
                try {
                  started.completion().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                  // The process ends anyway.
                }
              }
            },
            "ferry-flink-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      RunResult result = run.await();
      display.finish();
      RunSummary.print(err, run.runKey(), result);
      return verification(result, ExitCode.of(result), err);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running.
      }
    }
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
