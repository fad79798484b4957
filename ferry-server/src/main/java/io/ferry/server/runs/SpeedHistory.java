package io.ferry.server.runs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's speed over its whole life, for the charts of a run that has ended: at most {@link #MAX}
 * points, evenly spaced. Samples (one per progress report, every second by default) are averaged in
 * buckets of {@code samplesPerPoint}; when the points reach {@link #MAX}, neighbours merge in pairs
 * and a bucket takes twice as many samples. Buckets count samples rather than time, so that reports
 * arriving a little early or late never merge two into one point. A run of any length thus keeps
 * its shape in bounded memory and in a bounded part of its progress row, which is where it is saved
 * and read back from ({@link #toJson}, {@link #fromJson}), so that it survives a restart and
 * continues after a resume.
 *
 * <p>Thread-safe: the run's progress thread adds while API requests read.
 */
public final class SpeedHistory {
  /** Points kept at most. */
  public static final int MAX = 240;

  /** One bucket: when it began (epoch milliseconds) and the average speeds within it. */
  record Point(long at, double recordsPerSecond, double bytesPerSecond) {}

  private final List<Point> points = new ArrayList<>();
  private int samplesPerPoint = 1;

  /** The bucket being filled: its start, and the sums and count of its samples. */
  private long pendingAt = -1;

  private double pendingRecords;
  private double pendingBytes;
  private int pendingCount;

  /** Adds one sample of the run's current speeds, taken at {@code at} (epoch milliseconds). */
  synchronized void add(long at, double recordsPerSecond, double bytesPerSecond) {
    if (pendingCount == 0) {
      pendingAt = at;
    }
    pendingRecords += recordsPerSecond;
    pendingBytes += bytesPerSecond;
    pendingCount++;
    if (pendingCount >= samplesPerPoint) {
      close();
    }
  }

  private void close() {
    points.add(new Point(pendingAt, pendingRecords / pendingCount, pendingBytes / pendingCount));
    pendingCount = 0;
    pendingRecords = 0;
    pendingBytes = 0;
    if (points.size() >= MAX) {
      List<Point> merged = new ArrayList<>(MAX / 2 + 1);
      for (int i = 0; i < points.size(); i += 2) {
        Point a = points.get(i);
        Point b = i + 1 < points.size() ? points.get(i + 1) : a;
        merged.add(
            new Point(
                a.at(),
                (a.recordsPerSecond() + b.recordsPerSecond()) / 2,
                (a.bytesPerSecond() + b.bytesPerSecond()) / 2));
      }
      points.clear();
      points.addAll(merged);
      samplesPerPoint *= 2;
    }
  }

  /** The points so far, the bucket being filled included; oldest first. */
  synchronized List<Point> points() {
    List<Point> all = new ArrayList<>(points);
    if (pendingCount > 0) {
      all.add(new Point(pendingAt, pendingRecords / pendingCount, pendingBytes / pendingCount));
    }
    return all;
  }

  synchronized int samplesPerPoint() {
    return samplesPerPoint;
  }

  /**
   * The history as the progress JSON holds it: {@code {"samplesPerPoint": 4, "points": [[at,
   * recordsPerSecond, bytesPerSecond], ...]}}.
   */
  synchronized Map<String, Object> toJson() {
    List<List<Number>> rows = new ArrayList<>();
    for (Point p : points()) {
      rows.add(List.of(p.at(), p.recordsPerSecond(), p.bytesPerSecond()));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("samplesPerPoint", samplesPerPoint);
    json.put("points", rows);
    return json;
  }

  /** A history read back from {@link #toJson()}'s form; empty for null or anything else. */
  static SpeedHistory fromJson(Object json) {
    SpeedHistory h = new SpeedHistory();
    if (json instanceof Map<?, ?> map && map.get("points") instanceof List<?> rows) {
      if (map.get("samplesPerPoint") instanceof Number n && n.intValue() > 0) {
        h.samplesPerPoint = n.intValue();
      }
      for (Object row : rows) {
        if (row instanceof List<?> r
            && r.size() == 3
            && r.get(0) instanceof Number at
            && r.get(1) instanceof Number records
            && r.get(2) instanceof Number bytes) {
          h.points.add(new Point(at.longValue(), records.doubleValue(), bytes.doubleValue()));
        }
      }
      while (h.points.size() > MAX) {
        h.points.remove(0); // never more than a history of this class holds
      }
    }
    return h;
  }
}
