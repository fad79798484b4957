package io.ferry.engine.internal;

import io.ferry.engine.RowCounts;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of one reader or writer thread in one attempt of a run, or of rows no such thread
 * reported. Its thread compares them before and after a batch or a flush to know which rows that
 * batch or flush moved, and the run adds all tallies up for its live progress.
 */
public final class Tally {
  public final LongAdder read = new LongAdder();
  public final LongAdder bytesRead = new LongAdder();

  /** Rows a writer handed to its sink; those the sink rejected are also {@code dirtyOnWrite}. */
  public final LongAdder handed = new LongAdder();

  public final LongAdder bytesHanded = new LongAdder();
  public final LongAdder filtered = new LongAdder();
  final LongAdder dirtyOnRead = new LongAdder();
  final LongAdder dirtyOnConvert = new LongAdder();
  public final LongAdder dirtyOnWrite = new LongAdder();

  /** The counts so far; rows written are the rows handed less those rejected. */
  public RowCounts counts() {
    long rejected = dirtyOnWrite.sum();
    return new RowCounts(
        read.sum(),
        handed.sum() - rejected,
        bytesRead.sum(),
        bytesHanded.sum(),
        filtered.sum(),
        dirtyOnRead.sum(),
        dirtyOnConvert.sum(),
        rejected);
  }
}
