package io.ferry.engine;

import io.ferry.engine.verify.VerifyResult;
import io.ferry.spi.FerryException;
import java.nio.file.Path;

/**
 * How a run ended.
 *
 * @param state SUCCEEDED, FAILED or STOPPED
 * @param progress the final statistics
 * @param failure why it failed; null unless FAILED
 * @param dirtyDataFile where dirty rows were written; null when there were none
 * @param verification what the job's {@code verify} setting found once the copy succeeded; null
 *     when nothing was verified (the setting off, a cdc job, a run that did not succeed, or the
 *     default count not possible in place)
 */
public record RunResult(
    RunState state,
    Progress progress,
    FerryException failure,
    Path dirtyDataFile,
    Verification verification) {
  public RunResult(RunState state, Progress progress, FerryException failure, Path dirtyDataFile) {
    this(state, progress, failure, dirtyDataFile, null);
  }

  /** Succeeded and every row read arrived (or was filtered on purpose): none went dirty. */
  public boolean allRowsArrived() {
    return state == RunState.SUCCEEDED && progress.dirtyRecords() == 0;
  }

  /**
   * The verification after a successful copy: its result, or why a verification the job asked for
   * explicitly could not run (the copy itself still succeeded).
   *
   * @param result what was found; null when it failed
   * @param failure why it could not run; null when it ran
   */
  public record Verification(VerifyResult result, FerryException failure) {}
}
