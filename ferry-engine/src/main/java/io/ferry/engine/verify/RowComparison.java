package io.ferry.engine.verify;

import io.ferry.connector.support.CanonicalText;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a source row, after the job's mapping and conversion, compares with a target row: key by
 * {@link KeyOrder}, every other value by its canonical text ({@link CanonicalText}) in a type both
 * sides share:
 *
 * <ul>
 *   <li>numbers and booleans by value, whatever the decimal scale ({@code 1.50} = {@code 1.5});
 *   <li>TIME, TIMESTAMP, TIMESTAMP_TZ at the fewer fractional digits of the two columns, truncated
 *       (a DATETIME(3) copied into a TIMESTAMP(6) is equal); TIMESTAMP_TZ by instant, so only a
 *       real shift differs;
 *   <li>floats at the narrower width of the two (a FLOAT copied into a DOUBLE PRECISION is equal);
 *   <li>strings exactly: a trailing space, a case change or a NULL for {@code ''} differs (CHAR pad
 *       spaces are already gone, see {@link io.ferry.spi.Source#openOrdered}).
 * </ul>
 *
 * Target columns the job does not write are not compared.
 */
final class RowComparison {
  private final Schema output;
  private final Schema target;
  private final int[] keyOut;
  private final int[] keyTarget;

  /** For each output column, its target column, or -1 when the target read lacks it. */
  private final int[] targetOf;

  private final DataType[] outType;
  private final DataType[] targetType;

  /**
   * @param output the columns of source rows after the pipeline (the target's names)
   * @param target the target's columns as it reads back
   * @param key the key column names, in {@code output}'s naming
   */
  RowComparison(Schema output, Schema target, List<String> key) {
    this.output = output;
    this.target = target;
    this.keyOut = new int[key.size()];
    this.keyTarget = new int[key.size()];
    for (int k = 0; k < key.size(); k++) {
      keyOut[k] = output.indexOf(key.get(k));
      keyTarget[k] = find(target, key.get(k));
      if (keyOut[k] < 0 || keyTarget[k] < 0) {
        throw new IllegalArgumentException("key column " + key.get(k) + " is not in the target");
      }
    }
    targetOf = new int[output.size()];
    outType = new DataType[output.size()];
    targetType = new DataType[output.size()];
    for (int c = 0; c < output.size(); c++) {
      targetOf[c] = find(target, output.column(c).name());
      if (targetOf[c] >= 0) {
        DataType[] shared = shared(output.column(c).type(), target.column(targetOf[c]).type());
        outType[c] = shared[0];
        targetType[c] = shared[1];
      }
    }
  }

  /** Exact name first, then ignoring case, as the job's mapping finds target columns. */
  static int find(Schema schema, String name) {
    int exact = schema.indexOf(name);
    if (exact >= 0) {
      return exact;
    }
    for (int i = 0; i < schema.size(); i++) {
      if (schema.column(i).name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  /** The types two columns' values are compared as: see the class comment. */
  static DataType[] shared(DataType a, DataType b) {
    TypeKind ka = a.kind();
    TypeKind kb = b.kind();
    if (isTemporal(ka) && isTemporal(kb)) {
      int p = Math.min(a.precision(), b.precision());
      return new DataType[] {withFraction(a, p), withFraction(b, p)};
    }
    if ((ka == TypeKind.FLOAT32 || kb == TypeKind.FLOAT32)
        && (ka == TypeKind.FLOAT32 || ka == TypeKind.FLOAT64)
        && (kb == TypeKind.FLOAT32 || kb == TypeKind.FLOAT64)) {
      return new DataType[] {DataType.FLOAT32, DataType.FLOAT32};
    }
    return new DataType[] {a, b};
  }

  private static boolean isTemporal(TypeKind k) {
    return k == TypeKind.TIME || k == TypeKind.TIMESTAMP || k == TypeKind.TIMESTAMP_TZ;
  }

  static DataType withFraction(DataType t, int p) {
    return switch (t.kind()) {
      case TIME -> DataType.time(p);
      case TIMESTAMP -> DataType.timestamp(p);
      case TIMESTAMP_TZ -> DataType.timestampTz(p);
      default -> t;
    };
  }

  int compareKeys(Object[] out, Object[] tgt) {
    for (int k = 0; k < keyOut.length; k++) {
      int c = KeyOrder.compare(out[keyOut[k]], tgt[keyTarget[k]]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  Object[] outputKey(Object[] out) {
    Object[] key = new Object[keyOut.length];
    for (int k = 0; k < key.length; k++) {
      key[k] = out[keyOut[k]];
    }
    return key;
  }

  Object[] targetKey(Object[] tgt) {
    Object[] key = new Object[keyTarget.length];
    for (int k = 0; k < key.length; k++) {
      key[k] = tgt[keyTarget[k]];
    }
    return key;
  }

  /** The differing columns of two rows with the same key; empty when they are equal. */
  List<Difference.ColumnDifference> differences(Object[] out, Object[] tgt) {
    List<Difference.ColumnDifference> diffs = null;
    for (int c = 0; c < out.length; c++) {
      int t = targetOf[c];
      if (t < 0) {
        continue;
      }
      String a = text(out[c], outType[c]);
      String b = text(tgt[t], targetType[c]);
      if (!Objects.equals(a, b)) {
        if (diffs == null) {
          diffs = new ArrayList<>();
        }
        diffs.add(new Difference.ColumnDifference(output.column(c).name(), a, b));
      }
    }
    return diffs == null ? List.of() : diffs;
  }

  Map<String, String> keyOfOutput(Object[] out) {
    Map<String, String> key = new LinkedHashMap<>();
    for (int k : keyOut) {
      key.put(output.column(k).name(), text(out[k], output.column(k).type()));
    }
    return key;
  }

  Map<String, String> keyOfTarget(Object[] tgt) {
    Map<String, String> key = new LinkedHashMap<>();
    for (int k = 0; k < keyTarget.length; k++) {
      int t = keyTarget[k];
      key.put(output.column(keyOut[k]).name(), text(tgt[t], target.column(t).type()));
    }
    return key;
  }

  /** The output row of a target row (output's columns, by name), for a repair's DELETE. */
  Object[] asOutputRow(Object[] tgt) {
    Object[] row = new Object[output.size()];
    for (int c = 0; c < row.length; c++) {
      row[c] = targetOf[c] < 0 ? null : tgt[targetOf[c]];
    }
    return row;
  }

  private static String text(Object value, DataType type) {
    return value == null ? null : CanonicalText.of(value, type);
  }
}
