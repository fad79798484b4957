package io.ferry.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the checkpoint store keeps about a run besides its checkpoint: enough to list it and to
 * resume it in another process. Never holds option values: a resume reads the job file again (and
 * refuses when its data-relevant parts changed, see {@code fingerprint}), so credentials are not
 * copied into the state directory.
 *
 * @param jobFile the job file, absolute; null for jobs that did not come from a file
 * @param params the parameters given when the run started (not the file's defaults)
 * @param settings the engine settings in effect, including command-line overrides
 * @param fingerprint a digest of the job's source, sink (secrets left out), mapping and transforms
 *     after parameter substitution
 * @param recordsRead rows read ({@link RowCounts#read}), as of the last state change or checkpoint
 * @param recordsWritten rows the sink accepted and flushed ({@link RowCounts#written})
 * @param dirtyRecords dirty rows of every kind
 * @param message why the run paused or failed; null otherwise
 * @param bytesWritten estimated data size of the rows written
 * @param activeTime how long the run has been running over all its attempts, paused time left out
 *     (zero in records of earlier Ferry versions)
 */
public record RunRecord(
    String runKey,
    String jobName,
    Path jobFile,
    Map<String, String> params,
    Map<String, Object> settings,
    String fingerprint,
    RunState state,
    Instant createdAt,
    Instant updatedAt,
    long recordsRead,
    long recordsWritten,
    long dirtyRecords,
    int splitsTotal,
    int splitsDone,
    String message,
    long bytesWritten,
    Duration activeTime) {
  public RunRecord {
    Objects.requireNonNull(runKey, "runKey is null");
    Objects.requireNonNull(state, "state is null");
    params = params == null ? Map.of() : Map.copyOf(params);
    settings = settings == null ? Map.of() : Map.copyOf(settings);
    activeTime = activeTime == null ? Duration.ZERO : activeTime;
  }

  /** A new run's record: CREATED, nothing counted yet. */
  static RunRecord created(
      String runKey,
      String jobName,
      Path jobFile,
      Map<String, String> params,
      Map<String, Object> settings,
      String fingerprint,
      Instant createdAt) {
    return new RunRecord(
        runKey,
        jobName,
        jobFile,
        params,
        settings,
        fingerprint,
        RunState.CREATED,
        createdAt,
        Instant.now(),
        0,
        0,
        0,
        0,
        0,
        null,
        0,
        Duration.ZERO);
  }

  RunRecord with(RunState newState, Progress progress, String newMessage) {
    return new RunRecord(
        runKey,
        jobName,
        jobFile,
        params,
        settings,
        fingerprint,
        newState,
        createdAt,
        Instant.now(),
        progress == null ? recordsRead : progress.recordsRead(),
        progress == null ? recordsWritten : progress.recordsWritten(),
        progress == null ? dirtyRecords : progress.dirtyRecords(),
        progress == null ? splitsTotal : progress.splitsTotal(),
        progress == null ? splitsDone : progress.splitsDone(),
        newMessage,
        progress == null ? bytesWritten : progress.bytesWritten(),
        progress == null ? activeTime : progress.elapsed());
  }

  /**
   * This record with the counts of {@code checkpoint}: those of a run still running, or killed, are
   * more recent there than in the record, which is saved at state changes only.
   */
  RunRecord withCounts(Checkpoint checkpoint) {
    RowCounts counts = checkpoint.counts();
    return new RunRecord(
        runKey,
        jobName,
        jobFile,
        params,
        settings,
        fingerprint,
        state,
        createdAt,
        checkpoint.savedAt() != null && checkpoint.savedAt().isAfter(updatedAt)
            ? checkpoint.savedAt()
            : updatedAt,
        counts.read(),
        counts.written(),
        counts.dirty(),
        checkpoint.splits().size(),
        checkpoint.splitsDone(),
        message,
        counts.bytesWritten(),
        checkpoint.activeTime());
  }

  /** This record with other engine settings (a resume that changed channels, say). */
  RunRecord withSettings(Map<String, Object> newSettings) {
    return new RunRecord(
        runKey,
        jobName,
        jobFile,
        params,
        newSettings,
        fingerprint,
        state,
        createdAt,
        updatedAt,
        recordsRead,
        recordsWritten,
        dirtyRecords,
        splitsTotal,
        splitsDone,
        message,
        bytesWritten,
        activeTime);
  }

  /** The command that resumes this run. */
  public String resumeCommand() {
    return "ferry resume " + runKey;
  }
}
