package io.ferry.connector.hdfs;

import io.ferry.spi.Option;

/** What the sink does with files already in its folder (DataX hdfswriter's writeMode). */
enum WriteMode implements Option.Choice {
  /** Adds the run's files beside those there; nothing is deleted. */
  APPEND("append"),
  /**
   * Replaces: at commit, once the run's files are in place, deletes the files of the folder whose
   * names start with {@code fileName} and are not the run's (DataX's {@code truncate}).
   */
  OVERWRITE("overwrite"),
  /** Refuses to write into a folder that holds any visible file. */
  NON_CONFLICT("nonConflict");

  private final String choice;

  WriteMode(String choice) {
    this.choice = choice;
  }

  @Override
  public String choice() {
    return choice;
  }
}
