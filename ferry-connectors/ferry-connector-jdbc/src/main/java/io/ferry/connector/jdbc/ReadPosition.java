package io.ferry.connector.jdbc;

import io.ferry.connector.support.Values;
import io.ferry.spi.Codec;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.util.List;

/**
 * Where a split reader stands: the last key read (keyed splits) or the number of rows read
 * (unkeyed). Encoded as version 1: a keyed flag, then the key types and values as text ({@link
 * JdbcSplit#writeKey}), or the row count.
 */
final class ReadPosition {
  static final int VERSION = 1;

  private ReadPosition() {}

  static Position ofKey(List<String> names, List<DataType> types, Object[] key) {
    Codec.Writer out = new Codec.Writer().writeBoolean(true);
    JdbcSplit.writeTypes(out, types);
    JdbcSplit.writeKey(out, types, key);
    return new Position(VERSION, out.toByteArray(), describe(names, types, key));
  }

  static Position ofRows(long rows) {
    byte[] bytes = new Codec.Writer().writeBoolean(false).writeLong(rows).toByteArray();
    return new Position(VERSION, bytes, "row " + rows);
  }

  /** {@code id=4711}, {@code region=eu, id=17}. */
  static String describe(List<String> names, List<DataType> types, Object[] key) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names.get(i))
          .append('=')
          .append(key[i] == null ? "NULL" : Values.abbreviate(Values.format(key[i], types.get(i))));
    }
    return sb.toString();
  }

  /** The last key of a keyed position; fails when the position is not one of this split. */
  static Object[] key(Position position, List<DataType> types) {
    Codec.Reader in = reader(position);
    if (!in.readBoolean()) {
      throw mismatch("a row-count position cannot resume a key-range split");
    }
    List<DataType> stored = JdbcSplit.readTypes(in);
    if (!stored.equals(types)) {
      throw mismatch("the position's key types " + stored + " differ from the split's " + types);
    }
    Object[] key = JdbcSplit.readKey(in, stored);
    if (key == null) {
      throw mismatch("the position holds no key");
    }
    return key;
  }

  /** The rows read of an unkeyed position. */
  static long rows(Position position) {
    Codec.Reader in = reader(position);
    if (in.readBoolean()) {
      throw mismatch("a key position cannot resume a split read by row count");
    }
    return in.readLong();
  }

  private static Codec.Reader reader(Position position) {
    if (position.version() != VERSION) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "JDBC position of version "
              + position.version()
              + " is unknown (this connector reads "
              + VERSION
              + ")");
    }
    return new Codec.Reader(position.bytes());
  }

  private static FerryException mismatch(String message) {
    return new FerryException(ErrorCode.STATE_INCOMPATIBLE, message);
  }
}
