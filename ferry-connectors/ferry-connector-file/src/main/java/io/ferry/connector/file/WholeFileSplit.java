package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Split;
import java.util.OptionalLong;

/**
 * One file of a remote store (FTP/SFTP, HDFS), read whole: the split of the connectors that list a
 * file system other than the local one and read each file from its start.
 *
 * @param path the file's full path, as listed
 * @param size its size in bytes when planned, for progress
 */
public record WholeFileSplit(String path, long size) implements Split {
  public WholeFileSplit {
    requireNonNull(path, "path is null");
  }

  @Override
  public String id() {
    return path;
  }

  @Override
  public OptionalLong estimatedBytes() {
    return OptionalLong.of(size);
  }

  @Override
  public String toString() {
    return path;
  }

  /**
   * The codec of these splits, version 1: path, size (the encoding the ftp and hdfs connectors'
   * checkpoints hold).
   *
   * @param what the split's name in messages, e.g. {@code "hdfs file split"}
   */
  public static Codec<Split> codec(String what) {
    return VersionedCodec.of(
        what,
        1,
        (split, out) -> {
          WholeFileSplit s = (WholeFileSplit) split;
          out.writeString(s.path).writeLong(s.size);
        },
        in -> {
          String path = in.readString();
          if (path == null) {
            throw VersionedCodec.corrupt(what + " without a path");
          }
          return new WholeFileSplit(path, in.readLong());
        });
  }
}
