package io.ferry.connector.hbase;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
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
  static final int VERSION = 1;
  static final int POSITION_VERSION = 1;

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

  /** The position after the row whose key is {@code row}. */
  static Position position(byte[] row) {
    return new Position(
        POSITION_VERSION,
        new Codec.Writer().writeBytes(row).toByteArray(),
        "row=" + io.ferry.connector.support.Values.abbreviate(Bytes.toStringBinary(row)));
  }

  /** The last row key read, from a position. */
  static byte[] lastRow(Position position) {
    if (position.version() != POSITION_VERSION) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "HBase position of version "
              + position.version()
              + " is unknown; this connector reads "
              + POSITION_VERSION);
    }
    return new Codec.Reader(position.bytes()).readBytes();
  }

  /** Version 1: table, index, start, end, location. */
  static final class SplitCodec implements Codec<Split> {
    @Override
    public int version() {
      return VERSION;
    }

    @Override
    public byte[] encode(Split split) {
      HBaseSplit s = (HBaseSplit) split;
      return new Codec.Writer()
          .writeString(s.table)
          .writeInt(s.index)
          .writeBytes(s.start)
          .writeBytes(s.end)
          .writeString(s.location)
          .toByteArray();
    }

    @Override
    public Split decode(int version, byte[] bytes) {
      if (version != VERSION) {
        throw new FerryException(
            ErrorCode.STATE_INCOMPATIBLE,
            "HBase split encoding version " + version + " is unknown; this connector reads 1");
      }
      Codec.Reader in = new Codec.Reader(bytes);
      String table = in.readString();
      if (table == null) {
        throw new FerryException(ErrorCode.STATE_INCOMPATIBLE, "HBase split without a table");
      }
      int index = in.readInt();
      byte[] start = in.readBytes();
      byte[] end = in.readBytes();
      String location = in.readString();
      return new HBaseSplit(table, index, start, end, location == null ? "" : location);
    }
  }
}
