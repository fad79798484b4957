package io.ferry.cli;

import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpecException;
import io.ferry.spi.ErrorCategory;
import io.ferry.spi.FerryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry resume RUN_KEY}: continues a paused or interrupted run from its checkpoint. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = {
      "Continues a paused run, or one whose process was killed, from its last checkpoint.",
      "The job file is read again with the run's parameters; it must still name the same source,"
          + " sink, mapping and transforms. Exit codes as for run."
    })
final class ResumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LoggingOptions logging;

  @Parameters(
      index = "0",
      paramLabel = "RUN_KEY",
      description = "The run to continue (see ferry runs).")
  String runKey;

  @Option(
      names = "--channels",
      paramLabel = "N",
      description = "Parallel channels for the rest of the run; overrides the run's setting.")
  Integer channels;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "The state directory the run was started with (see ferry run --help).")
  Path stateDirectory;

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> overrides = new HashMap<>();
    if (channels != null) {
      overrides.put("channels", channels);
    }
    JobRun run;
    Engine engine;
    try {
      engine = FerryHome.current().engine(stateDirectory);
      run = engine.resume(runKey, overrides);
    } catch (JobSpecException e) {
      ProblemLines.print(err, e);
      return ExitCode.INVALID;
    } catch (FerryException e) {
      err.println("ferry: cannot resume " + runKey + ": " + e.getMessage());
      return e.category() == ErrorCategory.USER ? ExitCode.INVALID : ExitCode.FAILED;
    }
    err.println("Resuming run " + runKey);
    return RunCommand.follow(run, err);
  }
}
