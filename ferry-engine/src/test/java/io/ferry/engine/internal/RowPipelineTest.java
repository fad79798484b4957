package io.ferry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Where the pipeline says a row it could not convert came from. */
class RowPipelineTest {
  private static final Schema SOURCE =
      Schema.of(
              new Column("region", DataType.STRING, false),
              new Column("id", DataType.INT64, false),
              Column.of("at", DataType.TIMESTAMP))
          .withKey(List.of("region", "id"));

  /** The target's date column makes a timestamp with a time of day a dirty row. */
  private static final Schema TARGET =
      Schema.of(
          Column.of("region", DataType.STRING),
          Column.of("id", DataType.INT64),
          Column.of("at", DataType.DATE));

  @Test
  void aRowThatDoesNotConvertIsLocatedByItsKeyNotOnlyItsSplit() {
    RowPipeline pipeline =
        RowPipeline.bind(SOURCE, List.of(), List.of(), null, Optional.of(TARGET), ZoneOffset.UTC)
            .pipeline();
    RowBatch batch = new RowBatch(3, 2);
    batch.addRow("eu", 7L, LocalDateTime.of(2024, 2, 29, 12, 0));
    batch.addRow("eu", 8L, LocalDateTime.of(2024, 2, 29, 0, 0));
    List<DirtyRow> dirty = new ArrayList<>();

    RowBatch out =
        pipeline.apply(batch, "split 3", new RowPipeline.Counters(new LongAdder(), dirty::add));

    assertThat(out.size()).isEqualTo(1);
    assertThat(out.row(0)).containsExactly("eu", 8L, LocalDate.of(2024, 2, 29));
    assertThat(dirty).hasSize(1);
    assertThat(dirty.get(0).location()).isEqualTo("split 3 region=eu, id=7");
    assertThat(dirty.get(0).column()).isEqualTo("at");
    assertThat(dirty.get(0).reason()).contains("has a time of day");
  }
}
