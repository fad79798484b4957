package io.ferry.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The {@code ferry} command line: runs and validates job files, lists connectors. Data goes to
 * stdout (the console sink), everything else — progress, summary, problems, logs — to stderr.
 *
 * <p>The subcommands are added by {@link #commandLine}, not listed in the annotation, so that
 * {@link #main} can build only the one it runs ({@link #forArguments}): picocli builds each
 * command's model by reflection (its own classes, compiled for Java 5, are never in the class-data
 * archive), and the ten commands a {@code ferry run} does not use cost about 0.1 CPU-s of every
 * start (bench/README.md).
 */
@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = "Moves data between stores, fast and without losing a row.")
public final class Ferry implements Runnable {
  /** The subcommands by name, in the order the usage lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("run", RunCommand::new);
    COMMANDS.put("resume", ResumeCommand::new);
    COMMANDS.put("runs", RunsCommand::new);
    COMMANDS.put("validate", ValidateCommand::new);
    COMMANDS.put("convert", ConvertCommand::new);
    COMMANDS.put("verify", VerifyCommand::new);
    COMMANDS.put("connectors", ConnectorsCommand::new);
    COMMANDS.put("cdc", CdcCommand::new);
    COMMANDS.put("server", ServerCommand::new);
    COMMANDS.put("version", VersionCommand::new);
    COMMANDS.put("help", HelpCommand::new);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: the usage, and the usage exit code. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  /**
   * The command line with every subcommand and Ferry's exception handling: an unexpected error
   * exits 1.
   */
  public static CommandLine commandLine() {
    return build(COMMANDS.keySet());
  }

  /**
   * The command line for {@code args}: when the first argument names a subcommand other than {@code
   * help}, only that one is built (it parses, validates and prints its usage exactly as in {@link
   * #commandLine()}); anything else — no argument, an option, an unknown name, {@code help} — gets
   * every subcommand, so usage and error messages list them all.
   */
  static CommandLine forArguments(String[] args) {
    if (args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
      return build(List.of(args[0]));
    }
    return commandLine();
  }

  private static CommandLine build(Iterable<String> names) {
    CommandLine cli = new CommandLine(new Ferry());
    for (String name : names) {
      cli.addSubcommand(name, COMMANDS.get(name).get());
    }
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("ferry: internal error: " + e);
          e.printStackTrace(commandLine.getErr());
          return ExitCode.FAILED;
        });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(forArguments(args).execute(args));
  }
}
