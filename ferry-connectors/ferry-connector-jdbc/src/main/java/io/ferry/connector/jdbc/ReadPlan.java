package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * What a source reads, worked out once: the selected columns (the emitted ones, then key columns
 * that are read only to track the position), their types and readers, and the key.
 *
 * @param table the table read, or null for a custom query
 * @param label names what is read in messages and dirty-row locations: the table or {@code query}
 * @param columns selected columns; the first {@code emitted} are the source's schema
 * @param keyIndexes positions of the key columns within {@code columns}; empty when unkeyed
 */
record ReadPlan(
    TableRef table,
    String qualifiedTable,
    String query,
    String where,
    String label,
    List<JdbcColumn> columns,
    List<DataType> types,
    ColumnReader[] readers,
    ColumnBinder[] keyBinders,
    int emitted,
    int[] keyIndexes) {

  boolean keyed() {
    return keyIndexes.length > 0;
  }

  Schema schema() {
    List<Column> emittedColumns = new ArrayList<>(emitted);
    for (int i = 0; i < emitted; i++) {
      JdbcColumn c = columns.get(i);
      emittedColumns.add(new Column(c.name(), types.get(i), c.nullable()));
    }
    return Schema.of(emittedColumns);
  }

  List<String> keyNames() {
    List<String> names = new ArrayList<>(keyIndexes.length);
    for (int k : keyIndexes) {
      names.add(columns.get(k).name());
    }
    return names;
  }

  List<DataType> keyTypes() {
    List<DataType> keyTypes = new ArrayList<>(keyIndexes.length);
    for (int k : keyIndexes) {
      keyTypes.add(types.get(k));
    }
    return List.copyOf(keyTypes);
  }

  List<JdbcColumn> keyColumns() {
    List<JdbcColumn> keys = new ArrayList<>(keyIndexes.length);
    for (int k : keyIndexes) {
      keys.add(columns.get(k));
    }
    return keys;
  }

  /**
   * The SELECT of a split: the selected columns of the table, the user's filter, the key range
   * conditions and the key order. For a custom query, the query itself.
   */
  String selectSql(Dialect dialect, boolean hasLower, boolean hasUpper) {
    if (query != null) {
      return query;
    }
    StringJoiner select = new StringJoiner(", ", "SELECT ", " FROM " + qualifiedTable);
    for (JdbcColumn c : columns) {
      select.add(dialect.quote(c.name()));
    }
    List<String> conditions = new ArrayList<>();
    if (where != null) {
      conditions.add("(" + where + ")");
    }
    List<String> keys = new ArrayList<>();
    for (int k : keyIndexes) {
      keys.add(dialect.quote(columns.get(k).name()));
    }
    if (hasLower) {
      conditions.add(compare(keys, ">", ">"));
    }
    if (hasUpper) {
      conditions.add(compare(keys, "<", "<="));
    }
    StringBuilder sql = new StringBuilder(select.toString());
    if (!conditions.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
    if (!keys.isEmpty()) {
      sql.append(" ORDER BY ").append(String.join(", ", keys));
    }
    return sql.toString();
  }

  /**
   * A row comparison with a key tuple, expanded so every database understands it: {@code (a, b) >
   * (?, ?)} is {@code (a > ? OR (a = ? AND b > ?))}. Parameters follow {@link #bindOrder}.
   */
  private static String compare(List<String> keys, String strict, String last) {
    StringJoiner or = new StringJoiner(" OR ", "(", ")");
    for (int i = 0; i < keys.size(); i++) {
      StringJoiner and = new StringJoiner(" AND ", "(", ")");
      for (int j = 0; j < i; j++) {
        and.add(keys.get(j) + " = ?");
      }
      and.add(keys.get(i) + " " + (i == keys.size() - 1 ? last : strict) + " ?");
      or.add(and.toString());
    }
    return or.toString();
  }

  /** The key column (index into the key) of each parameter of one expanded comparison. */
  int[] bindOrder() {
    int n = keyIndexes.length;
    int[] order = new int[n * (n + 1) / 2];
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        order[p++] = j;
      }
    }
    return order;
  }
}
