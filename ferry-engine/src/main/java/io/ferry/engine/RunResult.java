package io.ferry.engine;

import io.ferry.spi.FerryException;
import java.nio.file.Path;

/**
 * How a run ended.
 *
 * @param state SUCCEEDED, FAILED or STOPPED
 * @param progress the final statistics
 * @param failure why it failed; null unless FAILED
 * @param dirtyDataFile where dirty rows were written; null when there were none
 */
public record RunResult(
    RunState state, Progress progress, FerryException failure, Path dirtyDataFile) {
  /** Succeeded and every row read arrived (or was filtered on purpose): none went dirty. */
  public boolean allRowsArrived() {
    return state == RunState.SUCCEEDED && progress.dirtyRecords() == 0;
  }
}
