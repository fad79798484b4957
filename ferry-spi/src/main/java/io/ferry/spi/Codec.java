package io.ferry.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Versioned serialization of splits (and anything else a connector persists): never Java
 * serialization. {@link #decode} must read every version this codec ever wrote.
 *
 * @param <T> the serialized class
 */
public interface Codec<T> {
  /** The version {@link #encode} writes. Raise it whenever the encoding changes. */
  int version();

  byte[] encode(T value);

  /**
   * @param version the version the bytes were written with
   * @throws FerryException with {@link ErrorCode#STATE_INCOMPATIBLE} for an unknown version
   */
  T decode(int version, byte[] bytes);

  /** Builds an encoding with the usual primitive writes. */
  final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    private final DataOutputStream out = new DataOutputStream(bytes);

    public Writer writeInt(int v) {
      try {
        out.writeInt(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Writer writeLong(long v) {
      try {
        out.writeLong(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Writer writeBoolean(boolean v) {
      try {
        out.writeBoolean(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Writes a string of any length (UTF-8), or null. */
    public Writer writeString(String v) {
      writeBoolean(v != null);
      if (v != null) {
        writeBytes(v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return this;
    }

    public Writer writeBytes(byte[] v) {
      writeInt(v.length);
      try {
        out.write(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }

  /** Reads what a {@link Writer} wrote, in the same order. */
  final class Reader {
    private final DataInputStream in;

    public Reader(byte[] bytes) {
      this.in = new DataInputStream(new ByteArrayInputStream(bytes));
    }

    public int readInt() {
      try {
        return in.readInt();
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    public long readLong() {
      try {
        return in.readLong();
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    public boolean readBoolean() {
      try {
        return in.readBoolean();
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    public String readString() {
      return readBoolean()
          ? new String(readBytes(), java.nio.charset.StandardCharsets.UTF_8)
          : null;
    }

    public byte[] readBytes() {
      int length = readInt();
      if (length < 0) {
        throw corrupt(null);
      }
      try {
        return in.readNBytes(length);
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    private static FerryException corrupt(IOException cause) {
      return new FerryException(
          ErrorCode.STATE_INCOMPATIBLE, "stored state is truncated or corrupt", cause);
    }
  }
}
