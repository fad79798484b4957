package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.StandardColumnMappings;
import io.ferry.spi.DataType;
import java.sql.Types;
import java.util.Locale;

/**
 * SQL Server's types to and from Ferry's: the mapping table of the README, in code. Type names are
 * the driver's ({@code nvarchar}, {@code datetimeoffset}, {@code int identity}); case and an {@code
 * identity} suffix are ignored.
 */
final class SqlServerTypes {
  private SqlServerTypes() {}

  /** SQL Server keeps at most 7 fractional digits (100 ns) in time, datetime2, datetimeoffset. */
  static final int MAX_FRACTION = 7;

  /** DECIMAL holds at most 38 digits. */
  static final int MAX_DECIMAL_PRECISION = 38;

  /** {@code microsoft.sql.Types.DATETIMEOFFSET}: the driver's code for datetimeoffset. */
  static final int DATETIMEOFFSET = -155;

  /** The type name in lower case without {@code identity} and without a length part. */
  static String baseName(String typeName) {
    String name = typeName.toLowerCase(Locale.ROOT).replaceAll("\\([^)]*\\)", "").trim();
    if (name.endsWith(" identity")) {
      name = name.substring(0, name.length() - " identity".length()).trim();
    }
    return name;
  }

  /** The Ferry type of a SQL Server column. */
  static DataType ferryType(JdbcColumn column) {
    return switch (baseName(column.typeName())) {
      case "bit" -> DataType.BOOLEAN;
      case "tinyint" -> DataType.INT16; // unsigned 0..255: int8 cannot hold it
      case "smallint" -> DataType.INT16;
      case "int" -> DataType.INT32;
      case "bigint" -> DataType.INT64;
      case "real" -> DataType.FLOAT32;
      case "float" -> DataType.FLOAT64;
      case "decimal", "numeric" ->
          StandardColumnMappings.decimal(column.precision(), column.scale());
      case "money" -> DataType.decimal(19, 4);
      case "smallmoney" -> DataType.decimal(10, 4);
      case "char",
          "varchar",
          "nchar",
          "nvarchar",
          "text",
          "ntext",
          "xml",
          "uniqueidentifier",
          "sysname",
          "sql_variant" ->
          DataType.STRING;
      case "binary", "varbinary", "image", "rowversion", "geography", "geometry", "hierarchyid" ->
          DataType.BYTES;
      // SQL Server's "timestamp" is rowversion, 8 bytes (reported as BINARY); a TIMESTAMP of
      // another type code is a datetime from a stand-in or a view over another database.
      case "timestamp" ->
          column.sqlType() == Types.BINARY || column.sqlType() == Types.VARBINARY
              ? DataType.BYTES
              : StandardColumnMappings.ferryType(column);
      case "date" -> DataType.DATE;
      case "time" -> DataType.time(fraction(column, MAX_FRACTION));
      case "datetime2" -> DataType.timestamp(fraction(column, MAX_FRACTION));
      case "datetime" -> DataType.timestamp(3); // 1/300 s: .000, .003, .007
      case "smalldatetime" -> DataType.timestamp(0); // to the minute
      case "datetimeoffset" -> DataType.timestampTz(fraction(column, MAX_FRACTION));
      case "json" -> DataType.JSON;
      default ->
          column.sqlType() == DATETIMEOFFSET
              ? DataType.timestampTz(fraction(column, MAX_FRACTION))
              : StandardColumnMappings.ferryType(column);
    };
  }

  /** The fractional digits the driver reports, or {@code fallback} when it reports none. */
  private static int fraction(JdbcColumn column, int fallback) {
    int scale = column.scale();
    return scale >= 0 && scale <= 9 ? scale : fallback;
  }

  /**
   * The column type {@code createTable} gives a Ferry type. int8 becomes SMALLINT (TINYINT is
   * unsigned), fractions above 7 digits are cut to SQL Server's 7, JSON and nested values are JSON
   * text in NVARCHAR(MAX). Key columns need an indexable width: NVARCHAR(450) and VARBINARY(900) (a
   * clustered key holds at most 900 bytes).
   *
   * @throws IllegalArgumentException for a decimal wider than 38 digits
   */
  static String nativeType(DataType type, boolean key) {
    return switch (type.kind()) {
      case BOOLEAN -> "BIT";
      case INT8, INT16 -> "SMALLINT";
      case INT32 -> "INT";
      case INT64 -> "BIGINT";
      case FLOAT32 -> "REAL";
      case FLOAT64 -> "FLOAT(53)";
      case DECIMAL -> {
        if (type.precision() > MAX_DECIMAL_PRECISION) {
          throw new IllegalArgumentException(
              type + " is wider than SQL Server's DECIMAL, which holds at most 38 digits");
        }
        yield "DECIMAL(" + type.precision() + "," + type.scale() + ")";
      }
      case STRING, JSON, ROW, ARRAY, MAP -> key ? "NVARCHAR(450)" : "NVARCHAR(MAX)";
      case BYTES -> key ? "VARBINARY(900)" : "VARBINARY(MAX)";
      case DATE -> "DATE";
      case TIME -> "TIME(" + Math.min(type.precision(), MAX_FRACTION) + ")";
      case TIMESTAMP -> "DATETIME2(" + Math.min(type.precision(), MAX_FRACTION) + ")";
      case TIMESTAMP_TZ -> "DATETIMEOFFSET(" + Math.min(type.precision(), MAX_FRACTION) + ")";
    };
  }
}
