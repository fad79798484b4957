package io.ferry.cli;

import io.ferry.engine.Progress;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunResult;
import io.ferry.spi.FerryException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The block printed on stderr when a run ended: how it ended, the counts, the speed. The counts are
 * the run's, over all its attempts: a resumed run reports what it did since it first started.
 */
final class RunSummary {
  private RunSummary() {}

  static void print(PrintWriter err, String runKey, RunResult result) {
    Progress p = result.progress();
    RowCounts counts = p.counts();
    // A resumed run's time is the active time of all its attempts; the wall time adds the pauses.
    Duration wall = Duration.between(p.startedAt(), Instant.now());
    String time = Units.duration(p.elapsed());
    if (wall.minus(p.elapsed()).compareTo(Duration.ofSeconds(1)) > 0) {
      time += " of running (" + Units.duration(wall) + " since it started, pauses included)";
    }
    err.println("Run " + runKey + " " + result.state() + " in " + time);
    if (result.failure() != null) {
      err.println("  " + row("Failure", failure(result.failure())));
    }
    err.println("  " + row("Records read", Units.count(counts.read())));
    err.println("  " + row("Records written", Units.count(counts.written())));
    err.println("  " + row("Filtered", Units.count(counts.filtered())));
    String dirty = Units.count(counts.dirty()) + kinds(counts);
    if (result.dirtyDataFile() != null) {
      dirty += "  in " + result.dirtyDataFile().toAbsolutePath();
    }
    err.println("  " + row("Dirty", dirty));
    err.println(
        "  "
            + row(
                "Bytes",
                Units.megabytes(counts.bytesRead())
                    + " read, "
                    + Units.megabytes(counts.bytesWritten())
                    + " written"));
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

  /** {@code (2 not read, 1 not converted, 3 rejected by the sink)}, only the kinds there are. */
  private static String kinds(RowCounts counts) {
    List<String> kinds = new ArrayList<>();
    if (counts.dirtyOnRead() > 0) {
      kinds.add(Units.count(counts.dirtyOnRead()) + " not read");
    }
    if (counts.dirtyOnConvert() > 0) {
      kinds.add(Units.count(counts.dirtyOnConvert()) + " not converted");
    }
    if (counts.dirtyOnWrite() > 0) {
      kinds.add(Units.count(counts.dirtyOnWrite()) + " rejected by the sink");
    }
    return kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")";
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

  static String row(String label, String value) {
    return String.format(Locale.ROOT, "%-16s %s", label, value);
  }
}
