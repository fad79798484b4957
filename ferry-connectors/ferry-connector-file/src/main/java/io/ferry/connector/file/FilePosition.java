package io.ferry.connector.file;

import io.ferry.connector.support.VersionedCodec;
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

  /** Version 1: offset, line. */
  private static final VersionedCodec<FilePosition> CODEC =
      VersionedCodec.of(
          "file position",
          1,
          (p, out) -> out.writeLong(p.offset).writeLong(p.line),
          in -> {
            long offset = in.readLong();
            long line = in.readLong();
            if (offset < 0) {
              throw VersionedCodec.corrupt("file position offset " + offset);
            }
            return new FilePosition(offset, line);
          });

  Position encode() {
    return CODEC.position(
        this, "offset " + offset + (line == UNKNOWN_LINE ? "" : ", line " + line));
  }

  static FilePosition decode(Position position) {
    return CODEC.decode(position);
  }
}
