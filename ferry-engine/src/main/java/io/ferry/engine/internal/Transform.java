package io.ferry.engine.internal;

import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;

/**
 * A change applied to source rows before the mapping: rename, cast, replace, mask, filter. Built by
 * {@link Transforms} from a job's {@code transforms:} list.
 */
public interface Transform {
  /**
   * Checks the transform against its input columns and returns its output columns.
   *
   * @throws IllegalArgumentException naming the column or option at fault
   */
  Schema bind(Schema input);

  /**
   * Changes the batch's values in place. Rows it cannot process go to {@code fate} as dirty; rows
   * it removes on purpose go as filtered. Rows earlier steps already removed are skipped.
   */
  void apply(RowBatch batch, RowFate fate);

  /**
   * Whether the transform rewrites the values of the column at {@code index} (beyond a type
   * conversion): a resumed run cannot then locate earlier rows by that column's source values.
   */
  default boolean rewritesValuesOf(int index) {
    return false;
  }

  /** What happens to rows a step cannot keep. */
  interface RowFate {
    /** Whether an earlier step removed the row. */
    boolean removed(int row);

    /** The row cannot be processed: it goes to the dirty-data store. */
    void dirty(int row, String column, Object value, String reason);

    /** The row is removed on purpose (a filter). */
    void filtered(int row);
  }
}
