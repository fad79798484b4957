package io.ferry.cli;

import io.ferry.engine.JobSpecException;
import io.ferry.spi.FerryException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry validate JOB}: every problem of a job file, without moving data. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = {
      "Checks a job file without moving data.",
      "The file, every option, transforms and mapping; then (unless --offline) the source and"
          + " the sink connect to check what only their stores know."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.SUCCEEDED + ":the job is valid",
      ExitCode.FAILED + ":the check itself failed (e.g. an unexpected connector error)",
      ExitCode.INVALID + ":the job has problems; each is printed on a line of its own"
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobArguments job;

  @Mixin LoggingOptions logging;

  @Option(
      names = "--offline",
      description = "Check the file and the options only; do not connect to the stores.")
  boolean offline;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter err = spec.commandLine().getErr();
    try {
      FerryHome.current().engine(null).validate(job.load(), !offline);
    } catch (JobSpecException e) {
      ProblemLines.print(err, e);
      return ExitCode.INVALID;
    } catch (FerryException e) {
      err.println("ferry: cannot validate " + job.file + ": " + RunSummary.failure(e));
      return ExitCode.FAILED;
    }
    spec.commandLine().getOut().println("OK: " + job.file);
    return ExitCode.SUCCEEDED;
  }
}
