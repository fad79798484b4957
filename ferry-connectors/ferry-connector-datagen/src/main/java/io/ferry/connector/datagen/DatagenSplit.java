package io.ferry.connector.datagen;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Split;
import java.util.OptionalLong;

/**
 * A contiguous range of row indexes, {@code [firstRow, endRow)}.
 *
 * @param firstRow the first row's index
 * @param endRow the index after the last row
 */
record DatagenSplit(long firstRow, long endRow) implements Split {
  static final Codec<Split> CODEC = new SplitCodec();

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

  /** Version 1: first row, end row, as two longs. */
  private static final class SplitCodec implements Codec<Split> {
    @Override
    public int version() {
      return 1;
    }

    @Override
    public byte[] encode(Split value) {
      DatagenSplit split = (DatagenSplit) value;
      return new Codec.Writer().writeLong(split.firstRow).writeLong(split.endRow).toByteArray();
    }

    @Override
    public Split decode(int version, byte[] bytes) {
      if (version != 1) {
        throw new FerryException(
            ErrorCode.STATE_INCOMPATIBLE,
            "datagen split version " + version + " is unknown (1 is)");
      }
      Codec.Reader reader = new Codec.Reader(bytes);
      long first = reader.readLong();
      long end = reader.readLong();
      if (first < 0 || end < first) {
        throw new FerryException(
            ErrorCode.STATE_INCOMPATIBLE, "datagen split [" + first + ", " + end + ") is corrupt");
      }
      return new DatagenSplit(first, end);
    }
  }
}
