package io.ferry.spi;

/** The value type of an {@link Option}, as a form or a command line presents it. */
public enum OptionType {
  STRING,
  INTEGER,
  LONG,
  DOUBLE,
  BOOLEAN,
  /** A duration with a unit: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, or ISO-8601. */
  DURATION,
  /** A byte size: {@code 1048576}, {@code 512KB}, {@code 64MB}, {@code 1GB} (powers of 1024). */
  SIZE,
  /** One of the values listed by {@link Option#choices()}. */
  ENUM,
  /** A list of strings, given as a list or as one comma-separated string. */
  LIST,
  /** Structured content (a list or a map) that the connector parses itself. */
  OBJECT
}
