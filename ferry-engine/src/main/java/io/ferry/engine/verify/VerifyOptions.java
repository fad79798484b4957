package io.ferry.engine.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * What a verification does.
 *
 * @param mode count, or content; OFF is refused
 * @param pushdown whether to compare key ranges by checksums the stores compute, when both can
 *     (false forces the keyed merge of every row)
 * @param repair whether to write missing and different rows into the target, then verify again
 * @param deleteExtra whether a repair also deletes the target's extra rows
 * @param sampleSize how many differences the result keeps for display; all go to {@code report}
 * @param report the JSON Lines file every difference is written to; null for none
 * @param parallelism key ranges compared at once
 * @param countByReading whether counts the stores cannot take in place are taken by reading every
 *     row of both sides; false refuses such a count ({@link Verifier#UNSUPPORTED}), as the default
 *     count after a copy does so as not to read everything twice
 * @param recheckDelay how long to wait before the rows a content comparison found different are
 *     compared again; only rows that still differ then are reported (rows that were changing while
 *     they were compared are not). {@link Duration#ZERO}: no second look
 * @param beforeRecheck told how many rows will be compared again, before the wait; null for no one
 * @param checkpoint where a content comparison records each key range it completed, so that a
 *     verification that was killed continues from there when started again with the same file
 *     (removed once the verification ends); null for none. Not with {@code repair}
 * @param bisectRows a key range whose checksums differ is cut in two and compared by checksum again
 *     until its differing parts hold at most this many source rows, which are then read row by row
 *     ({@link Verifier#BISECT_ROWS} by default)
 */
public record VerifyOptions(
    VerifyMode mode,
    boolean pushdown,
    boolean repair,
    boolean deleteExtra,
    int sampleSize,
    Path report,
    int parallelism,
    boolean countByReading,
    Duration recheckDelay,
    LongConsumer beforeRecheck,
    Path checkpoint,
    long bisectRows) {
  /** The default {@link #recheckDelay}. */
  public static final Duration RECHECK_DELAY = Duration.ofSeconds(2);

  public VerifyOptions {
    Objects.requireNonNull(mode, "mode is null");
    Objects.requireNonNull(recheckDelay, "recheckDelay is null");
    if (mode == VerifyMode.OFF) {
      throw new IllegalArgumentException("a verification needs mode count or content");
    }
    if (repair && mode != VerifyMode.CONTENT) {
      throw new IllegalArgumentException("repair needs mode content");
    }
    if (parallelism < 1 || sampleSize < 0) {
      throw new IllegalArgumentException("parallelism must be >= 1 and sampleSize >= 0");
    }
    if (bisectRows < 1) {
      throw new IllegalArgumentException("bisectRows must be >= 1");
    }
    if (recheckDelay.isNegative()) {
      throw new IllegalArgumentException("recheckDelay must not be negative");
    }
  }

  public VerifyOptions(
      VerifyMode mode,
      boolean pushdown,
      boolean repair,
      boolean deleteExtra,
      int sampleSize,
      Path report,
      int parallelism,
      boolean countByReading) {
    this(
        mode,
        pushdown,
        repair,
        deleteExtra,
        sampleSize,
        report,
        parallelism,
        countByReading,
        RECHECK_DELAY,
        null,
        null,
        Verifier.BISECT_ROWS);
  }

  /**
   * Content, pushdown allowed, no repair, 20 differences shown, no file, 4 ranges at once,
   * differences re-checked after {@link #RECHECK_DELAY}.
   */
  public static VerifyOptions content() {
    return new VerifyOptions(VerifyMode.CONTENT, true, false, false, 20, null, 4, true);
  }

  public VerifyOptions withMode(VerifyMode m) {
    Builder b = new Builder(this);
    b.mode = m;
    return b.build();
  }

  public VerifyOptions withPushdown(boolean p) {
    Builder b = new Builder(this);
    b.pushdown = p;
    return b.build();
  }

  public VerifyOptions withRepair(boolean r, boolean delete) {
    Builder b = new Builder(this);
    b.repair = r;
    b.deleteExtra = delete;
    return b.build();
  }

  public VerifyOptions withReport(Path file) {
    Builder b = new Builder(this);
    b.report = file;
    return b.build();
  }

  public VerifyOptions withParallelism(int n) {
    Builder b = new Builder(this);
    b.parallelism = n;
    return b.build();
  }

  public VerifyOptions withCountByReading(boolean read) {
    Builder b = new Builder(this);
    b.countByReading = read;
    return b.build();
  }

  /**
   * @param delay how long to wait before differences are compared again; zero for no second look
   * @param told told how many rows will be compared again, before the wait; null for no one
   */
  public VerifyOptions withRecheck(Duration delay, LongConsumer told) {
    Builder b = new Builder(this);
    b.recheckDelay = delay;
    b.beforeRecheck = told;
    return b.build();
  }

  /**
   * @param file where completed key ranges are recorded, and continued from; null for none
   */
  public VerifyOptions withCheckpoint(Path file) {
    Builder b = new Builder(this);
    b.checkpoint = file;
    return b.build();
  }

  /**
   * @param rows see {@link #bisectRows}
   */
  public VerifyOptions withBisectRows(long rows) {
    Builder b = new Builder(this);
    b.bisectRows = rows;
    return b.build();
  }

  /** A copy of some options with some changed: what every {@code with...} method starts from. */
  private static final class Builder {
    private VerifyMode mode;
    private boolean pushdown;
    private boolean repair;
    private boolean deleteExtra;
    private int sampleSize;
    private Path report;
    private int parallelism;
    private boolean countByReading;
    private Duration recheckDelay;
    private LongConsumer beforeRecheck;
    private Path checkpoint;
    private long bisectRows;

    Builder(VerifyOptions o) {
      mode = o.mode;
      pushdown = o.pushdown;
      repair = o.repair;
      deleteExtra = o.deleteExtra;
      sampleSize = o.sampleSize;
      report = o.report;
      parallelism = o.parallelism;
      countByReading = o.countByReading;
      recheckDelay = o.recheckDelay;
      beforeRecheck = o.beforeRecheck;
      checkpoint = o.checkpoint;
      bisectRows = o.bisectRows;
    }

    VerifyOptions build() {
      return new VerifyOptions(
          mode,
          pushdown,
          repair,
          deleteExtra,
          sampleSize,
          report,
          parallelism,
          countByReading,
          recheckDelay,
          beforeRecheck,
          checkpoint,
          bisectRows);
    }
  }
}
