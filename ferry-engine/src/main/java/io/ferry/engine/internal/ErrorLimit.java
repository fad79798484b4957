package io.ferry.engine.internal;

import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts dirty rows against the job's limit and stores each one. Once the count passes the limit,
 * every further report throws {@link ErrorCode#ERROR_LIMIT}, which fails the run. The share limit
 * ({@code errorPercent}) is checked at the end by {@link #checkShare}, since early in a run a few
 * rows make any share look large.
 */
public final class ErrorLimit implements DirtyRowSink {
  private final long limit;
  private final OptionalDouble percent;
  private final DirtyDataStore store;
  private final AtomicLong count = new AtomicLong();

  public ErrorLimit(long limit, OptionalDouble percent, DirtyDataStore store) {
    this.limit = limit;
    this.percent = percent;
    this.store = store;
  }

  /** Carries the dirty rows of the run's earlier attempts into the count (a resume). */
  public void carryOver(long earlier) {
    count.addAndGet(earlier);
  }

  @Override
  public void accept(DirtyRow row) {
    store.write(row);
    long n = count.incrementAndGet();
    if (n > limit) {
      throw new FerryException(
          ErrorCode.ERROR_LIMIT,
          "dirty rows exceed the limit of "
              + limit
              + " (settings.errorLimit); the last: "
              + describe(row)
              + "; all are in "
              + store.file());
    }
  }

  long count() {
    return count.get();
  }

  /** Fails when dirty rows are more than the allowed share of {@code recordsRead}. */
  public void checkShare(long recordsRead) {
    long n = count.get();
    if (percent.isPresent() && recordsRead > 0 && 100.0 * n / recordsRead > percent.getAsDouble()) {
      throw new FerryException(
          ErrorCode.ERROR_LIMIT,
          String.format(
              "%d dirty rows are %.3f%% of %d rows read, more than settings.errorPercent %s%%;"
                  + " all are in %s",
              n, 100.0 * n / recordsRead, recordsRead, percent.getAsDouble(), store.file()));
    }
  }

  static String describe(DirtyRow row) {
    StringBuilder sb = new StringBuilder();
    if (row.location() != null) {
      sb.append(row.location()).append(' ');
    }
    if (row.column() != null) {
      sb.append("column ").append(row.column()).append(' ');
    }
    return sb.append(row.reason()).toString().trim();
  }
}
