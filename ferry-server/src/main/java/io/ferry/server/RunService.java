package io.ferry.server;

import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.Progress;
import io.ferry.engine.RunListener;
import io.ferry.engine.RunRecord;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.engine.SplitProgress;
import io.ferry.server.schedule.SchedulingParameters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The server's runs: started from a task (or an ad-hoc script), executed by the engine on a bounded
 * pool of {@code ferry.max-concurrent-runs} (more wait as QUEUED), paused, resumed, stopped and
 * started again. Every state change is written to {@code ferry_task_run} before it is announced
 * over the WebSocket. At start, runs the previous process left RUNNING become PAUSED (resumable
 * from their checkpoint) and queued runs are queued again.
 */
@Service
public class RunService implements ApplicationRunner, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  static final String QUEUED = "QUEUED";
  private static final Duration SAVE_EVERY = Duration.ofSeconds(5);

  /** The key of the speed history in a run's saved progress. */
  static final String HISTORY = "history";

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();
  private static final tools.jackson.core.type.TypeReference<Map<String, Object>> OBJECT =
      new tools.jackson.core.type.TypeReference<>() {};

  private final JdbcClient db;
  private final Engine engine;
  private final TaskService tasks;
  private final JobScripts scripts;
  private final AuditLog audit;
  private final RunLogs logs;
  private final ProgressSocket socket;
  private final ThreadPoolExecutor pool;
  private final Map<Long, Active> active = new ConcurrentHashMap<>();
  private final AtomicInteger executing = new AtomicInteger();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final MeterRegistry meters;
  private final FerryProperties properties;
  private final List<Consumer<View>> endListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-server-node");
            t.setDaemon(true);
            return t;
          });

  /** A run the server holds: queued (no JobRun yet) or executing. */
  private static final class Active {
    final long id;
    volatile Future<?> future;
    volatile JobRun run;
    volatile boolean stopRequested;
    volatile boolean pauseRequested;
    volatile Progress last;
    volatile Instant lastSaved = Instant.EPOCH;

    /** Its speeds since it first started; a resume continues the saved one. */
    volatile SpeedHistory history = new SpeedHistory();

    Active(long id) {
      this.id = id;
    }
  }

  public RunService(
      JdbcClient db,
      Engine engine,
      TaskService tasks,
      JobScripts scripts,
      AuditLog audit,
      RunLogs logs,
      ProgressSocket socket,
      FerryProperties properties,
      MeterRegistry meters) {
    this.db = db;
    this.engine = engine;
    this.tasks = tasks;
    this.scripts = scripts;
    this.audit = audit;
    this.logs = logs;
    this.socket = socket;
    this.meters = meters;
    this.properties = properties;
    int size = Math.max(1, properties.maxConcurrentRuns());
    this.pool =
        new ThreadPoolExecutor(
            size,
            size,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(Math.max(1, properties.maxQueuedRuns())),
            r -> {
              Thread t = new Thread(r, "ferry-server-run-slot");
              t.setDaemon(true);
              return t;
            });
    socket.runFigures(
        () -> Map.of("runsExecuting", executing.get(), "runsQueued", pool.getQueue().size()));
    Gauge.builder("ferry.runs.executing", executing, AtomicInteger::get)
        .description("Runs executing now")
        .register(meters);
    Gauge.builder("ferry.runs.queued", pool, p -> p.getQueue().size())
        .description("Runs waiting for a free slot")
        .register(meters);
    Gauge.builder("ferry.runs.records.per.second", this, RunService::recordsPerSecond)
        .description("Rows per second written by all executing runs")
        .register(meters);
  }

  // ---- the API's view ---------------------------------------------------------------------

  /** A run as the API shows it. Speeds are averages over the run's time. */
  public record View(
      long id,
      Long taskId,
      String taskName,
      String runKey,
      String state,
      String startedBy,
      Instant createdAt,
      Instant startedAt,
      Instant endedAt,
      Long durationMillis,
      long recordsRead,
      long recordsWritten,
      long bytesWritten,
      long dirtyRecords,
      Double percent,
      Double recordsPerSecond,
      Double bytesPerSecond,
      String message,
      Long rerunOf,
      Long instanceId,
      String node) {}

  private static final String COLUMNS =
      "id, task_id, task_name, run_key, state, started_by, created_at, started_at, ended_at,"
          + " records_read, records_written, bytes_written, dirty_records, percent_done, message,"
          + " rerun_of, script, dirty_file, params, instance_id, node, requested";

  /** A stored run with what the API does not show. */
  private record Row(
      View view,
      String script,
      String dirtyFile,
      Map<String, String> params,
      Long instanceId,
      String node,
      String requested) {}

  private static Row row(ResultSet rs) throws SQLException {
    long task = rs.getLong(2);
    Long taskId = rs.wasNull() ? null : task;
    Instant started = instant(rs.getTimestamp(8));
    Instant ended = instant(rs.getTimestamp(9));
    Long duration =
        started == null
            ? null
            : Duration.between(started, ended == null ? Instant.now() : ended).toMillis();
    long written = rs.getLong(11);
    long bytes = rs.getLong(12);
    double seconds = duration == null ? 0 : duration / 1000.0;
    double percent = rs.getDouble(14);
    Double pct = rs.wasNull() ? null : percent;
    long rerun = rs.getLong(16);
    Long rerunOf = rs.wasNull() ? null : rerun;
    return new Row(
        new View(
            rs.getLong(1),
            taskId,
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            instant(rs.getTimestamp(7)),
            started,
            ended,
            duration,
            rs.getLong(10),
            written,
            bytes,
            rs.getLong(13),
            pct,
            seconds > 0 ? written / seconds : null,
            seconds > 0 ? bytes / seconds : null,
            rs.getString(15),
            rerunOf,
            (Long) rs.getObject(20, Long.class),
            rs.getString(21)),
        rs.getString(17),
        rs.getString(18),
        JobScripts.params(rs.getString(19)),
        (Long) rs.getObject(20, Long.class),
        rs.getString(21),
        rs.getString(22));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /**
   * Runs, newest first, one page.
   *
   * @param taskId only this task's runs; null for all
   * @param state only runs in this state; null for all
   */
  public Page<View> list(Long taskId, String state, int page, int size) {
    Page.Where where =
        new Page.Where()
            .andIf(taskId, "task_id = ?")
            .andIf(state == null ? null : state.toUpperCase(Locale.ROOT), "state = ?");
    return Page.query(
            db, COLUMNS, "ferry_task_run", where, "id DESC", page, size, (rs, i) -> row(rs))
        .map(Row::view);
  }

  public View get(long id) {
    return stored(id).view();
  }

  private Row stored(long id) {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_task_run WHERE id = ?")
        .param(id)
        .query((rs, i) -> row(rs))
        .optional()
        .orElseThrow(() -> ApiException.notFound("run", id));
  }

  /** The script a run executes, with its scheduling parameters; a rerun executes them again. */
  Planned planned(long id) {
    Row row = stored(id);
    return new Planned(row.script(), row.params());
  }

  /** The file of the run's dirty rows, if it had any. */
  public Optional<Path> dirtyFile(long id) {
    return Optional.ofNullable(stored(id).dirtyFile()).map(Path::of);
  }

  // ---- control ----------------------------------------------------------------------------

  /** Queues a new run of a task; returns it (QUEUED, or already RUNNING when a slot was free). */
  public View startTask(long taskId) {
    TaskService.View task = tasks.get(taskId);
    Planned planned = Planned.at(task.script(), now());
    View run = submitNew(task.id(), task.name(), planned, null, null);
    audit.record("start", "run", run.id(), "task " + task.name());
    return get(run.id());
  }

  /**
   * Queues the run of a scheduled instance, its scheduling parameters taken from the planned time.
   */
  public View startInstance(long taskId, long instanceId, ZonedDateTime plannedTime) {
    TaskService.View task = tasks.get(taskId);
    Planned planned = Planned.at(task.script(), plannedTime);
    return submitNew(task.id(), task.name(), planned, null, instanceId);
  }

  /** Queues a run of a script that belongs to no task. */
  public View startScript(String name, String script) {
    String jobName = name == null || name.isBlank() ? "adhoc" : name;
    View run = submitNew(null, jobName, Planned.at(script, now()), null, null);
    audit.record("start", "run", run.id(), "script " + jobName);
    return get(run.id());
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(properties.timeZone());
  }

  /**
   * A script as one run executes it: {@code $[...]} expressions expanded and the {@code ${bizdate}}
   * family of parameters set, both from the run's planned time (now, for a run started by hand).
   */
  record Planned(String script, Map<String, String> params) {
    static Planned at(String script, ZonedDateTime plannedTime) {
      try {
        return new Planned(
            SchedulingParameters.expand(script, plannedTime),
            SchedulingParameters.system(plannedTime));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("script", e.getMessage());
      }
    }
  }

  /** Starts the script of a run again as a new run. */
  public View rerun(long id) {
    Row old = stored(id);
    if (!isFinal(old.view().state())) {
      throw ApiException.conflict(
          "run " + id + " is " + old.view().state() + "; only an ended run can be run again");
    }
    View run =
        submitNew(
            old.view().taskId(),
            old.view().taskName(),
            new Planned(old.script(), old.params()),
            id,
            old.instanceId());
    audit.record("rerun", "run", run.id(), "again from run " + id);
    return get(run.id());
  }

  private View submitNew(Long taskId, String name, Planned planned, Long rerunOf, Long instanceId) {
    // Validate now (400 to the caller), run later; data sources are read again when it starts.
    JobSpec spec = scripts.resolve(planned.script(), name, planned.params());
    engine.validate(spec, false);
    org.springframework.jdbc.support.GeneratedKeyHolder keys =
        new org.springframework.jdbc.support.GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_task_run (task_id, task_name, state, script, started_by,"
                + " created_at, records_read, records_written, bytes_written, dirty_records,"
                + " rerun_of, params, instance_id, node)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?)")
        .params(
            taskId,
            name,
            QUEUED,
            planned.script(),
            AuditLog.currentUser(),
            Timestamp.from(Instant.now()),
            rerunOf,
            JobScripts.paramsJson(planned.params()),
            instanceId,
            properties.nodeId())
        .update(keys, "id");
    long id = keys.getKey().longValue();
    logs.info(id, "queued by " + AuditLog.currentUser());
    enqueue(id, null, Map.of());
    return get(id);
  }

  private void enqueue(long id, String resumeKey, Map<String, Object> overrides) {
    Active a = new Active(id);
    active.put(id, a);
    try {
      a.future = pool.submit(() -> execute(a, resumeKey, overrides));
    } catch (RejectedExecutionException full) {
      active.remove(id, a);
      String reason = "the run queue is full; try again later";
      saveState(id, resumeKey == null ? "FAILED" : "PAUSED", reason, resumeKey == null);
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, reason);
    }
  }

  public View pause(long id) {
    Row row = stored(id);
    View run = row.view();
    Active a = active.get(id);
    if (a == null && run.state().equals("RUNNING") && !isMine(row)) {
      return requestOf(row, "pause");
    }
    if (a == null || a.run == null) {
      throw ApiException.conflict(
          "run "
              + id
              + " is "
              + run.state()
              + (run.state().equals(QUEUED)
                  ? "; a queued run has not started: stop it to cancel it"
                  : "; only a running run pauses"));
    }
    if (!a.run.pausable()) {
      throw ApiException.conflict(
          "the sink of run " + id + " cannot continue an earlier attempt: stop the run instead");
    }
    a.pauseRequested = true;
    a.run.pause();
    logs.info(id, "pause requested by " + AuditLog.currentUser());
    audit.record("pause", "run", id, run.taskName());
    return get(id);
  }

  private boolean isMine(Row row) {
    return properties.nodeId().equals(row.node());
  }

  /**
   * Pause or stop of a run that another node executes: written to the run's row, which that node
   * reads within a second.
   */
  private View requestOf(Row row, String action) {
    long id = row.view().id();
    db.sql("UPDATE ferry_task_run SET requested = ? WHERE id = ?").params(action, id).update();
    logs.info(id, action + " requested by " + AuditLog.currentUser() + " for node " + row.node());
    audit.record(action, "run", id, row.view().taskName());
    return get(id);
  }

  /**
   * Queues a paused run to continue from its checkpoint.
   *
   * @param settings engine settings laid over the run's own (e.g. more channels); the data must
   *     stay the same
   */
  public View resume(long id, Map<String, Object> settings) {
    View run = get(id);
    if (!run.state().equals("PAUSED") || active.containsKey(id)) {
      if (active.containsKey(id) && run.state().equals("PAUSED")) {
        throw ApiException.conflict("run " + id + " is still pausing; try again in a moment");
      }
      throw ApiException.conflict(
          "run "
              + id
              + " is "
              + run.state()
              + "; only a paused run resumes"
              + (isFinal(run.state()) ? " (rerun starts it again as a new run)" : ""));
    }
    db.sql("UPDATE ferry_task_run SET state = ?, message = NULL, node = ? WHERE id = ?")
        .params(QUEUED, properties.nodeId(), id)
        .update();
    logs.info(id, "resume requested by " + AuditLog.currentUser());
    enqueue(id, run.runKey(), settings == null ? Map.of() : Map.copyOf(settings));
    audit.record(
        "resume",
        "run",
        id,
        run.taskName() + (settings == null || settings.isEmpty() ? "" : " with " + settings));
    return get(id);
  }

  public View stop(long id) {
    Row row = stored(id);
    View run = row.view();
    if (isFinal(run.state())) {
      throw ApiException.conflict("run " + id + " already ended " + run.state());
    }
    Active a = active.get(id);
    if (a == null && !run.state().equals("PAUSED") && !isMine(row)) {
      return requestOf(row, "stop");
    }
    logs.info(id, "stop requested by " + AuditLog.currentUser());
    audit.record("stop", "run", id, run.taskName());
    if (a != null) {
      stopHeld(a);
      return get(id);
    }
    // PAUSED and not held here: nothing executes; the run ends where its checkpoint is, and the
    // engine's record says so too (no `ferry resume` brings it back).
    if (run.runKey() != null && engine.runOf(run.runKey()).isPresent()) {
      try {
        engine.stopPaused(run.runKey(), "stopped while paused");
      } catch (io.ferry.spi.FerryException e) {
        throw ApiException.conflict(e.getMessage());
      }
    }
    saveState(id, "STOPPED", "stopped while paused", true);
    publishState(id);
    return get(id);
  }

  /** Stops a run held here: executing, or still waiting for a slot. */
  private void stopHeld(Active a) {
    a.stopRequested = true;
    JobRun r = a.run;
    if (r != null) {
      r.stop();
    } else if (a.future != null && a.future.cancel(false)) {
      pool.remove((Runnable) a.future); // out of the queue now, not when a slot frees
      active.remove(a.id, a);
      saveState(a.id, "STOPPED", "stopped before it started", true);
    }
  }

  // ---- execution --------------------------------------------------------------------------

  private void execute(Active a, String resumeKey, Map<String, Object> overrides) {
    long id = a.id;
    executing.incrementAndGet();
    JobRun run = null;
    try {
      if (a.stopRequested) {
        active.remove(id, a);
        saveState(id, "STOPPED", "stopped before it started", true);
        return;
      }
      Row row = stored(id);
      try {
        JobSpec spec = scripts.resolve(row.script(), row.view().taskName(), row.params());
        run =
            resumeKey == null
                ? engine.start(spec.withSettings(overrides))
                : engine.resume(resumeKey, spec, overrides);
      } catch (RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        logs.warn(id, (resumeKey == null ? "cannot start: " : "cannot resume: ") + message);
        // A resume that cannot go ahead leaves the run paused, its checkpoint intact.
        active.remove(id, a); // before the state is visible: a resume may follow at once
        saveState(id, resumeKey == null ? "FAILED" : "PAUSED", message, resumeKey == null);
        publishState(id);
        return;
      }
      a.run = run;
      if (resumeKey != null) {
        a.history = SpeedHistory.fromJson(savedProgress(id).get(HISTORY));
      }
      logs.attach(run.runKey(), id);
      db.sql(
              "UPDATE ferry_task_run SET run_key = ?, state = ?, message = NULL,"
                  + " started_at = COALESCE(started_at, ?) WHERE id = ?")
          .params(run.runKey(), "RUNNING", Timestamp.from(Instant.now()), id)
          .update();
      logs.info(id, (resumeKey == null ? "started as " : "resumed ") + run.runKey());
      run.addListener(listener(a));
      if (a.stopRequested) {
        run.stop();
      } else if (a.pauseRequested) {
        run.pause();
      }
      publishState(id);
      RunResult result = run.await();
      finish(a, result);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (run != null) {
        run.pause();
      }
    } catch (RuntimeException e) {
      log.error("Run {} failed in the server", id, e);
      active.remove(id, a);
      saveState(id, "FAILED", e.toString(), true);
    } finally {
      if (run != null) {
        logs.detach(run.runKey());
      }
      active.remove(id, a); // never the Active of a resume that already followed
      executing.decrementAndGet();
    }
  }

  private RunListener listener(Active a) {
    return new RunListener() {
      @Override
      public void stateChanged(JobRun run, RunState from, RunState to) {
        // Final states are written by finish() with the run's statistics.
        if (!to.isFinal() && to != RunState.PAUSED) {
          saveState(a.id, to.name(), null, false);
        }
      }

      @Override
      public void progress(JobRun run, Progress progress) {
        a.last = progress;
        Instant now = Instant.now();
        a.history.add(now.toEpochMilli(), progress.recordsPerSecond(), progress.bytesPerSecond());
        Map<String, Object> message = progressMessage(a.id, run, progress);
        if (Duration.between(a.lastSaved, now).compareTo(SAVE_EVERY) >= 0) {
          a.lastSaved = now;
          saveProgress(a, progress, message);
        }
        socket.publishRun(a.id, message);
      }
    };
  }

  private void finish(Active a, RunResult result) {
    long id = a.id;
    Progress p = result.progress();
    // A run over before any sample saw a row (shorter than the progress interval): its average.
    double seconds = p.elapsed().toMillis() / 1000.0;
    if (seconds > 0
        && p.recordsWritten() > 0
        && a.history.points().stream().allMatch(s -> s.recordsPerSecond() == 0)) {
      a.history.add(
          Instant.now().toEpochMilli(), p.recordsWritten() / seconds, p.bytesWritten() / seconds);
    }
    Map<String, Object> last = progressMessage(id, a.run, p);
    saveProgress(a, p, last);
    String message = result.failure() == null ? null : result.failure().getMessage();
    if (result.state() == RunState.PAUSED && message == null) {
      message = "paused; resume continues from the last checkpoint";
    }
    // Let go before the state is visible: a client that sees PAUSED may resume at once.
    active.remove(id, a);
    db.sql(
            "UPDATE ferry_task_run SET state = ?, message = ?, dirty_file = ?, ended_at = ?"
                + " WHERE id = ?")
        .params(
            result.state().name(),
            message,
            result.dirtyDataFile() == null ? null : result.dirtyDataFile().toString(),
            result.state().isFinal() ? Timestamp.from(Instant.now()) : null,
            id)
        .update();
    meters.counter("ferry.runs.ended", "state", result.state().name()).increment();
    Counter.builder("ferry.rows.written").register(meters).increment(p.recordsWritten());
    logs.info(
        id,
        String.format(
            Locale.ROOT,
            "%s: %d rows read, %d written (%d bytes), %d dirty, %d filtered in %.1f s%s",
            result.state(),
            p.recordsRead(),
            p.recordsWritten(),
            p.bytesWritten(),
            p.dirtyRecords(),
            p.filteredRecords(),
            p.elapsed().toMillis() / 1000.0,
            message == null ? "" : "; " + message));
    socket.publishRun(id, last);
    if (result.state().isFinal()) {
      ended(id);
    }
  }

  /** Saves the figures and the progress message, with the speed history the socket omits. */
  private void saveProgress(Active a, Progress p, Map<String, Object> message) {
    Map<String, Object> saved = new LinkedHashMap<>(message);
    saved.put(HISTORY, a.history.toJson());
    db.sql(
            "UPDATE ferry_task_run SET records_read = ?, records_written = ?, bytes_written = ?,"
                + " dirty_records = ?, percent_done = ?, progress = ? WHERE id = ?")
        .params(
            p.recordsRead(),
            p.recordsWritten(),
            p.bytesWritten(),
            p.dirtyRecords(),
            p.percent().isPresent() ? p.percent().getAsDouble() : null,
            JSON.writeValueAsString(saved),
            a.id)
        .update();
  }

  /**
   * The run's latest progress, as the WebSocket sends it (speeds, ETA, splits), with its speed
   * {@value #HISTORY} since it started ({@link SpeedHistory#toJson()}): live while it executes
   * here, else as last saved; only the state for a run that has no progress yet.
   */
  public Map<String, Object> progress(long id) {
    View v = get(id);
    Active a = active.get(id);
    if (a != null && a.run != null && a.last != null) {
      Map<String, Object> live = progressMessage(id, a.run, a.last);
      live.put(HISTORY, a.history.toJson());
      return live;
    }
    Map<String, Object> saved = savedProgress(id);
    if (!saved.isEmpty()) {
      return saved;
    }
    Map<String, Object> none = new LinkedHashMap<>();
    none.put("type", "progress");
    none.put("runId", id);
    none.put("state", v.state());
    return none;
  }

  /** The progress saved with the run; empty when it has none. */
  private Map<String, Object> savedProgress(long id) {
    return db.sql("SELECT progress FROM ferry_task_run WHERE id = ?")
        .param(id)
        .query(String.class)
        .optional()
        .map(json -> JSON.readValue(json, OBJECT))
        .orElse(Map.of());
  }

  /** Calls {@code listener} with every run that ends (SUCCEEDED, FAILED or STOPPED). */
  public void onEnded(Consumer<View> listener) {
    endListeners.add(listener);
  }

  private void ended(long id) {
    View v = get(id);
    for (Consumer<View> l : endListeners) {
      try {
        l.accept(v);
      } catch (RuntimeException e) {
        log.warn("A listener failed on the end of run {}", id, e);
      }
    }
  }

  private void saveState(long id, String state, String message, boolean ended) {
    db.sql(
            "UPDATE ferry_task_run SET state = ?, message = ?"
                + (ended ? ", ended_at = COALESCE(ended_at, ?)" : "")
                + " WHERE id = ?")
        .params(
            ended
                ? List.of(state, SqlText.orNull(message), Timestamp.from(Instant.now()), id)
                : List.of(state, SqlText.orNull(message), id))
        .update();
    if (ended) {
      ended(id);
    }
  }

  private void publishState(long id) {
    View v = get(id);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "progress");
    m.put("runId", id);
    m.put("taskId", v.taskId());
    m.put("runKey", v.runKey());
    m.put("state", v.state());
    m.put("recordsRead", v.recordsRead());
    m.put("recordsWritten", v.recordsWritten());
    m.put("bytesWritten", v.bytesWritten());
    m.put("dirtyRecords", v.dirtyRecords());
    m.put("percent", v.percent());
    m.put("message", v.message());
    socket.publishRun(id, m);
  }

  private Map<String, Object> progressMessage(long id, JobRun run, Progress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "progress");
    m.put("runId", id);
    m.put("runKey", p.runKey());
    m.put("state", p.state().name());
    m.put("elapsedMillis", p.elapsed().toMillis());
    m.put("recordsRead", p.recordsRead());
    m.put("recordsWritten", p.recordsWritten());
    m.put("bytesWritten", p.bytesWritten());
    m.put("dirtyRecords", p.dirtyRecords());
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

  private double recordsPerSecond() {
    double sum = 0;
    for (Active a : active.values()) {
      Progress p = a.last;
      if (p != null && !p.state().isFinal()) {
        sum += p.recordsPerSecond();
      }
    }
    return sum;
  }

  private static boolean isFinal(String state) {
    return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("STOPPED");
  }

  // ---- start and shutdown -----------------------------------------------------------------

  /**
   * Joins the nodes of the metadata store and recovers what this node's previous process left: its
   * claims, its RUNNING runs (now PAUSED, or what the engine recorded if they ended) and its queue.
   * From then on, every second: the heartbeat, pause/stop requests other nodes wrote for runs held
   * here, and (every ten) the runs of nodes whose heartbeat stopped.
   */
  @Override
  public void run(ApplicationArguments args) {
    String me = properties.nodeId();
    Timestamp now = Timestamp.from(Instant.now());
    if (db.sql("UPDATE ferry_node SET started_at = ?, heartbeat_at = ? WHERE node = ?")
            .params(now, now, me)
            .update()
        == 0) {
      db.sql("INSERT INTO ferry_node (node, started_at, heartbeat_at) VALUES (?, ?, ?)")
          .params(me, now, now)
          .update();
    }
    db.sql(
            "DELETE FROM ferry_run_claim WHERE run_key IN"
                + " (SELECT run_key FROM ferry_task_run WHERE node = ? OR node IS NULL)")
        .param(me)
        .update();
    recover(me);
    AtomicInteger ticks = new AtomicInteger();
    ticker.scheduleWithFixedDelay(
        () -> {
          try {
            db.sql("UPDATE ferry_node SET heartbeat_at = ? WHERE node = ?")
                .params(Timestamp.from(Instant.now()), me)
                .update();
            applyRequests();
            if (ticks.incrementAndGet() % 10 == 0) {
              takeOverDeadNodes();
            }
          } catch (RuntimeException e) {
            log.warn("Node upkeep failed; trying again in a second", e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  /** Pause and stop requests that other nodes wrote for runs this node executes. */
  private void applyRequests() {
    List<Object[]> requests =
        db.sql("SELECT id, requested FROM ferry_task_run WHERE node = ? AND requested IS NOT NULL")
            .param(properties.nodeId())
            .query((rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)})
            .list();
    for (Object[] r : requests) {
      long id = (Long) r[0];
      db.sql("UPDATE ferry_task_run SET requested = NULL WHERE id = ?").param(id).update();
      Active a = active.get(id);
      if (a == null) {
        continue;
      }
      if (r[1].equals("stop")) {
        stopHeld(a);
      } else if (a.run != null && a.run.pausable()) {
        a.pauseRequested = true;
        a.run.pause();
      }
    }
  }

  /**
   * Nodes whose heartbeat is older than two leases are dead (their claims have lapsed by then):
   * their runs become this node's, recovered as after a restart. A conditional update per run makes
   * sure one live node takes each.
   */
  private void takeOverDeadNodes() {
    Timestamp stale = Timestamp.from(Instant.now().minus(properties.lease().multipliedBy(2)));
    List<String> dead =
        db.sql("SELECT node FROM ferry_node WHERE heartbeat_at < ? AND node <> ?")
            .params(stale, properties.nodeId())
            .query(String.class)
            .list();
    for (String node : dead) {
      log.warn("Node {} stopped renewing its heartbeat; taking its runs over", node);
      recover(node);
      db.sql("DELETE FROM ferry_node WHERE node = ? AND heartbeat_at < ?")
          .params(node, stale)
          .update();
    }
  }

  private void recover(String node) {
    String me = properties.nodeId();
    boolean mine = node.equals(me);
    List<Row> open =
        db.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM ferry_task_run WHERE state IN ('QUEUED', 'CREATED', 'RUNNING')"
                    + (mine ? " AND (node = ? OR node IS NULL)" : " AND node = ?")
                    + " ORDER BY id")
            .param(node)
            .query((rs, i) -> row(rs))
            .list();
    String who = mine ? "the server" : "node " + node;
    for (Row r : open) {
      View v = r.view();
      if (!mine
          && db.sql("UPDATE ferry_task_run SET node = ? WHERE id = ? AND node = ?")
                  .params(me, v.id(), node)
                  .update()
              == 0) {
        continue; // another live node took it
      }
      if (v.state().equals(QUEUED)) {
        logs.info(v.id(), "queued again after " + who + " stopped");
        enqueue(v.id(), v.runKey(), Map.of());
        continue;
      }
      Optional<RunRecord> record = v.runKey() == null ? Optional.empty() : engine.runOf(v.runKey());
      RunState state = record.map(RunRecord::state).orElse(RunState.FAILED);
      String message =
          state == RunState.PAUSED
              ? "interrupted: "
                  + who
                  + " stopped while the run was "
                  + v.state()
                  + "; resume continues from the last checkpoint"
              : record.map(RunRecord::message).orElse(who + " stopped before the run began");
      saveState(v.id(), state.name(), message, state.isFinal());
      logs.warn(v.id(), message);
      log.info(
          "Run {} ({}) was {} when {} stopped: now {}", v.id(), v.runKey(), v.state(), who, state);
    }
  }

  /** Pauses what executes, so that a restart resumes it from a fresh checkpoint. */
  @Override
  public void destroy() throws InterruptedException {
    ticker.shutdownNow();
    pool.shutdown();
    List<JobRun> running = new ArrayList<>();
    for (Active a : active.values()) {
      if (a.run != null && !a.run.state().isFinal()) {
        if (a.run.pausable()) {
          a.run.pause();
        } else {
          a.run.stop();
        }
        running.add(a.run);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (JobRun r : running) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        r.await(Duration.ofNanos(left));
      }
    }
    pool.awaitTermination(5, TimeUnit.SECONDS);
    // Left in good order: its runs are paused, nothing for another node to take over.
    db.sql("DELETE FROM ferry_node WHERE node = ?").param(properties.nodeId()).update();
  }
}
