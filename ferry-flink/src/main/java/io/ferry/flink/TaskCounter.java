package io.ferry.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Passes chunks on unchanged, between Ferry's source and sink in the same task: it keeps the task's
 * counts in Flink's checkpointed state (taken after the sink flushed for the checkpoint, so they
 * describe exactly the rows behind it; a restarted task continues from them) and reports them to
 * the driver as accumulators.
 */
final class TaskCounter extends RichMapFunction<Chunk, Chunk> implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private final String runKey;
  private transient ListState<long[]> state;
  private transient TaskCounts counts;
  private transient int subtask;

  TaskCounter(String runKey) {
    this.runKey = runKey;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    state =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(
                    "ferry-counts", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    long[] restored = new long[TaskCounts.NAMES.length];
    if (context.isRestored()) {
      for (long[] v : state.get()) {
        for (int i = 0; i < restored.length; i++) {
          restored[i] += v[i];
        }
      }
    }
    subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    counts = TaskCounts.fresh(runKey, subtask, restored);
  }

  @Override
  public void open(OpenContext openContext) {
    for (int i = 0; i < TaskCounts.NAMES.length; i++) {
      int field = i;
      getRuntimeContext()
          .addAccumulator(
              FlinkRun.ACCUMULATOR_PREFIX + TaskCounts.NAMES[i],
              new LiveCount(() -> counts.values()[field]));
    }
  }

  @Override
  public Chunk map(Chunk chunk) {
    return chunk;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    List<long[]> now = new ArrayList<>();
    now.add(counts.values());
    state.update(now);
  }

  @Override
  public void close() {
    if (counts != null) {
      TaskCounts.remove(runKey, subtask, counts);
    }
  }
}
