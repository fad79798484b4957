package io.ferry.flink;

import io.ferry.spi.ErrorCategory;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.SerializedThrowable;

/**
 * How Ferry's errors travel through Flink: those no restart can fix end the job at once, and every
 * one reaches the driver with its code, so the run fails as it would on the local engine.
 */
final class Failures {
  private Failures() {}

  static RuntimeException toFlink(Throwable t) {
    FerryException ferry = ferry(t);
    if (ferry != null) {
      Carried carried = new Carried(ferry);
      return ferry.retriable() ? carried : new SuppressRestartsException(carried);
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
   * job's result as {@link SerializedThrowable}s: each is opened with Ferry's class loader on the
   * way, and a {@link Carried} error becomes the FerryException it carries.
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
      if (c instanceof Carried carried) {
        return carried.ferry();
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

  /**
   * A failure and its causes in one line ({@code A: x; caused by B: y}): Flink wraps the reason a
   * job or a request failed in layers whose own messages say little ("Recovery is suppressed",
   * "Could not submit job"). Wrappers of futures are left out; at most 6 causes are named.
   */
  static String describe(Throwable t) {
    StringBuilder line = new StringBuilder();
    int named = 0;
    for (Throwable c = t; c != null && named < 6; c = c.getCause() == c ? null : c.getCause()) {
      if ((c instanceof java.util.concurrent.ExecutionException
              || c instanceof java.util.concurrent.CompletionException)
          && c.getCause() != null) {
        continue;
      }
      if (line.length() > 0) {
        line.append("; caused by ");
      }
      line.append(c);
      named++;
    }
    return line.length() == 0 ? "no reason given" : line.toString();
  }

  /**
   * A FerryException in a form Java serialization always takes (its code as text, no cause that
   * might not serialize), with the original's stack trace.
   */
  static final class Carried extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String category;
    private final boolean retriable;
    private final String option;

    Carried(FerryException e) {
      super(e.getMessage());
      this.code = e.code().code();
      this.category = e.code().category().name();
      this.retriable = e.code().retriable();
      this.option = e.option();
      setStackTrace(e.getStackTrace());
    }

    FerryException ferry() {
      return new FerryException(
          new ErrorCode(code, ErrorCategory.valueOf(category), retriable),
          getMessage(),
          option,
          this);
    }

    @Override
    public String toString() {
      return code + ": " + getMessage();
    }
  }
}
