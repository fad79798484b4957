package io.ferry.engine;

import io.ferry.spi.Position;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A run's progress as the sink has made it durable: every split of the plan (encoded with the
 * source's versioned codec, so a resumed run reads the same splits) and, per split, the last
 * position whose rows the sink has flushed. Written only after a writer's {@code flush()} returned,
 * so resuming from it loses no row.
 *
 * @param splitCodecVersion the version of the source's split codec that encoded {@code splits}
 * @param recordsRead rows read up to the checkpoint, carried into the resumed run's statistics
 * @param dirtyRecords dirty rows so far: they keep counting against the error limit
 */
public record Checkpoint(
    String runKey,
    int splitCodecVersion,
    List<SplitCheckpoint> splits,
    long recordsRead,
    long dirtyRecords,
    long filteredRecords,
    Instant savedAt) {
  public Checkpoint {
    Objects.requireNonNull(runKey, "runKey is null");
    splits = List.copyOf(splits);
  }

  /**
   * @param split the encoded split
   * @param committed the last flushed position; null when nothing of the split was flushed
   */
  public record SplitCheckpoint(
      String id, byte[] split, SplitProgress.State state, Position committed, long recordsWritten) {
    public SplitCheckpoint {
      Objects.requireNonNull(id, "id is null");
      Objects.requireNonNull(split, "split is null");
      Objects.requireNonNull(state, "state is null");
    }
  }
}
