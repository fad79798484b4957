package io.ferry.engine.verify;

import io.ferry.connector.support.CanonicalText;
import io.ferry.engine.internal.RowPipeline;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The columns both stores hash for a pushed-down comparison, each side in its own names and types:
 * every target column the job writes, paired with the source column it is a plain copy of. Only
 * when the pipeline has no transforms and no constants, and each pair's values have the same
 * canonical text on both sides: both numbers (integers, decimals, booleans), both strings, both
 * bytes, or both the same temporal kind, at the fewer fractional digits of source, job and target.
 * Decimals of one declared scale on both sides (and in the job) are hashed at that scale, each
 * store's own text; other decimals by value ({@link io.ferry.spi.RangeChecksum}).
 *
 * @param source the source's columns to hash
 * @param target the target's, in the same order
 */
record ChecksumColumns(List<Column> source, List<Column> target) {
  /** Empty when some column cannot be compared inside the stores. */
  static Optional<ChecksumColumns> of(RowPipeline pipeline, Schema targetSchema) {
    Optional<int[]> direct = pipeline.directInputs();
    if (direct.isEmpty()) {
      return Optional.empty();
    }
    Schema input = pipeline.input();
    Schema output = pipeline.output();
    List<Column> source = new ArrayList<>();
    List<Column> target = new ArrayList<>();
    for (int c = 0; c < output.size(); c++) {
      int t = RowComparison.find(targetSchema, output.column(c).name());
      if (t < 0) {
        continue;
      }
      int from = direct.get()[c];
      if (from < 0) {
        return Optional.empty();
      }
      DataType st = input.column(from).type();
      DataType ot = output.column(c).type();
      DataType tt = targetSchema.column(t).type();
      if (!CanonicalText.storesCanHash(st.kind())
          || !CanonicalText.storesCanHash(tt.kind())
          || !family(st.kind()).equals(family(tt.kind()))
          || !family(ot.kind()).equals(family(tt.kind()))) {
        return Optional.empty();
      }
      DataType sh;
      DataType th;
      if (family(st.kind()).equals("number")) {
        boolean sameScale = sameScale(st, ot) && sameScale(st, tt);
        sh = sameScale ? st : byValue(st);
        th = sameScale ? tt : byValue(tt);
      } else {
        int p = Math.min(st.precision(), Math.min(ot.precision(), tt.precision()));
        sh = RowComparison.withFraction(st, p);
        th = RowComparison.withFraction(tt, p);
      }
      source.add(Column.of(input.column(from).name(), sh));
      target.add(Column.of(targetSchema.column(t).name(), th));
    }
    return source.isEmpty() ? Optional.empty() : Optional.of(new ChecksumColumns(source, target));
  }

  /** Both decimals of one declared scale: each hashed as its own text, with that scale. */
  private static boolean sameScale(DataType a, DataType b) {
    return a.kind() == TypeKind.DECIMAL
        && b.kind() == TypeKind.DECIMAL
        && !a.isUnconstrainedDecimal()
        && !b.isUnconstrainedDecimal()
        && a.scale() == b.scale();
  }

  /** A decimal hashed by value (without trailing fractional zeros); other numbers as they are. */
  private static DataType byValue(DataType type) {
    return type.kind() == TypeKind.DECIMAL
        ? DataType.decimal(DataType.UNCONSTRAINED_DECIMAL_PRECISION, 0)
        : type;
  }

  private static String family(TypeKind kind) {
    return kind == TypeKind.BOOLEAN || kind.isInteger() || kind == TypeKind.DECIMAL
        ? "number"
        : kind.name();
  }
}
