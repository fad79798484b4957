package io.ferry.connector.datagen;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Split;
import java.util.OptionalLong;

/**
 * A contiguous range of row indexes, {@code [firstRow, endRow)}.
 *
 * @param firstRow the first row's index
 * @param endRow the index after the last row
 */
record DatagenSplit(long firstRow, long endRow) implements Split {
  /** Version 1: first row, end row, as two longs. */
  static final Codec<Split> CODEC =
      VersionedCodec.of(
          "datagen split",
          1,
          (split, out) -> {
            DatagenSplit s = (DatagenSplit) split;
            out.writeLong(s.firstRow).writeLong(s.endRow);
          },
          in -> {
            long first = in.readLong();
            long end = in.readLong();
            if (first < 0 || end < first) {
              throw VersionedCodec.corrupt("datagen split [" + first + ", " + end + ") is corrupt");
            }
            return new DatagenSplit(first, end);
          });

  DatagenSplit {
    if (firstRow < 0 || endRow < firstRow) {
      throw new IllegalArgumentException("invalid row range [" + firstRow + ", " + endRow + ")");
    }
  }

  @Override
  public String id() {
    return "rows-" + firstRow + "-" + endRow;
  }

  @Override
  public OptionalLong estimatedRows() {
    return OptionalLong.of(endRow - firstRow);
  }
}
