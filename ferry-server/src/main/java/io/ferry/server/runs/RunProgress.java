package io.ferry.server.runs;

import io.ferry.engine.ChangeProgress;
import io.ferry.engine.Progress;
import io.ferry.engine.SplitProgress;
import io.ferry.server.runs.RunService.View;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The progress messages of runs (the WebSocket's {@code progress} type, also saved with each run)
 * and their publishing to the {@link ProgressSocket}.
 */
@Component
class RunProgress {
  /** The key of the speed history in a run's saved progress. */
  static final String HISTORY = "history";

  /** The key of a {@code kind: cdc} run's change-capture figures ({@link #changes}). */
  static final String CHANGES = "changes";

  private final ProgressSocket socket;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  RunProgress(ProgressSocket socket) {
    this.socket = socket;
  }

  /** Sends a message to the run's listeners. */
  void publish(long id, Map<String, Object> message) {
    socket.publishRun(id, message);
  }

  /** Sends the run's state and figures as stored: at a change of state without live progress. */
  void publishState(View v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "progress");
    m.put("runId", v.id());
    m.put("taskId", v.taskId());
    m.put("runKey", v.runKey());
    m.put("state", v.state());
    m.put("recordsRead", v.recordsRead());
    m.put("recordsWritten", v.recordsWritten());
    m.put("bytesWritten", v.bytesWritten());
    m.put("dirtyRecords", v.dirtyRecords());
    m.put("percent", v.percent());
    m.put("message", v.message());
    socket.publishRun(v.id(), m);
  }

  /** Only the state: a run that has no progress yet. */
  static Map<String, Object> stateOnly(long id, String state) {
    Map<String, Object> none = new LinkedHashMap<>();
    none.put("type", "progress");
    none.put("runId", id);
    none.put("state", state);
    return none;
  }

  /** The message of a run's live progress: figures, speeds, ETA, splits, CPU time. */
  Map<String, Object> message(long id, Progress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "progress");
    m.put("runId", id);
    m.put("runKey", p.runKey());
    m.put("state", p.state().name());
    m.put("elapsedMillis", p.elapsed().toMillis());
    m.put("recordsRead", p.recordsRead());
    m.put("recordsWritten", p.recordsWritten());
    m.put("bytesRead", p.counts().bytesRead());
    m.put("bytesWritten", p.bytesWritten());
    m.put("dirtyRecords", p.dirtyRecords());
    m.put("dirtyOnRead", p.counts().dirtyOnRead());
    m.put("dirtyOnConvert", p.counts().dirtyOnConvert());
    m.put("dirtyOnWrite", p.counts().dirtyOnWrite());
    m.put("filteredRecords", p.filteredRecords());
    m.put("estimatedRecords", p.estimatedRecords());
    m.put("recordsPerSecond", p.recordsPerSecond());
    m.put("bytesPerSecond", p.bytesPerSecond());
    m.put("mbPerSecond", p.bytesPerSecond() / (1024.0 * 1024.0));
    m.put("percent", p.percent().isPresent() ? p.percent().getAsDouble() : null);
    m.put("etaMillis", p.eta().map(Duration::toMillis).orElse(null));
    m.put("splitsTotal", p.splitsTotal());
    m.put("splitsDone", p.splitsDone());
    m.put("cpuTimeMillis", cpuMillis(p.runKey()));
    List<Map<String, Object>> splits = new ArrayList<>();
    for (SplitProgress s : p.splits()) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("id", s.splitId());
      sm.put("state", s.state().name());
      sm.put("recordsWritten", s.recordsWritten());
      splits.add(sm);
    }
    m.put("splits", splits);
    if (p.changes() != null) {
      m.put(CHANGES, changes(p.changes()));
    }
    return m;
  }

  /**
   * A cdc run's figures: {@code phase} (SNAPSHOT, STREAMING), {@code position} (the log position of
   * the last checkpoint, as the connector describes it), {@code lagMillis}, {@code changesApplied},
   * and per table {@code table}, {@code snapshot} (PENDING, RUNNING, DONE), {@code snapshotRows},
   * {@code snapshotPercent} (-1: unknown), {@code inserts}, {@code updates}, {@code deletes} (over
   * all attempts) and {@code lagMillis}.
   */
  static Map<String, Object> changes(ChangeProgress c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phase", c.phase().name());
    m.put("position", c.position() == null ? null : c.position().description());
    m.put("lagMillis", c.lag() == null ? 0 : c.lag().toMillis());
    m.put("changesApplied", c.changesApplied());
    List<Map<String, Object>> tables = new ArrayList<>();
    for (ChangeProgress.TableProgress t : c.tables()) {
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("table", t.table());
      tm.put("snapshot", t.snapshot() == null ? null : t.snapshot().name());
      tm.put("snapshotRows", t.snapshotRows());
      tm.put("snapshotPercent", t.snapshotPercent());
      tm.put("inserts", t.inserts());
      tm.put("updates", t.updates());
      tm.put("deletes", t.deletes());
      tm.put("lagMillis", t.lag() == null ? 0 : t.lag().toMillis());
      tables.add(tm);
    }
    m.put("tables", tables);
    return m;
  }

  /** CPU time of the run's live threads (the engine names them after the run key). */
  private long cpuMillis(String runKey) {
    if (!threads.isThreadCpuTimeSupported()) {
      return -1;
    }
    String prefix = "ferry-" + runKey;
    long nanos = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(prefix)) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        if (t > 0) {
          nanos += t;
        }
      }
    }
    return nanos / 1_000_000;
  }
}
