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
      int p = Math.min(st.precision(), Math.min(ot.precision(), tt.precision()));
      boolean temporal = !family(st.kind()).equals("number");
      source.add(
          Column.of(input.column(from).name(), temporal ? RowComparison.withFraction(st, p) : st));
      target.add(
          Column.of(
              targetSchema.column(t).name(), temporal ? RowComparison.withFraction(tt, p) : tt));
    }
    return source.isEmpty() ? Optional.empty() : Optional.of(new ChecksumColumns(source, target));
  }

  private static String family(TypeKind kind) {
    return kind == TypeKind.BOOLEAN || kind.isInteger() || kind == TypeKind.DECIMAL
        ? "number"
        : kind.name();
  }
}
