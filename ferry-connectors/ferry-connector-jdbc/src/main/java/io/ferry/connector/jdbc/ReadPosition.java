package io.ferry.connector.jdbc;

import io.ferry.connector.support.Values;
import io.ferry.connector.support.VersionedCodec;
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
  private ReadPosition() {}

  /** A stored position: key types and the last key read, or (types null) the rows read. */
  private record Stored(List<DataType> types, Object[] key, long rows) {
    boolean keyed() {
      return types != null;
    }
  }

  private static final VersionedCodec<Stored> CODEC =
      VersionedCodec.of(
          "JDBC position",
          1,
          (p, out) -> {
            out.writeBoolean(p.keyed());
            if (p.keyed()) {
              JdbcSplit.writeTypes(out, p.types());
              JdbcSplit.writeKey(out, p.types(), p.key());
            } else {
              out.writeLong(p.rows());
            }
          },
          in -> {
            if (!in.readBoolean()) {
              return new Stored(null, null, in.readLong());
            }
            List<DataType> types = JdbcSplit.readTypes(in);
            return new Stored(types, JdbcSplit.readKey(in, types), -1);
          });

  static Position ofKey(List<String> names, List<DataType> types, Object[] key) {
    return CODEC.position(new Stored(types, key, -1), describe(names, types, key));
  }

  static Position ofRows(long rows) {
    return CODEC.position(new Stored(null, null, rows), "row " + rows);
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
    Stored stored = CODEC.decode(position);
    if (!stored.keyed()) {
      throw mismatch("a row-count position cannot resume a key-range split");
    }
    if (!stored.types().equals(types)) {
      throw mismatch(
          "the position's key types " + stored.types() + " differ from the split's " + types);
    }
    if (stored.key() == null) {
      throw mismatch("the position holds no key");
    }
    return stored.key();
  }

  /** The rows read of an unkeyed position. */
  static long rows(Position position) {
    Stored stored = CODEC.decode(position);
    if (stored.keyed()) {
      throw mismatch("a key position cannot resume a split read by row count");
    }
    return stored.rows();
  }

  private static FerryException mismatch(String message) {
    return new FerryException(ErrorCode.STATE_INCOMPATIBLE, message);
  }
}
