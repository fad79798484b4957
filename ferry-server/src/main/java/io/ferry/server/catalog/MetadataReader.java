package io.ferry.server.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a store's dictionary for a collection. A failure of {@link #databases()} fails the whole
 * collection; a failure of {@link #read} fails that database only (its catalog entries are kept).
 */
interface MetadataReader {
  /** The store's databases (schemas), system ones left out. */
  List<String> databases() throws Exception;

  /** One database's covered tables, each with its columns and technical attributes. */
  Collected.Database read(String database, ObjectFilter filter) throws Exception;

  /** A JDBC reader's statements: each bound, each with the statement timeout. */
  abstract class Jdbc implements MetadataReader {
    final Connection connection;
    final int timeoutSeconds;

    Jdbc(Connection connection, int timeoutSeconds) {
      this.connection = connection;
      this.timeoutSeconds = timeoutSeconds;
    }

    interface Row {
      void accept(ResultSet rs) throws SQLException;
    }

    void query(String sql, String param, Row row) throws SQLException {
      try (PreparedStatement s = connection.prepareStatement(sql)) {
        s.setQueryTimeout(timeoutSeconds);
        s.setFetchSize(1000);
        if (param != null) {
          s.setString(1, param);
        }
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            row.accept(rs);
          }
        }
      }
    }

    List<String> strings(String sql) throws SQLException {
      List<String> out = new ArrayList<>();
      query(sql, null, rs -> out.add(rs.getString(1)));
      return out;
    }

    static Long longOrNull(ResultSet rs, int column) throws SQLException {
      long v = rs.getLong(column);
      return rs.wasNull() ? null : v;
    }

    static String textOf(Object o) {
      return o == null ? null : o.toString();
    }

    static void put(Map<String, Object> map, String key, Object value) {
      if (value != null) {
        map.put(key, value);
      }
    }

    static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }

  /**
   * The index columns a reader's bulk statement lists (in their order in each index), by table and
   * index; they make each table's {@code primaryKey} and {@code indexes} attributes, the same for
   * every store.
   */
  final class Indexes {
    private record Index(boolean unique, boolean primary, List<String> columns) {}

    private final Map<String, Map<String, Index>> byTable = new HashMap<>();

    void add(String table, String index, boolean unique, boolean primary, String column) {
      byTable
          .computeIfAbsent(table, t -> new LinkedHashMap<>())
          .computeIfAbsent(index, n -> new Index(unique, primary, new ArrayList<>()))
          .columns()
          .add(column);
    }

    /**
     * Puts {@code primaryKey} (its columns; empty when none) and {@code indexes} (the others by
     * name, each with {@code unique} and {@code columns}) into a table's attributes.
     */
    void describe(String table, Map<String, Object> attributes) {
      List<String> primaryKey = List.of();
      Map<String, Object> others = new TreeMap<>();
      for (Map.Entry<String, Index> e : byTable.getOrDefault(table, Map.of()).entrySet()) {
        Index i = e.getValue();
        if (i.primary()) {
          primaryKey = i.columns();
        } else {
          others.put(e.getKey(), Map.of("unique", i.unique(), "columns", i.columns()));
        }
      }
      attributes.put("primaryKey", primaryKey);
      attributes.put("indexes", others);
    }
  }
}
