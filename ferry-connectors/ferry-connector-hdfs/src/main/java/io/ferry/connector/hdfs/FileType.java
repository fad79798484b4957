package io.ferry.connector.hdfs;

import io.ferry.spi.Option;

/** What the files under {@code path} are. */
enum FileType implements Option.Choice {
  /** csv or tsv (the {@code format} option), one codec per file. */
  TEXT("text", ""),
  /** Apache ORC, compressed by ORC itself. */
  ORC("orc", ".orc"),
  /** Apache Parquet, compressed by Parquet itself. */
  PARQUET("parquet", ".parquet");

  private final String choice;
  private final String extension;

  FileType(String choice, String extension) {
    this.choice = choice;
    this.extension = extension;
  }

  @Override
  public String choice() {
    return choice;
  }

  /** The ending of the files this sink writes, before a text codec's. */
  String extension() {
    return extension;
  }
}
