package io.ferry.server.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.server.runs.RunLauncher;
import io.ferry.server.schedule.model.FireTimes;
import io.ferry.server.schedule.model.Schedule;
import io.ferry.server.shared.FerryProperties;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Evaluates a rule's condition from the metadata store alone — runs, instances, schedules, nodes
 * and their samples — so that every node comes to the same answer. The answer is one {@link
 * Finding} per subject the rule watches (a task, a node); a subject left out is unknown (a deleted
 * task), and an incident open on it ends without a notice.
 */
@Component
class Conditions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  /** How long back the node-down rule remembers a node by its samples. */
  static final Duration NODES_REMEMBERED = Duration.ofDays(1);

  private final JdbcClient db;
  private final FerryProperties properties;

  Conditions(JdbcClient db, FerryProperties properties) {
    this.db = db;
    this.properties = properties;
  }

  /**
   * The condition of one subject.
   *
   * @param firing whether the condition holds
   * @param taskId the task it concerns, or null (a node)
   * @param detail what holds or what ended it, for people
   */
  record Finding(boolean firing, Long taskId, String subjectName, String detail) {}

  Map<String, Finding> evaluate(AlertRules.Rule rule, Instant now) {
    AlertKind kind = rule.alertKind();
    if (kind == AlertKind.NODE_DOWN) {
      return nodes(now);
    }
    if (kind == AlertKind.MINING_RETENTION_NEAR) {
      return retentionNear(rule.threshold(), now);
    }
    if (kind.watchesMining()) {
      return mining(kind, rule.threshold());
    }
    Map<Long, String> tasks = tasks(rule.taskId());
    Map<String, Finding> out = new LinkedHashMap<>();
    for (Map.Entry<Long, String> t : tasks.entrySet()) {
      Finding f =
          switch (kind) {
            case RUN_FAILED -> runFailed(t.getKey(), t.getValue());
            case RUN_TIMED_OUT -> timedOut(t.getKey(), t.getValue());
            case RUN_PAUSED_BY_FAULT -> pausedByFault(t.getKey(), t.getValue());
            case DIRTY_ROWS_ABOVE -> dirtyRows(t.getKey(), t.getValue(), rule.threshold());
            case CDC_LAG_ABOVE -> cdcLag(t.getKey(), t.getValue(), rule.threshold());
            case THROUGHPUT_BELOW ->
                throughput(t.getKey(), t.getValue(), rule.threshold(), rule.forSeconds(), now);
            case SCHEDULE_MISSED ->
                scheduleMissed(t.getKey(), t.getValue(), rule.forSeconds(), now);
            case NODE_DOWN,
                MINING_STOPPED,
                MINING_FAILED,
                MINING_LAG_ABOVE,
                MINING_RETENTION_NEAR ->
                throw new IllegalStateException();
          };
      out.put("task:" + t.getKey(), f);
    }
    return out;
  }

  /**
   * The mining runs whose retention drops, within {@code hours}, the first event their furthest
   * behind task still needs: the node running a mining run writes that task and when the event
   * reached the log ({@code needed_by}, {@code needed_since}, docs/shared-mining.md).
   */
  private Map<String, Finding> retentionNear(Double hours, Instant now) {
    Map<String, Finding> out = new LinkedHashMap<>();
    db.sql(
            "SELECT id, name, retention_seconds, needed_since, needed_by FROM ferry_mining_run"
                + " ORDER BY id")
        .query(
            rs -> {
              String name = rs.getString(2);
              java.sql.Timestamp since = rs.getTimestamp(4);
              String task = rs.getString(5);
              Finding f;
              if (since == null || task == null) {
                f =
                    new Finding(
                        false, null, name, "mining run " + name + ": no task is behind its head");
              } else {
                Instant drops = since.toInstant().plusSeconds(rs.getLong(3));
                double left = Duration.between(now, drops).toSeconds() / 3600.0;
                boolean near = left < hours;
                f =
                    new Finding(
                        near,
                        null,
                        name,
                        "mining run "
                            + name
                            + ": its retention drops an event task "
                            + task
                            + " still needs at "
                            + drops
                            + " (in "
                            + fmt(Math.max(0, left))
                            + " h; "
                            + (near ? "limit " : "more than ")
                            + fmt(hours)
                            + " h): the task then fails and needs a new snapshot, unless it"
                            + " catches up or the retention is raised");
              }
              out.put("mining:" + rs.getLong(1), f);
            });
    return out;
  }

  /** The shared-mining runs, as their rows have them (the node running one writes it). */
  private Map<String, Finding> mining(AlertKind kind, Double threshold) {
    Map<String, Finding> out = new LinkedHashMap<>();
    db.sql("SELECT id, name, state, desired, lag_millis, failure FROM ferry_mining_run ORDER BY id")
        .query(
            rs -> {
              long id = rs.getLong(1);
              String name = rs.getString(2);
              String state = rs.getString(3);
              String desired = rs.getString(4);
              long lag = rs.getLong(5);
              boolean lagKnown = !rs.wasNull();
              String failure = rs.getString(6);
              Finding f =
                  switch (kind) {
                    case MINING_STOPPED ->
                        "STOPPED".equals(desired)
                            ? new Finding(
                                true,
                                null,
                                name,
                                "mining run "
                                    + name
                                    + " is stopped: its tasks wait and their lag grows")
                            : new Finding(false, null, name, "mining run " + name + " runs");
                    case MINING_FAILED ->
                        "FAILED".equals(state)
                            ? new Finding(
                                true,
                                null,
                                name,
                                "mining run " + name + " failed: " + text(failure))
                            : failure != null && "RUNNING".equals(state)
                                ? new Finding(
                                    true,
                                    null,
                                    name,
                                    "mining run " + name + " retries after: " + text(failure))
                                : new Finding(
                                    false,
                                    null,
                                    name,
                                    "mining run " + name + " runs without fault");
                    default -> {
                      if (!"RUNNING".equals(state) || !lagKnown) {
                        yield new Finding(false, null, name, "mining run " + name + " not mining");
                      }
                      double seconds = lag / 1000.0;
                      boolean above = seconds > threshold;
                      yield new Finding(
                          above,
                          null,
                          name,
                          "mining run "
                              + name
                              + " lags "
                              + fmt(seconds)
                              + " s ("
                              + (above ? "above " : "limit ")
                              + fmt(threshold)
                              + " s)");
                    }
                  };
              out.put("mining:" + id, f);
            });
    return out;
  }

  private Map<Long, String> tasks(Long only) {
    Map<Long, String> tasks = new LinkedHashMap<>();
    db.sql(
            "SELECT id, name FROM ferry_task"
                + (only == null ? "" : " WHERE id = " + only.longValue())
                + " ORDER BY id")
        .query(
            rs -> {
              tasks.put(rs.getLong(1), rs.getString(2));
            });
    return tasks;
  }

  private record Run(
      long id, String state, String message, long dirty, Instant startedAt, String progress) {}

  /** The task's runs, newest first, in {@code states} (all when empty); at most {@code limit}. */
  private List<Run> runs(long taskId, String where, int limit) {
    return db
        .sql(
            "SELECT id, state, message, dirty_records, started_at, progress FROM ferry_task_run"
                + " WHERE task_id = ? "
                + where
                + " ORDER BY id DESC")
        .param(taskId)
        .query(
            (rs, i) ->
                new Run(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getLong(4),
                    rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(),
                    rs.getString(6)))
        .list() // never .stream(): an unclosed stream holds its connection
        .stream()
        .limit(limit)
        .toList();
  }

  private Finding runFailed(long task, String name) {
    List<Run> last = runs(task, "AND state IN ('SUCCEEDED', 'FAILED')", 1);
    if (last.isEmpty()) {
      return new Finding(false, task, name, "no run ended yet");
    }
    Run r = last.get(0);
    return r.state().equals("FAILED")
        ? new Finding(true, task, name, "run " + r.id() + " failed: " + text(r.message()))
        : new Finding(false, task, name, "run " + r.id() + " succeeded");
  }

  private Finding timedOut(long task, String name) {
    List<Object[]> last =
        db
            .sql(
                "SELECT id, state, message FROM ferry_instance WHERE task_id = ? AND state IN"
                    + " ('SUCCEEDED', 'FAILED', 'TIMED_OUT') ORDER BY ended_at DESC, id DESC")
            .param(task)
            .query((rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)})
            .list()
            .stream()
            .limit(1)
            .toList();
    if (last.isEmpty()) {
      return new Finding(false, task, name, "no instance ended yet");
    }
    Object[] i = last.get(0);
    return "TIMED_OUT".equals(i[1])
        ? new Finding(true, task, name, "instance " + i[0] + " " + text((String) i[2]))
        : new Finding(
            false, task, name, "instance " + i[0] + " " + i[1].toString().toLowerCase(Locale.ROOT));
  }

  private Finding pausedByFault(long task, String name) {
    for (Run r : runs(task, "AND state = 'PAUSED'", 100)) {
      if (!RunLauncher.PAUSED_WITHOUT_FAULT.equals(r.message())) {
        return new Finding(true, task, name, "run " + r.id() + " paused: " + text(r.message()));
      }
    }
    return new Finding(false, task, name, "no run paused by a fault");
  }

  private Finding dirtyRows(long task, String name, Double threshold) {
    List<Run> last = runs(task, "", 1);
    if (last.isEmpty()) {
      return new Finding(false, task, name, "no run yet");
    }
    Run r = last.get(0);
    boolean above = r.dirty() > threshold;
    return new Finding(
        above,
        task,
        name,
        "run "
            + r.id()
            + " has "
            + r.dirty()
            + " dirty rows ("
            + (above ? "above " : "limit ")
            + fmt(threshold)
            + ")");
  }

  private Finding cdcLag(long task, String name, Double threshold) {
    for (Run r : runs(task, "AND state = 'RUNNING'", 10)) {
      Map<String, Object> p = parse(r.progress());
      if (p.get("changes") instanceof Map<?, ?> c && c.get("lagMillis") instanceof Number lag) {
        double seconds = lag.doubleValue() / 1000;
        boolean above = seconds > threshold;
        return new Finding(
            above,
            task,
            name,
            "run "
                + r.id()
                + " lags "
                + fmt(seconds)
                + " s ("
                + (above ? "above " : "limit ")
                + fmt(threshold)
                + " s)");
      }
    }
    return new Finding(false, task, name, "no cdc run executing");
  }

  private Finding throughput(
      long task, String name, Double threshold, long forSeconds, Instant now) {
    Instant since = now.minusSeconds(Math.max(1, forSeconds));
    for (Run r : runs(task, "AND state = 'RUNNING'", 10)) {
      if (r.startedAt() == null || r.startedAt().isAfter(since)) {
        continue; // not running for long enough yet
      }
      Map<String, Object> p = parse(r.progress());
      double max = -1;
      if (p.get("history") instanceof Map<?, ?> h && h.get("points") instanceof List<?> points) {
        for (Object o : points) {
          if (o instanceof List<?> point
              && point.size() >= 2
              && point.get(0) instanceof Number at
              && at.longValue() >= since.toEpochMilli()
              && point.get(1) instanceof Number rps) {
            max = Math.max(max, rps.doubleValue());
          }
        }
      }
      if (max >= 0 && max < threshold) {
        return new Finding(
            true,
            task,
            name,
            "run "
                + r.id()
                + " wrote at most "
                + fmt(max)
                + " rows/s over the last "
                + forSeconds
                + " s (below "
                + fmt(threshold)
                + ")");
      }
      if (max >= threshold) {
        return new Finding(false, task, name, "run " + r.id() + " writes " + fmt(max) + " rows/s");
      }
    }
    return new Finding(false, task, name, "no slow run executing");
  }

  private Finding scheduleMissed(long task, String name, long graceSeconds, Instant now) {
    List<Object[]> schedule =
        db.sql("SELECT spec, onlined_at FROM ferry_schedule WHERE task_id = ? AND online = ?")
            .params(task, true)
            .query((rs, i) -> new Object[] {rs.getString(1), rs.getTimestamp(2)})
            .list();
    if (schedule.isEmpty() || schedule.get(0)[1] == null) {
      return new Finding(false, task, name, "not online with a schedule");
    }
    Instant onlined = ((Timestamp) schedule.get(0)[1]).toInstant();
    Instant due = now.minusSeconds(Math.max(60, graceSeconds));
    Instant from =
        onlined.isAfter(due.minus(Duration.ofDays(2))) ? onlined : due.minus(Duration.ofDays(2));
    List<ZonedDateTime> times;
    try {
      times =
          FireTimes.between(
              Schedule.fromJson((String) schedule.get(0)[0]),
              from,
              due,
              properties.timeZone(),
              5_000);
    } catch (RuntimeException e) {
      return new Finding(false, task, name, "fires too often to check");
    }
    if (times.isEmpty()) {
      return new Finding(false, task, name, "no fire time due yet");
    }
    Instant last = times.get(times.size() - 1).toInstant();
    int instances =
        db.sql(
                "SELECT COUNT(*) FROM ferry_instance WHERE task_id = ? AND planned_time >= ? AND"
                    + " planned_time <= ?")
            .params(task, Timestamp.from(last.minusSeconds(1)), Timestamp.from(last.plusSeconds(1)))
            .query(Integer.class)
            .single();
    return instances == 0
        ? new Finding(true, task, name, "the schedule did not fire at " + last)
        : new Finding(false, task, name, "fired at " + last);
  }

  private Map<String, Finding> nodes(Instant now) {
    Instant aliveSince = now.minus(properties.lease().multipliedBy(2));
    Map<String, Finding> out = new LinkedHashMap<>();
    db.sql("SELECT DISTINCT node FROM ferry_node_sample WHERE sampled_at >= ?")
        .param(Timestamp.from(now.minus(NODES_REMEMBERED)))
        .query(String.class)
        .list()
        .forEach(
            n ->
                out.put(
                    "node:" + n, new Finding(true, null, n, "node " + n + " has no heartbeat")));
    db.sql("SELECT node, heartbeat_at FROM ferry_node")
        .query(
            rs -> {
              String n = rs.getString(1);
              boolean alive = !rs.getTimestamp(2).toInstant().isBefore(aliveSince);
              out.put(
                  "node:" + n,
                  new Finding(
                      !alive,
                      null,
                      n,
                      alive
                          ? "node " + n + " is alive"
                          : "node "
                              + n
                              + " has no heartbeat since "
                              + rs.getTimestamp(2).toInstant()));
            });
    return out;
  }

  private static Map<String, Object> parse(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, OBJECT);
    } catch (IOException e) {
      return Map.of();
    }
  }

  private static String text(String message) {
    return message == null ? "(no message)" : message;
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
