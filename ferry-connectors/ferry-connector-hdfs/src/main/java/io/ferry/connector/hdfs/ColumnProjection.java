package io.ferry.connector.hdfs;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Which field of a columnar file fills each column of the source, and how: the declared {@code
 * columns} are matched to the file's fields by name; a declared type must be the file's, or time or
 * decimal over a string field (how this sink writes TIME to ORC and decimals wider than 38 digits).
 */
final class ColumnProjection {
  private final int[] fieldOfColumn;
  private final boolean[] parse;
  private final DataType[] types;

  private ColumnProjection(int[] fieldOfColumn, boolean[] parse, DataType[] types) {
    this.fieldOfColumn = fieldOfColumn;
    this.parse = parse;
    this.types = types;
  }

  /**
   * @param file the file's fields as Ferry columns
   * @param wanted the source's columns
   * @throws io.ferry.spi.FerryException on {@code columns} naming a missing or mistyped field
   */
  static ColumnProjection of(String path, Schema file, Schema wanted) {
    int n = wanted.size();
    int[] fields = new int[n];
    boolean[] parse = new boolean[n];
    DataType[] types = new DataType[n];
    for (int c = 0; c < n; c++) {
      Column column = wanted.column(c);
      int f = file.indexOf(column.name());
      if (f < 0) {
        throw ColumnarReader.mismatch(
            path, "has no field '" + column.name() + "' (fields: " + file.names() + ")");
      }
      TypeKind have = file.column(f).type().kind();
      TypeKind want = column.type().kind();
      boolean parsed =
          have == TypeKind.STRING && (want == TypeKind.TIME || want == TypeKind.DECIMAL);
      if (have != want && !parsed && !(have == TypeKind.STRING && want == TypeKind.JSON)) {
        throw ColumnarReader.mismatch(
            path,
            "field '" + column.name() + "' is " + file.column(f).type() + ", not " + column.type());
      }
      fields[c] = f;
      parse[c] = parsed;
      types[c] = column.type();
    }
    return new ColumnProjection(fields, parse, types);
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
    if (fieldValue == null || !parse[c]) {
      return fieldValue;
    }
    String text = (String) fieldValue;
    return types[c].kind() == TypeKind.TIME ? LocalTime.parse(text) : new BigDecimal(text);
  }

  /** The file's field names, for a source without declared columns: every field. */
  static List<String> names(Schema file) {
    return new ArrayList<>(file.names());
  }
}
