package io.ferry.cli;

import io.ferry.engine.Progress;
import io.ferry.engine.RunResult;
import io.ferry.spi.FerryException;
import java.io.PrintWriter;
import java.util.Locale;

/** The block printed on stderr when a run ended: how it ended, the counts, the speed. */
final class RunSummary {
  private RunSummary() {}

  static void print(PrintWriter err, String runKey, RunResult result) {
    Progress p = result.progress();
    err.println("Run " + runKey + " " + result.state() + " in " + Units.duration(p.elapsed()));
    if (result.failure() != null) {
      err.println("  " + row("Failure", failure(result.failure())));
    }
    err.println("  " + row("Records read", Units.count(p.recordsRead())));
    err.println("  " + row("Records written", Units.count(p.recordsWritten())));
    err.println("  " + row("Filtered", Units.count(p.filteredRecords())));
    String dirty = Units.count(p.dirtyRecords());
    if (result.dirtyDataFile() != null) {
      dirty += "  in " + result.dirtyDataFile().toAbsolutePath();
    }
    err.println("  " + row("Dirty", dirty));
    err.println("  " + row("Bytes", Units.megabytes(p.bytesWritten())));
    err.println(
        "  "
            + row(
                "Average speed",
                Units.rowRate(p.averageRecordsPerSecond())
                    + ", "
                    + Units.byteRate(p.averageBytesPerSecond())));
    err.println(
        "  "
            + row(
                "Wait for reader",
                Units.duration(p.waitForReader()) + "  (writers idle: the source is slower)"));
    err.println(
        "  "
            + row(
                "Wait for writer",
                Units.duration(p.waitForWriter()) + "  (readers blocked: the sink is slower)"));
    if (result.state() == io.ferry.engine.RunState.PAUSED) {
      err.println("Resume with: ferry resume " + runKey);
    }
    err.flush();
  }

  /** {@code error-limit.exceeded (user): dirty rows exceed ...} on one line. */
  static String failure(FerryException e) {
    return e.code()
        + " ("
        + e.category().name().toLowerCase(Locale.ROOT)
        + (e.retriable() ? ", retriable" : "")
        + "): "
        + e.getMessage().replace("\r", "").replace("\n", "; ");
  }

  private static String row(String label, String value) {
    return String.format(Locale.ROOT, "%-16s %s", label, value);
  }
}
