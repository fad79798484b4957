package io.ferry.connector.hdfs;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Position;

/** A columnar file reader's position: how many of the file's rows were handed on. */
final class RowPosition {
  private static final int VERSION = 1;

  private RowPosition() {}

  static Position of(long rows) {
    return new Position(VERSION, new Codec.Writer().writeLong(rows).toByteArray(), "row " + rows);
  }

  static long rows(Position position) {
    if (position.version() != VERSION) {
      throw VersionedCodec.corrupt("unknown row position version " + position.version());
    }
    return new Codec.Reader(position.bytes()).readLong();
  }
}
