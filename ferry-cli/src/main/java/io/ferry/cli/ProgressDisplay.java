package io.ferry.cli;

import io.ferry.engine.JobRun;
import io.ferry.engine.Progress;
import io.ferry.engine.RunListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Shows a run's progress on stderr while it runs: on a terminal one line redrawn in place with a
 * bar, elsewhere (a log file, CI) a plain line every few seconds. Called on engine threads, hence
 * synchronized; {@link #finish()} is called once the run ended, before the summary.
 */
abstract class ProgressDisplay implements RunListener {
  static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
  private static final int BAR_WIDTH = 16;

  protected final PrintWriter err;

  private ProgressDisplay(PrintWriter err) {
    this.err = err;
  }

  /**
   * @param terminal whether stderr is shown on a terminal that understands carriage returns
   */
  static ProgressDisplay create(PrintWriter err, boolean terminal) {
    return terminal ? new Redrawn(err) : new Periodic(err, PLAIN_INTERVAL);
  }

  /** Whether this process talks to a terminal: a console, and TERM is not {@code dumb}. */
  static boolean isTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  /** Leaves the display so that the summary starts on a line of its own. */
  abstract void finish();

  /** {@code [######----------] 37.5% 3,750,000 rows 1,204,311 rows/s 91.9 MB/s ETA 0:05}. */
  static String line(Progress p, boolean bar) {
    if (p.changes() != null) {
      return changeLine(p);
    }
    StringBuilder out = new StringBuilder();
    OptionalDouble percent = p.percent();
    if (percent.isPresent()) {
      if (bar) {
        int filled = (int) Math.round(percent.getAsDouble() / 100 * BAR_WIDTH);
        out.append('[')
            .append("#".repeat(filled))
            .append("-".repeat(BAR_WIDTH - filled))
            .append("]  ");
      }
      out.append(String.format(Locale.ROOT, "%5.1f%%  ", percent.getAsDouble()));
    }
    out.append(Units.count(p.recordsWritten()))
        .append(" rows  ")
        .append(Units.rowRate(p.recordsPerSecond()))
        .append("  ")
        .append(Units.byteRate(p.bytesPerSecond()));
    if (p.dirtyRecords() > 0) {
      out.append("  ").append(Units.count(p.dirtyRecords())).append(" dirty");
    }
    p.eta().ifPresent(eta -> out.append("  ETA ").append(Units.clock(eta)));
    return out.toString();
  }

  /**
   * A cdc run: {@code snapshot 1/3 tables 120,000 rows} while copying, then {@code streaming +1,204
   * ~310 -12 lag 0.4 s at binlog.000042:1234}.
   */
  static String changeLine(Progress p) {
    io.ferry.engine.ChangeProgress c = p.changes();
    StringBuilder out = new StringBuilder();
    if (c.phase() == io.ferry.engine.ChangeProgress.Phase.SNAPSHOT) {
      long rows = c.tables().stream().mapToLong(t -> t.snapshotRows()).sum();
      out.append("snapshot ")
          .append(p.splitsDone())
          .append('/')
          .append(p.splitsTotal())
          .append(" tables  ")
          .append(Units.count(rows))
          .append(" rows");
    } else {
      long inserts = c.tables().stream().mapToLong(t -> t.inserts()).sum();
      long updates = c.tables().stream().mapToLong(t -> t.updates()).sum();
      long deletes = c.tables().stream().mapToLong(t -> t.deletes()).sum();
      out.append("streaming  +")
          .append(Units.count(inserts))
          .append(" ~")
          .append(Units.count(updates))
          .append(" -")
          .append(Units.count(deletes))
          .append(String.format(Locale.ROOT, "  lag %.1f s", c.lag().toMillis() / 1000.0));
    }
    if (c.position() != null) {
      out.append("  at ").append(c.position().description());
    }
    return out.toString();
  }

  /** One line, redrawn in place with a carriage return and erase-to-end-of-line. */
  private static final class Redrawn extends ProgressDisplay {
    private boolean drawn;

    Redrawn(PrintWriter err) {
      super(err);
    }

    @Override
    public synchronized void progress(JobRun run, Progress progress) {
      err.print("\r" + line(progress, true) + "\u001b[K");
      err.flush();
      drawn = true;
    }

    @Override
    synchronized void finish() {
      if (drawn) {
        err.println();
        err.flush();
      }
    }
  }

  /** A plain line every {@code interval}; terminal control characters would garble a log. */
  private static final class Periodic extends ProgressDisplay {
    private final Duration interval;
    private Duration next;

    Periodic(PrintWriter err, Duration interval) {
      super(err);
      this.interval = interval;
      this.next = interval;
    }

    @Override
    public synchronized void progress(JobRun run, Progress progress) {
      // The last snapshot (a final state) is left to the summary.
      if (!progress.state().isFinal() && progress.elapsed().compareTo(next) >= 0) {
        err.println(
            "ferry: " + line(progress, false) + "  elapsed " + Units.duration(progress.elapsed()));
        err.flush();
        next = progress.elapsed().plus(interval);
      }
    }

    @Override
    void finish() {
      // Every line already ended.
    }
  }
}
