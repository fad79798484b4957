package io.ferry.connector.elasticsearch;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Split;
import java.util.OptionalLong;

/**
 * One slice of a sliced search: slice {@code slice} of {@code slices}, read through the point in
 * time {@code pitId} that every slice of the plan shares (null when scrolling).
 */
record EsSplit(String id, int slice, int slices, String pitId, long rows) implements Split {
  @Override
  public OptionalLong estimatedRows() {
    return rows < 0 ? OptionalLong.empty() : OptionalLong.of(rows);
  }

  /** Version 1: id, slice, slices, pit id (nullable), estimated rows (-1: unknown). */
  static final class SplitCodec implements Codec<Split> {
    static final int VERSION = 1;

    @Override
    public int version() {
      return VERSION;
    }

    @Override
    public byte[] encode(Split value) {
      EsSplit s = (EsSplit) value;
      return new Codec.Writer()
          .writeString(s.id())
          .writeInt(s.slice())
          .writeInt(s.slices())
          .writeString(s.pitId())
          .writeLong(s.rows())
          .toByteArray();
    }

    @Override
    public Split decode(int version, byte[] bytes) {
      if (version != VERSION) {
        throw new FerryException(
            ErrorCode.STATE_INCOMPATIBLE,
            "Elasticsearch split of version "
                + version
                + "; this connector reads version "
                + VERSION);
      }
      Codec.Reader in = new Codec.Reader(bytes);
      return new EsSplit(
          in.readString(), in.readInt(), in.readInt(), in.readString(), in.readLong());
    }
  }
}
