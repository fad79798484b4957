package io.ferry.connector.elasticsearch;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Position;

/**
 * Where a reader stands in its slice: the sort values of the last document read (JSON, null before
 * the first), the point in time it read through (null when scrolling), and how many documents of
 * the slice it has read.
 */
record EsPosition(String pitId, String sortValues, long documents) {
  /** Version 1: pit id (nullable), sort values (nullable), documents. */
  private static final VersionedCodec<EsPosition> CODEC =
      VersionedCodec.of(
          "Elasticsearch position",
          1,
          (p, out) -> out.writeString(p.pitId).writeString(p.sortValues).writeLong(p.documents),
          in -> new EsPosition(in.readString(), in.readString(), in.readLong()));

  Position toPosition() {
    return CODEC.position(
        this,
        (sortValues == null ? "start" : "after sort values " + sortValues)
            + " ("
            + documents
            + " documents)");
  }

  static EsPosition of(Position position) {
    return CODEC.decode(position);
  }
}
