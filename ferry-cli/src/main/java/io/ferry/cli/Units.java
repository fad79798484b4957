package io.ferry.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * Numbers for people: grouped counts, sizes and rates in MB (powers of 1024, as the job file's
 * sizes), short durations. Locale-independent, so output and tests read the same everywhere.
 */
final class Units {
  private static final double MB = 1024.0 * 1024.0;

  private Units() {}

  /** {@code 1234567} → {@code 1,234,567}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A row rate, {@code 1,234,567 rows/s}. */
  static String rowRate(double perSecond) {
    return count(Math.round(perSecond)) + " rows/s";
  }

  /** Bytes in MB with one decimal, {@code 97.3 MB}. */
  static String megabytes(double bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / MB);
  }

  /** A byte rate, {@code 97.3 MB/s}. */
  static String byteRate(double bytesPerSecond) {
    return megabytes(bytesPerSecond) + "/s";
  }

  /** {@code 850ms}, {@code 12.3s}, {@code 4m 05s}, {@code 2h 03m 05s}. */
  static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = d.toSeconds();
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(
        Locale.ROOT, "%dh %02dm %02ds", seconds / 3600, seconds % 3600 / 60, seconds % 60);
  }

  /** A countdown, {@code 0:05}, {@code 12:30}, {@code 1:02:03}. */
  static String clock(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    return seconds < 3600
        ? String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60)
        : String.format(
            Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60);
  }
}
