package io.ferry.engine;

/**
 * The states of a run: CREATED → RUNNING ⇄ PAUSED → SUCCEEDED | FAILED | STOPPED. The last three
 * are final. A PAUSED run keeps its checkpoint and can be resumed, also by another process; a
 * STOPPED run cannot (start the job again as a new run).
 */
public enum RunState {
  CREATED,
  RUNNING,
  PAUSED,
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
      case RUNNING -> next == PAUSED || next.isFinal();
      case PAUSED -> next == RUNNING || next == STOPPED || next == FAILED;
      default -> false;
    };
  }
}
