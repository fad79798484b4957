package io.ferry.connector.file;

/** The text layouts the connector reads and writes. */
public enum FileFormat {
  /** RFC 4180 comma-separated values; NULL follows PostgreSQL's {@code COPY ... CSV}. */
  CSV,
  /**
   * Tab-separated text as PostgreSQL {@code COPY} and MySQL {@code LOAD DATA} write it: backslash
   * escapes for tab, line feed, carriage return and backslash, {@code \N} for NULL.
   */
  TSV,
  /** JSON Lines: one JSON object per line, keyed by column name. */
  JSONL;

  /** Whether the format has a header line and field-level NULL markers. */
  boolean delimited() {
    return this != JSONL;
  }
}
