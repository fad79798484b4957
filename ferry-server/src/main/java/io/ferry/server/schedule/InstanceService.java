package io.ferry.server.schedule;

import io.ferry.server.runs.ProgressSocket;
import io.ferry.server.runs.RunService;
import io.ferry.server.schedule.model.FireTimes;
import io.ferry.server.schedule.model.Schedule;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.Page;
import io.ferry.server.shared.SqlText;
import io.ferry.server.tasks.TaskService;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/**
 * Instances: one planned execution of a task, made by its schedule (or by hand, a backfill, a
 * rerun). An instance WAITS until its conditions hold, then RUNS as one server run, and ends
 * SUCCEEDED, FAILED, STOPPED, TIMED_OUT or SKIPPED. The conditions, checked every second by each
 * node for the instances it could start:
 *
 * <ul>
 *   <li>a schedule's instance starts only while its task is online;
 *   <li>depend on the previous cycle: the task's previous instance has ended (in any state);
 *   <li>upstream tasks: each has an instance of the same cycle that SUCCEEDED (one that ended
 *       otherwise skips this instance);
 *   <li>resources: the node has the instance's CPU cores and memory free (the sum over the
 *       instances it runs, against {@code ferry.cpu-cores} and {@code ferry.memory-mb}).
 * </ul>
 *
 * A node takes an instance with a conditional update (WAITING → RUNNING), so that each starts once
 * whatever the number of nodes. A failed run is retried after the schedule's delay when the task is
 * idempotent and retries are left; a run that outlives the timeout is stopped and the instance is
 * TIMED_OUT; a failure (or timeout) takes the task offline when the schedule says so.
 */
@Service
public class InstanceService implements ApplicationRunner, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(InstanceService.class);

  static final String SCHEDULE = "schedule";
  static final String ONLINE = "online";
  static final String MANUAL = "manual";
  static final String BACKFILL = "backfill";
  static final String RERUN = "rerun";

  static final String WAITING = "WAITING";
  static final String RUNNING = "RUNNING";
  private static final Set<String> FINAL =
      Set.of("SUCCEEDED", "FAILED", "STOPPED", "TIMED_OUT", "SKIPPED");
  private static final Set<String> STATES =
      java.util.stream.Stream.concat(FINAL.stream(), java.util.stream.Stream.of(WAITING, RUNNING))
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
  private static final int MAX_BACKFILL = 1000;

  private final JdbcClient db;
  private final TaskService tasks;
  private final ScheduleService schedules;
  private final RunService runs;
  private final AuditLog audit;
  private final ProgressSocket socket;
  private final FerryProperties properties;
  private final ScheduledExecutorService dispatcher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-server-instances");
            t.setDaemon(true);
            return t;
          });

  public InstanceService(
      JdbcClient db,
      TaskService tasks,
      ScheduleService schedules,
      RunService runs,
      AuditLog audit,
      ProgressSocket socket,
      FerryProperties properties) {
    this.db = db;
    this.tasks = tasks;
    this.schedules = schedules;
    this.runs = runs;
    this.audit = audit;
    this.socket = socket;
    this.properties = properties;
    runs.onEnded(this::runEnded);
    runs.onPlaced(this::runPlaced);
  }

  /**
   * An instance as the API shows it.
   *
   * @param trigger what made it: schedule, online, manual, backfill or rerun
   * @param attempt 1 for the first run, one more for each retry
   * @param runId the server run of its latest attempt
   * @param node the node that executes (or executed) that run; another node's after a takeover
   * @param startedAt when that run started executing (null while it waits in a node's queue)
   */
  public record View(
      long id,
      long taskId,
      String taskName,
      Instant plannedTime,
      String trigger,
      String state,
      int attempt,
      Long runId,
      String node,
      Instant createdAt,
      Instant startedAt,
      Instant endedAt,
      Long durationMillis,
      Long recordsWritten,
      String message) {}

  private static final String COLUMNS =
      "i.id, i.task_id, i.task_name, i.planned_time, i.trigger_kind, i.state, i.attempt, i.run_id,"
          + " i.node, i.created_at, i.started_at, i.ended_at, r.records_written, i.message,"
          + " i.cpu_cores, i.memory_mb, i.deadline";
  private static final String FROM =
      "ferry_instance i LEFT JOIN ferry_task_run r ON r.id = i.run_id";

  private record Row(View view, int cpuCores, int memoryMb, Instant deadline) {}

  private static Row row(ResultSet rs) throws SQLException {
    Instant started = instant(rs.getTimestamp(11));
    Instant ended = instant(rs.getTimestamp(12));
    long written = rs.getLong(13);
    Long recordsWritten = rs.wasNull() ? null : written;
    return new Row(
        new View(
            rs.getLong(1),
            rs.getLong(2),
            rs.getString(3),
            instant(rs.getTimestamp(4)),
            rs.getString(5),
            rs.getString(6),
            rs.getInt(7),
            (Long) rs.getObject(8, Long.class),
            rs.getString(9),
            instant(rs.getTimestamp(10)),
            started,
            ended,
            started == null
                ? null
                : Duration.between(started, ended == null ? Instant.now() : ended).toMillis(),
            recordsWritten,
            rs.getString(14)),
        rs.getInt(15),
        rs.getInt(16),
        instant(rs.getTimestamp(17)));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  // ---- the API's view ---------------------------------------------------------------------

  /**
   * Instances, latest planned first, one page.
   *
   * @param from only those planned at or after; null for no bound
   * @param to only those planned before; null for no bound
   */
  public Page<View> list(Long taskId, String state, Instant from, Instant to, int page, int size) {
    Page.Where where =
        new Page.Where()
            .andIf(taskId, "i.task_id = ?")
            .andIf(DomainException.choice("state", state, STATES), "i.state = ?")
            .andIf(from == null ? null : Timestamp.from(from), "i.planned_time >= ?")
            .andIf(to == null ? null : Timestamp.from(to), "i.planned_time < ?");
    return Page.query(
            db,
            COLUMNS,
            FROM,
            where,
            "i.planned_time DESC, i.id DESC",
            page,
            size,
            (rs, i) -> row(rs))
        .map(Row::view);
  }

  public View get(long id) {
    return stored(id).view();
  }

  private Row stored(long id) {
    return db.sql("SELECT " + COLUMNS + " FROM " + FROM + " WHERE i.id = ?")
        .param(id)
        .query((rs, i) -> row(rs))
        .optional()
        .orElseThrow(() -> DomainException.notFound("instance", id));
  }

  // ---- making instances -------------------------------------------------------------------

  /**
   * Makes the instance of a task for a planned time. A schedule's instance is made once per planned
   * time, however many nodes fire: the second is refused by the unique fire key.
   *
   * @return the instance; empty when the task is gone or this planned time has one already
   */
  public Optional<View> fire(long taskId, Instant planned, String trigger) {
    Optional<TaskService.View> task = tasks.find(taskId);
    if (task.isEmpty()) {
      log.warn("Task {} fired at {} but no longer exists", taskId, planned);
      return Optional.empty();
    }
    Schedule s = schedules.find(taskId).orElse(null);
    String fireKey = trigger.equals(SCHEDULE) ? taskId + "@" + planned.toEpochMilli() : null;
    Timestamp now = Timestamp.from(Instant.now());
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    try {
      db.sql(
              "INSERT INTO ferry_instance (task_id, task_name, planned_time, trigger_kind, state,"
                  + " attempt, cpu_cores, memory_mb, created_at, not_before, fire_key)"
                  + " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)")
          .params(
              taskId,
              task.get().name(),
              Timestamp.from(planned),
              trigger,
              WAITING,
              s == null ? Schedule.DEFAULT_CPU_CORES : s.cpuCoresOrDefault(),
              s == null ? Schedule.DEFAULT_MEMORY_MB : s.memoryMbOrDefault(),
              now,
              now,
              SqlText.orNull(fireKey))
          .update(keys, "id");
    } catch (DuplicateKeyException e) {
      log.info("Task {} at {}: another node made this instance already", taskId, planned);
      return Optional.empty();
    }
    View v = get(keys.getKey().longValue());
    Duration late = Duration.between(planned, now.toInstant());
    if (trigger.equals(SCHEDULE) && s != null && late.compareTo(staleAfter(s)) > 0) {
      // Fired on recovery (see ScheduleService#arm): kept in the record, not run.
      end(
          v.id(),
          "SKIPPED",
          "missed: no node could fire it until "
              + formatSeconds(late.toSeconds())
              + " after its planned time, later than the schedule's timeout");
      return Optional.of(get(v.id()));
    }
    publish(v);
    dispatchSoon();
    return Optional.of(v);
  }

  /**
   * How late a schedule's fire may come and still run: the schedule's timeout, and at least a
   * minute, so that a loaded node's late fire of a frequent schedule is not mistaken for a missed
   * one.
   */
  private static Duration staleAfter(Schedule s) {
    Duration timeout = s.timeout();
    return timeout.compareTo(Duration.ofMinutes(1)) > 0 ? timeout : Duration.ofMinutes(1);
  }

  /** An instance of a task planned now, by hand (within the schedule's effective range). */
  public View runNow(long taskId) {
    tasks.get(taskId);
    schedules.checkManualRun(taskId);
    View v = fire(taskId, Instant.now(), MANUAL).orElseThrow();
    audit.record("run", "instance", v.id(), "task " + v.taskName() + " by hand");
    return v;
  }

  /** The same planned time again, as a new instance. */
  public View rerun(long id) {
    View old = get(id);
    if (!FINAL.contains(old.state())) {
      throw DomainException.conflict(
          "instance " + id + " is " + old.state() + "; only an ended instance runs again");
    }
    View v = fire(old.taskId(), old.plannedTime(), RERUN).orElseThrow();
    audit.record("rerun", "instance", v.id(), "again from instance " + id);
    return v;
  }

  /**
   * One instance per cycle of the task's periodic schedule from {@code from} to {@code to}
   * (inclusive days in the schedule's zone), oldest first; depend-on-previous and upstream
   * conditions hold for them as for the schedule's own.
   */
  public List<View> backfill(long taskId, LocalDate from, LocalDate to) {
    tasks.get(taskId);
    if (from == null || to == null) {
      throw DomainException.invalid(from == null ? "from" : "to", "a date (yyyy-MM-dd) expected");
    }
    if (to.isBefore(from)) {
      throw DomainException.invalid("to", "must not be before from (" + from + ")");
    }
    Schedule s =
        schedules
            .find(taskId)
            .filter(x -> !x.isOnce())
            .orElseThrow(
                () ->
                    DomainException.conflict(
                        "task " + taskId + " has no periodic schedule to backfill by"));
    ZoneId zone = schedules.zoneOf(s);
    List<ZonedDateTime> times;
    try {
      times =
          FireTimes.between(
              s,
              from.atStartOfDay(zone).toInstant(),
              to.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1),
              properties.timeZone(),
              MAX_BACKFILL);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("to", e.getMessage());
    }
    List<View> made = new ArrayList<>();
    for (ZonedDateTime t : times) {
      fire(taskId, t.toInstant(), BACKFILL).ifPresent(made::add);
    }
    audit.record(
        "backfill", "task", taskId, from + " to " + to + ": " + made.size() + " instances");
    return made;
  }

  // ---- dispatching ------------------------------------------------------------------------

  @Override
  public void run(ApplicationArguments args) {
    dispatcher.scheduleWithFixedDelay(this::dispatchSafely, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void destroy() {
    dispatcher.shutdownNow();
  }

  private void dispatchSoon() {
    if (!dispatcher.isShutdown()) {
      dispatcher.execute(this::dispatchSafely);
    }
  }

  private void dispatchSafely() {
    try {
      timeOut();
      dispatch();
    } catch (RuntimeException e) {
      log.warn("Dispatching instances failed; trying again in a second", e);
    }
  }

  /** Instances that outlived their deadline: TIMED_OUT, and their runs stopped. */
  private void timeOut() {
    List<Row> late =
        db.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + FROM
                    + " WHERE i.state = 'RUNNING' AND i.deadline < ?")
            .param(Timestamp.from(Instant.now()))
            .query((rs, i) -> row(rs))
            .list();
    for (Row r : late) {
      View v = r.view();
      String message =
          v.startedAt() == null
              ? "timed out: its run had not started by the schedule's timeout"
              : "timed out: still running after "
                  + formatSeconds(Duration.between(v.startedAt(), r.deadline()).toSeconds())
                  + " (the schedule's timeout)";
      if (end(v.id(), "TIMED_OUT", message)) {
        if (v.runId() != null) {
          try {
            runs.stop(v.runId());
          } catch (DomainException alreadyEnded) {
            // it ended in between; the instance stays TIMED_OUT
          }
        }
        afterFailure(v.taskId(), v.id(), "TIMED_OUT");
      }
    }
  }

  private static String formatSeconds(long s) {
    return s % 60 == 0 ? (s / 60) + " min" : s + " s";
  }

  private void dispatch() {
    List<Row> waiting =
        db.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + FROM
                    + " WHERE i.state = 'WAITING' AND i.not_before <= ?"
                    + " ORDER BY i.planned_time, i.id")
            .param(Timestamp.from(Instant.now()))
            .query((rs, i) -> row(rs))
            .list();
    for (Row r : waiting) {
      View v = r.view();
      String blocked = blocker(r);
      if (blocked == null) {
        start(r);
      } else if (blocked.startsWith("SKIPPED:")) {
        end(v.id(), "SKIPPED", blocked.substring("SKIPPED:".length()).trim());
      } else if (!blocked.equals(v.message())) {
        db.sql("UPDATE ferry_instance SET message = ? WHERE id = ? AND state = 'WAITING'")
            .params(blocked, v.id())
            .update();
        publish(get(v.id()));
      }
    }
  }

  /**
   * Why an instance cannot start yet: null when it can, "SKIPPED: reason" when it never will, else
   * what it waits for.
   */
  private String blocker(Row r) {
    View v = r.view();
    if (tasks.find(v.taskId()).isEmpty()) {
      return "SKIPPED: the task was deleted";
    }
    Schedule s = schedules.find(v.taskId()).orElse(null);
    // Offline stops new cycles; an instance that ran an attempt finishes, retries included.
    if (v.trigger().equals(SCHEDULE)
        && v.attempt() == 1
        && (s == null || !schedules.isOnline(v.taskId()))) {
      return "SKIPPED: the task went offline before the instance started";
    }
    if (s != null && s.dependsOnPrevious()) {
      Optional<View> previous = previous(v);
      if (previous.isPresent() && !FINAL.contains(previous.get().state())) {
        return "waiting for the previous cycle's instance "
            + previous.get().id()
            + " ("
            + previous.get().state()
            + ")";
      }
    }
    if (s != null && s.upstreamTaskIds() != null) {
      for (Long upstream : s.upstreamTaskIds()) {
        Optional<View> u = sameCycle(upstream, v.plannedTime(), s);
        if (u.isEmpty()) {
          return "waiting for upstream task " + upstream + " to run this cycle";
        }
        if (u.get().state().equals("SUCCEEDED")) {
          continue;
        }
        if (FINAL.contains(u.get().state())) {
          return "SKIPPED: upstream task "
              + upstream
              + "'s instance "
              + u.get().id()
              + " ended "
              + u.get().state();
        }
        return "waiting for upstream task "
            + upstream
            + "'s instance "
            + u.get().id()
            + " ("
            + u.get().state()
            + ")";
      }
    }
    int cores = properties.cpuCores();
    int memory = properties.memoryMb();
    if (r.cpuCores() > cores || r.memoryMb() > memory) {
      return "SKIPPED: it needs "
          + r.cpuCores()
          + " CPU cores and "
          + r.memoryMb()
          + " MB, more than this node has ("
          + cores
          + " cores, "
          + memory
          + " MB; ferry.cpu-cores, ferry.memory-mb)";
    }
    int[] used =
        db.sql(
                "SELECT COALESCE(SUM(cpu_cores), 0), COALESCE(SUM(memory_mb), 0)"
                    + " FROM ferry_instance WHERE state = 'RUNNING' AND node = ?")
            .param(properties.nodeId())
            .query((rs, i) -> new int[] {rs.getInt(1), rs.getInt(2)})
            .single();
    if (used[0] + r.cpuCores() > cores || used[1] + r.memoryMb() > memory) {
      return "waiting for resources: it needs "
          + r.cpuCores()
          + " CPU cores and "
          + r.memoryMb()
          + " MB; "
          + (cores - used[0])
          + " cores and "
          + (memory - used[1])
          + " MB are free";
    }
    return null;
  }

  /** The task's instance planned just before this one (made before it, for equal times). */
  private Optional<View> previous(View v) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM "
                + FROM
                + " WHERE i.task_id = ? AND (i.planned_time < ? OR (i.planned_time = ? AND i.id <"
                + " ?)) ORDER BY i.planned_time DESC, i.id DESC LIMIT 1")
        .params(
            v.taskId(), Timestamp.from(v.plannedTime()), Timestamp.from(v.plannedTime()), v.id())
        .query((rs, i) -> row(rs).view())
        .optional();
  }

  /**
   * The upstream task's latest instance of this instance's cycle: planned at or before it, and
   * after the cycle before (one period of this task's schedule back; a day for other schedules).
   */
  private Optional<View> sameCycle(long upstreamTaskId, Instant planned, Schedule s) {
    Duration period = Duration.ofDays(1);
    if (!s.isOnce()) {
      List<ZonedDateTime> next =
          FireTimes.next(s, planned.minusMillis(1), 2, properties.timeZone());
      if (next.size() == 2) {
        period = Duration.between(next.get(0), next.get(1));
      }
    }
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM "
                + FROM
                + " WHERE i.task_id = ? AND i.planned_time <= ? AND i.planned_time > ?"
                + " ORDER BY i.planned_time DESC, i.id DESC LIMIT 1")
        .params(upstreamTaskId, Timestamp.from(planned), Timestamp.from(planned.minus(period)))
        .query((rs, i) -> row(rs).view())
        .optional();
  }

  private Duration timeoutOf(long taskId) {
    return schedules.find(taskId).map(Schedule::timeout).orElse(Duration.ofHours(24));
  }

  /**
   * Takes the instance (if no other node did) and queues its run. Its start time and node are its
   * run's ({@link #runPlaced}); until the run starts, the deadline bounds its wait in the queue.
   */
  private void start(Row r) {
    View v = r.view();
    Schedule s = schedules.find(v.taskId()).orElse(null);
    Instant now = Instant.now();
    int taken =
        db.sql(
                "UPDATE ferry_instance SET state = 'RUNNING', node = ?, started_at = NULL,"
                    + " ended_at = NULL, deadline = ?, message = NULL"
                    + " WHERE id = ? AND state = 'WAITING'")
            .params(properties.nodeId(), Timestamp.from(now.plus(timeoutOf(v.taskId()))), v.id())
            .update();
    if (taken == 0) {
      return; // another node took it
    }
    ZoneId zone = s == null ? properties.timeZone() : schedules.zoneOf(s);
    try {
      RunService.View run = runs.startInstance(v.taskId(), v.id(), v.plannedTime().atZone(zone));
      db.sql("UPDATE ferry_instance SET run_id = ? WHERE id = ?").params(run.id(), v.id()).update();
      publish(get(v.id()));
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      attemptFailed(get(v.id()), "cannot start: " + message);
    }
  }

  /**
   * A node took the run of an instance (its latest attempt): the instance shows that node, its
   * start time is the run's, and its timeout counts from there. Called again when another node
   * takes the run over, which changes only the node.
   */
  private void runPlaced(RunService.View run) {
    if (run.instanceId() == null || run.id() != latestRun(run.instanceId())) {
      return;
    }
    Instant started = run.startedAt();
    int changed =
        db.sql(
                "UPDATE ferry_instance SET node = ?"
                    + (started == null ? "" : ", started_at = ?, deadline = ?")
                    + " WHERE id = ? AND state = 'RUNNING'")
            .params(
                started == null
                    ? List.of(run.node(), run.instanceId())
                    : List.of(
                        run.node(),
                        Timestamp.from(started),
                        Timestamp.from(started.plus(timeoutOf(run.taskId()))),
                        run.instanceId()))
            .update();
    if (changed == 1) {
      publish(get(run.instanceId()));
    }
  }

  /** The run of the instance's latest attempt. */
  private long latestRun(long instanceId) {
    return db.sql("SELECT MAX(id) FROM ferry_task_run WHERE instance_id = ?")
        .param(instanceId)
        .query(Long.class)
        .single();
  }

  // ---- ends -------------------------------------------------------------------------------

  /** A run ended: the instance it belongs to (if its latest attempt) follows. */
  private void runEnded(RunService.View run) {
    if (run.instanceId() == null) {
      return;
    }
    View v;
    try {
      v = get(run.instanceId());
    } catch (DomainException gone) {
      return;
    }
    // The latest attempt's run (it may end before start() has noted its id).
    if (!v.state().equals(RUNNING) || run.id() != latestRun(v.id())) {
      return; // timed out already, or an older attempt
    }
    switch (run.state()) {
      case "SUCCEEDED" -> end(v.id(), "SUCCEEDED", null);
      case "STOPPED" -> end(v.id(), "STOPPED", run.message());
      default -> attemptFailed(v, run.message());
    }
  }

  /** Retries a failed attempt when the schedule allows it; else the instance FAILED. */
  private void attemptFailed(View v, String message) {
    Schedule s = schedules.find(v.taskId()).orElse(null);
    if (s != null && Boolean.TRUE.equals(s.idempotent()) && v.attempt() <= s.retriesOrDefault()) {
      Instant retryAt = Instant.now().plus(s.retryDelay());
      db.sql(
              "UPDATE ferry_instance SET state = 'WAITING', attempt = attempt + 1, node = NULL,"
                  + " not_before = ?, message = ? WHERE id = ? AND state = 'RUNNING'")
          .params(
              Timestamp.from(retryAt),
              "attempt " + v.attempt() + " failed (" + message + "); retrying at " + retryAt,
              v.id())
          .update();
      publish(get(v.id()));
      return;
    }
    if (end(v.id(), "FAILED", message)) {
      afterFailure(v.taskId(), v.id(), "FAILED");
    }
  }

  private void afterFailure(long taskId, long instanceId, String state) {
    if (schedules.find(taskId).map(Schedule::offlinesOnFailure).orElse(false)) {
      schedules.offline(taskId, "instance " + instanceId + " " + state);
    }
  }

  /** Ends a RUNNING or WAITING instance; false when it had ended already. */
  private boolean end(long id, String state, String message) {
    boolean changed =
        db.sql(
                    "UPDATE ferry_instance SET state = ?, ended_at = ?, message = ?"
                        + " WHERE id = ? AND state IN ('WAITING', 'RUNNING')")
                .params(state, Timestamp.from(Instant.now()), SqlText.orNull(message), id)
                .update()
            == 1;
    if (changed) {
      publish(get(id));
    }
    return changed;
  }

  /** Stops an instance: a waiting one ends at once, a running one stops its run. */
  public View stop(long id) {
    View v = get(id);
    if (FINAL.contains(v.state())) {
      throw DomainException.conflict("instance " + id + " already ended " + v.state());
    }
    audit.record("stop", "instance", id, v.taskName());
    if (v.state().equals(WAITING) || v.runId() == null) {
      end(id, "STOPPED", "stopped by " + AuditLog.currentUser() + " before it ran");
    } else {
      runs.stop(v.runId());
    }
    return get(id);
  }

  private void publish(View v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "instance");
    m.put("id", v.id());
    m.put("taskId", v.taskId());
    m.put("taskName", v.taskName());
    m.put("plannedTime", v.plannedTime().toString());
    m.put("trigger", v.trigger());
    m.put("state", v.state());
    m.put("attempt", v.attempt());
    m.put("runId", v.runId());
    m.put("message", v.message());
    socket.publishAll(m);
  }
}
