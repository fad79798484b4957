package io.ferry.engine.verify;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row that differs between source and target, named by its key. Values are canonical texts
 * ({@link io.ferry.connector.support.CanonicalText}); null is SQL NULL.
 *
 * @param kind missing from the target, extra in the target, or present in both with other values
 * @param key the key columns (the target's names) and their values
 * @param columns the differing columns, for {@link Kind#DIFFERENT}; empty otherwise
 */
public record Difference(Kind kind, Map<String, String> key, List<ColumnDifference> columns) {
  public Difference {
    Objects.requireNonNull(kind, "kind is null");
    key = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(key));
    columns = List.copyOf(columns);
  }

  /** How a row differs. */
  public enum Kind {
    /** In the source (after the job's filters and mapping), not in the target. */
    MISSING,
    /** In the target, not in the source. */
    EXTRA,
    /** In both, with different values in some columns. */
    DIFFERENT
  }

  /**
   * @param column the target's column name
   * @param source the source's value after the job's mapping and conversion
   * @param target the target's value
   */
  public record ColumnDifference(String column, String source, String target) {}

  /** The same difference with its key columns named with their table: {@code orders.id}. */
  public Difference inTable(String table) {
    java.util.Map<String, String> named = new java.util.LinkedHashMap<>();
    key.forEach((k, v) -> named.put(table + "." + k, v));
    return new Difference(kind, named, columns);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT));
    sb.append(' ');
    key.forEach((k, v) -> sb.append(k).append('=').append(v == null ? "NULL" : v).append(' '));
    for (ColumnDifference c : columns) {
      sb.append(c.column())
          .append(": ")
          .append(quoted(c.source()))
          .append(" → ")
          .append(quoted(c.target()))
          .append(' ');
    }
    return sb.toString().trim();
  }

  private static String quoted(String v) {
    if (v == null) {
      return "NULL";
    }
    String shown = v.length() > 60 ? v.substring(0, 57) + "..." : v;
    return "'" + shown + "'";
  }
}
