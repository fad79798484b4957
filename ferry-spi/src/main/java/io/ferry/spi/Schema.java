package io.ferry.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The ordered columns of the rows a source emits or a sink receives. Immutable. */
public final class Schema {
  private final List<Column> columns;
  private final Map<String, Integer> indexByName;

  private Schema(List<Column> columns) {
    this.columns = List.copyOf(columns);
    this.indexByName = new HashMap<>();
    for (int i = 0; i < this.columns.size(); i++) {
      if (indexByName.putIfAbsent(this.columns.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate column '" + this.columns.get(i).name() + "'");
      }
    }
  }

  public static Schema of(List<Column> columns) {
    Objects.requireNonNull(columns, "columns is null");
    return new Schema(columns);
  }

  public static Schema of(Column... columns) {
    return new Schema(List.of(columns));
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
    return o instanceof Schema s && s.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return columns.toString();
  }
}
