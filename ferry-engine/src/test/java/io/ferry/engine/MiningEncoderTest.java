package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.support.ChangeEventJson;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MiningEncoderTest {
  private static final TableRef T = new TableRef("shop", "orders");
  private static final Schema SCHEMA =
      Schema.of(
              List.of(
                  new Column("id", DataType.parse("int64"), false),
                  new Column("name", DataType.parse("string"), true)))
          .withKey(List.of("id"));

  private static ChangeEvent insert(long id) {
    return new ChangeEvent.RowChange(
        ChangeEvent.Kind.INSERT,
        T,
        SCHEMA,
        null,
        new Object[] {id, "row " + id},
        new Position(1, ("p" + id).getBytes(StandardCharsets.UTF_8), "p" + id),
        Instant.parse("2026-12-07T06:00:00Z"));
  }

  /** Drains in several rounds, with partial chunks, and compares with the one-thread encoding. */
  private static List<MiningLog.Encoded> encode(int threads, int events) {
    List<MiningLog.Encoded> out = new ArrayList<>();
    try (MiningEncoder encoder = new MiningEncoder("test", threads)) {
      for (int i = 1; i <= events; i++) {
        encoder.add(insert(i));
        if (i % 1_777 == 0) {
          assertThat(encoder.size()).isEqualTo(1_777);
          out.addAll(encoder.drain());
          assertThat(encoder.size()).isZero();
        }
      }
      out.addAll(encoder.drain());
    }
    return out;
  }

  @Test
  void severalThreadsHandTheEventsBackInTheOrderAdded() {
    int events = 10_000;
    List<MiningLog.Encoded> one = encode(1, events);
    List<MiningLog.Encoded> four = encode(4, events);
    assertThat(four).hasSize(events);
    for (int i = 0; i < events; i++) {
      MiningLog.Encoded e = four.get(i);
      assertThat(((ChangeEvent.RowChange) e.event()).after()[0]).isEqualTo(i + 1L);
      assertThat(e.document()).isEqualTo(one.get(i).document());
      ChangeEvent back = ChangeEventJson.decode(e.document());
      assertThat(((ChangeEvent.RowChange) back).after()).containsExactly(i + 1L, "row " + (i + 1));
    }
  }

  @Test
  void aDiscardDropsWhatWasNotDrained() {
    try (MiningEncoder encoder = new MiningEncoder("test", 3)) {
      for (int i = 1; i <= 1_000; i++) {
        encoder.add(insert(i));
      }
      encoder.discard();
      assertThat(encoder.size()).isZero();
      encoder.add(insert(5_000));
      List<MiningLog.Encoded> drained = encoder.drain();
      assertThat(drained).hasSize(1);
      assertThat(((ChangeEvent.RowChange) drained.get(0).event()).after()[0]).isEqualTo(5_000L);
    }
  }

  @Test
  void anEventThatCannotBeEncodedFailsTheDrain() {
    Schema priced =
        Schema.of(
                List.of(
                    new Column("id", DataType.parse("int64"), false),
                    new Column("price", DataType.parse("decimal(10,2)"), true)))
            .withKey(List.of("id"));
    ChangeEvent bad =
        new ChangeEvent.RowChange(
            ChangeEvent.Kind.INSERT,
            T,
            priced,
            null,
            new Object[] {1L, "not a decimal"},
            new Position(1, new byte[] {1}, "p"),
            null);
    try (MiningEncoder encoder = new MiningEncoder("test", 2)) {
      encoder.add(insert(1));
      encoder.add(bad);
      assertThatThrownBy(encoder::drain).isInstanceOf(RuntimeException.class);
    }
  }

  @Test
  void writeThreadsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> new MiningEncoder("test", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writeThreads");
  }
}
