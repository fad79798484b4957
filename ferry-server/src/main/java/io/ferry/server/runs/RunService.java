package io.ferry.server.runs;

import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.Progress;
import io.ferry.engine.RunListener;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.server.runs.RunStore.Row;
import io.ferry.server.schedule.model.PlannedScript;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.Page;
import io.ferry.server.tasks.JobScripts;
import io.ferry.server.tasks.TaskService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
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
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * The server's runs: started from a task (or an ad-hoc script), executed by the engine on a bounded
 * pool of {@code ferry.max-concurrent-runs} (more wait as QUEUED), paused, resumed, stopped and
 * started again. Every state change is written to {@code ferry_task_run} ({@link RunStore}) before
 * it is announced over the WebSocket ({@link RunProgress}). A run executes on one node ({@code
 * node} in its row): only that node writes its state while it executes there, so that a node that
 * lost the run to another ({@link RunRecovery}) cannot overwrite what the other does with it.
 */
@Service
public class RunService implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  private static final Duration SAVE_EVERY = Duration.ofSeconds(5);

  private final RunStore store;
  private final RunProgress runProgress;
  private final Engine engine;
  private final TaskService tasks;
  private final JobScripts scripts;
  private final AuditLog audit;
  private final RunLogs logs;
  private final ThreadPoolExecutor pool;
  private final Map<Long, Active> active = new ConcurrentHashMap<>();
  private final AtomicInteger executing = new AtomicInteger();
  private final RunMeters meters;
  private final FerryProperties properties;
  private final ClusterNodes nodes;
  private final List<Consumer<View>> endListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<View>> placedListeners = new CopyOnWriteArrayList<>();

  /** A run the server holds: queued (no JobRun yet) or executing. */
  private static final class Active {
    final long id;
    volatile Future<?> future;
    volatile JobRun run;
    volatile boolean stopRequested;
    volatile boolean pauseRequested;
    volatile Progress last;
    volatile RunMeters.Attempt counted;
    volatile Instant lastSaved = Instant.EPOCH;

    /** Its speeds since it first started; a resume continues the saved one. */
    volatile SpeedHistory history = new SpeedHistory();

    Active(long id) {
      this.id = id;
    }
  }

  /** How a run comes to execute here, which decides what a failure to launch it means. */
  enum Attempt {
    /** A new run: a failure to start fails it. */
    START,
    /** Resumed by a person: a failure leaves it paused, its checkpoint intact. */
    RESUME,
    /**
     * Continued without a person after the node executing it stopped: a failure a retry may mend
     * leaves it paused; any other (its sink cannot continue an earlier attempt, its job changed)
     * fails it, so that its instance's retries apply.
     */
    CONTINUE
  }

  public RunService(
      RunStore store,
      RunProgress runProgress,
      Engine engine,
      TaskService tasks,
      JobScripts scripts,
      AuditLog audit,
      RunLogs logs,
      ProgressSocket socket,
      FerryProperties properties,
      ClusterNodes nodes,
      MeterRegistry meters) {
    this.store = store;
    this.runProgress = runProgress;
    this.nodes = nodes;
    this.engine = engine;
    this.tasks = tasks;
    this.scripts = scripts;
    this.audit = audit;
    this.logs = logs;
    this.meters = new RunMeters(meters);
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

  /**
   * A run as the API shows it. {@code durationMillis} is the wall time from its start to its end
   * (pauses included), {@code activeMillis} the time it ran over all its attempts; speeds are
   * averages over the active time.
   */
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
      Long activeMillis,
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

  /**
   * Runs, newest first, one page.
   *
   * @param taskId only this task's runs; null for all
   * @param state only runs in this state; null for all
   */
  public Page<View> list(Long taskId, String state, int page, int size) {
    return store.list(taskId, state, page, size);
  }

  public View get(long id) {
    return stored(id).view();
  }

  private Row stored(long id) {
    return store.stored(id);
  }

  /** The script a run executes, with its scheduling parameters; a rerun executes them again. */
  PlannedScript planned(long id) {
    Row row = stored(id);
    return new PlannedScript(row.script(), row.params());
  }

  /** The file of the run's dirty rows, if it had any. */
  public Optional<Path> dirtyFile(long id) {
    return Optional.ofNullable(stored(id).dirtyFile()).map(Path::of);
  }

  // ---- control ----------------------------------------------------------------------------

  /** Queues a new run of a task; returns it (QUEUED, or already RUNNING when a slot was free). */
  public View startTask(long taskId) {
    TaskService.View task = tasks.get(taskId);
    PlannedScript planned = PlannedScript.at(task.script(), now());
    View run = submitNew(task.id(), task.name(), planned, null, null);
    audit.record("start", "run", run.id(), "task " + task.name());
    return get(run.id());
  }

  /**
   * Queues the run of a scheduled instance, its scheduling parameters taken from the planned time.
   */
  public View startInstance(long taskId, long instanceId, ZonedDateTime plannedTime) {
    TaskService.View task = tasks.get(taskId);
    PlannedScript planned = PlannedScript.at(task.script(), plannedTime);
    return submitNew(task.id(), task.name(), planned, null, instanceId);
  }

  /** Queues a run of a script that belongs to no task. */
  public View startScript(String name, String script) {
    if (name != null && name.length() > 200) {
      throw DomainException.invalid("name", "at most 200 characters");
    }
    String jobName = name == null || name.isBlank() ? "adhoc" : name;
    View run = submitNew(null, jobName, PlannedScript.at(script, now()), null, null);
    audit.record("start", "run", run.id(), "script " + jobName);
    return get(run.id());
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(properties.timeZone());
  }

  /** Starts the script of a run again as a new run. */
  public View rerun(long id) {
    Row old = stored(id);
    if (!isFinal(old.view().state())) {
      throw DomainException.conflict(
          "run " + id + " is " + old.view().state() + "; only an ended run can be run again");
    }
    View run =
        submitNew(
            old.view().taskId(),
            old.view().taskName(),
            new PlannedScript(old.script(), old.params()),
            id,
            old.instanceId());
    audit.record("rerun", "run", run.id(), "again from run " + id);
    return get(run.id());
  }

  private View submitNew(
      Long taskId, String name, PlannedScript planned, Long rerunOf, Long instanceId) {
    // Validate now (400 to the caller), run later; data sources are read again when it starts.
    JobSpec spec = scripts.resolve(planned.script(), name, planned.params());
    engine.validate(spec, false);
    long id = store.insert(taskId, name, planned, AuditLog.currentUser(), rerunOf, instanceId);
    logs.info(id, "queued by " + AuditLog.currentUser());
    enqueue(id, null, Map.of(), Attempt.START);
    return get(id);
  }

  private void enqueue(long id, String resumeKey, Map<String, Object> overrides, Attempt attempt) {
    Active a = new Active(id);
    active.put(id, a);
    try {
      a.future = pool.submit(() -> execute(a, resumeKey, overrides, attempt));
    } catch (RejectedExecutionException full) {
      active.remove(id, a);
      String reason = "the run queue is full; try again later";
      saveState(id, resumeKey == null ? "FAILED" : "PAUSED", reason, resumeKey == null);
      throw new DomainException.Unavailable(reason);
    }
  }

  /** Whether one more run fits in this node's queue. */
  boolean queueHasRoom() {
    return pool.getQueue().remainingCapacity() > 0;
  }

  // ---- runs of nodes that stopped (see RunRecovery) ----------------------------------------

  /**
   * At most this many automatic continuations per run: a run that keeps taking its node down (out
   * of memory, a crashing driver) would otherwise take every node down, one after the other.
   */
  public static final int MAX_CONTINUATIONS = 3;

  /** Calls {@code listener} when a node takes a run to execute it: queued, started or resumed. */
  public void onPlaced(Consumer<View> listener) {
    placedListeners.add(listener);
  }

  private void placed(long id) {
    View v = get(id);
    for (Consumer<View> l : placedListeners) {
      try {
        l.accept(v);
      } catch (RuntimeException e) {
        log.warn("A listener failed on the placement of run {}", id, e);
      }
    }
  }

  /** Queues again, here, a run of this node's that had not started (it keeps its place). */
  void requeue(long id, String resumeKey, String why) {
    logs.info(id, why + "; queued again on node " + properties.nodeId());
    placed(id);
    enqueue(id, resumeKey, Map.of(), resumeKey == null ? Attempt.START : Attempt.RESUME);
  }

  /**
   * Continues, here, a run of this node's from its checkpoint: its node stopped, or lost its hold
   * on the run, while it executed. After {@link #MAX_CONTINUATIONS} the run waits PAUSED for a
   * person instead.
   *
   * @param why what happened to the run, for its message and log
   */
  void continueFromCheckpoint(long id, String why) {
    Row row = stored(id);
    int continued = store.takeovers(id);
    if (continued >= MAX_CONTINUATIONS) {
      settle(
          id,
          "PAUSED",
          why
              + "; it was continued automatically "
              + continued
              + " times already, so it waits for a person: resume continues from the last"
              + " checkpoint");
      return;
    }
    String message = why + "; node " + properties.nodeId() + " continues it from the checkpoint";
    store.continuing(id, message);
    logs.warn(id, message);
    placed(id);
    try {
      enqueue(id, row.view().runKey(), Map.of(), Attempt.CONTINUE);
    } catch (DomainException.Unavailable full) {
      logs.warn(id, full.getMessage()); // left PAUSED with the reason
    }
  }

  /** Gives a run of this node's its end (or PAUSED) with the reason, announced. */
  void settle(long id, String state, String message) {
    saveState(id, state, message, isFinal(state));
    logs.warn(id, state + (message == null ? "" : ": " + message));
    publishState(id);
  }

  public View pause(long id) {
    Row row = stored(id);
    View run = row.view();
    Active a = active.get(id);
    if (a == null && run.state().equals("RUNNING") && !isMine(row)) {
      return requestOf(row, "pause");
    }
    if (a == null || a.run == null) {
      throw DomainException.conflict(
          "run "
              + id
              + " is "
              + run.state()
              + (run.state().equals(RunStore.QUEUED)
                  ? "; a queued run has not started: stop it to cancel it"
                  : "; only a running run pauses"));
    }
    if (!a.run.pausable()) {
      throw DomainException.conflict(
          "the sink of run " + id + " cannot continue an earlier attempt: stop the run instead");
    }
    a.pauseRequested = true;
    a.run.pause();
    logs.info(id, "pause requested by " + AuditLog.currentUser());
    audit.record("pause", "run", id, run.taskName());
    return get(id);
  }

  private boolean isMine(Row row) {
    return store.isMine(row);
  }

  /**
   * Pause or stop of a run that another node executes: written to the run's row, which that node
   * reads within a second.
   */
  private View requestOf(Row row, String action) {
    long id = row.view().id();
    store.request(id, action);
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
        throw DomainException.conflict("run " + id + " is still pausing; try again in a moment");
      }
      throw DomainException.conflict(
          "run "
              + id
              + " is "
              + run.state()
              + "; only a paused run resumes"
              + (isFinal(run.state()) ? " (rerun starts it again as a new run)" : ""));
    }
    store.resuming(id);
    logs.info(id, "resume requested by " + AuditLog.currentUser());
    placed(id);
    enqueue(id, run.runKey(), settings == null ? Map.of() : Map.copyOf(settings), Attempt.RESUME);
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
      throw DomainException.conflict("run " + id + " already ended " + run.state());
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
        throw DomainException.conflict(e.getMessage());
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

  private void execute(Active a, String resumeKey, Map<String, Object> overrides, Attempt attempt) {
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
      if (!isMine(row) || !row.view().state().equals(RunStore.QUEUED)) {
        // Another node took it over while it waited here (this node was counted as dead).
        active.remove(id, a);
        logs.info(
            id, "node " + properties.nodeId() + " let go of the run: " + row.node() + " holds it");
        return;
      }
      try {
        JobSpec spec = scripts.resolve(row.script(), row.view().taskName(), row.params());
        run =
            resumeKey == null
                ? engine.start(spec.withSettings(overrides))
                : engine.resume(resumeKey, spec, overrides);
      } catch (RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String doing =
            switch (attempt) {
              case START -> "cannot start: ";
              case RESUME -> "cannot resume: ";
              case CONTINUE -> "cannot continue from the checkpoint: ";
            };
        logs.warn(id, doing + message);
        // A resume that cannot go ahead leaves the run paused, its checkpoint intact; one that
        // nobody asked for fails when no retry can help, so that its instance may retry.
        boolean fails =
            attempt == Attempt.START
                || (attempt == Attempt.CONTINUE
                    && !(e instanceof io.ferry.spi.FerryException f && f.retriable()));
        active.remove(id, a); // before the state is visible: a resume may follow at once
        if (saveHeldState(
            id,
            fails ? "FAILED" : "PAUSED",
            attempt == Attempt.CONTINUE ? doing + message : message,
            fails)) {
          publishState(id);
        }
        return;
      }
      a.run = run;
      a.counted = meters.attempt(run.carriedOver());
      if (resumeKey != null) {
        a.history = SpeedHistory.fromJson(store.savedProgress(id).get(RunProgress.HISTORY));
      }
      logs.attach(run.runKey(), id);
      boolean held = store.started(id, run.runKey());
      run.addListener(listener(a));
      if (!held) {
        // Taken over while it started: the engine's claim keeps the two attempts apart, and
        // this one ends at its first checkpoint.
        logs.warn(
            id,
            "node "
                + properties.nodeId()
                + " let go of "
                + run.runKey()
                + ": another node holds the run");
        if (run.pausable()) {
          run.pause();
        } else {
          run.stop();
        }
      } else {
        logs.info(id, (resumeKey == null ? "started as " : "resumed ") + run.runKey());
        if (a.stopRequested) {
          run.stop();
        } else if (a.pauseRequested) {
          run.pause();
        }
        publishState(id);
        placed(id);
      }
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
      saveHeldState(id, "FAILED", e.toString(), true);
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
          saveHeldState(a.id, to.name(), null, false);
        }
      }

      @Override
      public void progress(JobRun run, Progress progress) {
        a.last = progress;
        a.counted.progress(progress);
        Instant now = Instant.now();
        a.history.add(now.toEpochMilli(), progress.recordsPerSecond(), progress.bytesPerSecond());
        Map<String, Object> message = runProgress.message(a.id, progress);
        if (Duration.between(a.lastSaved, now).compareTo(SAVE_EVERY) >= 0) {
          a.lastSaved = now;
          saveProgress(a, progress, message);
        }
        runProgress.publish(a.id, message);
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
    Map<String, Object> last = runProgress.message(id, p);
    saveProgress(a, p, last);
    String message = result.failure() == null ? null : result.failure().getMessage();
    if (result.state() == RunState.PAUSED && message == null) {
      message = "paused; resume continues from the last checkpoint";
    }
    // Let go before the state is visible: a client that sees PAUSED may resume at once.
    active.remove(id, a);
    boolean held =
        store.attemptEnded(
            id,
            result.state(),
            message,
            result.dirtyDataFile() == null ? null : result.dirtyDataFile().toString());
    if (!held) {
      logs.warn(
          id,
          "node "
              + properties.nodeId()
              + " stopped its attempt ("
              + result.state()
              + (message == null ? "" : ": " + message)
              + "): another node holds the run now");
      return;
    }
    if (result.failure() != null
        && result.failure().code().equals(io.ferry.engine.CheckpointStore.CLAIM_LOST)) {
      // Nobody took the run over, but its claim lapsed (this node was frozen, or cut off from the
      // metadata database): it continues here.
      continueFromCheckpoint(id, "node " + properties.nodeId() + " lost its hold on the run");
      return;
    }
    a.counted.ended(result.state(), p);
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
    runProgress.publish(id, last);
    if (result.state().isFinal()) {
      ended(id);
    }
  }

  /** Saves the figures and the progress message, with the speed history the socket omits. */
  private void saveProgress(Active a, Progress p, Map<String, Object> message) {
    Map<String, Object> saved = new LinkedHashMap<>(message);
    saved.put(RunProgress.HISTORY, a.history.toJson());
    store.saveProgress(a.id, p, saved);
  }

  /**
   * The run's latest progress, as the WebSocket sends it (speeds, ETA, splits), with its speed
   * {@value RunProgress#HISTORY} since it started ({@link SpeedHistory#toJson()}): live while it
   * executes here, else as last saved; only the state for a run that has no progress yet.
   */
  public Map<String, Object> progress(long id) {
    View v = get(id);
    Active a = active.get(id);
    if (a != null && a.run != null && a.last != null) {
      Map<String, Object> live = runProgress.message(id, a.last);
      live.put(RunProgress.HISTORY, a.history.toJson());
      return live;
    }
    Map<String, Object> saved = store.savedProgress(id);
    return saved.isEmpty() ? RunProgress.stateOnly(id, v.state()) : saved;
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
    writeState(id, state, message, ended, false);
  }

  /**
   * {@link #saveState} of a run this node executes, unless another node took it over meanwhile.
   *
   * @return whether it was saved (the run is still this node's)
   */
  private boolean saveHeldState(long id, String state, String message, boolean ended) {
    return writeState(id, state, message, ended, true);
  }

  /** Writes the state; an end is announced to the end listeners. */
  private boolean writeState(long id, String state, String message, boolean ended, boolean held) {
    boolean saved = store.writeState(id, state, message, ended, held);
    if (saved && ended) {
      ended(id);
    }
    return saved;
  }

  private void publishState(long id) {
    runProgress.publishState(get(id));
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
    return RunStore.isFinal(state);
  }

  // ---- cluster and shutdown ---------------------------------------------------------------

  /** Pause and stop requests that other nodes wrote for runs this node executes. */
  void applyRequests() {
    for (Map.Entry<Long, String> r : store.takeRequests().entrySet()) {
      Active a = active.get(r.getKey());
      if (a == null) {
        continue;
      }
      if (r.getValue().equals("stop")) {
        stopHeld(a);
      } else if (a.run != null && a.run.pausable()) {
        a.pauseRequested = true;
        a.run.pause();
      }
    }
  }

  /** Pauses what executes, so that a restart resumes it from a fresh checkpoint. */
  @Override
  public void destroy() throws InterruptedException {
    pool.shutdown();
    // Queued runs stay QUEUED in their rows, for this node's next start or another node.
    pool.getQueue().drainTo(new ArrayList<>());
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
    // Left in good order: its runs are paused; what waited in its queue is another node's now.
    nodes.leave();
  }
}
