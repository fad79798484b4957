package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.JdbcTestDatabase;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/** Writes and reads tables with plain JDBC, independently of the connector's own code paths. */
final class PgFixtures {
  private static final PgDialect DIALECT = new PgDialect();

  private PgFixtures() {}

  static void createTable(Connection c, String table, Schema schema, boolean primaryKey)
      throws SQLException {
    StringJoiner cols = new StringJoiner(", ");
    for (Column col : schema.columns()) {
      cols.add(
          "\""
              + col.name()
              + "\" "
              + DIALECT.types().nativeType(col.type())
              + (primaryKey && col.name().equals("id") ? " PRIMARY KEY" : ""));
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS \"" + table + "\"");
      s.execute("CREATE TABLE \"" + table + "\" (" + cols + ")");
    }
  }

  /** INSERTs with setObject / setArray (the connection uses stringtype=unspecified). */
  static void insert(Connection c, String table, Schema schema, List<Object[]> rows)
      throws SQLException {
    StringJoiner params = new StringJoiner(", ");
    schema.columns().forEach(x -> params.add("?"));
    c.setAutoCommit(false);
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO \"" + table + "\" VALUES (" + params + ")")) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          DataType type = schema.column(i).type();
          Object v = row[i];
          if (v == null) {
            ps.setNull(i + 1, java.sql.Types.OTHER);
          } else if (type.kind() == TypeKind.ARRAY) {
            String elem = DIALECT.types().nativeType(type.elementType());
            ps.setArray(i + 1, c.createArrayOf(elem, ((List<?>) v).toArray()));
          } else if (type.kind() == TypeKind.MAP || type.kind() == TypeKind.ROW) {
            ps.setString(i + 1, JsonValues.toJson(v, type));
          } else if (v instanceof Byte b) {
            ps.setShort(i + 1, b);
          } else {
            ps.setObject(i + 1, v);
          }
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
  }

  /** Every row, ordered by the first column, as values of {@code schema}. */
  static List<Object[]> read(Connection c, String table, Schema schema) throws SQLException {
    StringJoiner cols = new StringJoiner(", ");
    schema.columns().forEach(x -> cols.add("\"" + x.name() + "\""));
    List<Object[]> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + cols + " FROM \"" + table + "\" ORDER BY 1")) {
      while (rs.next()) {
        Object[] row = new Object[schema.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = value(rs, i + 1, schema.column(i).type());
        }
        out.add(row);
      }
    }
    return out;
  }

  static Object value(ResultSet rs, int i, DataType type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    return switch (type.kind()) {
      case INT8 -> (byte) rs.getShort(i);
      case ARRAY -> {
        Array a = rs.getArray(i);
        List<Object> list = new ArrayList<>(Arrays.asList((Object[]) a.getArray()));
        yield list;
      }
      default -> JdbcTestDatabase.standardValue(rs, i, type);
    };
  }
}
