package io.ferry.server.runs;

import io.ferry.engine.Engine;
import io.ferry.engine.JobSpec;
import io.ferry.engine.Progress;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.server.runs.RunStore.Row;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.tasks.JobScripts;
import io.ferry.server.tasks.TaskCursors;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Executes this node's runs: admission to a bounded pool of {@code ferry.max-concurrent-runs} slots
 * behind a queue of {@code ferry.max-queued-runs} (a full queue refuses, and the run waits as
 * QUEUED meanwhile), the engine run of each (started, resumed, or continued after the node
 * executing it stopped), its progress saved and published while it executes, its end written; the
 * pause and stop of what it holds, and the pause of everything at shutdown. {@link RunService}
 * decides what may happen to a run; this class makes it happen on this node. Only this node writes
 * the state of a run while it executes here ({@link RunEvents#saveHeldState}).
 */
@Component
public class RunLauncher implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);
  private static final Duration SAVE_EVERY = Duration.ofSeconds(5);

  private final RunStore store;
  private final RunProgress runProgress;
  private final RunEvents events;
  private final Engine engine;
  private final JobScripts scripts;
  private final RunLogs logs;
  private final ThreadPoolExecutor pool;
  private final Map<Long, Active> active = new ConcurrentHashMap<>();
  private final AtomicInteger executing = new AtomicInteger();
  private final RunMeters meters;
  private final MeterRegistry registry;
  private final FerryProperties properties;
  private final ClusterNodes nodes;
  private final Verifications verifications;
  private final MiningRuns mining;
  private final RunIsolation isolation;
  private final ChildRunProcess.Metadata metadata;

  /** A run the server holds: queued (no JobRun yet) or executing. */
  private static final class Active {
    final long id;
    volatile Future<?> future;
    volatile HeldRun run;

    /** Its own JVM while it starts the run there (a stop kills it). */
    volatile ChildRunProcess starting;

    volatile boolean stopRequested;
    volatile boolean pauseRequested;
    volatile Progress last;
    volatile RunMeters.Attempt counted;

    /** Its {@code task} tag, once it executes. */
    volatile String task;

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

  public RunLauncher(
      RunStore store,
      RunProgress runProgress,
      RunEvents events,
      Engine engine,
      JobScripts scripts,
      RunLogs logs,
      ProgressSocket socket,
      FerryProperties properties,
      ClusterNodes nodes,
      MeterRegistry meters,
      Verifications verifications,
      MiningRuns mining,
      RunIsolation isolation,
      org.springframework.core.env.Environment environment) {
    this.store = store;
    this.isolation = isolation;
    this.metadata = metadata(environment, properties);
    if (isolation.isolation() == RunIsolation.Mode.PROCESS && metadata == null) {
      throw new IllegalStateException(
          "ferry.runs.isolation is process, but the metadata database is the embedded H2 file ("
              + "spring.datasource.url), which a run's own JVM cannot open beside the server: use"
              + " PostgreSQL or MySQL/MariaDB as the metadata database, or ferry.runs.isolation:"
              + " thread");
    }
    this.verifications = verifications;
    this.mining = mining;
    this.runProgress = runProgress;
    this.events = events;
    this.nodes = nodes;
    this.engine = engine;
    this.scripts = scripts;
    this.logs = logs;
    this.meters = new RunMeters(meters);
    this.registry = meters;
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
    Gauge.builder("ferry.runs.records.per.second", this, RunLauncher::recordsPerSecond)
        .description("Rows per second written by all executing runs")
        .register(meters);
  }

  // ---- queue ------------------------------------------------------------------------------

  void enqueue(long id, String resumeKey, Map<String, Object> overrides, Attempt attempt) {
    Active a = new Active(id);
    active.put(id, a);
    try {
      a.future = pool.submit(() -> execute(a, resumeKey, overrides, attempt));
    } catch (RejectedExecutionException full) {
      active.remove(id, a);
      String reason = "the run queue is full; try again later";
      events.saveState(id, resumeKey == null ? "FAILED" : "PAUSED", reason, resumeKey == null);
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

  /**
   * The message of a run paused by a person or a shutdown, not by a fault (the alert on runs paused
   * by a fault tells them apart by it).
   */
  public static final String PAUSED_WITHOUT_FAULT =
      "paused; resume continues from the last checkpoint";

  /** Takes a run that waits for a node of its group (see {@link RunStore#take}). */
  boolean take(long id) {
    return store.take(id);
  }

  /** Queues again, here, a run of this node's that had not started (it keeps its place). */
  void requeue(long id, String resumeKey, String why) {
    logs.info(id, why + "; queued again on node " + properties.nodeId());
    events.placed(id);
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
    Row row = store.stored(id);
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
    events.placed(id);
    try {
      enqueue(id, row.view().runKey(), Map.of(), Attempt.CONTINUE);
    } catch (DomainException.Unavailable full) {
      logs.warn(id, full.getMessage()); // left PAUSED with the reason
    }
  }

  /** Gives a run of this node's its end (or PAUSED) with the reason, announced. */
  void settle(long id, String state, String message) {
    events.saveState(id, state, message, RunStore.isFinal(state));
    logs.warn(id, state + (message == null ? "" : ": " + message));
    events.publishState(id);
  }

  // ---- what this node holds ---------------------------------------------------------------

  /** Whether this node holds the run: queued here or executing here. */
  boolean holds(long id) {
    return active.containsKey(id);
  }

  /** The run executing here, or null when the run is not held here or still queued. */
  HeldRun executing(long id) {
    Active a = active.get(id);
    return a == null ? null : a.run;
  }

  /** Asks the run executing here to pause (see {@link #executing}). */
  void pauseHeld(long id) {
    Active a = active.get(id);
    if (a != null && a.run != null) {
      a.pauseRequested = true;
      a.run.pause();
    }
  }

  /**
   * Stops the run if this node holds it.
   *
   * @return false when it does not
   */
  boolean stopHeld(long id) {
    Active a = active.get(id);
    if (a == null) {
      return false;
    }
    stopHeld(a);
    return true;
  }

  /**
   * The run's live progress message with its speed history, or null when it does not execute here
   * or has no progress yet.
   */
  Map<String, Object> liveProgress(long id) {
    Active a = active.get(id);
    if (a != null && a.run != null && a.last != null) {
      Map<String, Object> live = runProgress.message(id, a.last);
      live.put(RunProgress.HISTORY, a.history.toJson());
      return live;
    }
    return null;
  }

  /**
   * The cdc figures of a run executing here ({@link RunProgress#changes}); null when it does not
   * execute here, has no progress yet or is no cdc run.
   */
  Map<String, Object> liveChanges(long id) {
    Active a = active.get(id);
    Progress p = a == null ? null : a.last;
    return p == null || p.changes() == null ? null : RunProgress.changes(p.changes());
  }

  /** Stops a run held here: executing, or still waiting for a slot. */
  private void stopHeld(Active a) {
    a.stopRequested = true;
    HeldRun r = a.run;
    ChildRunProcess starting = a.starting;
    if (r != null) {
      r.stop();
    } else if (starting != null) {
      starting.kill(); // execute() ends the run STOPPED
    } else if (a.future != null && a.future.cancel(false)) {
      pool.remove((Runnable) a.future); // out of the queue now, not when a slot frees
      active.remove(a.id, a);
      events.saveState(a.id, "STOPPED", "stopped before it started", true);
    }
  }

  // ---- execution --------------------------------------------------------------------------

  private void execute(Active a, String resumeKey, Map<String, Object> overrides, Attempt attempt) {
    long id = a.id;
    executing.incrementAndGet();
    HeldRun run = null;
    try {
      if (a.stopRequested) {
        active.remove(id, a);
        events.saveState(id, "STOPPED", "stopped before it started", true);
        return;
      }
      Row row = store.stored(id);
      if (!store.isMine(row) || !row.view().state().equals(RunStore.QUEUED)) {
        // Another node took it over while it waited here (this node was counted as dead).
        active.remove(id, a);
        logs.info(
            id, "node " + properties.nodeId() + " let go of the run: " + row.node() + " holds it");
        return;
      }
      try {
        JobSpec spec = scripts.resolve(row.script(), row.view().taskName(), row.params());
        if (row.view().taskId() != null) {
          // A task's incremental cursor is kept by task, whatever its name.
          spec = spec.withCursorKey(TaskCursors.key(row.view().taskId()));
        }
        if (spec.cdc() != null && spec.cdc().sharedMining()) {
          mining.ensure(row.script(), spec); // its mining run, on this node
        }
        run = launch(a, row, spec, resumeKey, overrides);
      } catch (RuntimeException e) {
        if (a.stopRequested && a.starting != null) {
          // Stopped while its own JVM started the run: the JVM was killed.
          a.starting = null;
          active.remove(id, a);
          logs.info(id, "stopped while its process started the run");
          if (events.saveHeldState(id, "STOPPED", "stopped while it started", true)) {
            events.publishState(id);
          }
          return;
        }
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
        if (events.saveHeldState(
            id,
            fails ? "FAILED" : "PAUSED",
            attempt == Attempt.CONTINUE ? doing + message : message,
            fails)) {
          events.publishState(id);
        }
        return;
      }
      a.run = run;
      // Runs of scripts that belong to no task share one tag: their names are not bounded.
      String task = row.view().taskId() == null ? RunMeters.SCRIPT_RUN : row.view().taskName();
      a.task = task;
      taskSpeedGauge(task);
      a.counted =
          meters.attempt(
              run.carriedOver(),
              task,
              resumeKey == null ? Map.of() : savedChanges(store.savedProgress(id)));
      if (resumeKey != null) {
        a.history = SpeedHistory.fromJson(store.savedProgress(id).get(RunProgress.HISTORY));
      }
      logs.attach(run.runKey(), id);
      boolean held = store.started(id, run.runKey());
      run.listen(listener(a));
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
        events.publishState(id);
        events.placed(id);
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
      events.saveHeldState(id, "FAILED", e.toString(), true);
    } finally {
      if (run != null) {
        logs.detach(run.runKey());
      }
      active.remove(id, a); // never the Active of a resume that already followed
      executing.decrementAndGet();
    }
  }

  /**
   * Starts or resumes the run: in this JVM, or in a JVM of its own sized by its resources ({@code
   * ferry.runs.isolation: process}). A cdc run that reads the shared mining log stays here: its
   * mining run lives in this JVM. A run of a {@code flink} group is submitted to its Flink cluster
   * from a JVM of its own whatever the isolation ({@link FlinkLaunch}).
   */
  private HeldRun launch(
      Active a, Row row, JobSpec spec, String resumeKey, Map<String, Object> overrides)
      throws InterruptedException {
    long id = a.id;
    String group = row.view().resourceGroup();
    ChildRunProcess.Flink flink =
        nodes
            .flinkAddress(group)
            .map(address -> FlinkLaunch.of(group, address, isolation.flinkHome()))
            .orElse(null);
    boolean shared = spec.cdc() != null && spec.cdc().sharedMining();
    if (flink == null && (isolation.isolation() != RunIsolation.Mode.PROCESS || shared)) {
      return HeldRun.inThread(
          resumeKey == null
              ? engine.start(spec.withSettings(overrides))
              : engine.resume(resumeKey, spec, overrides));
    }
    if (metadata == null) {
      throw new io.ferry.spi.FerryException(
          FlinkLaunch.NO_FLINK,
          "resource group '"
              + group
              + "' is a Flink cluster: its runs are submitted from a process of their own, which"
              + " keeps the run in the metadata database, and the embedded H2 file"
              + " (spring.datasource.url) cannot be opened beside the server: use PostgreSQL or"
              + " MySQL/MariaDB as the metadata database");
    }
    io.ferry.engine.RunResources resources = store.resources(row);
    ChildRunProcess child;
    try {
      child =
          ChildRunProcess.spawn(
              new ChildRunProcess.Launch(
                  spec,
                  resumeKey,
                  overrides,
                  resources,
                  metadata,
                  properties.dataDir(),
                  properties.connectorsDir(),
                  properties.fileRoots(),
                  flink),
              line -> {
                if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                  logs.warn(id, line);
                } else {
                  logs.info(id, line);
                }
              },
              isolation.stopGrace());
    } catch (java.io.IOException e) {
      throw new io.ferry.spi.FerryException(
          ChildRunProcess.PROCESS_FAILED,
          "cannot start the run's own process: " + e.getMessage(),
          e);
    }
    logs.info(id, "process " + child.pid() + " starts the run");
    a.starting = child;
    if (a.stopRequested) {
      child.kill();
    }
    child.awaitStarted(isolation.startTimeout());
    a.starting = null;
    if (flink != null) {
      logs.info(
          id,
          "submitted to the Flink session cluster "
              + flink.master()
              + " of resource group "
              + group
              + " by process "
              + child.pid()
              + ", "
              + child.channels()
              + " parallel tasks");
    } else {
      logs.info(
          id,
          "executes in process "
              + child.pid()
              + " with "
              + resources.memoryMb()
              + " MB of heap, "
              + resources.cpuCores()
              + " cores and "
              + child.channels()
              + " channels");
    }
    return child;
  }

  /**
   * The metadata database a run's own JVM keeps its checkpoints and claim in: the server's, when it
   * is one two processes can open; null for the embedded H2 file.
   */
  private static ChildRunProcess.Metadata metadata(
      org.springframework.core.env.Environment environment, FerryProperties properties) {
    String url = environment.getProperty("spring.datasource.url", "");
    if (url.startsWith("jdbc:h2:")) {
      return null;
    }
    return new ChildRunProcess.Metadata(
        url,
        environment.getProperty("spring.datasource.username"),
        environment.getProperty("spring.datasource.password"),
        properties.lease());
  }

  private ChildRunProcess.Events listener(Active a) {
    return new ChildRunProcess.Events() {
      @Override
      public void state(RunState to) {
        // Final states are written by finish() with the run's statistics.
        if (!to.isFinal() && to != RunState.PAUSED) {
          events.saveHeldState(a.id, to.name(), null, false);
        }
      }

      @Override
      public void progress(Progress progress) {
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
      message = PAUSED_WITHOUT_FAULT;
    }
    // What the job's verify setting found once the copy succeeded: kept with the run.
    RunResult.Verification verification = result.verification();
    String verified = null;
    if (verification != null) {
      verified =
          verification.result() != null
              ? Verifications.summary(verification.result())
              : "the verification failed: " + verification.failure().getMessage();
      if (message == null && (verification.result() == null || !verification.result().equal())) {
        message = verified;
      }
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
    if (verification != null) {
      try {
        verifications.recordAfterRun(store.stored(id), verification);
      } catch (RuntimeException e) {
        log.warn("Run {}: cannot record its verification: {}", id, e.toString());
      }
      if (verification.result() != null && verification.result().equal()) {
        logs.info(id, verified);
      } else {
        logs.warn(id, verified);
      }
    }
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
      events.ended(id);
    }
  }

  /**
   * The inserts, updates and deletes per table a cdc run's saved progress holds (its pause saved
   * its last figures), so that a resume counts only what it adds.
   */
  private static Map<String, long[]> savedChanges(Map<String, Object> saved) {
    Map<String, long[]> t = new java.util.HashMap<>();
    if (saved.get(RunProgress.CHANGES) instanceof Map<?, ?> c
        && c.get("tables") instanceof List<?> tables) {
      for (Object o : tables) {
        if (o instanceof Map<?, ?> table && table.get("table") instanceof String name) {
          t.put(
              name,
              new long[] {
                number(table.get("inserts")),
                number(table.get("updates")),
                number(table.get("deletes"))
              });
        }
      }
    }
    return t;
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  /** Saves the figures and the progress message, with the speed history the socket omits. */
  private void saveProgress(Active a, Progress p, Map<String, Object> message) {
    Map<String, Object> saved = new LinkedHashMap<>(message);
    saved.put(RunProgress.HISTORY, a.history.toJson());
    store.saveProgress(a.id, p, saved);
  }

  /** Registers the task's rows-per-second gauge (once; Micrometer keeps the first). */
  private void taskSpeedGauge(String task) {
    if (taskGauges.add(task)) {
      Gauge.builder("ferry.task.records.per.second", this, l -> l.recordsPerSecond(task))
          .tag("task", task)
          .description("Rows per second written by the task's runs executing on this node")
          .register(registry);
    }
  }

  private final java.util.Set<String> taskGauges = ConcurrentHashMap.newKeySet();

  private double recordsPerSecond() {
    return recordsPerSecond(null);
  }

  /** The current speed of the executing runs of {@code task}, or of all when null. */
  private double recordsPerSecond(String task) {
    double sum = 0;
    for (Active a : active.values()) {
      if (task != null && !task.equals(a.task)) {
        continue;
      }
      Progress p = a.last;
      if (p != null && !p.state().isFinal()) {
        sum += p.recordsPerSecond();
      }
    }
    return sum;
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
    List<HeldRun> running = new ArrayList<>();
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
    for (HeldRun r : running) {
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
