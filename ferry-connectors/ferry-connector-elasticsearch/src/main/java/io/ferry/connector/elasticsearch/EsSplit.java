package io.ferry.connector.elasticsearch;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
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
  static final Codec<Split> CODEC =
      VersionedCodec.of(
          "Elasticsearch split",
          1,
          (split, out) -> {
            EsSplit s = (EsSplit) split;
            out.writeString(s.id())
                .writeInt(s.slice())
                .writeInt(s.slices())
                .writeString(s.pitId())
                .writeLong(s.rows());
          },
          in ->
              new EsSplit(
                  in.readString(), in.readInt(), in.readInt(), in.readString(), in.readLong()));
}
