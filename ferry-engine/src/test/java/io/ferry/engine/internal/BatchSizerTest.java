package io.ferry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.RowBatch;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BatchSizerTest {
  @Test
  void smallBatchesAreSizedValueByValue() {
    RowBatch batch = new RowBatch(3, 4);
    batch.addRow(1L, "abcd", null);
    batch.addRow(2L, "", new byte[10]);
    // 8 + 4 + 1, then 8 + 0 + 10
    assertThat(BatchSizer.estimate(batch)).isEqualTo(31);
    assertThat(BatchSizer.estimate(new RowBatch(3, 4))).isZero();
  }

  @Test
  void largeBatchesAreExtrapolatedFromSampleRowsWithinAFewPercent() {
    RowBatch batch = new RowBatch(4, 1024);
    long exact = 0;
    for (int r = 0; r < 1000; r++) {
      String note = "x".repeat(40 + r % 80);
      batch.addRow((long) r, note, new BigDecimal("12.50"), r % 5 == 0 ? null : "NEW");
      exact += 8 + note.length() + 16 + (r % 5 == 0 ? 1 : 3);
    }
    assertThat((double) BatchSizer.estimate(batch))
        .isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(5));
  }
}
