package io.ferry.server.runs;

import io.ferry.engine.Engine;
import io.ferry.engine.JobSpec;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunResources;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.flink.FlinkCluster;
import io.ferry.flink.FlinkRun;
import io.ferry.flink.FlinkRunner;
import io.ferry.flink.JobJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A run of a {@code flink} resource group, driven from its own JVM ({@link ChildRunMain}):
 * submitted to the group's Flink session cluster as {@code ferry run JOB --engine flink
 * --flink-master host:port} does ({@link FlinkRunner#onSessionCluster}), with the installation's
 * jars ({@link JobJars#installation}; outside an installation, the class path). Only the run's own
 * JVM loads this class: it has Flink on its class path, the server does not.
 */
final class FlinkChildRun implements HeldRun {
  /** How long a Flink job may take to be cancelled once the server is gone. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

  private final FlinkRun run;

  private FlinkChildRun(FlinkRun run) {
    this.run = run;
  }

  /**
   * Submits the job to the cluster; returns once the Flink job is submitted.
   *
   * @param group the resource group, for the errors
   * @param master the cluster's REST address {@code host:port}
   * @param home the installation whose {@code lib/} and connector folders are shipped; null for
   *     this JVM's class path
   * @param resources the run's spec, which its slots ask the cluster for
   */
  static HeldRun start(
      Engine engine,
      Path connectorsDir,
      String group,
      String master,
      Path home,
      RunResources resources,
      JobSpec spec)
      throws Exception {
    FlinkCluster cluster =
        FlinkCluster.at(
            master,
            "resource group '" + group + "' (flinkAddress)",
            home == null ? JobJars.classPath() : JobJars.installation(home));
    return new FlinkChildRun(
        new FlinkRunner(engine, connectorsDir)
            .resources(resources)
            .onSessionCluster(cluster)
            .start(spec));
  }

  @Override
  public String runKey() {
    return run.runKey();
  }

  @Override
  public int channels() {
    return run.parallelism();
  }

  /** Flink restarts failed tasks from its own checkpoints; Ferry does not pause such a run. */
  @Override
  public RowCounts carriedOver() {
    return RowCounts.ZERO;
  }

  @Override
  public boolean pausable() {
    return false;
  }

  @Override
  public RunState state() {
    return run.completion().isDone() ? run.completion().join().state() : RunState.RUNNING;
  }

  @Override
  public void pause() {
    throw new IllegalStateException("a run on Flink does not pause: stop it");
  }

  /** Cancels the Flink job; the run ends STOPPED. */
  @Override
  public void stop() {
    run.stop();
  }

  @Override
  public RunResult await() throws InterruptedException {
    return run.await();
  }

  @Override
  public Optional<RunResult> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(run.completion().get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void listen(ChildRunProcess.Events events) {
    run.addListener(events::progress);
  }

  /** The job would run on with nobody following it: it is cancelled on the cluster. */
  @Override
  public void beforeHalt() {
    run.stop();
    try {
      await(CANCEL_WAIT);
    } catch (InterruptedException | RuntimeException e) {
      // Halting anyway.
    }
  }
}
