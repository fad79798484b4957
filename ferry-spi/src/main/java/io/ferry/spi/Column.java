package io.ferry.spi;

import java.util.Objects;

/** A named, typed column of a {@link Schema}. */
public record Column(String name, DataType type, boolean nullable) {
  public Column {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(type, "type is null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("column name is empty");
    }
  }

  /** A nullable column. */
  public static Column of(String name, DataType type) {
    return new Column(name, type, true);
  }

  @Override
  public String toString() {
    return name + " " + type + (nullable ? "" : " not null");
  }
}
