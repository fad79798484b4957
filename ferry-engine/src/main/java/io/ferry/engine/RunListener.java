package io.ferry.engine;

/**
 * Hears what a run does. Called on engine threads: return quickly and never throw (a throwing
 * listener is logged and ignored).
 */
public interface RunListener {
  /** The run moved to {@code to}; the new state is already visible through the run. */
  default void stateChanged(JobRun run, RunState from, RunState to) {}

  /** A periodic snapshot (every {@code settings.progressInterval}) and a last one at the end. */
  default void progress(JobRun run, Progress progress) {}
}
