package io.ferry.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The part of a split a resumed run still has to read, in terms of the rows' key: every row whose
 * key (compared column by column, as a tuple) is above {@code lower} — or equal to it, when {@code
 * lowerInclusive} — and not above {@code upper}. A sink uses it to remove rows an interrupted
 * attempt wrote past its checkpoint, so that reading them again does not duplicate them.
 *
 * @param columns the key's column names, in the source's naming (the engine maps them to the sink's
 *     before calling {@link SinkResume.ByKeyRange#discard})
 * @param types the key columns' types
 * @param lower the key of the last row behind the checkpoint (exclusive), or, when nothing of the
 *     split was flushed, the split's own lower bound (inclusive or exclusive as the split defines
 *     it); null when the split has no lower bound
 * @param lowerInclusive whether {@code lower} itself is in the range
 * @param upper the split's last key (inclusive); null when the split runs to the end of the data
 */
public record KeyRange(
    List<String> columns,
    List<DataType> types,
    Object[] lower,
    boolean lowerInclusive,
    Object[] upper) {
  public KeyRange {
    columns = List.copyOf(columns);
    types = List.copyOf(types);
    if (columns.isEmpty() || columns.size() != types.size()) {
      throw new IllegalArgumentException("a key range needs one type per key column");
    }
    if ((lower != null && lower.length != columns.size())
        || (upper != null && upper.length != columns.size())) {
      throw new IllegalArgumentException("a key range's bounds need one value per key column");
    }
  }

  /** The same range under other column names, e.g. the target's. */
  public KeyRange withColumns(List<String> names) {
    return new KeyRange(names, types, lower, lowerInclusive, upper);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRange r
        && r.columns.equals(columns)
        && r.types.equals(types)
        && Arrays.equals(r.lower, lower)
        && r.lowerInclusive == lowerInclusive
        && Arrays.equals(r.upper, upper);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        columns, types, Arrays.hashCode(lower), lowerInclusive, Arrays.hashCode(upper));
  }

  @Override
  public String toString() {
    return columns
        + " in "
        + (lower == null ? "(start" : (lowerInclusive ? "[" : "(") + Arrays.toString(lower))
        + ", "
        + (upper == null ? "end)" : Arrays.toString(upper) + "]");
  }
}
