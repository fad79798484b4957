package io.ferry.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of one reader or writer thread in one attempt of a run, or of rows no such thread
 * reported. Its thread compares them before and after a batch or a flush to know which rows that
 * batch or flush moved, and the run adds all tallies up for its live progress.
 */
final class Tally {
  final LongAdder read = new LongAdder();
  final LongAdder bytesRead = new LongAdder();

  /** Rows a writer handed to its sink; those the sink rejected are also {@code dirtyOnWrite}. */
  final LongAdder handed = new LongAdder();

  final LongAdder bytesHanded = new LongAdder();
  final LongAdder filtered = new LongAdder();
  final LongAdder dirtyOnRead = new LongAdder();
  final LongAdder dirtyOnConvert = new LongAdder();
  final LongAdder dirtyOnWrite = new LongAdder();

  /** The counts so far; rows written are the rows handed less those rejected. */
  RowCounts counts() {
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
