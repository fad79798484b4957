package io.ferry.spi;

import java.util.Optional;

/**
 * Cursor-based incremental reads of a batch {@link Source} ({@code incremental:} in a job file,
 * docs/incremental.md): a run reads only the rows whose cursor column lies in a range, the lower
 * bound past what the job's last successful run committed, the upper bound the column's highest
 * value when the run started. The engine asks the source for it with {@link Source#cursor} after
 * {@link Source#check()} and before {@link Source#planner()}.
 *
 * <p>Values are typed Java values, never SQL text: {@link Long} or {@link java.math.BigDecimal} for
 * an {@link TypeKind#isInteger() integer} or {@link TypeKind#DECIMAL} column, {@link
 * java.time.LocalDate} for {@link TypeKind#DATE}, {@link java.time.LocalDateTime} for {@link
 * TypeKind#TIMESTAMP}, {@link java.time.OffsetDateTime} for {@link TypeKind#TIMESTAMP_TZ}.
 */
public interface CursorReads {
  /** The cursor column's kind: an integer kind, DECIMAL, DATE, TIMESTAMP or TIMESTAMP_TZ. */
  TypeKind kind();

  /**
   * The column's highest value among the rows the source reads (its filter applies), read now;
   * empty when no row has a value.
   */
  Optional<Object> max();

  /**
   * Restricts every read of the source (planning, estimates, splits) to the rows whose cursor lies
   * in the range; rows whose cursor is NULL are read only when {@code lower} is null. Called once,
   * before {@link Source#planner()}.
   *
   * @param lower the lower bound, null for none
   * @param lowerInclusive whether a row equal to {@code lower} is read
   * @param upper the upper bound (inclusive), null for none
   */
  void restrict(Object lower, boolean lowerInclusive, Object upper);
}
