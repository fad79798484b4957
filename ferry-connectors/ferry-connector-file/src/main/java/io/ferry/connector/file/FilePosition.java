package io.ferry.connector.file;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;

/**
 * Where a reader stands in its split: the byte offset at which the next record starts, counted in
 * uncompressed bytes from the start of the file, and that record's line number.
 *
 * <p>An uncompressed file is reopened by seeking to the offset. A gzip file has no random access:
 * it is decompressed from its start and the bytes before the offset are discarded unparsed.
 *
 * @param offset byte offset of the next record in the uncompressed text
 * @param line 1-based line number of the next record, or {@link #UNKNOWN_LINE} in a byte range that
 *     does not start the file (counting lines there would mean reading all bytes before it)
 */
record FilePosition(long offset, long line) {
  static final long UNKNOWN_LINE = -1;
  static final int VERSION = 1;

  Position encode() {
    byte[] bytes = new Codec.Writer().writeLong(offset).writeLong(line).toByteArray();
    return new Position(
        VERSION, bytes, "offset " + offset + (line == UNKNOWN_LINE ? "" : ", line " + line));
  }

  static FilePosition decode(Position position) {
    if (position.version() != VERSION) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "file position encoding version "
              + position.version()
              + " is unknown; this connector reads "
              + VERSION);
    }
    Codec.Reader in = new Codec.Reader(position.bytes());
    long offset = in.readLong();
    long line = in.readLong();
    if (offset < 0) {
      throw new FerryException(ErrorCode.STATE_INCOMPATIBLE, "file position offset " + offset);
    }
    return new FilePosition(offset, line);
  }
}
