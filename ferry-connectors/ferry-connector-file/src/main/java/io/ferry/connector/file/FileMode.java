package io.ferry.connector.file;

import io.ferry.spi.Option;

/** How the sink lays its writers' output out on disk. */
public enum FileMode implements Option.Choice {
  /** One file at {@code path}: the writers' parts are concatenated at commit. */
  MERGED("merged"),
  /** One file per writer, named {@code <stem>-<index>.<extensions>} beside {@code path}. */
  PER_WRITER("perWriter");

  private final String choice;

  FileMode(String choice) {
    this.choice = choice;
  }

  @Override
  public String choice() {
    return choice;
  }
}
