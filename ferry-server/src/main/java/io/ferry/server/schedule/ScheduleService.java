package io.ferry.server.schedule;

import io.ferry.server.schedule.model.FireTimes;
import io.ferry.server.schedule.model.Schedule;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.DomainException.FieldProblem;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.SqlText;
import io.ferry.server.tasks.TaskService;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tasks' schedules and their online/offline state. A schedule is stored as its JSON with the cron
 * expression generated from it; an online task has a Quartz job (one per task, in Quartz's JDBC
 * store, so that with several nodes one of them fires each time) whose trigger creates an instance
 * ({@link InstanceService}). Offline tasks have no Quartz job and never fire.
 */
@Service
public class ScheduleService {
  static final String GROUP = "ferry-task";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int PREVIEW = 5;

  private final org.springframework.jdbc.core.simple.JdbcClient db;
  private final TaskService tasks;
  private final Scheduler quartz;
  private final AuditLog audit;
  private final ObjectProvider<InstanceService> instances;
  private final ZoneId serverZone;

  public ScheduleService(
      org.springframework.jdbc.core.simple.JdbcClient db,
      TaskService tasks,
      Scheduler quartz,
      AuditLog audit,
      ObjectProvider<InstanceService> instances,
      FerryProperties properties) {
    this.db = db;
    this.tasks = tasks;
    this.quartz = quartz;
    this.audit = audit;
    this.instances = instances;
    this.serverZone = properties.timeZone();
  }

  /**
   * A task's schedule as the API shows it.
   *
   * @param schedule null when the task has none
   * @param nextFireTimes the next planned times (none while offline)
   */
  public record View(
      long taskId,
      Schedule schedule,
      boolean online,
      String cron,
      String description,
      Long timeoutMinutes,
      List<OffsetDateTime> nextFireTimes) {}

  /** What a schedule would do, for a form to show while it is edited. */
  public record Preview(
      String cron, String description, long timeoutMinutes, List<OffsetDateTime> nextFireTimes) {}

  private record Stored(long taskId, Schedule schedule, boolean online) {}

  public View get(long taskId) {
    tasks.get(taskId);
    return stored(taskId)
        .map(this::view)
        .orElse(new View(taskId, null, false, null, null, null, List.of()));
  }

  /** The stored schedule of a task, if it has one. */
  Optional<Schedule> find(long taskId) {
    return stored(taskId).map(Stored::schedule);
  }

  boolean isOnline(long taskId) {
    return stored(taskId).map(Stored::online).orElse(false);
  }

  ZoneId zoneOf(Schedule s) {
    return s.zone(serverZone);
  }

  private Optional<Stored> stored(long taskId) {
    return db.sql("SELECT task_id, spec, online FROM ferry_schedule WHERE task_id = ?")
        .param(taskId)
        .query(
            (rs, i) ->
                new Stored(rs.getLong(1), Schedule.fromJson(rs.getString(2)), rs.getBoolean(3)))
        .optional();
  }

  /** A schedule as {@code ferry_schedule.spec} stores it. */
  /** The summary in the language of the request (English outside one). */
  private static String describe(Schedule s) {
    return s.describe(LocaleContextHolder.getLocale());
  }

  private View view(Stored s) {
    Schedule schedule = s.schedule();
    return new View(
        s.taskId(),
        schedule,
        s.online(),
        schedule.isOnce() ? null : schedule.cronExpression(),
        describe(schedule),
        schedule.timeout().toMinutes(),
        s.online() ? next(schedule, PREVIEW) : List.of());
  }

  private List<OffsetDateTime> next(Schedule s, int count) {
    return FireTimes.next(s, Instant.now(), count, serverZone).stream()
        .map(ZonedDateTime::toOffsetDateTime)
        .toList();
  }

  /** Checks a schedule and says what it would do. */
  public Preview preview(Schedule s) {
    check(s, null);
    return new Preview(
        s.isOnce() ? null : s.cronExpression(),
        describe(s),
        s.timeout().toMinutes(),
        next(s, PREVIEW));
  }

  /** Sets a task's schedule; an online task fires by the new one from now on. */
  public View put(long taskId, Schedule s) {
    tasks.get(taskId);
    check(s, taskId);
    Timestamp now = Timestamp.from(Instant.now());
    String spec = JSON.writeValueAsString(s);
    String cron = s.isOnce() ? null : s.cronExpression();
    if (db.sql(
                "UPDATE ferry_schedule SET spec = ?, cron = ?, description = ?, updated_at = ?"
                    + " WHERE task_id = ?")
            .params(spec, SqlText.orNull(cron), s.describe(), now, taskId)
            .update()
        == 0) {
      db.sql(
              "INSERT INTO ferry_schedule (task_id, spec, cron, description, online, updated_at)"
                  + " VALUES (?, ?, ?, ?, FALSE, ?)")
          .params(taskId, spec, SqlText.orNull(cron), s.describe(), now)
          .update();
    }
    if (isOnline(taskId)) {
      arm(taskId, s);
    }
    audit.record(
        "schedule", "task", taskId, s.describe() + (cron == null ? "" : " (" + cron + ")"));
    return get(taskId);
  }

  /** Removes a task's schedule; an online task must go offline first. */
  public void delete(long taskId) {
    tasks.get(taskId);
    if (isOnline(taskId)) {
      throw DomainException.conflict("task " + taskId + " is online: take it offline first");
    }
    db.sql("DELETE FROM ferry_schedule WHERE task_id = ?").param(taskId).update();
    audit.record("unschedule", "task", taskId, null);
  }

  /** Forgets the schedule of a task being deleted (online or not). */
  public void forget(long taskId) {
    disarm(taskId);
    db.sql("DELETE FROM ferry_schedule WHERE task_id = ?").param(taskId).update();
  }

  /**
   * Puts a task online: its schedule fires from now on. A one-time schedule without a time, or a
   * periodic one that runs on going online, makes an instance at once.
   */
  public View online(long taskId) {
    tasks.get(taskId);
    Stored s =
        stored(taskId)
            .orElseThrow(
                () ->
                    DomainException.conflict(
                        "task " + taskId + " has no schedule: set one before it goes online"));
    if (s.online()) {
      return view(s);
    }
    Schedule schedule = s.schedule();
    Instant now = Instant.now();
    boolean fireNow =
        schedule.isOnce()
            ? schedule.runAt() == null
            : schedule.runsOnOnline() && FireTimes.inEffectiveRange(schedule, now, serverZone);
    if (!fireNow && FireTimes.next(schedule, now, 1, serverZone).isEmpty()) {
      throw DomainException.conflict(
          "the schedule of task "
              + taskId
              + " never fires again ("
              + (schedule.isOnce()
                  ? "its time " + schedule.runAt() + " has passed"
                  : "its effective range ended on " + schedule.effectiveTo())
              + "): change it first");
    }
    db.sql("UPDATE ferry_schedule SET online = TRUE, onlined_at = ? WHERE task_id = ?")
        .params(Timestamp.from(now), taskId)
        .update();
    arm(taskId, schedule);
    audit.record("online", "task", taskId, schedule.describe());
    if (fireNow) {
      instances.getObject().fire(taskId, now, InstanceService.ONLINE);
    }
    return get(taskId);
  }

  /** Takes a task offline: it fires no more (instances already made go on). */
  public View offline(long taskId, String reason) {
    tasks.get(taskId);
    if (isOnline(taskId)) {
      db.sql("UPDATE ferry_schedule SET online = FALSE WHERE task_id = ?").param(taskId).update();
      disarm(taskId);
      audit.record("offline", "task", taskId, reason);
    }
    return get(taskId);
  }

  /** Puts several tasks online, all or none: every one must exist and have a schedule first. */
  public List<View> onlineAll(List<Long> ids) {
    List<FieldProblem> problems = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      if (tasks.find(id).isEmpty()) {
        problems.add(new FieldProblem("ids[" + i + "]", "there is no task " + id));
      } else if (stored(id).isEmpty()) {
        problems.add(new FieldProblem("ids[" + i + "]", "task " + id + " has no schedule"));
      }
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    return ids.stream().map(this::online).toList();
  }

  public List<View> offlineAll(List<Long> ids, String reason) {
    for (int i = 0; i < ids.size(); i++) {
      if (tasks.find(ids.get(i)).isEmpty()) {
        throw DomainException.invalid("ids[" + i + "]", "there is no task " + ids.get(i));
      }
    }
    return ids.stream().map(id -> offline(id, reason)).toList();
  }

  /**
   * Refuses a run by hand outside the effective range of a periodic schedule (as the schedule's own
   * instances are).
   */
  public void checkManualRun(long taskId) {
    find(taskId)
        .filter(s -> !s.isOnce())
        .filter(s -> !FireTimes.inEffectiveRange(s, Instant.now(), serverZone))
        .ifPresent(
            s -> {
              throw DomainException.conflict(
                  "task "
                      + taskId
                      + " is outside the effective range of its schedule ("
                      + (s.effectiveFrom() == null ? "" : "from " + s.effectiveFrom() + " ")
                      + (s.effectiveTo() == null ? "" : "to " + s.effectiveTo())
                      + "): it does not run, not even by hand");
            });
  }

  private void check(Schedule s, Long taskId) {
    if (s == null) {
      throw DomainException.invalid("schedule", "a schedule object expected");
    }
    List<FieldProblem> problems = new ArrayList<>();
    s.validate().forEach(p -> problems.add(new FieldProblem(p.field(), p.message())));
    List<Long> upstream = s.upstreamTaskIds() == null ? List.of() : s.upstreamTaskIds();
    for (int i = 0; i < upstream.size(); i++) {
      Long id = upstream.get(i);
      if (id == null || tasks.find(id).isEmpty()) {
        problems.add(new FieldProblem("upstreamTaskIds[" + i + "]", "there is no task " + id));
      } else if (id.equals(taskId)) {
        problems.add(
            new FieldProblem("upstreamTaskIds[" + i + "]", "a task cannot depend on itself"));
      }
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
  }

  // ---- Quartz ------------------------------------------------------------------------------

  static JobKey jobKey(long taskId) {
    return JobKey.jobKey("task-" + taskId, GROUP);
  }

  /** The task's Quartz job with a trigger for its schedule, replacing the one it had. */
  private void arm(long taskId, Schedule s) {
    ZoneId zone = zoneOf(s);
    Instant now = Instant.now();
    TriggerBuilder<Trigger> trigger =
        TriggerBuilder.newTrigger().withIdentity("task-" + taskId, GROUP).forJob(jobKey(taskId));
    Trigger built;
    if (s.isOnce()) {
      if (s.runAt() == null || !s.runAt().atZone(zone).toInstant().isAfter(now)) {
        disarm(taskId); // runs on going online only
        return;
      }
      built =
          trigger
              .startAt(Date.from(s.runAt().atZone(zone).toInstant()))
              .withSchedule(
                  SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
              .build();
    } else {
      if (FireTimes.next(s, now, 1, serverZone).isEmpty()) {
        disarm(taskId); // the effective range has ended
        return;
      }
      Instant start =
          s.effectiveFrom() == null
              ? now
              : max(now, s.effectiveFrom().atStartOfDay(zone).toInstant());
      Date end =
          s.effectiveTo() == null
              ? null
              : Date.from(s.effectiveTo().plusDays(1).atStartOfDay(zone).toInstant());
      built =
          trigger
              .startAt(Date.from(start))
              .endAt(end)
              .withSchedule(
                  CronScheduleBuilder.cronSchedule(s.cronExpression())
                      .inTimeZone(TimeZone.getTimeZone(zone))
                      // Every planned time fires, late or not, with its own planned time: a fire
                      // missed while no node could make it (the node holding it died, the whole
                      // cluster was down) is made on recovery, and InstanceService skips those
                      // later than the schedule's timeout. (Quartz's "fire once now" would make
                      // one instance planned at the recovery's time and lose the others.)
                      .withMisfireHandlingInstructionIgnoreMisfires())
              .build();
    }
    JobDetail job =
        JobBuilder.newJob(FireJob.class)
            .withIdentity(jobKey(taskId))
            .usingJobData(FireJob.TASK_ID, taskId)
            .build();
    try {
      quartz.scheduleJob(job, java.util.Set.of(built), true);
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot schedule task " + taskId + ": " + e.getMessage(), e);
    }
  }

  private void disarm(long taskId) {
    try {
      quartz.deleteJob(jobKey(taskId));
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "cannot unschedule task " + taskId + ": " + e.getMessage(), e);
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
