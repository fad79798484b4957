package io.ferry.connector.elasticsearch;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;

/**
 * Where a reader stands in its slice: the sort values of the last document read (JSON, null before
 * the first), the point in time it read through (null when scrolling), and how many documents of
 * the slice it has read.
 */
record EsPosition(String pitId, String sortValues, long documents) {
  static final int VERSION = 1;

  Position toPosition() {
    byte[] bytes =
        new Codec.Writer()
            .writeString(pitId)
            .writeString(sortValues)
            .writeLong(documents)
            .toByteArray();
    return new Position(
        VERSION,
        bytes,
        (sortValues == null ? "start" : "after sort values " + sortValues)
            + " ("
            + documents
            + " documents)");
  }

  static EsPosition of(Position position) {
    if (position.version() != VERSION) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "Elasticsearch position of version "
              + position.version()
              + "; this connector reads version "
              + VERSION);
    }
    Codec.Reader in = new Codec.Reader(position.bytes());
    return new EsPosition(in.readString(), in.readString(), in.readLong());
  }
}
