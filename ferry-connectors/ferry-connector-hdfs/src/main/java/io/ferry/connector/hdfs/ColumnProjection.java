package io.ferry.connector.hdfs;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.function.Function;

/**
 * Which field of a columnar file fills each column of the source, and how. The declared {@code
 * columns} are matched to the file's fields by name, or by position with {@code fieldsByPosition}
 * (DataX's {@code index}). A declared type converts from the file's: the same kind as it is;
 * integers and decimals to wider numbers; any value to a string; a date to a timestamp; a string to
 * time or decimal (how this sink writes TIME to ORC and decimals wider than 38 digits). Any other
 * pair is an error naming {@code columns}.
 */
final class ColumnProjection {
  private final int[] fieldOfColumn;
  private final Function<Object, Object>[] converters;

  private ColumnProjection(int[] fieldOfColumn, Function<Object, Object>[] converters) {
    this.fieldOfColumn = fieldOfColumn;
    this.converters = converters;
  }

  /**
   * @param file the file's fields as Ferry columns
   * @param wanted the source's columns
   * @param byPosition whether column i is field i (else matched by name)
   * @throws io.ferry.spi.FerryException on {@code columns} naming a missing or unconvertible field
   */
  @SuppressWarnings("unchecked")
  static ColumnProjection of(String path, Schema file, Schema wanted, boolean byPosition) {
    int n = wanted.size();
    int[] fields = new int[n];
    Function<Object, Object>[] converters = new Function[n];
    for (int c = 0; c < n; c++) {
      Column column = wanted.column(c);
      int f = byPosition ? (c < file.size() ? c : -1) : file.indexOf(column.name());
      if (f < 0) {
        throw ColumnarReader.mismatch(
            path,
            byPosition
                ? "has "
                    + file.size()
                    + " fields, no field "
                    + c
                    + " for column '"
                    + column.name()
                    + "'"
                : "has no field '" + column.name() + "' (fields: " + file.names() + ")");
      }
      Function<Object, Object> converter = converter(file.column(f).type(), column.type());
      if (converter == null) {
        throw ColumnarReader.mismatch(
            path,
            "field '"
                + file.column(f).name()
                + "' is "
                + file.column(f).type()
                + " and does not convert to "
                + column.type()
                + " (column '"
                + column.name()
                + "')");
      }
      fields[c] = f;
      converters[c] = converter;
    }
    return new ColumnProjection(fields, converters);
  }

  /** How a value of the file's type becomes one of the declared type; null when it cannot. */
  private static Function<Object, Object> converter(DataType have, DataType want) {
    TypeKind from = have.kind();
    TypeKind to = want.kind();
    if (from == to || (from == TypeKind.STRING && to == TypeKind.JSON)) {
      return v -> v;
    }
    return switch (to) {
      case STRING, JSON -> ColumnProjection::text;
      case INT16 -> from == TypeKind.INT8 ? v -> ((Number) v).shortValue() : null;
      case INT32 ->
          from == TypeKind.INT8 || from == TypeKind.INT16 ? v -> ((Number) v).intValue() : null;
      case INT64 -> from.isInteger() ? v -> ((Number) v).longValue() : null;
      case FLOAT64 -> from.isNumeric() ? v -> ((Number) v).doubleValue() : null;
      case DECIMAL -> {
        if (from.isInteger()) {
          yield v -> BigDecimal.valueOf(((Number) v).longValue());
        }
        yield from == TypeKind.STRING ? v -> new BigDecimal((String) v) : null;
      }
      case TIME -> from == TypeKind.STRING ? v -> LocalTime.parse((String) v) : null;
      case TIMESTAMP -> from == TypeKind.DATE ? v -> ((LocalDate) v).atStartOfDay() : null;
      default -> null;
    };
  }

  private static Object text(Object value) {
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return value.toString();
  }

  int size() {
    return fieldOfColumn.length;
  }

  /** The file field of column {@code c}. */
  int field(int c) {
    return fieldOfColumn[c];
  }

  /** The value of column {@code c} from its field's value. */
  Object value(int c, Object fieldValue) {
    return fieldValue == null ? null : converters[c].apply(fieldValue);
  }
}
