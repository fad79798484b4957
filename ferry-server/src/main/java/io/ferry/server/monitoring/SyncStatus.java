package io.ferry.server.monitoring;

import io.ferry.server.tasks.TaskService;
import io.ferry.server.tasks.TaskService.DataSourceUse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Which data sources are in sync (seed 002): for each data source, the tasks that read or write it
 * and the result of each task's latest finished run. A data source is
 *
 * <ul>
 *   <li>{@code IN_SYNC} when every task that uses it has a latest finished run that succeeded;
 *   <li>{@code FAILING} when a task's latest finished run failed or was stopped;
 *   <li>{@code NEVER_SYNCED} when a task uses it but none of them has finished a run;
 *   <li>{@code PARTIAL} when some of its tasks succeeded and the others have not finished a run;
 *   <li>{@code UNUSED} when no task names it.
 * </ul>
 *
 * A run still going does not change the status (it is shown as {@code running}): the status says
 * what the last finished work left behind.
 */
@Service
public class SyncStatus {
  private final JdbcClient db;
  private final TaskService tasks;

  public SyncStatus(JdbcClient db, TaskService tasks) {
    this.db = db;
    this.tasks = tasks;
  }

  /**
   * A task's latest state as seen from one of its data sources.
   *
   * @param side {@code source} or {@code sink}
   * @param lastRunId its latest finished run; null when none finished
   * @param lastSucceededAt when its latest successful run ended; null when none succeeded
   * @param running whether a run of it is queued, running or paused now
   */
  public record TaskSync(
      long taskId,
      String taskName,
      String side,
      Long lastRunId,
      String lastState,
      Instant lastEndedAt,
      Long lastRecordsWritten,
      String lastMessage,
      Instant lastSucceededAt,
      boolean running) {}

  /**
   * @param lastSyncAt the latest end of a successful run of one of its tasks; null when none
   */
  public record DataSourceSync(
      long datasourceId,
      String alias,
      String connector,
      String status,
      Instant lastSyncAt,
      List<TaskSync> tasks) {}

  private record Ended(long runId, String state, Instant endedAt, long written, String message) {}

  /** Every data source, by alias. */
  public List<DataSourceSync> all() {
    Map<Long, Ended> latest = latestEndedRuns();
    Map<Long, Instant> succeeded = latestSuccesses();
    Set<Long> running = runningTasks();
    Map<String, List<TaskSync>> byAlias = new HashMap<>();
    for (DataSourceUse use : tasks.dataSourceUses()) {
      Ended e = latest.get(use.taskId());
      byAlias
          .computeIfAbsent(use.alias(), a -> new ArrayList<>())
          .add(
              new TaskSync(
                  use.taskId(),
                  use.taskName(),
                  use.side(),
                  e == null ? null : e.runId(),
                  e == null ? null : e.state(),
                  e == null ? null : e.endedAt(),
                  e == null ? null : e.written(),
                  e == null ? null : e.message(),
                  succeeded.get(use.taskId()),
                  running.contains(use.taskId())));
    }
    return db.sql("SELECT id, alias, connector FROM ferry_datasource ORDER BY alias")
        .query(
            (rs, i) -> {
              List<TaskSync> used = byAlias.getOrDefault(rs.getString(2), List.of());
              return new DataSourceSync(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  status(used),
                  used.stream()
                      .map(TaskSync::lastSucceededAt)
                      .filter(Objects::nonNull)
                      .max(Comparator.naturalOrder())
                      .orElse(null),
                  used);
            })
        .list();
  }

  static String status(List<TaskSync> used) {
    if (used.isEmpty()) {
      return "UNUSED";
    }
    if (used.stream()
        .anyMatch(t -> "FAILED".equals(t.lastState()) || "STOPPED".equals(t.lastState()))) {
      return "FAILING";
    }
    if (used.stream().allMatch(t -> t.lastState() == null)) {
      return "NEVER_SYNCED";
    }
    return used.stream().allMatch(t -> "SUCCEEDED".equals(t.lastState())) ? "IN_SYNC" : "PARTIAL";
  }

  /** Each task's latest finished run (the highest id among its ended runs). */
  private Map<Long, Ended> latestEndedRuns() {
    Map<Long, Ended> latest = new HashMap<>();
    db.sql(
            "SELECT r.task_id, r.id, r.state, r.ended_at, r.records_written, r.message"
                + " FROM ferry_task_run r JOIN (SELECT task_id, MAX(id) AS id FROM ferry_task_run"
                + " WHERE task_id IS NOT NULL AND state IN ('SUCCEEDED', 'FAILED', 'STOPPED')"
                + " GROUP BY task_id) m ON m.id = r.id")
        .query(
            rs -> {
              latest.put(
                  rs.getLong(1),
                  new Ended(
                      rs.getLong(2),
                      rs.getString(3),
                      instant(rs, 4),
                      rs.getLong(5),
                      rs.getString(6)));
            });
    return latest;
  }

  private Map<Long, Instant> latestSuccesses() {
    Map<Long, Instant> at = new HashMap<>();
    db.sql(
            "SELECT task_id, MAX(ended_at) FROM ferry_task_run"
                + " WHERE task_id IS NOT NULL AND state = 'SUCCEEDED' GROUP BY task_id")
        .query((RowCallbackHandler) rs -> at.put(rs.getLong(1), instant(rs, 2)));
    return at;
  }

  private Set<Long> runningTasks() {
    Set<Long> ids = new HashSet<>();
    db.sql(
            "SELECT DISTINCT task_id FROM ferry_task_run WHERE task_id IS NOT NULL"
                + " AND state NOT IN ('SUCCEEDED', 'FAILED', 'STOPPED')")
        .query((RowCallbackHandler) rs -> ids.add(rs.getLong(1)));
    return ids;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
