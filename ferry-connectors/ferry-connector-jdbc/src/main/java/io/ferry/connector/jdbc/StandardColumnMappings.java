package io.ferry.connector.jdbc;

import io.ferry.connector.support.JsonValues;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * The portable column mappings behind {@link TypeMapping}'s defaults: {@link java.sql.Types} codes
 * to Ferry types, JDBC 4.2 getters and setters ({@code getObject(i, LocalDateTime.class)} etc.) and
 * standard SQL type names. Dialects call these for the types they do not treat themselves.
 */
public final class StandardColumnMappings {
  private StandardColumnMappings() {}

  /** The portable mapping of a column: {@link #ferryType} read with {@link #reader}. */
  public static ColumnMapping columnMapping(JdbcColumn column) {
    return mapping(ferryType(column));
  }

  /** Values of {@code type} read with the JDBC 4.2 getter {@link #reader} chooses for it. */
  public static ColumnMapping mapping(DataType type) {
    return new ColumnMapping(type, reader(type));
  }

  /**
   * The Ferry type of a column from its {@link Types} code: integers by width (one wider when
   * unsigned, {@code bigint unsigned} as {@code decimal(20,0)}), decimals with their precision and
   * scale ({@code decimal(38,s)} when the driver reports none), time types with the reported
   * fractional digits (6 when unknown), a type named {@code json}/{@code jsonb} as JSON, and text
   * for everything else.
   */
  public static DataType ferryType(JdbcColumn column) {
    boolean unsigned = column.unsigned();
    return switch (column.sqlType()) {
      case Types.BIT, Types.BOOLEAN -> DataType.BOOLEAN;
      case Types.TINYINT -> unsigned ? DataType.INT16 : DataType.INT8;
      case Types.SMALLINT -> unsigned ? DataType.INT32 : DataType.INT16;
      case Types.INTEGER -> unsigned ? DataType.INT64 : DataType.INT32;
      case Types.BIGINT -> unsigned ? DataType.decimal(20, 0) : DataType.INT64;
      case Types.REAL -> DataType.FLOAT32;
      case Types.FLOAT, Types.DOUBLE -> DataType.FLOAT64;
      case Types.NUMERIC, Types.DECIMAL -> decimal(column.precision(), column.scale());
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> DataType.BYTES;
      case Types.DATE -> DataType.DATE;
      case Types.TIME -> DataType.time(fraction(column.scale()));
      case Types.TIMESTAMP -> DataType.timestamp(fraction(column.scale()));
      case Types.TIMESTAMP_WITH_TIMEZONE -> DataType.timestampTz(fraction(column.scale()));
      default -> isJsonName(column.typeName()) ? DataType.JSON : DataType.STRING;
    };
  }

  /** {@code decimal(precision, scale)}, or {@code decimal(38, scale)} for unknown precisions. */
  public static DataType decimal(int precision, int scale) {
    int s = Math.max(0, scale);
    int p = precision <= 0 || precision > 1000 ? DataType.DEFAULT_DECIMAL_PRECISION : precision;
    return DataType.decimal(Math.max(p, s), Math.min(s, Math.max(p, s)));
  }

  private static int fraction(int scale) {
    return scale >= 0 && scale <= 9 ? scale : DataType.DEFAULT_FRACTION;
  }

  private static boolean isJsonName(String typeName) {
    String name = typeName.toLowerCase(Locale.ROOT);
    return name.equals("json") || name.equals("jsonb");
  }

  /** A reader returning the value class of {@code type}, with JDBC 4.2 getters. */
  public static ColumnReader reader(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN ->
          (rs, i) -> {
            boolean v = rs.getBoolean(i);
            return rs.wasNull() ? null : v;
          };
      case INT8 ->
          (rs, i) -> {
            byte v = rs.getByte(i);
            return rs.wasNull() ? null : v;
          };
      case INT16 ->
          (rs, i) -> {
            short v = rs.getShort(i);
            return rs.wasNull() ? null : v;
          };
      case INT32 ->
          (rs, i) -> {
            int v = rs.getInt(i);
            return rs.wasNull() ? null : v;
          };
      case INT64 ->
          (rs, i) -> {
            long v = rs.getLong(i);
            return rs.wasNull() ? null : v;
          };
      case FLOAT32 ->
          (rs, i) -> {
            float v = rs.getFloat(i);
            return rs.wasNull() ? null : v;
          };
      case FLOAT64 ->
          (rs, i) -> {
            double v = rs.getDouble(i);
            return rs.wasNull() ? null : v;
          };
      case DECIMAL -> decimalReader(type.scale());
      case STRING, JSON -> ResultSet::getString;
      case BYTES -> ResultSet::getBytes;
      case DATE -> (rs, i) -> rs.getObject(i, LocalDate.class);
      case TIME -> (rs, i) -> rs.getObject(i, LocalTime.class);
      case TIMESTAMP -> (rs, i) -> rs.getObject(i, LocalDateTime.class);
      case TIMESTAMP_TZ -> (rs, i) -> rs.getObject(i, OffsetDateTime.class);
      case ROW, ARRAY, MAP ->
          (rs, i) -> {
            String json = rs.getString(i);
            return json == null ? null : JsonValues.fromJson(json, type);
          };
    };
  }

  /**
   * Decimals come back with the column's scale exactly: {@code 1.5} in a scale-2 column is 1.50.
   */
  private static ColumnReader decimalReader(int scale) {
    return (rs, i) -> {
      BigDecimal v = rs.getBigDecimal(i);
      if (v == null || v.scale() == scale) {
        return v;
      }
      try {
        return v.setScale(scale);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            v.toPlainString() + " has more than " + scale + " decimal places");
      }
    };
  }

  /** A binder for non-null values of {@code type}, with JDBC 4.2 setters. */
  public static ColumnBinder binder(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> (ps, i, v) -> ps.setBoolean(i, (Boolean) v);
      case INT8 -> (ps, i, v) -> ps.setByte(i, (Byte) v);
      case INT16 -> (ps, i, v) -> ps.setShort(i, (Short) v);
      case INT32 -> (ps, i, v) -> ps.setInt(i, (Integer) v);
      case INT64 -> (ps, i, v) -> ps.setLong(i, (Long) v);
      case FLOAT32 -> (ps, i, v) -> ps.setFloat(i, (Float) v);
      case FLOAT64 -> (ps, i, v) -> ps.setDouble(i, (Double) v);
      case DECIMAL -> (ps, i, v) -> ps.setBigDecimal(i, (BigDecimal) v);
      case STRING, JSON -> (ps, i, v) -> ps.setString(i, (String) v);
      case BYTES -> (ps, i, v) -> ps.setBytes(i, (byte[]) v);
      case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> (ps, i, v) -> ps.setObject(i, v);
      case ROW, ARRAY, MAP -> (ps, i, v) -> ps.setString(i, JsonValues.toJson(v, type));
    };
  }

  /**
   * Standard SQL for a column of {@code type}: {@code BOOLEAN}, {@code SMALLINT} (also for int8),
   * {@code INTEGER}, {@code BIGINT}, {@code REAL}, {@code DOUBLE PRECISION}, {@code DECIMAL(p,s)},
   * {@code VARCHAR(4000)} (also for JSON and nested values, as JSON text), {@code VARBINARY(4000)},
   * {@code DATE}, {@code TIME(f)}, {@code TIMESTAMP(f)}, {@code TIMESTAMP(f) WITH TIME ZONE}.
   */
  public static String nativeType(DataType type) {
    TypeKind kind = type.kind();
    return switch (kind) {
      case BOOLEAN -> "BOOLEAN";
      case INT8, INT16 -> "SMALLINT";
      case INT32 -> "INTEGER";
      case INT64 -> "BIGINT";
      case FLOAT32 -> "REAL";
      case FLOAT64 -> "DOUBLE PRECISION";
      case DECIMAL -> "DECIMAL(" + type.precision() + "," + type.scale() + ")";
      case STRING, JSON, ROW, ARRAY, MAP -> "VARCHAR(4000)";
      case BYTES -> "VARBINARY(4000)";
      case DATE -> "DATE";
      case TIME -> "TIME(" + type.precision() + ")";
      case TIMESTAMP -> "TIMESTAMP(" + type.precision() + ")";
      case TIMESTAMP_TZ -> "TIMESTAMP(" + type.precision() + ") WITH TIME ZONE";
    };
  }

  /**
   * The column's native type as people write it: the type name, with {@code (precision,scale)} for
   * decimals and {@code (length)} for character and binary types.
   */
  public static String nativeTypeText(JdbcColumn column) {
    String name = column.typeName().isEmpty() ? "unknown" : column.typeName();
    if (name.contains("(")) {
      return name;
    }
    return switch (column.sqlType()) {
      case Types.NUMERIC, Types.DECIMAL ->
          column.precision() > 0
              ? name + "(" + column.precision() + "," + Math.max(0, column.scale()) + ")"
              : name;
      case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR, Types.BINARY, Types.VARBINARY ->
          column.precision() > 0 && column.precision() < Integer.MAX_VALUE
              ? name + "(" + column.precision() + ")"
              : name;
      default -> name;
    };
  }
}
