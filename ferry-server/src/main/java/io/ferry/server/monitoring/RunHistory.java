package io.ferry.server.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Throughput and failures over time, for the dashboard: the runs that ended in each interval of a
 * window, by result, with the rows they wrote. A run counts in the interval it ended in. The runs
 * are read one row at a time and only the buckets are kept, so a month of runs costs a few kB.
 */
@Service
public class RunHistory {
  /**
   * The bucket widths offered, in minutes: the smallest that gives at most {@link #MAX} buckets.
   */
  private static final int[] WIDTHS = {5, 10, 15, 30, 60, 120, 180, 360, 720, 1440};

  private static final int MAX = 72;

  private final JdbcClient db;

  public RunHistory(JdbcClient db) {
    this.db = db;
  }

  /** The runs that ended in {@code [start, start + width)}. */
  public record Bucket(
      Instant start,
      int succeeded,
      int failed,
      int stopped,
      long recordsWritten,
      long dirtyRecords) {}

  public record Timeline(int bucketMinutes, List<Bucket> buckets) {}

  /** The last {@code hours}, oldest bucket first, the current (partial) one last. */
  public Timeline last(int hours, Instant now) {
    int width = width(hours);
    Duration step = Duration.ofMinutes(width);
    Instant end = truncate(now, width).plus(step);
    int count = (int) Math.ceil(hours * 60.0 / width);
    Instant start = end.minus(step.multipliedBy(count));
    int[][] runs = new int[count][3];
    long[][] records = new long[count][2];
    db.sql(
            "SELECT ended_at, state, records_written, dirty_records FROM ferry_task_run"
                + " WHERE ended_at >= ? AND ended_at < ?")
        .param(java.sql.Timestamp.from(start))
        .param(java.sql.Timestamp.from(end))
        .query(
            rs -> {
              Instant ended = rs.getTimestamp(1).toInstant();
              int i = (int) (Duration.between(start, ended).toMinutes() / width);
              int result =
                  switch (rs.getString(2)) {
                    case "SUCCEEDED" -> 0;
                    case "FAILED" -> 1;
                    default -> 2;
                  };
              runs[i][result]++;
              records[i][0] += rs.getLong(3);
              records[i][1] += rs.getLong(4);
            });
    List<Bucket> buckets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      buckets.add(
          new Bucket(
              start.plus(step.multipliedBy(i)),
              runs[i][0],
              runs[i][1],
              runs[i][2],
              records[i][0],
              records[i][1]));
    }
    return new Timeline(width, buckets);
  }

  static int width(int hours) {
    for (int w : WIDTHS) {
      if (hours * 60L / w <= MAX) {
        return w;
      }
    }
    return WIDTHS[WIDTHS.length - 1];
  }

  /** {@code t} rounded down to a multiple of {@code minutes} since the epoch (UTC). */
  private static Instant truncate(Instant t, int minutes) {
    long m = t.truncatedTo(ChronoUnit.MINUTES).getEpochSecond() / 60;
    return Instant.ofEpochSecond((m - Math.floorMod(m, minutes)) * 60);
  }
}
