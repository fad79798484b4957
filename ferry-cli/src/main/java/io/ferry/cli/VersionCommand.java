package io.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ferry version}. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = "Prints Ferry's version and the Java version.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new FerryVersion().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return ExitCode.SUCCEEDED;
  }
}
