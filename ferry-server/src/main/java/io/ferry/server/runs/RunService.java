package io.ferry.server.runs;

import io.ferry.engine.Engine;
import io.ferry.engine.JobSpec;
import io.ferry.server.runs.RunStore.Row;
import io.ferry.server.schedule.model.PlannedScript;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.Page;
import io.ferry.server.tasks.JobScripts;
import io.ferry.server.tasks.TaskService;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/**
 * The server's runs, as the API and the scheduler see them: started from a task (or an ad-hoc
 * script), paused, resumed, stopped and started again, each request checked against the run's state
 * and audited. What a request sets in motion on this node (the queue, the engine run) is {@link
 * RunLauncher}'s; state changes are written to {@code ferry_task_run} ({@link RunStore}) before
 * they are announced ({@link RunEvents}). A run executes on one node ({@code node} in its row): a
 * pause or stop of a run another node executes is written to the run's row for that node ({@link
 * RunRecovery} applies it).
 */
@Service
public class RunService {
  private final RunStore store;
  private final RunEvents events;
  private final RunLauncher launcher;
  private final Engine engine;
  private final TaskService tasks;
  private final JobScripts scripts;
  private final AuditLog audit;
  private final RunLogs logs;
  private final FerryProperties properties;
  private final Verifications verifications;
  private final ClusterNodes nodes;

  public RunService(
      RunStore store,
      RunEvents events,
      RunLauncher launcher,
      Engine engine,
      TaskService tasks,
      JobScripts scripts,
      AuditLog audit,
      RunLogs logs,
      FerryProperties properties,
      Verifications verifications,
      ClusterNodes nodes) {
    this.store = store;
    this.nodes = nodes;
    this.verifications = verifications;
    this.events = events;
    this.launcher = launcher;
    this.engine = engine;
    this.tasks = tasks;
    this.scripts = scripts;
    this.audit = audit;
    this.logs = logs;
    this.properties = properties;
  }

  // ---- the API's view ---------------------------------------------------------------------

  /**
   * A run as the API shows it. {@code durationMillis} is the wall time from its start to its end
   * (pauses included), {@code activeMillis} the time it ran over all its attempts; speeds are
   * averages over the active time. {@code changes} (a cdc run's figures) and {@code verification}
   * (its newest verification: after the copy, or a Verify on it) are in a single run's view only.
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
      String node,
      String resourceGroup,
      Map<String, Object> changes,
      Verifications.View verification) {
    /** The same run with the cdc figures of its latest progress. */
    View withChanges(Map<String, Object> changes) {
      return with(changes, verification);
    }

    /** The same run with its newest verification. */
    public View withVerification(Verifications.View verification) {
      return with(changes, verification);
    }

    private View with(Map<String, Object> changes, Verifications.View verification) {
      return new View(
          id,
          taskId,
          taskName,
          runKey,
          state,
          startedBy,
          createdAt,
          startedAt,
          endedAt,
          durationMillis,
          activeMillis,
          recordsRead,
          recordsWritten,
          bytesWritten,
          dirtyRecords,
          percent,
          recordsPerSecond,
          bytesPerSecond,
          message,
          rerunOf,
          instanceId,
          node,
          resourceGroup,
          changes,
          verification);
    }
  }

  /**
   * Runs, newest first, one page.
   *
   * @param taskId only this task's runs; null for all
   * @param state only runs in this state; null for all
   */
  public Page<View> list(Long taskId, String state, int page, int size) {
    return store.list(taskId, state, page, size);
  }

  /**
   * One run; for a {@code kind: cdc} run with its latest {@code changes} (phase, position, lag,
   * tables: see {@link RunProgress#changes}), which lists of runs leave out.
   */
  @SuppressWarnings("unchecked")
  public View get(long id) {
    View v = stored(id).view();
    Object changes = launcher.liveChanges(id);
    if (changes == null) { // not executing here, or no progress yet: as last saved
      changes = store.savedProgress(id).get(RunProgress.CHANGES);
    }
    v = changes instanceof Map<?, ?> m ? v.withChanges((Map<String, Object>) m) : v;
    return verifications.latestOfRun(id).map(v::withVerification).orElse(v);
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
    View run = submitNew(task.id(), task.name(), planned, null, null, task.resourceGroup());
    audit.record("start", "run", run.id(), "task " + task.name());
    return get(run.id());
  }

  /**
   * Queues the run of a scheduled instance, its scheduling parameters taken from the planned time.
   */
  public View startInstance(long taskId, long instanceId, ZonedDateTime plannedTime) {
    TaskService.View task = tasks.get(taskId);
    PlannedScript planned = PlannedScript.at(task.script(), plannedTime);
    return submitNew(task.id(), task.name(), planned, null, instanceId, task.resourceGroup());
  }

  /** Queues a run of a script that belongs to no task. */
  public View startScript(String name, String script) {
    if (name != null && name.length() > 200) {
      throw DomainException.invalid("name", "at most 200 characters");
    }
    String jobName = name == null || name.isBlank() ? "adhoc" : name;
    View run = submitNew(null, jobName, PlannedScript.at(script, now()), null, null, null);
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
            old.instanceId(),
            old.view().resourceGroup());
    audit.record("rerun", "run", run.id(), "again from run " + id);
    return get(run.id());
  }

  /**
   * Queues a new run in its resource group: here when this node serves the group, else for a node
   * of the group to take ({@link RunRecovery}).
   *
   * @param group the resource group; null or {@code default} for the server's own pool
   */
  private View submitNew(
      Long taskId,
      String name,
      PlannedScript planned,
      Long rerunOf,
      Long instanceId,
      String group) {
    // Validate now (400 to the caller), run later; data sources are read again when it starts.
    JobSpec spec = scripts.resolve(planned.script(), name, planned.params());
    engine.validate(spec, false);
    String g = FerryProperties.DEFAULT_GROUP.equals(group) ? null : group;
    boolean here = nodes.serves(g);
    long id =
        store.insert(taskId, name, planned, AuditLog.currentUser(), rerunOf, instanceId, g, here);
    logs.info(
        id,
        "queued by " + AuditLog.currentUser() + (here ? "" : " for a node of resource group " + g));
    if (here) {
      launcher.enqueue(id, null, Map.of(), RunLauncher.Attempt.START);
    }
    return get(id);
  }

  /** Calls {@code listener} when a node takes a run to execute it: queued, started or resumed. */
  public void onPlaced(Consumer<View> listener) {
    events.onPlaced(listener);
  }

  /** Calls {@code listener} with every run that ends (SUCCEEDED, FAILED or STOPPED). */
  public void onEnded(Consumer<View> listener) {
    events.onEnded(listener);
  }

  public View pause(long id) {
    Row row = stored(id);
    View run = row.view();
    HeldRun executing = launcher.executing(id);
    if (!launcher.holds(id) && run.state().equals("RUNNING") && !isMine(row)) {
      return requestOf(row, "pause");
    }
    if (executing == null) {
      throw DomainException.conflict(
          "run "
              + id
              + " is "
              + run.state()
              + (run.state().equals(RunStore.QUEUED)
                  ? "; a queued run has not started: stop it to cancel it"
                  : "; only a running run pauses"));
    }
    if (!executing.pausable()) {
      String group = run.resourceGroup();
      throw DomainException.conflict(
          nodes.flinkAddress(FerryProperties.DEFAULT_GROUP.equals(group) ? null : group).isPresent()
              ? "run "
                  + id
                  + " executes on the Flink cluster of resource group "
                  + group
                  + ", which restarts failed tasks from its own checkpoints; Ferry does not pause"
                  + " it: stop the run instead"
              : "the sink of run "
                  + id
                  + " cannot continue an earlier attempt: stop the run instead");
    }
    launcher.pauseHeld(id);
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
    boolean held = launcher.holds(id);
    if (!run.state().equals("PAUSED") || held) {
      if (held && run.state().equals("PAUSED")) {
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
    String group =
        FerryProperties.DEFAULT_GROUP.equals(run.resourceGroup()) ? null : run.resourceGroup();
    boolean here = nodes.serves(group);
    if (!here && settings != null && !settings.isEmpty()) {
      throw DomainException.conflict(
          "run "
              + id
              + " executes in resource group "
              + group
              + "; it resumes there with its own settings (resume it without settings)");
    }
    store.resuming(id, here, group);
    logs.info(
        id,
        "resume requested by "
            + AuditLog.currentUser()
            + (here ? "" : " for a node of resource group " + group));
    if (here) {
      events.placed(id);
      launcher.enqueue(
          id,
          run.runKey(),
          settings == null ? Map.of() : Map.copyOf(settings),
          RunLauncher.Attempt.RESUME);
    }
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
    if (!launcher.holds(id) && !run.state().equals("PAUSED") && !isMine(row)) {
      return requestOf(row, "stop");
    }
    logs.info(id, "stop requested by " + AuditLog.currentUser());
    audit.record("stop", "run", id, run.taskName());
    if (launcher.stopHeld(id)) {
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
    events.saveState(id, "STOPPED", "stopped while paused", true);
    events.publishState(id);
    return get(id);
  }

  /**
   * The run's latest progress, as the WebSocket sends it (speeds, ETA, splits), with its speed
   * {@value RunProgress#HISTORY} since it started ({@link SpeedHistory#toJson()}): live while it
   * executes here, else as last saved; only the state for a run that has no progress yet.
   */
  public Map<String, Object> progress(long id) {
    View v = get(id);
    Map<String, Object> live = launcher.liveProgress(id);
    if (live != null) {
      return live;
    }
    Map<String, Object> saved = store.savedProgress(id);
    return saved.isEmpty() ? RunProgress.stateOnly(id, v.state()) : saved;
  }

  private static boolean isFinal(String state) {
    return RunStore.isFinal(state);
  }
}
