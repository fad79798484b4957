package io.ferry.connector.file;

/** How the sink lays its writers' output out on disk. */
public enum FileMode {
  /** One file at {@code path}: the writers' parts are concatenated at commit. */
  MERGED,
  /**
   * One file per writer, named {@code <stem>-<index>.<extensions>} beside {@code path}. The
   * constant has no underscore so that job files can write {@code perWriter}.
   */
  PERWRITER
}
