package io.ferry.flink;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands the connector's planned splits out one at a time to whichever reader asks, like the local
 * engine's shared queue. Splits a failed reader gave back come first again, marked as possibly
 * written in part.
 */
final class SplitAssigner implements SplitEnumerator<FerrySplit, PendingSplits> {
  private final SplitEnumeratorContext<FerrySplit> context;
  private final Deque<FerrySplit> pending;

  SplitAssigner(SplitEnumeratorContext<FerrySplit> context, List<FerrySplit> splits) {
    this.context = context;
    this.pending = new ArrayDeque<>(splits);
  }

  @Override
  public void start() {}

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {
    FerrySplit next = pending.pollFirst();
    if (next != null) {
      context.assignSplit(next, subtaskId);
    } else {
      context.signalNoMoreSplits(subtaskId);
    }
  }

  @Override
  public void addSplitsBack(List<FerrySplit> splits, int subtaskId) {
    // Assigned after the last completed checkpoint: the failed reader may have written some rows.
    for (int i = splits.size() - 1; i >= 0; i--) {
      pending.addFirst(splits.get(i).restarted());
    }
  }

  @Override
  public void addReader(int subtaskId) {}

  @Override
  public PendingSplits snapshotState(long checkpointId) {
    return new PendingSplits(List.copyOf(pending));
  }

  @Override
  public void close() {}
}
