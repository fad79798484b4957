package io.ferry.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a {@link SplitReader} stands inside its split: opaque bytes only the connector reads,
 * tagged with the version of their encoding so a newer connector can still read an older
 * checkpoint. Build and read the bytes with {@link Codec.Writer} and {@link Codec.Reader}.
 *
 * @param version the connector's encoding version of {@code bytes}
 * @param bytes the encoded position
 * @param description a short text for people, e.g. {@code "id=4711"} or {@code "offset 1048576"}
 */
public record Position(int version, byte[] bytes, String description) {
  public Position {
    Objects.requireNonNull(bytes, "bytes is null");
    Objects.requireNonNull(description, "description is null");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Position p && p.version == version && Arrays.equals(p.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return 31 * version + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return description;
  }
}
