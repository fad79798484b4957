package io.ferry.engine.internal;

import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;

/**
 * Hands dirty rows to the error limit (which stores them) and counts each, by kind, on the tally of
 * the reader or writer thread that reported it: that thread knows which batch or flush the row
 * belongs to. Rows reported on any other thread count on {@link #unattributed}.
 */
public final class DirtyRowCounter {
  private final DirtyRowSink limit;
  private final ThreadLocal<Tally> current = new ThreadLocal<>();
  public final Tally unattributed = new Tally();

  public DirtyRowCounter(DirtyRowSink limit) {
    this.limit = limit;
  }

  /** For the source: rows it could not read. */
  public DirtyRowSink onRead() {
    return row -> accept(row, tally().dirtyOnRead);
  }

  /** For the pipeline: rows a transform, the mapping or a conversion could not handle. */
  public DirtyRowSink onConvert() {
    return row -> accept(row, tally().dirtyOnConvert);
  }

  /** For the sink: rows it rejected. */
  public DirtyRowSink onWrite() {
    return row -> accept(row, tally().dirtyOnWrite);
  }

  /** Counts the calling thread's dirty rows on {@code tally} from now on (null: no longer). */
  public void countOn(Tally tally) {
    if (tally == null) {
      current.remove();
    } else {
      current.set(tally);
    }
  }

  private Tally tally() {
    Tally t = current.get();
    return t == null ? unattributed : t;
  }

  private void accept(DirtyRow row, java.util.concurrent.atomic.LongAdder count) {
    // Counted before the limit may throw: the row is stored and counted in either case.
    count.increment();
    limit.accept(row);
  }
}
