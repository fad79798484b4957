package io.ferry.server.alerts;

/**
 * What an alert rule watches. A rule on a task watches that task; a rule without one watches every
 * task (or, for {@link #NODE_DOWN}, the cluster's nodes; for the mining kinds, the mining runs).
 * Each kind says what its {@code threshold} and {@code forSeconds} mean; an incident is per subject
 * (a task, a node) and lasts while the condition holds.
 */
public enum AlertKind {
  /** The task's latest ended run FAILED; over once a later run succeeds. */
  RUN_FAILED(false),
  /** A run of the task is PAUSED by a fault (not by a person or a shutdown); over once none is. */
  RUN_PAUSED_BY_FAULT(false),
  /** The task's latest ended scheduled instance TIMED_OUT; over once a later one succeeds. */
  RUN_TIMED_OUT(false),
  /** The task's latest run has more than {@code threshold} dirty rows. */
  DIRTY_ROWS_ABOVE(true),
  /** The task's executing cdc run lags more than {@code threshold} seconds. */
  CDC_LAG_ABOVE(true),
  /**
   * The task's executing run has written fewer than {@code threshold} rows a second for {@code
   * forSeconds} (it must have run that long).
   */
  THROUGHPUT_BELOW(true),
  /** A node that wrote samples lately is not alive (no heartbeat for two leases). */
  NODE_DOWN(false),
  /**
   * The task is online with a schedule, a fire time passed more than {@code forSeconds} ago (60 s
   * at least) and no instance was planned for it.
   */
  SCHEDULE_MISSED(false),
  /**
   * A shared-mining run (docs/shared-mining.md) was stopped by a person: its tasks wait, their lag
   * grows; over once it runs again. Mining rules watch every mining run, never a task.
   */
  MINING_STOPPED(false),
  /** A mining run FAILED, or retries after a failure; over once it runs without one. */
  MINING_FAILED(false),
  /**
   * A running mining run's lag (from a change's commit at the source to its append to the mining
   * log) is above {@code threshold} seconds.
   */
  MINING_LAG_ABOVE(true),
  /**
   * A mining run's retention drops, within {@code threshold} hours, an event that a task reading
   * its log still needs (a running or paused task whose offset is behind): the task would then fail
   * with mining.offset-expired and need a new snapshot. Over once that task caught up, or the
   * retention was raised.
   */
  MINING_RETENTION_NEAR(true);

  /** Whether rules of this kind watch the shared-mining runs. */
  public boolean watchesMining() {
    return name().startsWith("MINING_");
  }

  private final boolean needsThreshold;

  AlertKind(boolean needsThreshold) {
    this.needsThreshold = needsThreshold;
  }

  /** Whether a rule of this kind needs a {@code threshold}. */
  public boolean needsThreshold() {
    return needsThreshold;
  }
}
