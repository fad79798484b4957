package io.ferry.connector.hdfs;

import io.ferry.connector.file.Compression;
import io.ferry.spi.Option;
import java.util.Locale;

/**
 * How the sink compresses. Text files: one codec stream per file, named by its ending ({@code .gz},
 * {@code .bz2}, {@code .snappy} in Hadoop's block framing as Hive's SnappyCodec reads it, {@code
 * .zst}). ORC and Parquet compress inside the file with their own codecs.
 */
enum HdfsCompression implements Option.Choice {
  NONE(""),
  GZIP(".gz"),
  BZIP2(".bz2"),
  SNAPPY(".snappy"),
  ZSTD(".zst");

  private final String extension;

  HdfsCompression(String extension) {
    this.extension = extension;
  }

  @Override
  public String choice() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The file name ending of a text file compressed so. */
  String extension() {
    return extension;
  }

  /**
   * The file connector's codec that compresses a text file so, or {@link Compression#NONE} when
   * this connector wraps the stream itself (snappy, zstd).
   */
  Compression textCodec() {
    return switch (this) {
      case GZIP -> Compression.GZIP;
      case BZIP2 -> Compression.BZIP2;
      default -> Compression.NONE;
    };
  }

  /** The text codec of a file by its name's ending; gzip and bzip2 the file format reads itself. */
  static HdfsCompression ofFile(String name) {
    for (HdfsCompression c : values()) {
      if (c != NONE && name.endsWith(c.extension)) {
        return c;
      }
    }
    return NONE;
  }
}
