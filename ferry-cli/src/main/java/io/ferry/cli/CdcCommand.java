package io.ferry.cli;

import io.ferry.engine.JobSpecException;
import io.ferry.spi.ChangeSource.Retained;
import io.ferry.spi.FerryException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry cdc ...}: what a change-capture job keeps on its source outside its runs. */
@Command(
    name = "cdc",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = "Change-capture housekeeping (docs/cdc.md).",
    subcommands = {CdcCommand.DropSlot.class})
final class CdcCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a cdc command");
  }

  /**
   * {@code ferry cdc drop-slot JOB}: drops the PostgreSQL replication slot of a {@code kind: cdc}
   * job that will not run again (a slot holds WAL on the server until it is dropped), and with
   * {@code --publication} the publication Ferry created.
   */
  @Command(
      name = "drop-slot",
      mixinStandardHelpOptions = true,
      versionProvider = FerryVersion.class,
      description = {
        "Drops the replication slot of a kind: cdc job's PostgreSQL source, for a job that will"
            + " not run again: the slot keeps WAL on the server until it is dropped.",
        "A slot in use by a running job is kept. A resume after the drop cannot continue: the job"
            + " has to start again with a snapshot."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        ExitCode.SUCCEEDED + ":dropped, or not there (each line says which)",
        ExitCode.FAILED
            + ":kept (in use by a reader), or the server could not be reached or refused",
        ExitCode.INVALID + ":the job file is wrong or not a kind: cdc job"
      })
  static final class DropSlot implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin JobArguments job;

    @Mixin LoggingOptions logging;

    @Option(
        names = "--publication",
        description =
            "Also drop the job's publication, when Ferry created it (one created by someone else"
                + " is kept).")
    boolean publication;

    @Override
    public Integer call() {
      logging.apply();
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Retained> found;
      try {
        found = FerryHome.current().engine(null).dropRetained(job.load(), publication);
      } catch (JobSpecException e) {
        ProblemLines.print(err, e);
        return ExitCode.INVALID;
      } catch (FerryException e) {
        err.println("ferry: cannot drop the slot of " + job.file + ": " + RunSummary.failure(e));
        return ExitCode.FAILED;
      }
      if (found.isEmpty()) {
        out.println("Nothing to drop: the source of " + job.file + " keeps nothing on its server.");
        out.flush();
        return ExitCode.SUCCEEDED;
      }
      boolean kept = false;
      for (Retained r : found) {
        switch (r.outcome()) {
          case DROPPED -> out.println("Dropped the " + r.what() + ".");
          case ABSENT -> out.println("No " + r.what() + ": " + r.detail() + ".");
          case KEPT -> {
            kept = true;
            err.println("Kept the " + r.what() + ": " + r.detail() + ".");
          }
        }
      }
      out.flush();
      err.flush();
      return kept ? ExitCode.FAILED : ExitCode.SUCCEEDED;
    }
  }
}
