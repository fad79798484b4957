package io.ferry.cli;

import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecException;
import io.ferry.engine.MiningRun;
import io.ferry.spi.ChangeSource.Retained;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
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
    subcommands = {CdcCommand.DropSlot.class, CdcCommand.Mine.class})
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

  /**
   * {@code ferry cdc mine JOB}: the mining run of a {@code kind: cdc} job's source with {@code
   * cdc.sharedMining: true}, in the foreground: one reader of the source's log appending to the
   * job's {@code cdc.miningLog}, for the tables the jobs reading that log ask for. Ctrl-C or
   * SIGTERM appends what was read and ends it; a kill loses nothing either (the log holds its
   * position).
   */
  @Command(
      name = "mine",
      mixinStandardHelpOptions = true,
      versionProvider = FerryVersion.class,
      description = {
        "Runs the shared mining run of a kind: cdc job's source (cdc.sharedMining: true): reads"
            + " the source's change log once and appends the events of the tables every job"
            + " reading the job's cdc.miningLog asks for (docs/shared-mining.md).",
        "Runs until interrupted: Ctrl-C or SIGTERM appends what was read and ends the run. Start"
            + " it once per source; the jobs (ferry run) wait for it."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        ExitCode.SUCCEEDED + ":stopped by an interrupt after appending what it read",
        ExitCode.FAILED + ":failed (a failure a retry may fix is retried while it runs)",
        ExitCode.INVALID + ":the job file is wrong or does not read a mining log"
      })
  static final class Mine implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin JobArguments job;

    @Mixin LoggingOptions logging;

    @Option(
        names = "--retention-hours",
        paramLabel = "HOURS",
        description = "How long events stay in the mining log (default: 72).")
    Integer retentionHours;

    @Option(
        names = "--write-threads",
        paramLabel = "N",
        description =
            "Threads that encode the events appended, 1 to 16 (default: 1, the run's own thread).")
    int writeThreads = 1;

    @Option(
        names = "--fill-updates",
        description =
            "Look up the source's row of an update that lacks column values (binlog_row_image"
                + " MINIMAL or NOBLOB, unchanged TOAST) and append it complete.")
    boolean fillUpdates;

    @Option(
        names = "--status-every",
        paramLabel = "SECONDS",
        description = "Print the run's figures every SECONDS seconds (default: 10; 0: never).")
    int statusEvery = 10;

    @Override
    public Integer call() throws InterruptedException {
      logging.apply();
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (retentionHours != null && retentionHours <= 0) {
        err.println("ferry: --retention-hours must be a positive number of hours");
        return ExitCode.INVALID;
      }
      if (writeThreads < 1 || writeThreads > MiningRun.Spec.MAX_WRITE_THREADS) {
        err.println(
            "ferry: --write-threads must be from 1 to "
                + MiningRun.Spec.MAX_WRITE_THREADS
                + ", got "
                + writeThreads);
        return ExitCode.INVALID;
      }
      MiningRun run;
      try {
        JobSpec loaded = job.load();
        MiningRun.Spec mining;
        try {
          mining =
              MiningRun.forJob(
                      loaded,
                      loaded.name() + "-mining",
                      retentionHours == null ? null : Duration.ofHours(retentionHours))
                  .withWriting(writeThreads, fillUpdates);
        } catch (IllegalArgumentException e) {
          err.println("ferry: " + job.file + ": " + e.getMessage());
          return ExitCode.INVALID;
        }
        FerryHome home = FerryHome.current();
        Path work = home.stateDirectory(null).resolve("mining").resolve(mining.name());
        run = MiningRun.start(home.connectors(), mining, LocalFiles.unrestricted(), work);
      } catch (JobSpecException e) {
        ProblemLines.print(err, e);
        return ExitCode.INVALID;
      } catch (FerryException e) {
        err.println("ferry: cannot mine for " + job.file + ": " + RunSummary.failure(e));
        return ExitCode.FAILED;
      }
      out.println("Mining for " + job.file + " as " + run.spec().name() + "; Ctrl-C ends it.");
      out.flush();
      MiningRun.Status end;
      try (RunInterruption interruption =
          RunInterruption.stopping(
              run::stop, "ferry: stopping the mining run (appending what it read)", err)) {
        long everyNanos = statusEvery <= 0 ? 0 : Duration.ofSeconds(statusEvery).toNanos();
        long next = System.nanoTime() + everyNanos;
        long eventsBefore = 0;
        while (!run.await(Duration.ofSeconds(1))) {
          if (everyNanos > 0 && System.nanoTime() - next >= 0) {
            MiningRun.Status s = run.status();
            out.println(status(s, (s.eventsAppended() - eventsBefore) / (double) statusEvery));
            out.flush();
            eventsBefore = s.eventsAppended();
            next += everyNanos;
          }
        }
        end = run.status();
      }
      if (end.state() == MiningRun.State.FAILED) {
        err.println("ferry: the mining run failed: " + RunSummary.failure(end.failure()));
        return ExitCode.FAILED;
      }
      out.println(status(end, 0) + " (stopped)");
      return ExitCode.SUCCEEDED;
    }

    private static String status(MiningRun.Status s, double perSecond) {
      return String.format(
          java.util.Locale.ROOT,
          "mining log #%d: %d events appended (%.0f/s), %d tables, lag %s%s",
          s.head(),
          s.eventsAppended(),
          perSecond,
          s.tables().size(),
          Units.duration(s.lag()),
          s.failure() == null ? "" : "; retrying: " + s.failure().getMessage());
    }
  }
}
