package io.ferry.engine;

import java.util.List;
import java.util.Optional;

/**
 * Where runs and their checkpoints are kept: files under a state directory for the command line
 * ({@link FileCheckpointStore}), a database for the server. Every method is thread-safe and durable
 * when it returns.
 */
public interface CheckpointStore {
  void save(RunRecord run);

  Optional<RunRecord> run(String runKey);

  /** All runs, newest first. */
  List<RunRecord> runs();

  void save(Checkpoint checkpoint);

  Optional<Checkpoint> checkpoint(String runKey);

  /**
   * Claims a run for this process while it executes, so two processes never run it at once. The
   * claim ends with {@link Claim#close()} or with the process (a crash releases it).
   *
   * @return empty when another live process holds the run
   */
  Optional<Claim> claim(String runKey);

  /** Whether a live process holds the run: a RUNNING run nobody holds was interrupted. */
  boolean isClaimed(String runKey);

  /** A held claim. */
  interface Claim extends AutoCloseable {
    @Override
    void close();
  }
}
