package io.ferry.flink;

import io.ferry.engine.ExternalRun;
import io.ferry.engine.Progress;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunResult;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.util.OptionalFailure;
import org.apache.flink.util.SerializedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Ferry run executing as a Flink job: follows the job, turns the tasks' accumulators into the
 * run's progress every {@code progressInterval}, cancels the job when the whole run's dirty rows
 * pass the error limit, and ends the run ({@link ExternalRun#finish}) when the job ends.
 */
public final class FlinkRun {
  private static final Logger log = LoggerFactory.getLogger(FlinkRun.class);

  static final String ACCUMULATOR_PREFIX = "ferry.";

  /** The Flink job failed for a reason that is not one of Ferry's. */
  static final ErrorCode FLINK_FAILED = ErrorCode.external("flink.job-failed", false);

  private final ExternalRun run;
  private final ClusterClient<?> client;
  private final JobID jobId;
  private final AutoCloseable cluster;
  private final List<Consumer<Progress>> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private volatile boolean stopRequested;
  private volatile FerryException limitError;

  FlinkRun(ExternalRun run, ClusterClient<?> client, JobID jobId, AutoCloseable cluster) {
    this.run = run;
    this.client = client;
    this.jobId = jobId;
    this.cluster = cluster;
  }

  void start() {
    Thread t = new Thread(this::follow, "ferry-" + run.runKey() + "-flink");
    t.setDaemon(false);
    t.start();
  }

  public String runKey() {
    return run.runKey();
  }

  /** The Flink job's parallel tasks: the run's {@code settings.channels}. */
  public int parallelism() {
    return run.settings().channels();
  }

  /** The Flink job's id. */
  public JobID jobId() {
    return jobId;
  }

  /** Hears each progress snapshot, and the last one at the end. */
  public void addListener(Consumer<Progress> listener) {
    listeners.add(listener);
  }

  /** Cancels the Flink job; the run ends STOPPED and the sink aborts. */
  public void stop() {
    stopRequested = true;
    client.cancel(jobId);
  }

  public RunResult await() throws InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("following the Flink job failed", e.getCause());
    }
  }

  public CompletableFuture<RunResult> completion() {
    return result;
  }

  private void follow() {
    RowCounts counts = RowCounts.ZERO;
    int splitsDone = 0;
    FerryException error = null;
    try {
      CompletableFuture<JobResult> end = client.requestJobResult(jobId);
      long interval = Math.max(100, run.settings().progressInterval().toMillis());
      JobResult jobResult = null;
      while (jobResult == null) {
        try {
          jobResult = end.get(interval, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          try {
            Map<String, Object> live =
                client
                    .getAccumulators(jobId, getClass().getClassLoader())
                    .get(10, TimeUnit.SECONDS);
            long[] v = values(live);
            counts = TaskCounts.rowCounts(v);
            splitsDone = (int) v[8];
            publish(run.progress(counts, splitsDone));
            FerryException over = run.overLimit(counts);
            if (over != null && limitError == null) {
              limitError = over;
              log.info("Run {}: {}; cancelling the Flink job", run.runKey(), over.getMessage());
              client.cancel(jobId);
            }
          } catch (TimeoutException | ExecutionException ex) {
            log.debug("Run {}: no accumulators yet: {}", run.runKey(), ex.toString());
          }
        }
      }
      long[] v = finalValues(jobResult);
      counts = TaskCounts.rowCounts(v);
      splitsDone = (int) v[8];
      if (!jobResult.isSuccess()) {
        error = limitError != null ? limitError : failure(jobResult);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = new FerryException(ErrorCode.INTERNAL, "interrupted while following the Flink job");
    } catch (ExecutionException e) {
      // The job's result cannot be had: the cluster went away or stopped answering. The job is
      // cancelled if the cluster still hears it, since no one follows it any more.
      client.cancel(jobId);
      error =
          new FerryException(
              FLINK_FAILED,
              "lost the Flink job " + jobId + ": " + Failures.describe(e.getCause()),
              e.getCause());
    } catch (Exception e) {
      error =
          new FerryException(
              ErrorCode.INTERNAL,
              "internal error: " + e.getClass().getName() + ": " + e.getMessage(),
              e);
    }
    RunResult ended;
    try {
      boolean stopped = stopRequested && limitError == null;
      ended = run.finish(counts, splitsDone, stopped ? null : error, stopped);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      close();
      return;
    }
    close();
    publish(ended.progress());
    result.complete(ended);
  }

  private void close() {
    try {
      client.close();
    } catch (RuntimeException e) {
      log.debug("closing the Flink client failed", e);
    }
    if (cluster != null) {
      try {
        cluster.close();
      } catch (Exception e) {
        log.warn("Run {}: stopping the Flink mini cluster failed: {}", run.runKey(), e.toString());
      }
    }
  }

  private void publish(Progress progress) {
    for (Consumer<Progress> l : listeners) {
      try {
        l.accept(progress);
      } catch (RuntimeException e) {
        log.warn("A run listener failed: {}", e.toString());
      }
    }
  }

  private static long[] values(Map<String, Object> accumulators) {
    long[] v = new long[TaskCounts.NAMES.length];
    for (int i = 0; i < v.length; i++) {
      Object value = accumulators.get(ACCUMULATOR_PREFIX + TaskCounts.NAMES[i]);
      if (value instanceof Number n) {
        v[i] = n.longValue();
      }
    }
    return v;
  }

  private long[] finalValues(JobResult jobResult) throws Exception {
    Map<String, SerializedValue<OptionalFailure<Object>>> serialized =
        jobResult.getAccumulatorResults();
    Map<String, Object> plain = new java.util.HashMap<>();
    for (var e : serialized.entrySet()) {
      OptionalFailure<Object> value = e.getValue().deserializeValue(getClass().getClassLoader());
      if (!value.isFailure()) {
        plain.put(e.getKey(), value.getUnchecked());
      }
    }
    return values(plain);
  }

  private FerryException failure(JobResult jobResult) {
    Throwable t =
        jobResult
            .getSerializedThrowable()
            .map(s -> s.deserializeError(getClass().getClassLoader()))
            .orElse(null);
    FerryException ferry = Failures.ferry(t);
    if (ferry != null) {
      return ferry;
    }
    return new FerryException(
        FLINK_FAILED, "the Flink job " + jobId + " failed: " + Failures.describe(t), t);
  }
}
