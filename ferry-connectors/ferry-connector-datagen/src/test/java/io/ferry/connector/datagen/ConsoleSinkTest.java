package io.ferry.connector.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the suite does not cover: the exact text printed, and {@code maxRows}. */
class ConsoleSinkTest {
  private static final Schema SCHEMA =
      Schema.of(Column.of("id", DataType.INT32), Column.of("note", DataType.STRING));

  private final ConsoleOutput output = new ConsoleOutput();

  @Test
  void printsAHeaderAndEscapedValues() {
    Sink sink = sink(Map.of());
    sink.prepare(SCHEMA);
    try (SinkWriter writer = sink.createWriter(0)) {
      RowBatch batch = new RowBatch(2, 4);
      batch.addRow(1, "a\tb");
      batch.addRow(2, null);
      batch.addRow(3, "");
      batch.addRow(4, "\\N");
      writer.write(batch);
      writer.flush();
    }
    sink.commit();
    assertThat(output.lines()).containsExactly("id\tnote", "1\ta\\tb", "2\t\\N", "3\t", "4\t\\\\N");
    assertThat(output.errors()).isEmpty();
  }

  @Test
  void printsAtMostMaxRowsAcrossWritersAndCountsTheRest() {
    Sink sink = sink(Map.of("maxRows", 5, "format", "json"));
    sink.prepare(SCHEMA);
    for (int w = 0; w < 2; w++) {
      try (SinkWriter writer = sink.createWriter(w)) {
        RowBatch batch = new RowBatch(2, 4);
        for (int i = 0; i < 4; i++) {
          batch.addRow(w * 10 + i, "x");
        }
        writer.write(batch);
        writer.flush();
      }
    }
    sink.commit();
    assertThat(output.lines())
        .containsExactly(
            "{\"id\":0,\"note\":\"x\"}",
            "{\"id\":1,\"note\":\"x\"}",
            "{\"id\":2,\"note\":\"x\"}",
            "{\"id\":3,\"note\":\"x\"}",
            "{\"id\":10,\"note\":\"x\"}");
    assertThat(((ConsoleSink) sink).rowsReceived()).isEqualTo(8);
    assertThat(output.errors()).contains("printed 5 of 8 rows");
  }

  private Sink sink(Map<String, Object> raw) {
    Connector.Role<Sink> role =
        new ConsoleConnector(output.outStream, output.errStream).sink().orElseThrow();
    return role.create(role.options().parse(raw), new TestConnectorContext("console"));
  }
}
