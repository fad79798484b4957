package io.ferry.connector.hbase;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Position;
import io.ferry.spi.Split;
import java.util.Arrays;
import java.util.Objects;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The rows whose key is in {@code [start, end)}: a region, or a part of one, clipped to startRow
 * and stopRow. An empty bound is open.
 *
 * @param table the table's name, for the id
 * @param index the split's place in the plan
 * @param start the first row key (inclusive); empty for the table's start
 * @param end the row key where the split ends (exclusive); empty for the table's end
 * @param location the region server that held the range when planned (for people), or ""
 */
record HBaseSplit(String table, int index, byte[] start, byte[] end, String location)
    implements Split {

  HBaseSplit {
    Objects.requireNonNull(table, "table is null");
    Objects.requireNonNull(start, "start is null");
    Objects.requireNonNull(end, "end is null");
    Objects.requireNonNull(location, "location is null");
  }

  @Override
  public String id() {
    return table + "#" + index;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HBaseSplit s
        && s.table.equals(table)
        && s.index == index
        && Arrays.equals(s.start, start)
        && Arrays.equals(s.end, end)
        && s.location.equals(location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, index, Arrays.hashCode(start), Arrays.hashCode(end), location);
  }

  @Override
  public String toString() {
    return id()
        + " rows ["
        + Bytes.toStringBinary(start)
        + ", "
        + (end.length == 0 ? "end" : Bytes.toStringBinary(end))
        + ")"
        + (location.isEmpty() ? "" : " on " + location);
  }

  /** Version 1: the row key. */
  private static final VersionedCodec<byte[]> POSITION_CODEC =
      VersionedCodec.of(
          "HBase position", 1, (row, out) -> out.writeBytes(row), in -> in.readBytes());

  /** The position after the row whose key is {@code row}. */
  static Position position(byte[] row) {
    return POSITION_CODEC.position(
        row, "row=" + io.ferry.connector.support.Values.abbreviate(Bytes.toStringBinary(row)));
  }

  /** The last row key read, from a position. */
  static byte[] lastRow(Position position) {
    return POSITION_CODEC.decode(position);
  }

  /** Version 1: table, index, start, end, location. */
  static final Codec<Split> CODEC =
      VersionedCodec.of(
          "HBase split",
          1,
          (split, out) -> {
            HBaseSplit s = (HBaseSplit) split;
            out.writeString(s.table)
                .writeInt(s.index)
                .writeBytes(s.start)
                .writeBytes(s.end)
                .writeString(s.location);
          },
          in -> {
            String table = in.readString();
            if (table == null) {
              throw VersionedCodec.corrupt("HBase split without a table");
            }
            int index = in.readInt();
            byte[] start = in.readBytes();
            byte[] end = in.readBytes();
            String location = in.readString();
            return new HBaseSplit(table, index, start, end, location == null ? "" : location);
          });
}
