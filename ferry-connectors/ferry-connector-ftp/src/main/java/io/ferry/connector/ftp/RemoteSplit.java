package io.ferry.connector.ftp;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
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
  static final class SplitCodec implements Codec<Split> {
    @Override
    public int version() {
      return 1;
    }

    @Override
    public byte[] encode(Split split) {
      RemoteSplit s = (RemoteSplit) split;
      return new Codec.Writer().writeString(s.path).writeLong(s.size).toByteArray();
    }

    @Override
    public Split decode(int version, byte[] bytes) {
      if (version != 1) {
        throw new FerryException(
            ErrorCode.STATE_INCOMPATIBLE,
            "remote file split encoding version "
                + version
                + " is unknown; this connector reads 1");
      }
      Codec.Reader in = new Codec.Reader(bytes);
      String path = in.readString();
      if (path == null) {
        throw new FerryException(ErrorCode.STATE_INCOMPATIBLE, "remote file split without a path");
      }
      return new RemoteSplit(path, in.readLong());
    }
  }
}
