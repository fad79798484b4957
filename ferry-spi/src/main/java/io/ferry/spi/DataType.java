package io.ferry.spi;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A Ferry type: a {@link TypeKind} plus its parameters (decimal precision and scale, fractional
 * seconds of time types, the element types of nested kinds). Immutable; equal when kind and
 * parameters are equal.
 *
 * <p>The text form, accepted by {@link #parse(String)} and produced by {@link #toString()}, is the
 * one job files use: {@code int64}, {@code decimal(12,2)}, {@code timestamp(6)}, {@code
 * array<string>}, {@code map<string,int32>}, {@code row<id int64, tags array<string>>}.
 */
public final class DataType {
  /** Precision of {@code decimal} when none is given; the widest common database precision. */
  public static final int DEFAULT_DECIMAL_PRECISION = 38;

  /**
   * Precision of {@code decimal(1000,0)}, the decimal of any scale (PostgreSQL's unconstrained
   * {@code numeric}): a value converted to it keeps its own scale ({@link
   * #isUnconstrainedDecimal()}).
   */
  public static final int UNCONSTRAINED_DECIMAL_PRECISION = 1000;

  /** Fractional digits of time types when none is given (microseconds). */
  public static final int DEFAULT_FRACTION = 6;

  public static final DataType BOOLEAN = new DataType(TypeKind.BOOLEAN, 0, 0, List.of());
  public static final DataType INT8 = new DataType(TypeKind.INT8, 0, 0, List.of());
  public static final DataType INT16 = new DataType(TypeKind.INT16, 0, 0, List.of());
  public static final DataType INT32 = new DataType(TypeKind.INT32, 0, 0, List.of());
  public static final DataType INT64 = new DataType(TypeKind.INT64, 0, 0, List.of());
  public static final DataType FLOAT32 = new DataType(TypeKind.FLOAT32, 0, 0, List.of());
  public static final DataType FLOAT64 = new DataType(TypeKind.FLOAT64, 0, 0, List.of());
  public static final DataType STRING = new DataType(TypeKind.STRING, 0, 0, List.of());
  public static final DataType BYTES = new DataType(TypeKind.BYTES, 0, 0, List.of());
  public static final DataType DATE = new DataType(TypeKind.DATE, 0, 0, List.of());
  public static final DataType TIME = time(DEFAULT_FRACTION);
  public static final DataType TIMESTAMP = timestamp(DEFAULT_FRACTION);
  public static final DataType TIMESTAMP_TZ = timestampTz(DEFAULT_FRACTION);
  public static final DataType JSON = new DataType(TypeKind.JSON, 0, 0, List.of());

  private final TypeKind kind;
  private final int precision;
  private final int scale;
  private final List<Field> fields;

  private DataType(TypeKind kind, int precision, int scale, List<Field> fields) {
    this.kind = kind;
    this.precision = precision;
    this.scale = scale;
    this.fields = List.copyOf(fields);
  }

  /** A nested type's named component: a row field, an array's element, a map's key or value. */
  public record Field(String name, DataType type) {
    public Field {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(type, "type is null");
    }
  }

  public static DataType decimal(int precision, int scale) {
    if (precision < 1 || precision > UNCONSTRAINED_DECIMAL_PRECISION) {
      throw new IllegalArgumentException("decimal precision must be 1..1000, got " + precision);
    }
    if (scale < 0 || scale > precision) {
      throw new IllegalArgumentException(
          "decimal scale must be 0.." + precision + ", got " + scale);
    }
    return new DataType(TypeKind.DECIMAL, precision, scale, List.of());
  }

  public static DataType time(int fraction) {
    return new DataType(TypeKind.TIME, checkFraction(fraction), 0, List.of());
  }

  public static DataType timestamp(int fraction) {
    return new DataType(TypeKind.TIMESTAMP, checkFraction(fraction), 0, List.of());
  }

  public static DataType timestampTz(int fraction) {
    return new DataType(TypeKind.TIMESTAMP_TZ, checkFraction(fraction), 0, List.of());
  }

  public static DataType array(DataType element) {
    return new DataType(TypeKind.ARRAY, 0, 0, List.of(new Field("element", element)));
  }

  public static DataType map(DataType key, DataType value) {
    return new DataType(
        TypeKind.MAP, 0, 0, List.of(new Field("key", key), new Field("value", value)));
  }

  public static DataType row(List<Field> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a row type needs at least one field");
    }
    return new DataType(TypeKind.ROW, 0, 0, fields);
  }

  private static int checkFraction(int fraction) {
    if (fraction < 0 || fraction > 9) {
      throw new IllegalArgumentException("fractional seconds must be 0..9, got " + fraction);
    }
    return fraction;
  }

  public TypeKind kind() {
    return kind;
  }

  /** Decimal precision, or fractional-second digits of TIME / TIMESTAMP / TIMESTAMP_TZ. */
  public int precision() {
    return precision;
  }

  /** Decimal scale; 0 for every other kind. */
  public int scale() {
    return scale;
  }

  /** Whether this is {@code decimal(1000,0)}, the decimal whose values keep their own scale. */
  public boolean isUnconstrainedDecimal() {
    return kind == TypeKind.DECIMAL && precision == UNCONSTRAINED_DECIMAL_PRECISION && scale == 0;
  }

  /** Row fields; for ARRAY the single element, for MAP key then value; empty otherwise. */
  public List<Field> fields() {
    return fields;
  }

  public DataType elementType() {
    requireKind(TypeKind.ARRAY);
    return fields.get(0).type();
  }

  public DataType keyType() {
    requireKind(TypeKind.MAP);
    return fields.get(0).type();
  }

  public DataType valueType() {
    requireKind(TypeKind.MAP);
    return fields.get(1).type();
  }

  private void requireKind(TypeKind expected) {
    if (kind != expected) {
      throw new IllegalStateException(this + " is not " + expected.typeName());
    }
  }

  /**
   * Parses the text form. Names are case-insensitive; {@code int}, {@code bigint}, {@code double},
   * {@code float}, {@code text}, {@code varchar}, {@code binary} are accepted as aliases.
   *
   * @throws IllegalArgumentException naming what could not be understood
   */
  public static DataType parse(String text) {
    Objects.requireNonNull(text, "text is null");
    TypeParser parser = new TypeParser(text);
    DataType type = parser.type();
    parser.end();
    return type;
  }

  @Override
  public String toString() {
    String name = kind.typeName();
    return switch (kind) {
      case DECIMAL -> name + "(" + precision + "," + scale + ")";
      case TIME, TIMESTAMP, TIMESTAMP_TZ ->
          precision == DEFAULT_FRACTION ? name : name + "(" + precision + ")";
      case ARRAY -> "array<" + elementType() + ">";
      case MAP -> "map<" + keyType() + "," + valueType() + ">";
      case ROW -> {
        StringBuilder sb = new StringBuilder("row<");
        for (int i = 0; i < fields.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          sb.append(fields.get(i).name()).append(' ').append(fields.get(i).type());
        }
        yield sb.append('>').toString();
      }
      default -> name;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataType t
        && t.kind == kind
        && t.precision == precision
        && t.scale == scale
        && t.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, precision, scale, fields);
  }

  /** Recursive-descent parser of the text form. */
  private static final class TypeParser {
    private final String text;
    private int pos;

    TypeParser(String text) {
      this.text = text;
    }

    DataType type() {
      String word = word().toLowerCase(Locale.ROOT);
      switch (word) {
        case "boolean", "bool":
          return BOOLEAN;
        case "int8", "tinyint":
          return INT8;
        case "int16", "smallint":
          return INT16;
        case "int32", "int", "integer":
          return INT32;
        case "int64", "bigint", "long":
          return INT64;
        case "float32", "float", "real":
          return FLOAT32;
        case "float64", "double":
          return FLOAT64;
        case "string", "text", "varchar":
          return STRING;
        case "bytes", "binary":
          return BYTES;
        case "date":
          return DATE;
        case "json":
          return JSON;
        case "decimal", "numeric":
          {
            if (!peek('(')) {
              return decimal(DEFAULT_DECIMAL_PRECISION, 0);
            }
            expect('(');
            int p = number();
            int s = 0;
            if (peek(',')) {
              expect(',');
              s = number();
            }
            expect(')');
            return decimal(p, s);
          }
        case "time", "timestamp", "timestamp_tz":
          {
            int fraction = DEFAULT_FRACTION;
            if (peek('(')) {
              expect('(');
              fraction = number();
              expect(')');
            }
            return switch (word) {
              case "time" -> time(fraction);
              case "timestamp" -> timestamp(fraction);
              default -> timestampTz(fraction);
            };
          }
        case "array":
          {
            expect('<');
            DataType element = type();
            expect('>');
            return array(element);
          }
        case "map":
          {
            expect('<');
            DataType key = type();
            expect(',');
            DataType value = type();
            expect('>');
            return map(key, value);
          }
        case "row":
          {
            expect('<');
            List<Field> list = new java.util.ArrayList<>();
            do {
              if (!list.isEmpty()) {
                expect(',');
              }
              String name = word();
              list.add(new Field(name, type()));
            } while (peek(','));
            expect('>');
            return row(list);
          }
        default:
          throw error("unknown type '" + word + "'");
      }
    }

    void end() {
      skipSpace();
      if (pos != text.length()) {
        throw error("unexpected '" + text.substring(pos) + "'");
      }
    }

    private String word() {
      skipSpace();
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a name");
      }
      return text.substring(start, pos);
    }

    private int number() {
      String word = word();
      try {
        return Integer.parseInt(word);
      } catch (NumberFormatException e) {
        throw error("expected a number, got '" + word + "'");
      }
    }

    private boolean peek(char c) {
      skipSpace();
      return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private IllegalArgumentException error(String message) {
      return new IllegalArgumentException(
          "invalid type '" + text + "': " + message + " at position " + (pos + 1));
    }
  }
}
