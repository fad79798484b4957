package io.ferry.cli;

import io.ferry.engine.Engine;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecException;
import io.ferry.engine.Settings;
import io.ferry.engine.verify.Difference;
import io.ferry.engine.verify.VerifyMode;
import io.ferry.engine.verify.VerifyOptions;
import io.ferry.engine.verify.VerifyResult;
import io.ferry.spi.FerryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry verify JOB}: whether a copy job's target holds its source's rows, and repair. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = {
      "Compares a job's target with its source: row counts, then every row by key, values"
          + " compared after the job's mapping and type conversion.",
      "Key ranges whose checksums both databases compute alike are compared inside them; only"
          + " ranges that differ are read. Missing, extra and different rows are printed (the"
          + " first --sample) and all written to the report file (JSON Lines).",
      "With --repair, missing and different rows are written by key and, with --yes, extra rows"
          + " deleted; then the target is verified again. See docs/verify.md."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.SUCCEEDED + ":the target equals the source (after --repair: now equals it)",
      ExitCode.FAILED + ":the verification failed; the reason is printed",
      ExitCode.INVALID + ":bad job file or command line; nothing was compared",
      ExitCode.DIFFERS + ":the target differs from the source (after --repair: still differs)"
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobArguments job;

  @Mixin LoggingOptions logging;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "count: row counts only; content (default): counts and every row.")
  String mode = "content";

  @Option(
      names = "--no-pushdown",
      description =
          "Read and merge every row even when both databases can compare key ranges by checksum.")
  boolean noPushdown;

  @Option(
      names = "--repair",
      description =
          "Write missing and different rows into the target by key (upsert), then verify again."
              + " Extra rows are deleted only with --yes.")
  boolean repair;

  @Option(names = "--yes", description = "With --repair: also delete the target's extra rows.")
  boolean yes;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "The JSON Lines file every difference goes to. Default:"
              + " <state dir>/verify/<job>-<time>.jsonl.")
  Path report;

  @Option(
      names = "--sample",
      paramLabel = "N",
      description = "Differences printed at most (default 20); the report has all.")
  int sample = 20;

  @Option(
      names = "--channels",
      paramLabel = "N",
      description = "Key ranges compared at once; default settings.channels of the job.")
  Integer channels;

  @Option(
      names = "--recheck-delay",
      paramLabel = "DURATION",
      description =
          "Rows found different are compared again after this long (e.g. 2s, 500ms) and reported"
              + " only when they still differ: rows that were changing are not. 0 compares once."
              + " Default 2s.")
  String recheckDelay;

  private static final io.ferry.spi.Option<Duration> RECHECK =
      io.ferry.spi.Option.duration("--recheck-delay")
          .description("the wait before differences are compared again")
          .build();

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "The state directory (see ferry run); the default report goes under it.")
  Path stateDirectory;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VerifyResult result;
    Duration recheck = VerifyOptions.RECHECK_DELAY;
    try {
      VerifyMode m;
      try {
        m = VerifyMode.parse(mode);
        if (m == VerifyMode.OFF) {
          throw new IllegalArgumentException("--mode off verifies nothing; use count or content");
        }
        if (repair && m != VerifyMode.CONTENT) {
          throw new IllegalArgumentException("--repair needs --mode content");
        }
        if (yes && !repair) {
          throw new IllegalArgumentException("--yes only goes with --repair");
        }
        if (recheckDelay != null) {
          try {
            recheck = recheckDelay.trim().equals("0") ? Duration.ZERO : RECHECK.parse(recheckDelay);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--recheck-delay: " + e.getMessage(), e);
          }
        }
      } catch (IllegalArgumentException e) {
        err.println("ferry verify: " + e.getMessage());
        return ExitCode.INVALID;
      }
      JobSpec jobSpec = job.load();
      FerryHome home = FerryHome.current();
      Path file = report;
      if (file == null && m == VerifyMode.CONTENT) {
        file = Engine.defaultReport(home.stateDirectory(stateDirectory), jobSpec.name());
      }
      int parallelism =
          channels != null
              ? channels
              : Settings.CHANNELS.parse(
                  jobSpec.settings().getOrDefault("channels", Settings.CHANNELS.defaultValue()));
      // A content comparison records the key ranges it completed: killed, it continues there.
      Path checkpoint =
          m == VerifyMode.CONTENT && !repair
              ? home.stateDirectory(stateDirectory)
                  .resolve("verify")
                  .resolve(jobSpec.name().replaceAll("[^A-Za-z0-9_.-]", "_") + ".checkpoint.json")
              : null;
      VerifyOptions options =
          new VerifyOptions(
                  m, !noPushdown, repair, yes, sample, file, Math.max(1, parallelism), true)
              .withRecheck(
                  recheck,
                  rows ->
                      err.printf(
                              "%d rows differ; comparing them again in %s to leave out rows that"
                                  + " were changing%n",
                              rows, recheckDelay == null ? "2s" : recheckDelay)
                          .flush())
              .withCheckpoint(checkpoint);
      result = home.engine(stateDirectory).verify(jobSpec, options);
    } catch (JobSpecException e) {
      ProblemLines.print(err, e);
      return ExitCode.INVALID;
    } catch (FerryException e) {
      err.println("ferry: cannot verify " + job.file + ": " + RunSummary.failure(e));
      return ExitCode.FAILED;
    }
    print(out, result);
    VerifyResult last = result.repair() != null ? result.repair().after() : result;
    return last.equal() ? ExitCode.SUCCEEDED : ExitCode.DIFFERS;
  }

  /** The result as lines for people; {@link VerifyResult} has the same for programs. */
  static void print(PrintWriter out, VerifyResult r) {
    out.println(
        (r.equal() ? "EQUAL" : "DIFFERS")
            + " ("
            + r.mode().text()
            + ", "
            + r.method()
            + "): source "
            + r.sourceRows()
            + " rows, target "
            + r.targetRows()
            + " rows");
    if (r.mode() == VerifyMode.CONTENT && r.keyed()) {
      out.println(
          "  missing "
              + r.missing()
              + ", extra "
              + r.extra()
              + ", different "
              + r.different()
              + "; key ranges "
              + r.ranges()
              + ", read row by row "
              + r.rangesRead()
              + " ("
              + r.rowsRead()
              + " rows)");
    }
    for (Difference d : r.sample()) {
      out.println("  " + d);
    }
    long total = r.missing() + r.extra() + r.different();
    if (total > r.sample().size()) {
      out.println("  ... " + (total - r.sample().size()) + " more");
    }
    if (total > 0 && r.report() != null) {
      out.println("  every difference: " + r.report());
    }
    for (String note : r.notes()) {
      out.println("  note: " + note);
    }
    if (r.repair() != null) {
      VerifyResult.Repair repair = r.repair();
      out.println(
          "REPAIRED: "
              + repair.written()
              + " rows written, "
              + repair.deleted()
              + " extra rows deleted"
              + (repair.extraKept() > 0
                  ? ", " + repair.extraKept() + " extra rows kept (delete them with --yes)"
                  : ""));
      out.print("after repair: ");
      print(out, repair.after());
    }
  }
}
