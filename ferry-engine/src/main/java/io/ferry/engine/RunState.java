package io.ferry.engine;

/**
 * The states of a run: CREATED → RUNNING → SUCCEEDED | FAILED | STOPPED. The last three are final.
 * (PAUSED, between RUNNING and RUNNING, arrives with checkpointed resume.)
 */
public enum RunState {
  CREATED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  STOPPED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == STOPPED;
  }

  /** Whether a run may move from this state to {@code next}. */
  public boolean canMoveTo(RunState next) {
    return switch (this) {
      case CREATED -> next == RUNNING || next == FAILED || next == STOPPED;
      case RUNNING -> next.isFinal();
      default -> false;
    };
  }
}
