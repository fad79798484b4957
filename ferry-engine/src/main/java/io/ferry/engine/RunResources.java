package io.ferry.engine;

/**
 * What one run may use: its CPU cores and its memory, the resource spec of a scheduled instance
 * (seed 001: "the CPU cores and memory the task instance needs"). It is the run's total, wherever
 * the run executes: a child JVM sized by it (the server's process isolation), or Flink slots that
 * share it among the run's parallel tasks (the Flink runner).
 *
 * @param cpuCores the cores the run may keep busy, at least 1
 * @param memoryMb the memory of the run in MB, at least {@link #MIN_MEMORY_MB}
 */
public record RunResources(int cpuCores, int memoryMb) {
  /** Below this a JVM that runs a job does not start reliably. */
  public static final int MIN_MEMORY_MB = 64;

  public RunResources {
    if (cpuCores < 1) {
      throw new IllegalArgumentException("cpuCores is " + cpuCores + "; it must be at least 1");
    }
    if (memoryMb < MIN_MEMORY_MB) {
      throw new IllegalArgumentException(
          "memoryMb is " + memoryMb + "; it must be at least " + MIN_MEMORY_MB);
    }
  }

  /**
   * The channels a run may have: those its settings ask for, at most one per core (a channel is a
   * reader and a writer thread that keep a core busy between them).
   */
  public int channels(int asked) {
    return Math.max(1, Math.min(asked, cpuCores));
  }
}
