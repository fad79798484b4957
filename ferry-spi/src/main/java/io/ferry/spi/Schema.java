package io.ferry.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ordered columns of the rows a source emits or a sink receives, and the columns that identify
 * a row (its key), when known. Immutable.
 */
public final class Schema {
  private final List<Column> columns;
  private final Map<String, Integer> indexByName;
  private final List<String> key;

  private Schema(List<Column> columns, List<String> key) {
    this.columns = List.copyOf(columns);
    this.key = List.copyOf(key);
    this.indexByName = new HashMap<>();
    for (int i = 0; i < this.columns.size(); i++) {
      if (indexByName.putIfAbsent(this.columns.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate column '" + this.columns.get(i).name() + "'");
      }
    }
    for (String name : this.key) {
      if (!indexByName.containsKey(name)) {
        throw new IllegalArgumentException("key column '" + name + "' is not a column");
      }
    }
  }

  public static Schema of(List<Column> columns) {
    Objects.requireNonNull(columns, "columns is null");
    return new Schema(columns, List.of());
  }

  public static Schema of(Column... columns) {
    return new Schema(List.of(columns), List.of());
  }

  /**
   * The same columns with {@code key} as the columns whose values identify a row: a source sets the
   * primary key (or the row key) it reads, so a sink can default to it, e.g. for document ids.
   *
   * @throws IllegalArgumentException if a key column is not a column of this schema
   */
  public Schema withKey(List<String> key) {
    return new Schema(columns, Objects.requireNonNull(key, "key is null"));
  }

  /** The columns that identify a row, in key order; empty when the source knows none. */
  public List<String> key() {
    return key;
  }

  public List<Column> columns() {
    return columns;
  }

  public int size() {
    return columns.size();
  }

  public Column column(int index) {
    return columns.get(index);
  }

  /** The column's position, or -1 when there is no column of that exact name. */
  public int indexOf(String name) {
    Integer index = indexByName.get(name);
    return index == null ? -1 : index;
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(columns.size());
    for (Column c : columns) {
      names.add(c.name());
    }
    return names;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.columns.equals(columns) && s.key.equals(key);
  }

  @Override
  public int hashCode() {
    return columns.hashCode() * 31 + key.hashCode();
  }

  @Override
  public String toString() {
    return key.isEmpty() ? columns.toString() : columns + " key " + key;
  }
}
