package io.ferry.connector.file;

import io.ferry.spi.Option;

/** How a file sink lays its output out beside {@code path} (see {@link SplitParts}). */
public enum FileMode implements Option.Choice {
  /** One file at {@code path}: the finished parts are joined at commit. */
  MERGED("merged"),
  /** One file per writer, {@code <stem>-<writer>.<extensions>}, joined from its parts at commit. */
  PER_WRITER("perWriter"),
  /** One file per split, {@code <stem>-<split>.<extensions>}: each finished part is renamed. */
  PER_SPLIT("perSplit");

  private final String choice;

  FileMode(String choice) {
    this.choice = choice;
  }

  @Override
  public String choice() {
    return choice;
  }
}
