package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.spi.DataType;
import java.util.Locale;

/**
 * A MySQL/MariaDB column type as the driver describes it (type name such as {@code INT UNSIGNED},
 * {@code TINYINT} with precision 1, {@code DATETIME} with scale 6), with its Ferry type and how its
 * values are read. One place for the mapping in both directions; the README's table is this class
 * in words. The driver reports {@code tinyint(1)} as BOOLEAN (its {@code tinyInt1isBit} default);
 * the {@code tinyInt1IsBoolean} option decides whether Ferry reads it as boolean or int8.
 *
 * @param dataType the type name in lower case without {@code unsigned}: {@code int}, {@code
 *     varchar}, {@code datetime}
 * @param unsigned whether the integer type is unsigned
 * @param precision the driver's precision: digits, characters, bits of a bit(n), display width of a
 *     time type
 * @param scale decimal scale, or fractional-second digits of a time type
 * @param json whether the column holds JSON: MySQL's {@code json}, or MariaDB's {@code longtext}
 *     with a {@code json_valid} check (the driver reports both as JSON)
 */
record MySqlType(String dataType, boolean unsigned, int precision, int scale, boolean json) {

  static MySqlType of(JdbcColumn column) {
    String name = column.typeName().toLowerCase(Locale.ROOT).trim();
    boolean unsigned = column.unsigned() || name.contains("unsigned");
    name = name.replace("unsigned", "").replace("zerofill", "").trim();
    int paren = name.indexOf('(');
    if (paren > 0) {
      name = name.substring(0, paren).trim();
    }
    return new MySqlType(name, unsigned, column.precision(), column.scale(), name.equals("json"));
  }

  /** How a reader takes a value of this type off a result set. */
  enum Read {
    BOOLEAN_FROM_INT,
    BOOLEAN_FROM_BIT,
    INT8,
    INT16,
    INT32,
    INT64,
    UNSIGNED_INT64,
    FLOAT32,
    FLOAT64,
    DECIMAL,
    STRING,
    BYTES,
    DATE,
    DATETIME,
    TIMESTAMP,
    TIME,
    YEAR
  }

  /**
   * The Ferry type of the column's values.
   *
   * @param tinyInt1IsBoolean whether {@code tinyint(1)} is a boolean (the MySQL idiom) rather than
   *     an int8
   */
  DataType ferryType(boolean tinyInt1IsBoolean) {
    if (json) {
      return DataType.JSON;
    }
    return switch (dataType) {
      case "tinyint" -> unsigned ? DataType.INT16 : DataType.INT8;
      case "bool", "boolean" -> tinyInt1IsBoolean ? DataType.BOOLEAN : DataType.INT8;
      case "smallint" -> unsigned ? DataType.INT32 : DataType.INT16;
      case "mediumint" -> DataType.INT32;
      case "int", "integer" -> unsigned ? DataType.INT64 : DataType.INT32;
      case "bigint" -> unsigned ? DataType.decimal(20, 0) : DataType.INT64;
      case "bit" -> precision == 1 ? DataType.BOOLEAN : DataType.BYTES;
      case "float" -> DataType.FLOAT32;
      case "double", "real", "double precision" -> DataType.FLOAT64;
      case "decimal", "numeric", "dec", "fixed" ->
          DataType.decimal(Math.max(1, precision), Math.max(0, scale));
      case "char",
          "varchar",
          "tinytext",
          "text",
          "mediumtext",
          "longtext",
          "enum",
          "set",
          "uuid",
          "inet4",
          "inet6" ->
          DataType.STRING;
      case "json" -> DataType.JSON;
      case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry" ->
          DataType.BYTES;
      case "date" -> DataType.DATE;
      case "datetime" -> DataType.timestamp(fraction());
      case "timestamp" -> DataType.timestampTz(fraction());
      case "time" -> DataType.time(fraction());
      case "year" -> DataType.INT16;
      default -> DataType.STRING;
    };
  }

  /** The reader for values of {@link #ferryType}. */
  Read read(boolean tinyInt1IsBoolean) {
    if (json) {
      return Read.STRING;
    }
    DataType type = ferryType(tinyInt1IsBoolean);
    return switch (dataType) {
      case "tinyint", "bool", "boolean" ->
          type.equals(DataType.BOOLEAN)
              ? Read.BOOLEAN_FROM_INT
              : type.equals(DataType.INT8) ? Read.INT8 : Read.INT16;
      case "smallint", "mediumint", "int", "integer" ->
          type.equals(DataType.INT16)
              ? Read.INT16
              : type.equals(DataType.INT32) ? Read.INT32 : Read.INT64;
      case "bigint" -> unsigned ? Read.UNSIGNED_INT64 : Read.INT64;
      case "bit" -> type.equals(DataType.BOOLEAN) ? Read.BOOLEAN_FROM_BIT : Read.BYTES;
      case "float" -> Read.FLOAT32;
      case "double", "real", "double precision" -> Read.FLOAT64;
      case "decimal", "numeric", "dec", "fixed" -> Read.DECIMAL;
      case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry" ->
          Read.BYTES;
      case "date" -> Read.DATE;
      case "datetime" -> Read.DATETIME;
      case "timestamp" -> Read.TIMESTAMP;
      case "time" -> Read.TIME;
      case "year" -> Read.YEAR;
      default -> Read.STRING;
    };
  }

  /**
   * Fractional-second digits of a time type, from the display width the driver reports both in
   * result set metadata and in {@code getColumns} (which gives no scale): {@code datetime(6)} is 26
   * wide, {@code datetime} 19, {@code time(3)} 14, {@code time} 10.
   */
  int fraction() {
    int base = dataType.equals("time") ? 10 : 19;
    int digits = precision > base ? precision - base - 1 : 0;
    return Math.max(0, Math.min(6, Math.max(digits, Math.min(scale, 6))));
  }

  /**
   * The column type {@code createTable} uses for a Ferry type.
   *
   * @param key whether the column is part of the primary key (text keys need a length)
   */
  static String nativeType(DataType type, boolean key) {
    return switch (type.kind()) {
      case BOOLEAN -> "tinyint(1)";
      case INT8 -> "tinyint";
      case INT16 -> "smallint";
      case INT32 -> "int";
      case INT64 -> "bigint";
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case DECIMAL -> {
        if (type.precision() > 65 || type.scale() > 30) {
          // decimal(1000,0) is also how an unconstrained PostgreSQL numeric arrives.
          throw new IllegalArgumentException(
              type
                  + " is wider than MySQL's widest decimal, decimal(65,30) (an unconstrained"
                  + " PostgreSQL numeric is decimal(1000,0))");
        }
        yield "decimal(" + type.precision() + "," + type.scale() + ")";
      }
      case STRING -> key ? "varchar(255)" : "longtext";
      case BYTES -> key ? "varbinary(255)" : "longblob";
      case DATE -> "date";
      case TIME -> "time(" + Math.min(6, type.precision()) + ")";
      case TIMESTAMP -> "datetime(" + Math.min(6, type.precision()) + ")";
      case TIMESTAMP_TZ -> "timestamp(" + Math.min(6, type.precision()) + ") null";
      case JSON, ROW, ARRAY, MAP -> "json";
    };
  }
}
