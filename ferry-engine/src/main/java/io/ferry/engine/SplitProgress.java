package io.ferry.engine;

import io.ferry.spi.Position;

/**
 * One split's progress.
 *
 * @param splitId the split's id
 * @param state PENDING, RUNNING or DONE
 * @param recordsWritten rows of this split the sink has received
 * @param committed the last position whose rows the sink has flushed; null before the first flush
 */
public record SplitProgress(String splitId, State state, long recordsWritten, Position committed) {
  public enum State {
    PENDING,
    RUNNING,
    DONE
  }
}
