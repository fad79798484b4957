package io.ferry.connector.file;

import java.nio.file.Path;

/** How file bytes are compressed. */
public enum Compression {
  NONE,
  GZIP,
  /** gzip when the file name ends with {@code .gz}, otherwise none. */
  AUTO;

  /** Whether {@code file} is gzip under this setting. */
  boolean gzip(Path file) {
    return gzip(file.getFileName().toString());
  }

  /** Whether the file named {@code fileName} is gzip under this setting. */
  boolean gzip(String fileName) {
    return switch (this) {
      case NONE -> false;
      case GZIP -> true;
      case AUTO -> fileName.endsWith(".gz");
    };
  }
}
