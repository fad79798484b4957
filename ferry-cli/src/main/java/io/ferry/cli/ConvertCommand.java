package io.ferry.cli;

import io.ferry.engine.JobSpecException;
import io.ferry.engine.JobSpecLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry convert JOB.json}: the Ferry job file a DataX job file stands for. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = {
      "Prints the Ferry job file (YAML) that a DataX job file (JSON) stands for.",
      "ferry run and ferry validate take the DataX file as it is; convert shows what they run."
          + " ${name} placeholders stay as they are (give them with --param name=value)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.SUCCEEDED + ":the job was converted; the YAML is on stdout",
      ExitCode.INVALID
          + ":not a DataX job, or a parameter without a translation; each is printed on a line"
          + " of its own"
    })
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "JOB", description = "The DataX job file (JSON).")
  Path file;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description =
          "Replaces $${NAME} in the output (DataX's -p \"-DNAME=VALUE\" works too); without it"
              + " $${NAME} stays for ferry run --param. Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Mixin LoggingOptions logging;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter err = spec.commandLine().getErr();
    try {
      String yaml = JobSpecLoader.convertDatax(file, JobArguments.dataxParams(params));
      PrintWriter out = spec.commandLine().getOut();
      out.print(yaml);
      out.flush();
      return ExitCode.SUCCEEDED;
    } catch (JobSpecException e) {
      ProblemLines.print(err, e);
      return ExitCode.INVALID;
    }
  }
}
