package io.ferry.connector.datagen;

import java.util.Locale;

/** How a column's values are made; job files write the lower-case name. */
enum GeneratorKind {
  /** {@code start + row × step}: keys, counters, time series. */
  SEQUENCE,
  /** Uniform in a range (numbers, dates, times), or drawn from a pool (strings, bytes, JSON). */
  RANDOM,
  /** The same value in every row. */
  CONSTANT,
  /** One of a list of values, picked by hash. */
  CHOICE;

  static GeneratorKind parse(String text) {
    for (GeneratorKind kind : values()) {
      if (kind.name().equalsIgnoreCase(text.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown kind '" + text + "'; expected sequence, random, constant or choice");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
