package io.ferry.connector.hdfs;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Split;
import java.util.OptionalLong;

/**
 * One file, read whole.
 *
 * @param path the file's full path, as listed
 * @param size its size in bytes when planned, for progress
 */
record HdfsSplit(String path, long size) implements Split {
  HdfsSplit {
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

  /** Version 1: path, size. */
  static final Codec<Split> CODEC =
      VersionedCodec.of(
          "hdfs file split",
          1,
          (split, out) -> {
            HdfsSplit s = (HdfsSplit) split;
            out.writeString(s.path).writeLong(s.size);
          },
          in -> {
            String path = in.readString();
            if (path == null) {
              throw VersionedCodec.corrupt("hdfs file split without a path");
            }
            return new HdfsSplit(path, in.readLong());
          });
}
