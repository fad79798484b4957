package io.ferry.server.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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
  }
}
