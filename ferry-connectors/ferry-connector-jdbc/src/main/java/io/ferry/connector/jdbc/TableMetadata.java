package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog;
import io.ferry.spi.Catalog.TableRef;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Table and column lookups through {@link DatabaseMetaData}, shared by source, sink and catalog.
 * Names are matched as written first, then in the case the database stores unquoted names in, so
 * {@code orders} finds H2's {@code ORDERS} and Oracle's, and a quoted mixed-case name still works.
 */
final class TableMetadata {
  private TableMetadata() {}

  /** A column with what the catalog shows besides its type. */
  record DescribedColumn(JdbcColumn column, String defaultValue, String comment) {}

  /** {@code schema.table} or {@code table}; surrounding double quotes or backticks are removed. */
  static TableRef parse(String text) {
    String trimmed = text.trim();
    int dot = dotOutsideQuotes(trimmed);
    return dot < 0
        ? new TableRef(null, unquote(trimmed))
        : new TableRef(unquote(trimmed.substring(0, dot)), unquote(trimmed.substring(dot + 1)));
  }

  private static int dotOutsideQuotes(String text) {
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '`') {
        quote = c;
      } else if (c == '.') {
        return i;
      }
    }
    return -1;
  }

  private static String unquote(String name) {
    String n = name.trim();
    if (n.length() >= 2
        && ((n.startsWith("\"") && n.endsWith("\"")) || (n.startsWith("`") && n.endsWith("`")))) {
      return n.substring(1, n.length() - 1);
    }
    return n;
  }

  /**
   * The table as the database names it, with its schema (the connection's current one when {@code
   * ref} has none); empty when there is no such table or view.
   */
  static Optional<TableRef> resolve(Connection connection, Dialect dialect, TableRef ref)
      throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String schema = ref.schema() != null ? ref.schema() : currentSchema(connection, dialect);
    for (String schemaName : spellings(meta, schema)) {
      for (String name : spellings(meta, ref.name())) {
        try (ResultSet rs = tables(meta, dialect, schemaName, name)) {
          while (rs.next()) {
            if (name.equals(rs.getString("TABLE_NAME"))) {
              String found = dialect.schemasAreCatalogs() ? rs.getString("TABLE_CAT") : schemaName;
              return Optional.of(new TableRef(found, name));
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String currentSchema(Connection connection, Dialect dialect) throws SQLException {
    return dialect.schemasAreCatalogs() ? connection.getCatalog() : connection.getSchema();
  }

  private static ResultSet tables(
      DatabaseMetaData meta, Dialect dialect, String schema, String name) throws SQLException {
    String pattern = escape(meta, name);
    return dialect.schemasAreCatalogs()
        ? meta.getTables(schema, null, pattern, null)
        : meta.getTables(null, schema == null ? null : escape(meta, schema), pattern, null);
  }

  /** The name as written, then upper- or lower-cased as the database stores unquoted names. */
  private static List<String> spellings(DatabaseMetaData meta, String name) throws SQLException {
    List<String> names = new ArrayList<>();
    names.add(name);
    if (name == null) {
      return names;
    }
    String folded =
        meta.storesUpperCaseIdentifiers()
            ? name.toUpperCase(Locale.ROOT)
            : meta.storesLowerCaseIdentifiers() ? name.toLowerCase(Locale.ROOT) : name;
    if (!folded.equals(name)) {
      names.add(folded);
    }
    return names;
  }

  private static String escape(DatabaseMetaData meta, String name) throws SQLException {
    String escape = meta.getSearchStringEscape();
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape)
        .replace("_", escape + "_")
        .replace("%", escape + "%");
  }

  /** The columns of a resolved table in table order. */
  static List<DescribedColumn> columns(Connection connection, Dialect dialect, TableRef table)
      throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    TreeMap<Integer, DescribedColumn> byPosition = new TreeMap<>();
    String catalog = dialect.schemasAreCatalogs() ? table.schema() : null;
    String schema =
        dialect.schemasAreCatalogs() || table.schema() == null
            ? null
            : escape(meta, table.schema());
    try (ResultSet rs = meta.getColumns(catalog, schema, escape(meta, table.name()), null)) {
      while (rs.next()) {
        if (!table.name().equals(rs.getString("TABLE_NAME"))) {
          continue;
        }
        String typeName = rs.getString("TYPE_NAME");
        JdbcColumn column =
            new JdbcColumn(
                rs.getString("COLUMN_NAME"),
                rs.getInt("DATA_TYPE"),
                typeName,
                rs.getInt("COLUMN_SIZE"),
                rs.getInt("DECIMAL_DIGITS"),
                rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                typeName != null && typeName.toLowerCase(Locale.ROOT).contains("unsigned"));
        byPosition.put(
            rs.getInt("ORDINAL_POSITION"),
            new DescribedColumn(column, rs.getString("COLUMN_DEF"), blankToNull(rs, "REMARKS")));
      }
    }
    List<DescribedColumn> described = List.copyOf(byPosition.values());
    List<JdbcColumn> plain = described.stream().map(DescribedColumn::column).toList();
    List<JdbcColumn> refined = dialect.types().refineColumns(connection, table, plain);
    if (refined == plain) {
      return described;
    }
    if (refined.size() != plain.size()) {
      throw new IllegalStateException(
          "the "
              + dialect.name()
              + " dialect's refineColumns returned "
              + refined.size()
              + " columns of "
              + table
              + " for "
              + plain.size());
    }
    List<DescribedColumn> result = new ArrayList<>(described.size());
    for (int i = 0; i < described.size(); i++) {
      DescribedColumn d = described.get(i);
      if (!refined.get(i).name().equals(d.column().name())) {
        throw new IllegalStateException(
            "the "
                + dialect.name()
                + " dialect's refineColumns renamed or reordered "
                + d.column().name()
                + " of "
                + table);
      }
      result.add(new DescribedColumn(refined.get(i), d.defaultValue(), d.comment()));
    }
    return List.copyOf(result);
  }

  /**
   * The table's indexes besides the primary key's own, with their columns in index order, from
   * {@link DatabaseMetaData#getIndexInfo}: statistics rows and indexes on expressions (no column
   * name) are left out, and so is the index whose columns are exactly the primary key's and that is
   * named as the database names primary key indexes ({@code PRIMARY}, {@code *_pkey}, {@code
   * PRIMARY_KEY_*}, {@code PK_*}, or the key's constraint name).
   */
  static List<Catalog.IndexInfo> indexes(
      Connection connection, Dialect dialect, TableRef table, List<String> primaryKey)
      throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String catalog = dialect.schemasAreCatalogs() ? table.schema() : null;
    String schema = dialect.schemasAreCatalogs() ? null : table.schema();
    String pkName = primaryKeyName(meta, catalog, schema, table.name());
    Map<String, TreeMap<Integer, String>> columns = new LinkedHashMap<>();
    Map<String, Boolean> unique = new HashMap<>();
    try (ResultSet rs = meta.getIndexInfo(catalog, schema, table.name(), false, true)) {
      while (rs.next()) {
        String name = rs.getString("INDEX_NAME");
        String column = rs.getString("COLUMN_NAME");
        if (name == null
            || column == null
            || rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
          continue;
        }
        columns
            .computeIfAbsent(name, n -> new TreeMap<>())
            .put(rs.getInt("ORDINAL_POSITION"), column);
        unique.put(name, !rs.getBoolean("NON_UNIQUE"));
      }
    }
    List<Catalog.IndexInfo> indexes = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Integer, String>> e : columns.entrySet()) {
      List<String> indexColumns = List.copyOf(e.getValue().values());
      if (indexColumns.equals(primaryKey) && isPrimaryKeyIndex(e.getKey(), pkName)) {
        continue;
      }
      indexes.add(new Catalog.IndexInfo(e.getKey(), indexColumns, unique.get(e.getKey())));
    }
    return List.copyOf(indexes);
  }

  private static String primaryKeyName(
      DatabaseMetaData meta, String catalog, String schema, String table) throws SQLException {
    try (ResultSet rs = meta.getPrimaryKeys(catalog, schema, table)) {
      return rs.next() ? rs.getString("PK_NAME") : null;
    }
  }

  private static boolean isPrimaryKeyIndex(String index, String pkName) {
    String n = index.toUpperCase(Locale.ROOT);
    return (pkName != null && index.equalsIgnoreCase(pkName))
        || n.equals("PRIMARY")
        || n.endsWith("_PKEY")
        || n.startsWith("PRIMARY_KEY")
        || n.startsWith("PK_");
  }

  /** The primary key's columns in key order; empty when the table has none. */
  static List<String> primaryKey(Connection connection, Dialect dialect, TableRef table)
      throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    TreeMap<Integer, String> byPosition = new TreeMap<>();
    String catalog = dialect.schemasAreCatalogs() ? table.schema() : null;
    String schema = dialect.schemasAreCatalogs() ? null : table.schema();
    try (ResultSet rs = meta.getPrimaryKeys(catalog, schema, table.name())) {
      while (rs.next()) {
        byPosition.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
      }
    }
    return List.copyOf(byPosition.values());
  }

  /** Finds a column by name, as written first, then ignoring case; null when absent. */
  static String match(List<String> names, String wanted) {
    for (String name : names) {
      if (name.equals(wanted)) {
        return name;
      }
    }
    for (String name : names) {
      if (name.equalsIgnoreCase(wanted)) {
        return name;
      }
    }
    return null;
  }

  private static String blankToNull(ResultSet rs, String column) throws SQLException {
    String value = rs.getString(column);
    return value == null || value.isBlank() ? null : value;
  }
}
