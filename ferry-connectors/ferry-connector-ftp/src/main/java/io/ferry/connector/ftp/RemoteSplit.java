package io.ferry.connector.ftp;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Split;
import java.util.OptionalLong;

/**
 * One file on the server, read whole.
 *
 * @param path the file's path on the server, as listed
 * @param size its size in bytes when planned, for progress
 */
record RemoteSplit(String path, long size) implements Split {
  RemoteSplit {
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
          "remote file split",
          1,
          (split, out) -> {
            RemoteSplit s = (RemoteSplit) split;
            out.writeString(s.path).writeLong(s.size);
          },
          in -> {
            String path = in.readString();
            if (path == null) {
              throw VersionedCodec.corrupt("remote file split without a path");
            }
            return new RemoteSplit(path, in.readLong());
          });
}
