package io.ferry.cli;

import io.ferry.engine.CursorState;
import io.ferry.engine.Engine;
import io.ferry.spi.FerryException;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry runs cursor [JOB] [--set VALUE --column COLUMN | --reset]}: the committed cursors of
 * incremental jobs (docs/incremental.md), shown, set by hand or reset.
 */
@Command(
    name = "cursor",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = {
      "Shows the committed cursor of incremental jobs (the value their next run reads past), or"
          + " sets or resets a job's.",
      "A job's cursor is kept under its name. After --reset its next run reads every row."
    })
final class CursorCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "JOB",
      description =
          "The job's name (its name: or its file name without extension); all jobs when"
              + " left out.")
  String job;

  @Option(
      names = "--set",
      paramLabel = "VALUE",
      description =
          "Sets the committed value: a number, a date (2024-05-01) or a date-time"
              + " (2024-05-01 08:30:00). The next run reads the rows past it, less the look-back.")
  String value;

  @Option(
      names = "--column",
      paramLabel = "COLUMN",
      description =
          "The cursor column the value of --set belongs to (the job's incremental.cursor);"
              + " default: the column of the current value.")
  String column;

  @Option(
      names = "--reset",
      description = "Forgets the committed value: the next run reads every row.")
  boolean reset;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "The state directory (see ferry run --help).")
  Path stateDirectory;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((value != null || reset || column != null) && job == null) {
      err.println("ferry runs cursor: name the job whose cursor to set or reset");
      err.flush();
      return ExitCode.INVALID;
    }
    if (value != null && reset) {
      err.println("ferry runs cursor: give --set or --reset, not both");
      err.flush();
      return ExitCode.INVALID;
    }
    if (column != null && value == null) {
      err.println("ferry runs cursor: --column goes with --set");
      err.flush();
      return ExitCode.INVALID;
    }
    Engine engine = FerryHome.current().engine(stateDirectory);
    try {
      if (reset) {
        boolean had = engine.resetCursor(job);
        out.println(
            had
                ? "Reset the cursor of " + job + ": its next run reads every row."
                : job + " has no committed cursor: its next run reads every row.");
        out.flush();
        return ExitCode.SUCCEEDED;
      }
      if (value != null) {
        String col = column;
        if (col == null) {
          col = engine.cursor(job).map(CursorState::column).orElse(null);
          if (col == null) {
            err.println(
                "ferry runs cursor: "
                    + job
                    + " has no committed cursor yet: name its column with --column");
            err.flush();
            return ExitCode.INVALID;
          }
        }
        CursorState set = engine.setCursor(job, col, value);
        out.println(
            "Set the cursor of "
                + job
                + ": "
                + set.column()
                + " = "
                + set.value()
                + "; its next run reads the rows past it.");
        out.flush();
        return ExitCode.SUCCEEDED;
      }
      List<CursorState> cursors =
          job == null ? engine.cursors() : engine.cursor(job).map(List::of).orElse(List.of());
      if (cursors.isEmpty()) {
        out.println(
            job == null
                ? "No committed cursors."
                : job + " has no committed cursor: its next run reads every row.");
        out.flush();
        return ExitCode.SUCCEEDED;
      }
      String format = "%-32s %-20s %-32s %-19s  %s%n";
      out.printf(Locale.ROOT, format, "JOB", "COLUMN", "VALUE", "UPDATED", "BY");
      for (CursorState c : cursors) {
        out.printf(
            Locale.ROOT,
            format,
            c.key(),
            c.column(),
            c.value(),
            c.updatedAt() == null ? "" : TIME.format(c.updatedAt()),
            c.runKey() == null ? "set by hand" : c.runKey());
      }
      out.flush();
      return ExitCode.SUCCEEDED;
    } catch (FerryException e) {
      err.println("ferry runs cursor: " + e.getMessage());
      err.flush();
      return ExitCode.INVALID;
    }
  }
}
