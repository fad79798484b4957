package io.ferry.engine.verify;

import io.ferry.engine.internal.RowPipeline;
import io.ferry.spi.KeyRange;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Source;
import java.util.List;
import java.util.function.Predicate;

/**
 * Compares one key range row by row: the source and the target each read in key order through their
 * own readers, the source's rows through the job's pipeline, merged like two sorted files. Memory:
 * one batch per side, whatever the range's size. Every difference goes to the log, and to the
 * repair writer when there is one.
 */
final class KeyedMerge {
  private final Source source;
  private final Source target;
  private final RowPipeline pipeline;
  private final RowPipeline.Counters counters;
  private final RowComparison comparison;
  private final DifferenceLog log;
  private final Repairs repairs;

  /**
   * @param repairs null to only report
   */
  KeyedMerge(
      Source source,
      Source target,
      RowPipeline pipeline,
      RowPipeline.Counters counters,
      RowComparison comparison,
      DifferenceLog log,
      Repairs repairs) {
    this.source = source;
    this.target = target;
    this.pipeline = pipeline;
    this.counters = counters;
    this.comparison = comparison;
    this.log = log;
    this.repairs = repairs;
  }

  /** Rows read from each side. */
  record Counts(long source, long target) {}

  Counts run(KeyRange sourceRange, KeyRange targetRange) {
    return run(sourceRange, targetRange, d -> true, true);
  }

  /**
   * @param accept which differences go to the log (and the repair writer); the others are only
   *     passed to it, e.g. to be compared again later
   * @param write whether accepted differences are repaired (when there is a repair writer)
   */
  Counts run(
      KeyRange sourceRange, KeyRange targetRange, Predicate<Difference> accept, boolean write) {
    try (RowCursor s =
            new RowCursor(
                source.openOrdered(sourceRange),
                (RowBatch b) -> pipeline.apply(b, "verify " + sourceRange, counters),
                comparison::outputKey,
                "source");
        RowCursor t =
            new RowCursor(
                target.openOrdered(targetRange), b -> b, comparison::targetKey, "target");
        Repairs.Writer writer = repairs == null || !write ? null : repairs.open()) {
      Object[] a = s.next();
      Object[] b = t.next();
      while (a != null || b != null) {
        int c = a == null ? 1 : b == null ? -1 : comparison.compareKeys(a, b);
        if (c < 0) {
          Difference d =
              new Difference(Difference.Kind.MISSING, comparison.keyOfOutput(a), List.of());
          if (accept.test(d)) {
            log.add(d);
            if (writer != null) {
              writer.upsert(a);
            }
          }
          a = s.next();
        } else if (c > 0) {
          Difference d =
              new Difference(Difference.Kind.EXTRA, comparison.keyOfTarget(b), List.of());
          if (accept.test(d)) {
            log.add(d);
            if (writer != null) {
              writer.delete(comparison.asOutputRow(b));
            }
          }
          b = t.next();
        } else {
          List<Difference.ColumnDifference> columns = comparison.differences(a, b);
          if (!columns.isEmpty()) {
            Difference d =
                new Difference(Difference.Kind.DIFFERENT, comparison.keyOfOutput(a), columns);
            if (accept.test(d)) {
              log.add(d);
              if (writer != null) {
                writer.upsert(a);
              }
            }
          }
          a = s.next();
          b = t.next();
        }
      }
      return new Counts(s.rows(), t.rows());
    }
  }
}
