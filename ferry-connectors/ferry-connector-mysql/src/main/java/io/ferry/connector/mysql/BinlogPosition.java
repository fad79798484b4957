package io.ferry.connector.mysql;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Position;

/**
 * Where a binlog reader stands, as Debezium keeps it: the binlog file and the offset of the start
 * of the event group (transaction) being read, and how many rows of that group were already
 * emitted. A reader opened here connects at {@code file:offset} and skips {@code rowsToSkip} rows
 * of the first group, so it continues with exactly the next change, also inside a transaction of a
 * million rows. Between groups {@code rowsToSkip} is 0 and {@code offset} is the next group's
 * start.
 *
 * <p>Version 1 encodes: file (nullable), offset, rowsToSkip, gtid (nullable; a MariaDB GTID
 * position {@code 0-1-42} to start from when {@code file} is null), fileStamp (the creation time of
 * {@code file} as its format description event says, in seconds, or 0 when unknown: a file of the
 * same name with another stamp is a different file, e.g. after {@code RESET MASTER}).
 *
 * @param file the binlog file, or null when the position is a GTID
 * @param offset the byte offset of the event group's start in {@code file}
 * @param rowsToSkip rows of the group at {@code offset} already emitted
 * @param gtid MariaDB GTID position to start from (only when {@code file} is null)
 * @param fileStamp the creation time of {@code file} (seconds since the epoch), 0 when unknown
 */
record BinlogPosition(String file, long offset, long rowsToSkip, String gtid, long fileStamp) {

  static final VersionedCodec<BinlogPosition> CODEC =
      VersionedCodec.of(
          "MySQL binlog position",
          1,
          (p, out) ->
              out.writeString(p.file())
                  .writeLong(p.offset())
                  .writeLong(p.rowsToSkip())
                  .writeString(p.gtid())
                  .writeLong(p.fileStamp()),
          in ->
              new BinlogPosition(
                  in.readString(), in.readLong(), in.readLong(), in.readString(), in.readLong()));

  static BinlogPosition at(String file, long offset, long fileStamp) {
    return new BinlogPosition(file, offset, 0, null, fileStamp);
  }

  static BinlogPosition ofGtid(String gtid) {
    return new BinlogPosition(null, 0, 0, gtid, 0);
  }

  static BinlogPosition of(Position position) {
    BinlogPosition p = CODEC.decode(position);
    if (p.file() == null && (p.gtid() == null || p.gtid().isBlank())) {
      throw VersionedCodec.corrupt("MySQL binlog position without a file and without a GTID");
    }
    return p;
  }

  /**
   * The order of positions in one server's binlog: by file (its name's base, then the number of its
   * extension, {@code binlog.000010} after {@code binlog.000009}), then the group's offset, then
   * the rows of the group already emitted. Positions between groups ({@code rowsToSkip} 0) come
   * before every row of the group at their offset. Rows count every row of the group, whatever
   * tables a reader captures, so positions of readers of different tables compare. A GTID start
   * position has no place in it: comparing one throws.
   */
  static int compare(BinlogPosition a, BinlogPosition b) {
    if (a.file() == null || b.file() == null) {
      throw new io.ferry.spi.FerryException(
          io.ferry.spi.ErrorCode.STATE_INCOMPATIBLE,
          "the binlog position "
              + (a.file() == null ? a : b)
              + " is a GTID, which has no place in the order of binlog file offsets");
    }
    int byFile = compareFiles(a.file(), b.file());
    if (byFile != 0) {
      return byFile;
    }
    int byOffset = Long.compare(a.offset(), b.offset());
    return byOffset != 0 ? byOffset : Long.compare(a.rowsToSkip(), b.rowsToSkip());
  }

  /** {@code binlog.000009} before {@code binlog.000010}, also past {@code .999999}. */
  static int compareFiles(String a, String b) {
    int da = a.lastIndexOf('.');
    int db = b.lastIndexOf('.');
    if (da > 0 && db > 0 && a.substring(0, da).equals(b.substring(0, db))) {
      try {
        return Long.compare(
            Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
      } catch (NumberFormatException e) {
        // not a numbered extension: by name
      }
    }
    return a.compareTo(b);
  }

  Position toPosition() {
    return CODEC.position(this, toString());
  }

  /** {@code binlog.000003:1234}, {@code binlog.000003:1234 +5 rows}, {@code gtid 0-1-42}. */
  @Override
  public String toString() {
    if (file == null) {
      return "gtid " + gtid;
    }
    return file + ":" + offset + (rowsToSkip > 0 ? " +" + rowsToSkip + " rows" : "");
  }
}
