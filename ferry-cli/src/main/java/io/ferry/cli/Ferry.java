package io.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The {@code ferry} command line: runs and validates job files, lists connectors. Data goes to
 * stdout (the console sink), everything else — progress, summary, problems, logs — to stderr.
 */
@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = "Moves data between stores, fast and without losing a row.",
    subcommands = {
      RunCommand.class,
      ResumeCommand.class,
      RunsCommand.class,
      ValidateCommand.class,
      ConvertCommand.class,
      VerifyCommand.class,
      ConnectorsCommand.class,
      CdcCommand.class,
      ServerCommand.class,
      VersionCommand.class,
      HelpCommand.class
    })
public final class Ferry implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: the usage, and the usage exit code. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  /** The command line with Ferry's exception handling: an unexpected error exits 1. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Ferry());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("ferry: internal error: " + e);
          e.printStackTrace(commandLine.getErr());
          return ExitCode.FAILED;
        });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
