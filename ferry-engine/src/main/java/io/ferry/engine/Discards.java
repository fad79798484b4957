package io.ferry.engine;

import io.ferry.engine.internal.RowPipeline;
import io.ferry.spi.KeyRange;
import io.ferry.spi.Position;
import io.ferry.spi.SinkResume;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sink discards before an unfinished split is written again: shared by a resumed or retried
 * local run ({@link JobRun}) and by a restarted task of a run on another engine ({@link TaskWork}).
 */
final class Discards {
  private static final Logger log = LoggerFactory.getLogger(Discards.class);

  private Discards() {}

  /**
   * Rows an interrupted attempt wrote after a split's checkpoint would be written again: where the
   * source can name what is left of the split as a key range, the sink removes those rows first (an
   * upsert sink may ignore it); a sink that keeps whole splits removes the split's output, which is
   * then read again from its start. Without a range, the sink's own idempotence is all there is;
   * the connector's README says what that means for it.
   *
   * @param ordinal the split's place in the run's plan
   * @param committed the split's last flushed position, or null
   */
  static void discard(
      String runKey,
      Source source,
      RowPipeline pipeline,
      SinkResume.Resumable model,
      Split split,
      int ordinal,
      Position committed) {
    if (model instanceof SinkResume.WholeSplit whole) {
      log.info("Run {}: split {} starts again from its beginning", runKey, split.id());
      whole.discardSplit(ordinal);
      return;
    }
    SinkResume.ByKeyRange byKey = (SinkResume.ByKeyRange) model;
    Optional<KeyRange> range = source.remainder(split, committed).flatMap(pipeline::toTarget);
    if (range.isPresent()) {
      log.info(
          "Run {}: split {} resumes; discarding target rows {}", runKey, split.id(), range.get());
      byKey.discard(range.get());
    } else {
      log.info(
          "Run {}: split {} resumes after {} without a key range to discard",
          runKey,
          split.id(),
          committed == null ? "its start" : committed.description());
    }
  }
}
