package io.ferry.connector.datagen;

import io.ferry.spi.RowBatch;

/** One column of the dataset: its generator, its hash stream and its share of NULLs. */
final class GeneratedColumn {
  private static final long NULL_SALT = 0xD1B54A32D192ED03L;

  private final ValueGenerator generator;
  private final long hashBase;

  /** NULL when the top 53 bits of a second hash fall below this; 0 when the column has none. */
  private final long nullThreshold;

  GeneratedColumn(ValueGenerator generator, long hashBase, double nullRatio) {
    this.generator = generator;
    this.hashBase = hashBase;
    this.nullThreshold = (long) (nullRatio * (1L << 53));
  }

  /**
   * Sets {@code column} of batch rows {@code 0..count-1} to the values of dataset rows {@code
   * firstRow..firstRow+count-1}. Column by column, so the loop calls one generator.
   */
  void fill(RowBatch batch, int column, long firstRow, int count) {
    for (int r = 0; r < count; r++) {
      long row = firstRow + r;
      long hash = SplitMix.hash(hashBase, row);
      boolean isNull =
          nullThreshold != 0 && (SplitMix.mix(hash ^ NULL_SALT) >>> 11) < nullThreshold;
      batch.set(r, column, isNull ? null : generator.value(row, hash));
    }
  }
}
