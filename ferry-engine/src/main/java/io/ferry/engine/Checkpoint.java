package io.ferry.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A run's progress as the sink has made it durable: every split of the plan (encoded with the
 * source's versioned codec, so a resumed run reads the same splits) and, per split, the last
 * position whose rows the sink has flushed and the counts of the rows behind it. Written only after
 * a writer's {@code flush()} returned, so resuming from it loses no row, and the counts it holds
 * are what was committed: after a crash they match the target.
 *
 * @param version the format of this record ({@link #VERSION}); {@link #read} reads every earlier
 *     one
 * @param splitCodecVersion the version of the source's split codec that encoded {@code splits}
 * @param counts the run's counts behind this checkpoint: the splits' and those of rows no split
 *     owns (dirty rows a connector reported outside a reader or writer)
 * @param activeTime how long the run has been running, over all its attempts, paused time left out
 */
public record Checkpoint(
    int version,
    String runKey,
    int splitCodecVersion,
    List<SplitCheckpoint> splits,
    RowCounts counts,
    Duration activeTime,
    Instant savedAt) {
  /**
   * 2: counts per split and for the run, active time. 1 (no {@code version} field): rows written
   * per split, run-wide rows read, dirty and filtered.
   */
  public static final int VERSION = 2;

  public Checkpoint {
    Objects.requireNonNull(runKey, "runKey is null");
    splits = List.copyOf(splits);
    counts = counts == null ? RowCounts.ZERO : counts;
    activeTime = activeTime == null ? Duration.ZERO : activeTime;
  }

  /**
   * @param split the encoded split
   * @param committed the last flushed position; null when nothing of the split was flushed
   * @param counts the split's rows up to {@code committed}
   */
  public record SplitCheckpoint(
      String id, byte[] split, SplitProgress.State state, Position committed, RowCounts counts) {
    public SplitCheckpoint {
      Objects.requireNonNull(id, "id is null");
      Objects.requireNonNull(split, "split is null");
      Objects.requireNonNull(state, "state is null");
      counts = counts == null ? RowCounts.ZERO : counts;
    }
  }

  /** Splits the sink has finished. */
  public int splitsDone() {
    return (int) splits.stream().filter(s -> s.state() == SplitProgress.State.DONE).count();
  }

  /**
   * Reads a checkpoint of any version the stores have written.
   *
   * @throws FerryException {@link ErrorCode#STATE_INCOMPATIBLE} when it does not parse or comes
   *     from a newer Ferry
   */
  static Checkpoint read(ObjectMapper json, String text) {
    try {
      JsonNode tree = json.readTree(text);
      int version = tree.path("version").asInt(1);
      if (version == VERSION) {
        return json.treeToValue(tree, Checkpoint.class);
      }
      if (version == 1) {
        return json.treeToValue(tree, Version1.class).upgrade();
      }
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "the checkpoint has format version "
              + version
              + "; this Ferry reads versions 1 to "
              + VERSION
              + ": resume the run with the Ferry that wrote it");
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE, "the checkpoint does not parse: " + e.getMessage(), e);
    }
  }

  /** The first format: rows written per split; rows read, dirty and filtered for the run. */
  record Version1(
      String runKey,
      int splitCodecVersion,
      List<Split1> splits,
      long recordsRead,
      long dirtyRecords,
      long filteredRecords,
      Instant savedAt) {
    record Split1(
        String id,
        byte[] split,
        SplitProgress.State state,
        Position committed,
        long recordsWritten) {}

    /**
     * Each split's written rows become its counts (read as many as written); the rest of the run's
     * counts stays with the run. Version 1 kept neither bytes, nor active time, nor the kind of a
     * dirty row: its dirty rows count as dirty on read.
     */
    Checkpoint upgrade() {
      List<SplitCheckpoint> upgraded = new ArrayList<>(splits.size());
      long written = 0;
      for (Split1 s : splits) {
        upgraded.add(
            new SplitCheckpoint(
                s.id,
                s.split,
                s.state,
                s.committed,
                new RowCounts(s.recordsWritten, s.recordsWritten, 0, 0, 0, 0, 0, 0)));
        written += s.recordsWritten;
      }
      RowCounts run =
          new RowCounts(recordsRead, written, 0, 0, filteredRecords, dirtyRecords, 0, 0);
      return new Checkpoint(
          VERSION, runKey, splitCodecVersion, upgraded, run, Duration.ZERO, savedAt);
    }
  }
}
