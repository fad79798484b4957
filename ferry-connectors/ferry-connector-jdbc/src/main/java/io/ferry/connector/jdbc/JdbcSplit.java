package io.ferry.connector.jdbc;

import io.ferry.connector.support.Values;
import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Split;
import java.util.List;
import java.util.OptionalLong;

/**
 * A key range of a table, {@code lower < key <= upper} (either end open when null), or, for a
 * source without a usable key, the whole result read in one piece ({@code keyTypes} empty).
 *
 * @param keyTypes the Ferry types of the key columns; empty for an unkeyed split
 * @param lower exclusive lower bound, one value per key column, or null for none
 * @param upper inclusive upper bound, or null for none
 * @param rowEstimate rows expected, or -1 when unknown
 */
record JdbcSplit(
    String id, List<DataType> keyTypes, Object[] lower, Object[] upper, long rowEstimate)
    implements Split {

  boolean keyed() {
    return !keyTypes.isEmpty();
  }

  @Override
  public OptionalLong estimatedRows() {
    return rowEstimate < 0 ? OptionalLong.empty() : OptionalLong.of(rowEstimate);
  }

  @Override
  public String toString() {
    return id;
  }

  /** Version 1: id, key types as text, each bound as a presence flag and the values' text. */
  static final Codec<Split> CODEC =
      VersionedCodec.of(
          "JDBC split",
          1,
          (value, out) -> {
            JdbcSplit split = (JdbcSplit) value;
            out.writeString(split.id());
            writeTypes(out, split.keyTypes());
            writeKey(out, split.keyTypes(), split.lower());
            writeKey(out, split.keyTypes(), split.upper());
            out.writeLong(split.rowEstimate());
          },
          in -> {
            String id = in.readString();
            List<DataType> types = readTypes(in);
            Object[] lower = readKey(in, types);
            Object[] upper = readKey(in, types);
            return new JdbcSplit(id, types, lower, upper, in.readLong());
          });

  static void writeTypes(Codec.Writer out, List<DataType> types) {
    out.writeInt(types.size());
    for (DataType t : types) {
      out.writeString(t.toString());
    }
  }

  static List<DataType> readTypes(Codec.Reader in) {
    int n = in.readInt();
    DataType[] types = new DataType[n];
    for (int i = 0; i < n; i++) {
      types[i] = parseType(in.readString());
    }
    return List.of(types);
  }

  /** A key (or null) as a presence flag and each value's {@link Values#format} text. */
  static void writeKey(Codec.Writer out, List<DataType> types, Object[] key) {
    out.writeBoolean(key != null);
    if (key != null) {
      for (int i = 0; i < types.size(); i++) {
        out.writeString(key[i] == null ? null : Values.format(key[i], types.get(i)));
      }
    }
  }

  static Object[] readKey(Codec.Reader in, List<DataType> types) {
    if (!in.readBoolean()) {
      return null;
    }
    Object[] key = new Object[types.size()];
    for (int i = 0; i < key.length; i++) {
      String text = in.readString();
      try {
        key[i] = text == null ? null : Values.parse(text, types.get(i));
      } catch (IllegalArgumentException e) {
        throw new FerryException(
            ErrorCode.STATE_INCOMPATIBLE, "stored key is corrupt: " + e.getMessage(), e);
      }
    }
    return key;
  }

  private static DataType parseType(String text) {
    try {
      return DataType.parse(text);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new FerryException(ErrorCode.STATE_INCOMPATIBLE, "stored key type is corrupt", e);
    }
  }
}
