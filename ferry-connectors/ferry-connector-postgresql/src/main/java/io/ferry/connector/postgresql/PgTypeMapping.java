package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.ColumnMapping;
import io.ferry.connector.jdbc.ColumnReader;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.StandardColumnMappings;
import io.ferry.connector.jdbc.TypeMapping;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How PostgreSQL columns read and write: arrays, uuid, json/jsonb, intervals, unconstrained
 * numerics and money, as the README's type mapping lists.
 */
final class PgTypeMapping implements TypeMapping {
  static final PgTypeMapping INSTANCE = new PgTypeMapping();

  /** Precision that marks an unconstrained {@code numeric}: values keep their own scale. */
  static final int UNCONSTRAINED_PRECISION = DataType.UNCONSTRAINED_DECIMAL_PRECISION;

  private PgTypeMapping() {}

  /** The Ferry type of {@link #ferryType} read with {@link #reader}. */
  @Override
  public ColumnMapping toColumnMapping(JdbcColumn column) {
    DataType type = ferryType(column);
    return new ColumnMapping(type, reader(column, type));
  }

  private static DataType ferryType(JdbcColumn column) {
    String name = column.typeName().toLowerCase(Locale.ROOT);
    if (name.startsWith("_")) {
      DataType element = elementType(name.substring(1), column);
      return element == null ? DataType.STRING : DataType.array(element);
    }
    DataType scalar = scalarType(name, column);
    return scalar != null ? scalar : StandardColumnMappings.ferryType(column);
  }

  private static DataType scalarType(String name, JdbcColumn column) {
    return switch (name) {
      case "int2" -> DataType.INT16;
      case "int4" -> DataType.INT32;
      case "int8" -> DataType.INT64;
      case "float4" -> DataType.FLOAT32;
      case "float8" -> DataType.FLOAT64;
      case "bool" -> DataType.BOOLEAN;
      case "numeric" ->
          column.precision() <= 0 || column.precision() > UNCONSTRAINED_PRECISION
              ? DataType.decimal(UNCONSTRAINED_PRECISION, 0)
              : DataType.decimal(column.precision(), Math.max(0, column.scale()));
      case "money" -> DataType.decimal(19, 2);
      case "text",
          "varchar",
          "bpchar",
          "char",
          "name",
          "citext",
          "uuid",
          "xml",
          "interval",
          "timetz",
          "inet",
          "cidr",
          "macaddr",
          "macaddr8",
          "varbit",
          "tsvector",
          "point" ->
          DataType.STRING;
      case "bit" -> column.precision() == 1 ? DataType.BOOLEAN : DataType.STRING;
      case "bytea" -> DataType.BYTES;
      case "json", "jsonb" -> DataType.JSON;
      case "date" -> DataType.DATE;
      case "time" -> DataType.time(fraction(column.scale()));
      case "timestamp" -> DataType.timestamp(fraction(column.scale()));
      case "timestamptz" -> DataType.timestampTz(fraction(column.scale()));
      default ->
          // Enums and domains over text report VARCHAR; other unknown types are read as text.
          column.sqlType() == Types.OTHER || column.sqlType() == Types.VARCHAR
              ? DataType.STRING
              : null;
    };
  }

  /** Element type of an array column; the driver reports no element precision. */
  private static DataType elementType(String name, JdbcColumn column) {
    JdbcColumn element =
        new JdbcColumn(
            column.name(),
            Types.OTHER,
            name,
            name.equals("numeric") ? 0 : column.precision(),
            column.scale(),
            true,
            false);
    DataType type = scalarType(name, element);
    return type == null ? DataType.STRING : type;
  }

  private static int fraction(int scale) {
    return scale >= 0 && scale <= 6 ? scale : DataType.DEFAULT_FRACTION;
  }

  private static ColumnReader reader(JdbcColumn column, DataType type) {
    String name = column.typeName().toLowerCase(Locale.ROOT);
    if (type.kind() == TypeKind.ARRAY) {
      DataType element = type.elementType();
      return (rs, i) -> {
        String text = rs.getString(i);
        return text == null ? null : parseArray(text, element);
      };
    }
    if (name.equals("money")) {
      return PgTypeMapping::money;
    }
    if (type.kind() == TypeKind.DECIMAL) {
      // Unconstrained numeric: the value's own scale.
      return decimalReader(
          type.precision() == UNCONSTRAINED_PRECISION
              ? (rs, i) -> rs.getBigDecimal(i)
              : StandardColumnMappings.reader(type));
    }
    if (type.kind() == TypeKind.BOOLEAN && name.equals("bit")) {
      return (rs, i) -> {
        String text = rs.getString(i);
        return text == null ? null : text.equals("1");
      };
    }
    return StandardColumnMappings.reader(type);
  }

  /**
   * A {@code money} value as the session's {@code lc_monetary=C} writes it ({@code -$1,234.56}):
   * the driver's own getter fails on the group separator of amounts of 1,000 and more.
   */
  private static Object money(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    String text = rs.getString(i);
    if (text == null) {
      return null;
    }
    StringBuilder digits = new StringBuilder(text.length());
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c != '$' && c != ',') {
        digits.append(c);
      }
    }
    return new BigDecimal(digits.toString());
  }

  /**
   * {@code numeric}'s NaN, Infinity and -Infinity have no {@link BigDecimal}, so Ferry's decimal
   * cannot carry them: the driver's getter fails on them, and they become the row's dirty-row
   * reason instead of failing the read. Other values cost nothing extra.
   */
  private static ColumnReader decimalReader(ColumnReader reader) {
    return (rs, i) -> {
      try {
        return reader.read(rs, i);
      } catch (SQLException e) {
        String text = rs.getString(i);
        if (text != null && NOT_A_DECIMAL.contains(text)) {
          throw new IllegalArgumentException(
              text
                  + " is not representable in Ferry's decimal, which has no NaN or infinity;"
                  + " to carry it, read the column as double precision or text with query:"
                  + " (e.g. col::float8)");
        }
        throw e;
      }
    };
  }

  private static final Set<String> NOT_A_DECIMAL = Set.of("NaN", "Infinity", "-Infinity");

  /** A one-dimensional array's output text as a list of Ferry values of {@code element}. */
  static List<Object> parseArray(String text, DataType element) {
    List<String> parts = PgArrayLiteral.parse(text);
    List<Object> out = new ArrayList<>(parts.size());
    for (String p : parts) {
      out.add(p == null ? null : elementValue(p, element));
    }
    return out;
  }

  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter(Locale.ROOT);
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ')
          .append(TIME)
          .toFormatter(Locale.ROOT);
  private static final DateTimeFormatter TIMESTAMP_TZ =
      new DateTimeFormatterBuilder()
          .append(TIMESTAMP)
          .appendOffset("+HH:mm:ss", "+00")
          .toFormatter(Locale.ROOT);

  private static Object elementValue(String text, DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> text.equals("t");
      case INT16 -> Short.parseShort(text);
      case INT32 -> Integer.parseInt(text);
      case INT64 -> Long.parseLong(text);
      case FLOAT32 -> Float.parseFloat(text);
      case FLOAT64 -> Double.parseDouble(text);
      case DECIMAL -> {
        BigDecimal d = new BigDecimal(text);
        yield type.precision() == UNCONSTRAINED_PRECISION ? d : d.setScale(type.scale());
      }
      case BYTES -> HexFormat.of().parseHex(text.substring(2));
      case DATE -> LocalDate.parse(text);
      case TIME -> LocalTime.parse(text, TIME);
      case TIMESTAMP -> LocalDateTime.parse(text, TIMESTAMP);
      case TIMESTAMP_TZ -> OffsetDateTime.parse(text, TIMESTAMP_TZ);
      case JSON -> text;
      default -> text;
    };
  }

  @Override
  public ColumnBinder binder(DataType type, JdbcColumn target) {
    String name = target == null ? "" : target.typeName().toLowerCase(Locale.ROOT);
    boolean json = name.equals("json") || name.equals("jsonb");
    if (type.kind() == TypeKind.ARRAY && !json) {
      // Bound as text (stringtype=unspecified): the server parses it as the column's array type.
      return (ps, i, v) -> ps.setString(i, arrayLiteral((List<?>) v, type.elementType()));
    }
    if (type.kind().isNested()) {
      return (ps, i, v) -> ps.setString(i, JsonValues.toJson(v, type));
    }
    if (type.kind() == TypeKind.INT8) {
      return (ps, i, v) -> ps.setShort(i, (Byte) v);
    }
    return StandardColumnMappings.binder(type);
  }

  /** A PostgreSQL array literal of a list. */
  static String arrayLiteral(List<?> list, DataType element) {
    StringBuilder sb = new StringBuilder();
    CopyTextEncoder.appendArrayLiteral(sb, list, element);
    return sb.toString();
  }

  /**
   * Native types for {@code createTable}: int8 as smallint, unconstrained decimal as {@code
   * numeric}, string as text, JSON, maps and rows as jsonb, arrays of scalars as {@code type[]},
   * time precision capped at PostgreSQL's 6.
   */
  @Override
  public String nativeType(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "boolean";
      case INT8, INT16 -> "smallint";
      case INT32 -> "integer";
      case INT64 -> "bigint";
      case FLOAT32 -> "real";
      case FLOAT64 -> "double precision";
      case DECIMAL ->
          type.precision() == UNCONSTRAINED_PRECISION && type.scale() == 0
              ? "numeric"
              : "numeric(" + type.precision() + "," + type.scale() + ")";
      case STRING -> "text";
      case BYTES -> "bytea";
      case DATE -> "date";
      case TIME -> "time(" + Math.min(6, type.precision()) + ")";
      case TIMESTAMP -> "timestamp(" + Math.min(6, type.precision()) + ")";
      case TIMESTAMP_TZ -> "timestamptz(" + Math.min(6, type.precision()) + ")";
      case JSON, MAP, ROW -> "jsonb";
      case ARRAY -> {
        DataType e = type.elementType();
        yield e.kind().isNested() ? "jsonb" : nativeType(e) + "[]";
      }
    };
  }

  @Override
  public String nativeTypeText(JdbcColumn column) {
    String name = column.typeName();
    if (name.startsWith("_")) {
      return name.substring(1) + "[]";
    }
    if (name.equalsIgnoreCase("numeric") && column.precision() <= 0) {
      return "numeric";
    }
    return StandardColumnMappings.nativeTypeText(column);
  }
}
