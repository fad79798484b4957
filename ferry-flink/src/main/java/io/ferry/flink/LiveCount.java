package io.ferry.flink;

import java.util.function.LongSupplier;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.SimpleAccumulator;

/**
 * An accumulator that reports one of a task's counts as it stands when Flink takes its snapshot
 * (with each heartbeat, and once when the task ends): the task keeps the count itself.
 */
final class LiveCount implements SimpleAccumulator<Long> {
  private static final long serialVersionUID = 1L;

  private transient LongSupplier live;
  private long value;

  LiveCount(LongSupplier live) {
    this.live = live;
  }

  private LiveCount(long value) {
    this.value = value;
  }

  @Override
  public void add(Long v) {
    value += v;
  }

  @Override
  public Long getLocalValue() {
    return live != null ? live.getAsLong() : value;
  }

  @Override
  public void resetLocal() {
    value = 0;
  }

  @Override
  public void merge(Accumulator<Long, Long> other) {
    value = getLocalValue() + other.getLocalValue();
    live = null;
  }

  @Override
  public LiveCount clone() {
    return new LiveCount(getLocalValue());
  }

  /** What is sent is the count at that moment. */
  private Object writeReplace() {
    return new LiveCount(getLocalValue());
  }
}
