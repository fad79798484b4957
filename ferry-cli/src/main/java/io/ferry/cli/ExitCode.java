package io.ferry.cli;

import io.ferry.engine.RunResult;

/**
 * The process exit codes of {@code ferry}. Scripts branch on them, so a code never changes meaning
 * once released.
 */
final class ExitCode {
  /** The run succeeded and every row read arrived (or was filtered on purpose). */
  static final int SUCCEEDED = 0;

  /** The run failed: a store, the network, a bug, or dirty rows over the error limit. */
  static final int FAILED = 1;

  /** The job file or the command line is wrong; nothing ran. */
  static final int INVALID = 2;

  /** The run succeeded, but some rows went to the dirty-data file, within the error limit. */
  static final int DIRTY_ROWS = 3;

  /** The run was stopped before it ended; it cannot be resumed. */
  static final int STOPPED = 4;

  /**
   * The run paused with its checkpoint (Ctrl-C, SIGTERM, or a fault a retry may fix, such as a lost
   * connection): {@code ferry resume RUN_KEY} continues it.
   */
  static final int PAUSED = 5;

  /**
   * {@code ferry verify}: the target differs from the source (after a repair: still differs). The
   * differences are printed and written to the report file.
   */
  static final int DIFFERS = 6;

  private ExitCode() {}

  static int of(RunResult result) {
    return switch (result.state()) {
      case SUCCEEDED -> result.allRowsArrived() ? SUCCEEDED : DIRTY_ROWS;
      case STOPPED -> STOPPED;
      case PAUSED -> PAUSED;
      case FAILED -> FAILED;
      case CREATED, RUNNING ->
          throw new IllegalStateException("a run result cannot be " + result.state());
    };
  }
}
