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
    Schema schema = Schema.of(emittedColumns);
    // The split key identifies a row (unique and NOT NULL) when every key column is emitted.
    List<String> key = keyNames();
    return schema.names().containsAll(key) ? schema.withKey(key) : schema;
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
   * conditions ({@link KeyRangeSql}) and the key order. For a custom query, the query itself.
   */
  String selectSql(Dialect dialect, boolean hasLower, boolean hasUpper) {
    if (query != null) {
      return query;
    }
    StringJoiner select = new StringJoiner(", ", "SELECT ", " FROM " + qualifiedTable);
    for (JdbcColumn c : columns) {
      select.add(dialect.sql().quote(c.name()));
    }
    List<String> conditions = new ArrayList<>();
    if (where != null) {
      conditions.add("(" + where + ")");
    }
    List<String> keys = new ArrayList<>();
    for (int k : keyIndexes) {
      keys.add(dialect.sql().quote(columns.get(k).name()));
    }
    if (hasLower) {
      conditions.add(KeyRangeSql.lower(dialect, keys, false));
    }
    if (hasUpper) {
      conditions.add(KeyRangeSql.upper(dialect, keys));
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

  /** The key column (index into the key) of each parameter of one key comparison. */
  int[] bindOrder(Dialect dialect) {
    return KeyRangeSql.bindOrder(dialect, keyIndexes.length);
  }
}
