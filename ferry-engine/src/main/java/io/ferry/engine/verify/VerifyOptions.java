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
    return new VerifyOptions(
        m,
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

  public VerifyOptions withPushdown(boolean p) {
    return new VerifyOptions(
        mode,
        p,
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

  public VerifyOptions withRepair(boolean r, boolean delete) {
    return new VerifyOptions(
        mode,
        pushdown,
        r,
        delete,
        sampleSize,
        report,
        parallelism,
        countByReading,
        recheckDelay,
        beforeRecheck,
        checkpoint,
        bisectRows);
  }

  public VerifyOptions withReport(Path file) {
    return new VerifyOptions(
        mode,
        pushdown,
        repair,
        deleteExtra,
        sampleSize,
        file,
        parallelism,
        countByReading,
        recheckDelay,
        beforeRecheck,
        checkpoint,
        bisectRows);
  }

  public VerifyOptions withParallelism(int n) {
    return new VerifyOptions(
        mode,
        pushdown,
        repair,
        deleteExtra,
        sampleSize,
        report,
        n,
        countByReading,
        recheckDelay,
        beforeRecheck,
        checkpoint,
        bisectRows);
  }

  public VerifyOptions withCountByReading(boolean read) {
    return new VerifyOptions(
        mode,
        pushdown,
        repair,
        deleteExtra,
        sampleSize,
        report,
        parallelism,
        read,
        recheckDelay,
        beforeRecheck,
        checkpoint,
        bisectRows);
  }

  /**
   * @param delay how long to wait before differences are compared again; zero for no second look
   * @param told told how many rows will be compared again, before the wait; null for no one
   */
  public VerifyOptions withRecheck(Duration delay, LongConsumer told) {
    return new VerifyOptions(
        mode,
        pushdown,
        repair,
        deleteExtra,
        sampleSize,
        report,
        parallelism,
        countByReading,
        delay,
        told,
        checkpoint,
        bisectRows);
  }

  /**
   * @param file where completed key ranges are recorded, and continued from; null for none
   */
  public VerifyOptions withCheckpoint(Path file) {
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
        file,
        bisectRows);
  }

  /**
   * @param rows see {@link #bisectRows}
   */
  public VerifyOptions withBisectRows(long rows) {
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
        rows);
  }
}
