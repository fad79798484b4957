package io.ferry.flink;

import io.ferry.engine.RowCounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts of one task of a run: its reader's (rows read, filtered, dirty on read and on
 * conversion) added when a batch is emitted, its writer's (rows written, rejected) after each write
 * and flush, and the splits its writer finished. Source, counter and sink of a task are chained in
 * one thread of one JVM and find the task's counts here by run key and subtask; the counter keeps
 * them in Flink's checkpointed state and reports them as accumulators.
 */
final class TaskCounts {
  private static final Map<String, TaskCounts> LIVE = new ConcurrentHashMap<>();

  static final String[] NAMES = {
    "read",
    "written",
    "bytesRead",
    "bytesWritten",
    "filtered",
    "dirtyOnRead",
    "dirtyOnConvert",
    "dirtyOnWrite",
    "splitsDone"
  };

  private RowCounts counts = RowCounts.ZERO;
  private long splitsDone;

  private static String key(String runKey, int subtask) {
    return runKey + "/" + subtask;
  }

  /** The task's counts, as its counter set them up for this attempt. */
  static TaskCounts of(String runKey, int subtask) {
    return LIVE.computeIfAbsent(key(runKey, subtask), k -> new TaskCounts());
  }

  /** New counts for a new attempt of the task, starting from what its checkpoint restored. */
  static TaskCounts fresh(String runKey, int subtask, long[] restored) {
    TaskCounts counts = new TaskCounts();
    counts.add(restored);
    LIVE.put(key(runKey, subtask), counts);
    return counts;
  }

  static void remove(String runKey, int subtask, TaskCounts counts) {
    LIVE.remove(key(runKey, subtask), counts);
  }

  synchronized void add(RowCounts delta) {
    counts = counts.plus(delta);
  }

  synchronized void splitDone() {
    splitsDone++;
  }

  synchronized long[] values() {
    return new long[] {
      counts.read(),
      counts.written(),
      counts.bytesRead(),
      counts.bytesWritten(),
      counts.filtered(),
      counts.dirtyOnRead(),
      counts.dirtyOnConvert(),
      counts.dirtyOnWrite(),
      splitsDone
    };
  }

  synchronized void add(long[] v) {
    counts = counts.plus(rowCounts(v));
    splitsDone += v[8];
  }

  static RowCounts rowCounts(long[] v) {
    return new RowCounts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  }
}
