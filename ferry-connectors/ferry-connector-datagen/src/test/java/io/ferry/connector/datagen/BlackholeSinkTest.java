package io.ferry.connector.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.OptionChecks;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The blackhole cannot be read back, so the sink suite does not apply: it is checked by counts. */
class BlackholeSinkTest {
  @Test
  void countsEveryRowOfConcurrentWriters() throws Exception {
    Connector.Role<Sink> role = new BlackholeConnector().sink().orElseThrow();
    try (Sink sink = role.create(role.options().parse(Map.of()), new TestConnectorContext("bh"))) {
      sink.prepare(Schema.of());
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        SinkWriter writer = sink.createWriter(w);
        threads.add(
            new Thread(
                () -> {
                  try (writer) {
                    for (int b = 0; b < 100; b++) {
                      RowBatch batch = new RowBatch(0, 10);
                      for (int r = 0; r < 10; r++) {
                        batch.addRow();
                      }
                      writer.write(batch);
                    }
                    writer.flush();
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      sink.commit();
      assertThat(((BlackholeSink) sink).rowsDiscarded()).isEqualTo(4 * 100 * 10);
    }
  }

  @Test
  void hasNoOptionsAndRejectsAnyGiven() {
    assertThat(BlackholeConnector.OPTIONS.options()).isEmpty();
    OptionChecks.assertRejectsUnknownOption(BlackholeConnector.OPTIONS, Map.of());
  }

  @Test
  void allThreeConnectorsAreRegistered() {
    List<String> names = new ArrayList<>();
    ServiceLoader.load(Connector.class).forEach(c -> names.add(c.name()));
    assertThat(names).contains("datagen", "blackhole", "console");
  }
}
