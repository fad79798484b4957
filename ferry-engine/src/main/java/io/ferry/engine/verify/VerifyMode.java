package io.ferry.engine.verify;

import java.util.Locale;

/** How much a verification compares: the {@code verify} setting of a job and {@code --mode}. */
public enum VerifyMode {
  /** Nothing: no verification after a copy. */
  OFF,
  /** Row counts of the source (after filters) and the target. */
  COUNT,
  /** Counts, then every row's key and values. */
  CONTENT;

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static VerifyMode parse(String text) {
    for (VerifyMode m : values()) {
      if (m.name().equalsIgnoreCase(text.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a verification mode; use count, content or off");
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
