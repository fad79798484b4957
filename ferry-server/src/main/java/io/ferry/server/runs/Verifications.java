package io.ferry.server.runs;

import io.ferry.engine.Engine;
import io.ferry.engine.JobSpec;
import io.ferry.engine.RunResult;
import io.ferry.engine.Settings;
import io.ferry.engine.verify.Difference;
import io.ferry.engine.verify.VerifyMode;
import io.ferry.engine.verify.VerifyOptions;
import io.ferry.engine.verify.VerifyResult;
import io.ferry.server.runs.RunStore.Row;
import io.ferry.server.schedule.model.PlannedScript;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.Page;
import io.ferry.server.tasks.JobScripts;
import io.ferry.server.tasks.TaskService;
import io.ferry.spi.FerryException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifications of tasks ({@code ferry_verification}): whether a task's target holds its source's
 * rows (docs/verify.md). Three kinds: what a run's {@code verify} setting found once its copy
 * succeeded (recorded with the run, {@code RUN}); a Verify a person started on a task or a run
 * ({@code MANUAL}); and the task's verification schedule ({@code SCHEDULE}, a Quartz cron job in
 * the clustered job store, so that one node fires each time). The last two compare content (counts,
 * then every row by key, by checksums inside the databases where they can) and execute on a small
 * pool of this node, tracked as RUNNING until they end; one at a time per task.
 */
@Service
public class Verifications implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(Verifications.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<Map<String, Object>>> SAMPLE = new TypeReference<>() {};
  private static final TypeReference<List<String>> NOTES = new TypeReference<>() {};

  /** Differences kept with a verification for display; the report file has every one. */
  public static final int SAMPLE_SIZE = 20;

  static final String GROUP = "verify";

  private static final String COLUMNS =
      "id, task_id, task_name, run_id, trigger_kind, state, verify_mode, same_rows, method,"
          + " source_rows, target_rows, missing_rows, extra_rows, different_rows, sample, notes,"
          + " report_file, message, started_by, node, started_at, ended_at";

  private final JdbcClient db;
  private final Engine engine;
  private final JobScripts scripts;
  private final TaskService tasks;
  private final RunStore runs;
  private final AuditLog audit;
  private final FerryProperties properties;
  private final Scheduler quartz;
  private final ExecutorService pool =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "ferry-server-verify");
            t.setDaemon(true);
            return t;
          });

  public Verifications(
      JdbcClient db,
      Engine engine,
      JobScripts scripts,
      TaskService tasks,
      RunStore runs,
      AuditLog audit,
      FerryProperties properties,
      Scheduler quartz) {
    this.db = db;
    this.engine = engine;
    this.scripts = scripts;
    this.tasks = tasks;
    this.runs = runs;
    this.audit = audit;
    this.properties = properties;
    this.quartz = quartz;
  }

  /**
   * A verification as the API shows it. Counts are null until it ended (or when not counted: -1 in
   * the engine's result is null here).
   *
   * @param trigger {@code RUN} (after a run), {@code MANUAL} or {@code SCHEDULE}
   * @param state RUNNING, SUCCEEDED (it ran; {@code equal} says what it found) or FAILED
   * @param equal whether the target holds exactly the source's rows; null until it ran
   * @param sample the first {@value #SAMPLE_SIZE} differences: {@code kind}, {@code key} (column →
   *     value) and {@code columns} ({@code column}, {@code source}, {@code target})
   */
  public record View(
      long id,
      Long taskId,
      String taskName,
      Long runId,
      String trigger,
      String state,
      String mode,
      Boolean equal,
      String method,
      Long sourceRows,
      Long targetRows,
      Long missing,
      Long extra,
      Long different,
      List<Map<String, Object>> sample,
      List<String> notes,
      String message,
      String startedBy,
      String node,
      Instant startedAt,
      Instant endedAt) {
    /** The same without row values (keys stay): for users who may not read rows. */
    public View withoutValues() {
      List<Map<String, Object>> keysOnly = new ArrayList<>();
      for (Map<String, Object> d : sample) {
        Map<String, Object> k = new LinkedHashMap<>(d);
        if (d.get("columns") instanceof List<?> columns) {
          k.put(
              "columns",
              columns.stream()
                  .map(c -> c instanceof Map<?, ?> m ? Map.of("column", m.get("column")) : c)
                  .toList());
        }
        keysOnly.add(k);
      }
      return new View(
          id,
          taskId,
          taskName,
          runId,
          trigger,
          state,
          mode,
          equal,
          method,
          sourceRows,
          targetRows,
          missing,
          extra,
          different,
          keysOnly,
          notes,
          message,
          startedBy,
          node,
          startedAt,
          endedAt);
    }
  }

  /**
   * @param cron a Quartz cron expression, seconds first ({@code 0 30 2 * * ?})
   * @param zone its time zone; the server's ({@code ferry.time-zone}) when null
   */
  public record Schedule(Long taskId, String cron, String zone) {}

  // ---- reading ---------------------------------------------------------------------------------

  public View get(long id) {
    failOrphans();
    return db.sql("SELECT " + COLUMNS + " FROM ferry_verification WHERE id = ?")
        .param(id)
        .query((rs, i) -> view(rs))
        .optional()
        .orElseThrow(() -> DomainException.notFound("verification", id));
  }

  /**
   * Verifications, newest first.
   *
   * @param taskId only this task's; null for all
   * @param runId only those of this run (after it, or started on it); null for all
   */
  public Page<View> list(Long taskId, Long runId, int page, int size) {
    failOrphans();
    Page.Where where = new Page.Where().andIf(taskId, "task_id = ?").andIf(runId, "run_id = ?");
    return Page.query(
        db, COLUMNS, "ferry_verification", where, "id DESC", page, size, (rs, i) -> view(rs));
  }

  /**
   * The file with every difference of a verification (JSON Lines, as {@code ferry verify --report}
   * writes it); empty when it found none (or has not ended).
   *
   * @throws DomainException.NotFound when the verification does not exist, or its file is not on
   *     this node (it is on the node that ran it)
   */
  public Optional<Path> reportFile(long id) {
    View v = get(id);
    String file =
        db.sql("SELECT report_file FROM ferry_verification WHERE id = ?")
            .param(id)
            .query(String.class)
            .optional()
            .orElse(null);
    if (file == null) {
      return Optional.empty();
    }
    Path path = Path.of(file);
    if (!java.nio.file.Files.isRegularFile(path)) {
      throw DomainException.notFound(
          "report file of verification " + id + " on this node (it ran on " + v.node() + ")", id);
    }
    return Optional.of(path);
  }

  /** The newest verification of a run, if it has one. */
  public Optional<View> latestOfRun(long runId) {
    return list(null, runId, 0, 1).items().stream().findFirst();
  }

  private static View view(ResultSet rs) throws SQLException {
    boolean same = rs.getBoolean(8);
    Boolean equal = rs.wasNull() ? null : same;
    String sample = rs.getString(15);
    String notes = rs.getString(16);
    Timestamp ended = rs.getTimestamp(22);
    return new View(
        rs.getLong(1),
        rs.getObject(2, Long.class),
        rs.getString(3),
        rs.getObject(4, Long.class),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        equal,
        rs.getString(9),
        rs.getObject(10, Long.class),
        rs.getObject(11, Long.class),
        rs.getObject(12, Long.class),
        rs.getObject(13, Long.class),
        rs.getObject(14, Long.class),
        sample == null ? List.of() : JSON.readValue(sample, SAMPLE),
        notes == null ? List.of() : JSON.readValue(notes, NOTES),
        rs.getString(18),
        rs.getString(19),
        rs.getString(20),
        rs.getTimestamp(21).toInstant(),
        ended == null ? null : ended.toInstant());
  }

  // ---- after a run -----------------------------------------------------------------------------

  /** Records what a run's {@code verify} setting found once its copy succeeded. */
  void recordAfterRun(Row run, RunResult.Verification v) {
    VerifyResult r = v.result();
    long id =
        insert(
            run.view().taskId(),
            run.view().taskName(),
            run.view().id(),
            "RUN",
            r != null ? r.mode().text() : "count",
            run.view().startedBy());
    if (r != null) {
      succeeded(id, r);
    } else {
      failed(id, v.failure().getMessage());
    }
  }

  /** A line for the run's log and, when the target differs, its message. */
  static String summary(VerifyResult r) {
    String counts = "source " + r.sourceRows() + " rows, target " + r.targetRows() + " rows";
    if (r.mode().text().equals("content") && r.keyed()) {
      counts +=
          "; missing " + r.missing() + ", extra " + r.extra() + ", different " + r.different();
    }
    return "verification "
        + (r.equal() ? "EQUAL" : "DIFFERS")
        + " ("
        + r.mode().text()
        + ", "
        + r.method()
        + "): "
        + counts;
  }

  // ---- Verify, now or on a schedule ------------------------------------------------------------

  /** Verifies a task's target against its source (content), as of now; returns it RUNNING. */
  public View verifyTask(long taskId) {
    TaskService.View task = tasks.get(taskId);
    View v =
        start(
            task.id(),
            task.name(),
            null,
            PlannedScript.at(task.script(), ZonedDateTime.now(properties.timeZone())),
            "MANUAL",
            AuditLog.currentUser());
    audit.record("verify", "task", taskId, task.name());
    return v;
  }

  /**
   * Verifies the target of a run's job (its script with its scheduling parameters) against its
   * source, as they are now; returns it RUNNING.
   */
  public View verifyRun(long runId) {
    Row row = runs.stored(runId);
    View v =
        start(
            row.view().taskId(),
            row.view().taskName(),
            runId,
            new PlannedScript(row.script(), row.params()),
            "MANUAL",
            AuditLog.currentUser());
    audit.record("verify", "run", runId, row.view().taskName());
    return v;
  }

  /**
   * Called by the task's verification trigger, in Quartz's thread, once per fire in the cluster.
   */
  void fire(long taskId) {
    TaskService.View task;
    try {
      task = tasks.get(taskId);
    } catch (DomainException.NotFound gone) {
      forget(taskId);
      return;
    }
    try {
      start(
          task.id(),
          task.name(),
          null,
          PlannedScript.at(task.script(), ZonedDateTime.now(properties.timeZone())),
          "SCHEDULE",
          "scheduler");
    } catch (DomainException e) {
      log.info("Verification of task {} did not fire: {}", taskId, e.getMessage());
    }
  }

  private View start(
      Long taskId,
      String name,
      Long runId,
      PlannedScript planned,
      String trigger,
      String startedBy) {
    // Resolved and checked now: a job that cannot be verified is a 400 to the caller.
    JobSpec spec = scripts.resolve(planned.script(), name, planned.params());
    engine.validate(spec, false);
    return start(taskId, name, runId, spec, trigger, startedBy, VerifyMode.CONTENT);
  }

  private synchronized View start(
      Long taskId,
      String name,
      Long runId,
      JobSpec spec,
      String trigger,
      String startedBy,
      VerifyMode mode) {
    failOrphans();
    if (taskId != null
        && db.sql(
                    "SELECT COUNT(*) FROM ferry_verification WHERE task_id = ? AND state ="
                        + " 'RUNNING'")
                .param(taskId)
                .query(Integer.class)
                .single()
            > 0) {
      throw DomainException.conflict("a verification of task " + name + " is running already");
    }
    long id = insert(taskId, name, runId, trigger, mode.text(), startedBy);
    int channels =
        Settings.CHANNELS.parse(
            spec.settings().getOrDefault("channels", Settings.CHANNELS.defaultValue()));
    VerifyOptions base =
        VerifyOptions.content()
            .withMode(mode)
            .withParallelism(Math.max(1, channels))
            .withReport(Engine.defaultReport(engine.stateDirectory(), name + "-verification-" + id))
            .withCheckpoint(mode == VerifyMode.CONTENT ? checkpoint(taskId, name, runId) : null);
    // Rows a change stream has not applied yet differ: compared again once its lag settled.
    VerifyOptions options =
        spec.kind() == JobSpec.Kind.CDC && taskId != null
            ? base.withRecheck(base.recheckDelay(), rows -> awaitSettledLag(taskId, rows))
            : base;
    boolean settles = spec.kind() == JobSpec.Kind.CDC && taskId != null;
    pool.execute(() -> execute(id, spec, options, settles ? taskId : null));
    return get(id);
  }

  // ---- running cdc tasks -----------------------------------------------------------------------

  /**
   * Verifies the cdc runs this node executes whose job sets {@code verify} (count or content): the
   * first time once the snapshot is done and the change lag settled, then every {@code verifyEvery}
   * when the job sets it (docs/verify.md). Each is recorded with the run (trigger {@code RUN});
   * differences are compared again after the lag settled, as for a Verify.
   */
  @Scheduled(fixedDelay = 2000, initialDelay = 2000)
  void verifyStreamingRuns() {
    try {
      for (RunService.View run : runs.list(null, "RUNNING", 0, 200).items()) {
        if (run.taskId() != null && properties.nodeId().equals(run.node())) {
          verifyStreaming(run);
        }
      }
    } catch (RuntimeException e) {
      log.warn("Automatic verification of cdc runs: {}", e.toString());
    }
  }

  private void verifyStreaming(RunService.View run) {
    if (!(runs.savedProgress(run.id()).get(RunProgress.CHANGES) instanceof Map<?, ?> changes)
        || !"STREAMING".equals(changes.get("phase"))
        || !(changes.get("lagMillis") instanceof Number lag)
        || lag.longValue() > SETTLED_LAG.toMillis()) {
      return;
    }
    Optional<View> last =
        list(null, run.id(), 0, 20).items().stream()
            .filter(v -> v.trigger().equals("RUN"))
            .findFirst();
    if (last.isPresent() && last.get().state().equals("RUNNING")) {
      return;
    }
    Row row = runs.stored(run.id());
    JobSpec spec;
    try {
      spec = scripts.resolve(row.script(), run.taskName(), row.params());
    } catch (RuntimeException e) {
      return; // the run's own script no longer resolves: nothing to verify against
    }
    Object asked = spec.settings().get(Settings.VERIFY.name());
    if (spec.kind() != JobSpec.Kind.CDC || asked == null) {
      return;
    }
    VerifyMode mode = Settings.VERIFY.parse(asked);
    if (mode == VerifyMode.OFF) {
      return;
    }
    if (last.isPresent()) {
      Object every = spec.settings().get(Settings.VERIFY_EVERY.name());
      Instant ended = last.get().endedAt();
      if (every == null
          || ended == null
          || ended.plus(Settings.VERIFY_EVERY.parse(every)).isAfter(Instant.now())) {
        return;
      }
    }
    try {
      start(run.taskId(), run.taskName(), run.id(), spec, "RUN", "system", mode);
    } catch (DomainException e) {
      // Another verification of the task runs: this one waits for the next turn.
      log.debug("Automatic verification of run {} waits: {}", run.id(), e.getMessage());
    }
  }

  /**
   * Where a Verify of the task (or of one of its runs) records the key ranges it completed, on this
   * node: a verification the node's stop or crash interrupted continues from there when the task
   * (or run) is verified again on this node, as {@code ferry verify} does. One verification of a
   * task runs at a time, so the file is never shared.
   */
  Path checkpoint(Long taskId, String name, Long runId) {
    String owner =
        (taskId != null ? "task-" + taskId : name.replaceAll("[^A-Za-z0-9_.-]", "_"))
            + (runId != null ? "-run-" + runId : "");
    return engine.stateDirectory().resolve("verify").resolve(owner + ".checkpoint.json");
  }

  /**
   * A cdc run's lag is settled when it is at most this. An idle stream keeps the lag of its last
   * change (commit to apply, a flush included), about a second on a busy machine: a bound at one
   * second could miss a stream that is caught up.
   */
  static final java.time.Duration SETTLED_LAG = java.time.Duration.ofSeconds(3);

  /** How long a verification waits for a cdc run's lag to settle before it compares again. */
  static final java.time.Duration LAG_WAIT = java.time.Duration.ofMinutes(5);

  /**
   * Waits until every running run of the task reports (in its saved progress) a change lag of at
   * most {@link #SETTLED_LAG}, for at most {@link #LAG_WAIT}: the rows that differed because the
   * stream had not applied them yet then no longer do.
   */
  private void awaitSettledLag(long taskId, long rows) {
    log.info(
        "Verification of task {}: {} rows differ; waiting for its changes to settle", taskId, rows);
    long deadline = System.nanoTime() + LAG_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      boolean settled = true;
      for (RunService.View run : runs.list(taskId, "RUNNING", 0, 20).items()) {
        if (runs.savedProgress(run.id()).get(RunProgress.CHANGES) instanceof Map<?, ?> changes
            && changes.get("lagMillis") instanceof Number lag
            && lag.longValue() > SETTLED_LAG.toMillis()) {
          settled = false;
        }
      }
      if (settled) {
        return;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * @param settling the cdc task whose lag a differing count waits for before it is taken again;
   *     null for none
   */
  private void execute(long id, JobSpec spec, VerifyOptions options, Long settling) {
    try {
      VerifyResult r = engine.verify(spec, options);
      if (settling != null && options.mode() == VerifyMode.COUNT && !r.equal()) {
        // Counts of a target the stream still writes: taken again once its lag settled.
        awaitSettledLag(settling, Math.abs(r.sourceRows() - r.targetRows()));
        r = engine.verify(spec, options);
      }
      succeeded(id, r);
    } catch (FerryException e) {
      failed(id, e.getMessage());
    } catch (RuntimeException e) {
      log.error("Verification {} failed", id, e);
      failed(id, e.toString());
    }
  }

  private long insert(
      Long taskId, String name, Long runId, String trigger, String mode, String startedBy) {
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_verification (task_id, task_name, run_id, trigger_kind, state,"
                + " verify_mode, started_by, node, started_at) VALUES (?, ?, ?, ?, 'RUNNING', ?,"
                + " ?, ?, ?)")
        .params(
            taskId,
            name,
            runId,
            trigger,
            mode,
            startedBy == null ? "system" : startedBy,
            properties.nodeId(),
            Timestamp.from(Instant.now()))
        .update(keys, "id");
    return keys.getKey().longValue();
  }

  private void succeeded(long id, VerifyResult r) {
    List<Map<String, Object>> sample = new ArrayList<>();
    for (Difference d : r.sample().subList(0, Math.min(SAMPLE_SIZE, r.sample().size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", d.kind().name().toLowerCase(java.util.Locale.ROOT));
      m.put("key", d.key());
      List<Map<String, Object>> columns = new ArrayList<>();
      for (Difference.ColumnDifference c : d.columns()) {
        Map<String, Object> column = new LinkedHashMap<>();
        column.put("column", c.column());
        column.put("source", c.source());
        column.put("target", c.target());
        columns.add(column);
      }
      m.put("columns", columns);
      sample.add(m);
    }
    db.sql(
            "UPDATE ferry_verification SET state = 'SUCCEEDED', verify_mode = ?, same_rows = ?,"
                + " method = ?, source_rows = ?, target_rows = ?, missing_rows = ?, extra_rows = ?,"
                + " different_rows = ?, sample = ?, notes = ?, report_file = ?, ended_at = ?"
                + " WHERE id = ?")
        .params(
            r.mode().text(),
            r.equal(),
            r.method(),
            r.sourceRows() < 0 ? null : r.sourceRows(),
            r.targetRows() < 0 ? null : r.targetRows(),
            r.missing(),
            r.extra(),
            r.different(),
            JSON.writeValueAsString(sample),
            JSON.writeValueAsString(r.notes()),
            r.report() == null || !java.nio.file.Files.exists(r.report())
                ? null
                : r.report().toString(),
            Timestamp.from(Instant.now()),
            id)
        .update();
  }

  private void failed(long id, String message) {
    db.sql(
            "UPDATE ferry_verification SET state = 'FAILED', message = ?, ended_at = ?"
                + " WHERE id = ?")
        .params(message, Timestamp.from(Instant.now()), id)
        .update();
  }

  /** Verifications left RUNNING by a node that is no longer alive: they failed with it. */
  private void failOrphans() {
    db.sql(
            "UPDATE ferry_verification SET state = 'FAILED', ended_at = ?, message = ?"
                + " WHERE state = 'RUNNING' AND node NOT IN"
                + " (SELECT node FROM ferry_node WHERE heartbeat_at >= ?)")
        .params(
            Timestamp.from(Instant.now()),
            "the node running it stopped; verify again (on that node, it continues from its checkpoint)",
            Timestamp.from(Instant.now().minus(properties.lease().multipliedBy(2))))
        .update();
  }

  /** This node's own verifications cannot be running when it starts. */
  @EventListener(ApplicationReadyEvent.class)
  void failOwnAfterRestart() {
    db.sql(
            "UPDATE ferry_verification SET state = 'FAILED', ended_at = ?, message = ?"
                + " WHERE state = 'RUNNING' AND node = ?")
        .params(
            Timestamp.from(Instant.now()),
            "the server restarted during the verification; verify again to continue from its checkpoint",
            properties.nodeId())
        .update();
  }

  // ---- the schedule ----------------------------------------------------------------------------

  /** The task's verification schedule, if it has one. */
  public Optional<Schedule> schedule(long taskId) {
    tasks.get(taskId);
    return db.sql("SELECT task_id, cron, zone_id FROM ferry_verify_schedule WHERE task_id = ?")
        .param(taskId)
        .query((rs, i) -> new Schedule(rs.getLong(1), rs.getString(2), rs.getString(3)))
        .optional();
  }

  /**
   * Verifies the task on a cron schedule from now on (replacing its schedule, if any).
   *
   * @throws DomainException.Invalid naming {@code cron} or {@code zone}
   */
  public Schedule setSchedule(long taskId, Schedule request) {
    TaskService.View task = tasks.get(taskId);
    String cron = request == null || request.cron() == null ? "" : request.cron().trim();
    if (!CronExpression.isValidExpression(cron)) {
      throw DomainException.invalid(
          "cron", "a Quartz cron expression expected (seconds first: 0 30 2 * * ?)");
    }
    ZoneId zone;
    try {
      zone =
          request.zone() == null || request.zone().isBlank()
              ? properties.timeZone()
              : ZoneId.of(request.zone().trim());
    } catch (java.time.DateTimeException e) {
      throw DomainException.invalid("zone", "a time zone expected, such as Asia/Shanghai or UTC");
    }
    db.sql("DELETE FROM ferry_verify_schedule WHERE task_id = ?").param(taskId).update();
    db.sql(
            "INSERT INTO ferry_verify_schedule (task_id, cron, zone_id, updated_by, updated_at)"
                + " VALUES (?, ?, ?, ?, ?)")
        .params(taskId, cron, zone.getId(), AuditLog.currentUser(), Timestamp.from(Instant.now()))
        .update();
    arm(taskId, cron, zone);
    audit.record("verify-schedule", "task", taskId, task.name() + " (" + cron + ")");
    return new Schedule(taskId, cron, zone.getId());
  }

  /** Removes the task's verification schedule. */
  public void removeSchedule(long taskId) {
    TaskService.View task = tasks.get(taskId);
    forget(taskId);
    audit.record("verify-unschedule", "task", taskId, task.name());
  }

  /** Drops a task's verification schedule (the task is gone, or it is removed). */
  public void forget(long taskId) {
    try {
      quartz.deleteJob(JobKey.jobKey(String.valueOf(taskId), GROUP));
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "cannot remove the verification schedule of task " + taskId, e);
    }
    db.sql("DELETE FROM ferry_verify_schedule WHERE task_id = ?").param(taskId).update();
  }

  private void arm(long taskId, String cron, ZoneId zone) {
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .withIdentity(String.valueOf(taskId), GROUP)
            .withSchedule(
                CronScheduleBuilder.cronSchedule(cron)
                    .inTimeZone(TimeZone.getTimeZone(zone))
                    .withMisfireHandlingInstructionDoNothing())
            .build();
    try {
      quartz.scheduleJob(
          JobBuilder.newJob(VerifyFireJob.class)
              .withIdentity(String.valueOf(taskId), GROUP)
              .usingJobData(VerifyFireJob.TASK_ID, taskId)
              .build(),
          Set.of(trigger),
          true);
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot schedule the verification of task " + taskId, e);
    }
  }

  @Override
  public void destroy() {
    pool.shutdownNow();
  }
}
