package io.ferry.cli;

import io.ferry.engine.RunRecord;
import io.ferry.engine.RunState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry runs}: the runs of a state directory, newest first, with how to resume them. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = "Lists runs with their state, progress and, for paused ones, the resume command.",
    subcommands = CursorCommand.class)
final class RunsCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "The state directory to list (see ferry run --help).")
  Path stateDirectory;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<RunRecord> runs = FerryHome.current().engine(stateDirectory).runs();
    if (runs.isEmpty()) {
      out.println("No runs.");
      out.flush();
      return ExitCode.SUCCEEDED;
    }
    String format = "%-48s %-10s %-19s %14s %9s  %s%n";
    out.printf(Locale.ROOT, format, "RUN", "STATE", "UPDATED", "WRITTEN", "SPLITS", "NEXT");
    for (RunRecord run : runs) {
      out.printf(
          Locale.ROOT,
          format,
          run.runKey(),
          run.state(),
          TIME.format(run.updatedAt()),
          Units.count(run.recordsWritten()),
          run.splitsDone() + "/" + run.splitsTotal(),
          run.state() == RunState.PAUSED
              ? run.resumeCommand() + (run.message() == null ? "" : "  (" + run.message() + ")")
              : run.message() == null ? "" : run.message());
    }
    out.flush();
    return ExitCode.SUCCEEDED;
  }
}
