package io.ferry.connector.jdbc;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * A fresh H2 in-memory database per instance, written and read with plain JDBC (not the connector)
 * so tests compare the connector against an independent path.
 */
final class H2Database {
  final String url;

  H2Database(String name) {
    this.url = "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /** Source or sink options reading/writing {@code table} of this database. */
  Map<String, Object> options(String table) {
    Map<String, Object> options = new HashMap<>();
    options.put("url", url);
    options.put("table", table);
    return options;
  }

  void execute(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  long count(String table) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Creates {@code "table"} with H2's type for each column and {@code key} as primary key. */
  void create(String table, Schema schema, String... key) throws SQLException {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : schema.columns()) {
      body.add('"' + c.name() + "\" " + h2Type(c.type()) + (c.nullable() ? "" : " NOT NULL"));
    }
    if (key.length > 0) {
      StringJoiner pk = new StringJoiner(", ", "PRIMARY KEY (", ")");
      for (String k : key) {
        pk.add('"' + k + '"');
      }
      body.add(pk.toString());
    }
    execute("CREATE TABLE \"" + table + "\" " + body);
  }

  static String h2Type(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "BOOLEAN";
      case INT8 -> "TINYINT";
      case INT16 -> "SMALLINT";
      case INT32 -> "INTEGER";
      case INT64 -> "BIGINT";
      case FLOAT32 -> "REAL";
      case FLOAT64 -> "DOUBLE PRECISION";
      case DECIMAL -> "DECIMAL(" + type.precision() + "," + type.scale() + ")";
      case STRING -> "VARCHAR";
      case BYTES -> "VARBINARY";
      case DATE -> "DATE";
      case TIME -> "TIME(" + type.precision() + ")";
      case TIMESTAMP -> "TIMESTAMP(" + type.precision() + ")";
      case TIMESTAMP_TZ -> "TIMESTAMP(" + type.precision() + ") WITH TIME ZONE";
      default -> throw new IllegalArgumentException("no H2 column for " + type);
    };
  }

  void insert(String table, Schema schema, List<Object[]> rows) throws SQLException {
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (Column c : schema.columns()) {
      names.add('"' + c.name() + '"');
      params.add("?");
    }
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO \"" + table + "\" " + names + " VALUES " + params)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Every row of {@code table}, as values of {@code schema}, ordered by {@code orderBy}. */
  List<Object[]> read(String table, Schema schema, String orderBy) throws SQLException {
    StringJoiner names = new StringJoiner(", ");
    for (Column c : schema.columns()) {
      names.add('"' + c.name() + '"');
    }
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT " + names + " FROM \"" + table + "\" ORDER BY \"" + orderBy + "\"")) {
      while (rs.next()) {
        Object[] row = new Object[schema.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = value(rs, i + 1, schema.column(i).type());
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static Object value(ResultSet rs, int i, DataType type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN -> rs.getBoolean(i);
      case INT8 -> rs.getByte(i);
      case INT16 -> rs.getShort(i);
      case INT32 -> rs.getInt(i);
      case INT64 -> rs.getLong(i);
      case FLOAT32 -> rs.getFloat(i);
      case FLOAT64 -> rs.getDouble(i);
      case DECIMAL -> rs.getBigDecimal(i).setScale(type.scale());
      case STRING -> rs.getString(i);
      case BYTES -> rs.getBytes(i);
      case DATE -> rs.getObject(i, LocalDate.class);
      case TIME -> rs.getObject(i, LocalTime.class);
      case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
      case TIMESTAMP_TZ -> rs.getObject(i, OffsetDateTime.class);
      default -> throw new IllegalArgumentException("no H2 value for " + type);
    };
  }

  static BigDecimal decimal(String text) {
    return new BigDecimal(text);
  }
}
