package io.ferry.flink;

import io.ferry.spi.FerryException;
import org.apache.flink.runtime.execution.SuppressRestartsException;

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

  /** The first FerryException in the cause chain, or null. */
  static FerryException ferry(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
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
