package io.ferry.flink;

import io.ferry.spi.FerryException;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.SerializedThrowable;

/** How Ferry's errors reach Flink: those no restart can fix end the job at once. */
final class Failures {
  private Failures() {}

  static RuntimeException toFlink(Throwable t) {
    FerryException ferry = ferry(t);
    if (ferry != null && !ferry.retriable()) {
      return new SuppressRestartsException(ferry);
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new RuntimeException(t);
  }

  /**
   * The first FerryException in the cause chain, or null. Flink carries a task's failure to the
   * job's result as {@link SerializedThrowable}s, each cause of the chain wrapped on its own: each
   * is opened with Ferry's class loader on the way.
   */
  static FerryException ferry(Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 64; c = c.getCause(), depth++) {
      if (c instanceof SerializedThrowable serialized) {
        Throwable original = serialized.deserializeError(Failures.class.getClassLoader());
        if (original != serialized) {
          return ferry(original);
        }
      }
      if (c instanceof FerryException f) {
        return f;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
