package io.ferry.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How a column's value is read with plain JDBC into a canonical Java value that compares exactly
 * whichever database and column type holds it: the round-trip tests compare these, column by
 * column, between the original table and the copies.
 */
enum Canon {
  /** Any integer type (also MySQL unsigned, YEAR, numeric(20,0)): the exact integer. */
  INTEGER,
  /** decimal/numeric: the exact BigDecimal, scale included. */
  DECIMAL,
  /** decimal/numeric compared by value: the scale is the column's, not the value's. */
  DECIMAL_VALUE,
  FLOAT32,
  FLOAT64,
  /** tinyint(1), bit(1), boolean. */
  BOOLEAN,
  /** Text as stored: char, varchar, text, enum, set, json stored as text, uuid, interval. */
  TEXT,
  /** JSON compared as a document: jsonb normalizes spacing and key order. */
  JSON,
  /** A PostgreSQL array, or its JSON text (MySQL has no arrays): compared as a JSON array. */
  ARRAY,
  BYTES,
  DATE,
  /** A zone-less timestamp (datetime, timestamp without time zone). */
  TIMESTAMP,
  /** An instant: MySQL timestamp (read in a UTC session), PostgreSQL timestamptz. */
  INSTANT,
  TIME;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  Object read(ResultSet rs, int i, boolean postgres) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    return switch (this) {
      case INTEGER -> new BigInteger(rs.getString(i));
      case DECIMAL -> rs.getBigDecimal(i);
      case DECIMAL_VALUE -> rs.getBigDecimal(i).stripTrailingZeros();
      case FLOAT32 -> rs.getFloat(i);
      case FLOAT64 -> rs.getDouble(i);
      case BOOLEAN -> rs.getBoolean(i);
      case TEXT -> rs.getString(i);
      case JSON -> json(rs.getString(i));
      case ARRAY ->
          rs.getMetaData().getColumnType(i) == java.sql.Types.ARRAY
              ? MAPPER.valueToTree(rs.getArray(i).getArray())
              : json(rs.getString(i));
      case BYTES -> HexFormat.of().formatHex(rs.getBytes(i));
      case DATE -> rs.getObject(i, LocalDate.class);
      case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
      case INSTANT ->
          postgres
              ? rs.getObject(i, OffsetDateTime.class).toInstant()
              : rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC);
      case TIME -> rs.getObject(i, LocalTime.class);
    };
  }

  static Object json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + text, e);
    }
  }

  /**
   * Every row of {@code table} by {@code id}, each column read with its canon.
   *
   * @param columns column name to canon, in order
   */
  static Map<Long, List<Object>> readTable(
      Connection c, String table, Map<String, Canon> columns, boolean postgres)
      throws SQLException {
    StringJoiner cols = new StringJoiner(", ");
    String q = postgres ? "\"" : "`";
    columns.keySet().forEach(n -> cols.add(q + n + q));
    Map<Long, List<Object>> rows = new LinkedHashMap<>();
    List<Canon> canons = new ArrayList<>(columns.values());
    // A prepared statement: MariaDB's binary protocol sends FLOAT exactly.
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT " + q + "id" + q + ", " + cols + " FROM " + table + " ORDER BY 1");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < canons.size(); i++) {
          row.add(canons.get(i).read(rs, i + 2, postgres));
        }
        rows.put(rs.getLong(1), row);
      }
    }
    return rows;
  }

  /** Column name to its type as the database shows it (format_type / COLUMN_TYPE). */
  static Map<String, String> columnTypes(Connection c, String table, boolean postgres)
      throws SQLException {
    String sql =
        postgres
            ? "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid"
                + " = ?::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
            : "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA"
                + " = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return types;
  }
}
