package io.ferry.engine;

import io.ferry.spi.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where runs and their checkpoints are kept: files under a state directory for the command line
 * ({@link FileCheckpointStore}), a database for the server. Every method is thread-safe and durable
 * when it returns.
 */
public interface CheckpointStore {
  /**
   * A process tried to write a run that another process holds now: its claim lapsed (it was frozen,
   * or cut off from the store, for longer than the lease) and another process took the run over.
   * Retriable: the run continues where the other process holds it.
   */
  ErrorCode CLAIM_LOST = ErrorCode.external("run.claim-lost", true);

  /**
   * Saves the run's record.
   *
   * @throws io.ferry.spi.FerryException with {@link #CLAIM_LOST} when another process holds the run
   */
  void save(RunRecord run);

  Optional<RunRecord> run(String runKey);

  /** All runs, newest first. */
  List<RunRecord> runs();

  /**
   * Saves the run's checkpoint.
   *
   * @throws io.ferry.spi.FerryException with {@link #CLAIM_LOST} when another process holds the run
   */
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

  /**
   * The committed cursor of the incremental job with this cursor key ({@link JobSpec#cursorKey()});
   * empty before its first successful run and after a reset.
   */
  Optional<CursorState> cursor(String key);

  /** Every committed cursor, by key. */
  List<CursorState> cursors();

  /** Saves (replaces) the committed cursor of {@link CursorState#key()}. */
  void saveCursor(CursorState cursor);

  /**
   * Forgets the committed cursor of {@code key}: the job's next run reads every row.
   *
   * @return whether there was one
   */
  boolean deleteCursor(String key);

  /** A held claim. */
  interface Claim extends AutoCloseable {
    /**
     * Whether this process still holds the run, checked before each write: false once the claim
     * lapsed or another process took the run, and from then on for good. A run stops writing at
     * once when it turns false (the fence that keeps a node that comes back from the dead from
     * writing over the node that continued its run). Cheap: no I/O.
     */
    boolean held();

    /**
     * How long the claim holds without a renewal; empty for a claim that holds until it is released
     * or its process ends (a file lock), which nobody can take over from a live process.
     */
    default Optional<Duration> lease() {
      return Optional.empty();
    }

    /**
     * Whether {@link #held()}, and stays held for at least {@code margin} even if no renewal gets
     * through from now on. Cheap: no I/O.
     */
    default boolean heldFor(Duration margin) {
      return held();
    }

    /** Releases the run. */
    @Override
    void close();
  }
}
