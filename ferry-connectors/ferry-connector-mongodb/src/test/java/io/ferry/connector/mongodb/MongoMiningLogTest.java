package io.ferry.connector.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import io.ferry.connector.support.ChangeEventJson;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MongoDB mining log against the test server (mongo-java-server, or a real MongoDB given by
 * FERRY_MONGODB_URI): order, bounded reads of some tables, the head check, a crash between writing
 * events and moving the head, the purge and the expired-offset error.
 */
class MongoMiningLogTest {
  private static final TableRef ORDERS = new TableRef("shop", "orders");
  private static final TableRef ITEMS = new TableRef("shop", "items");
  private static final Schema SCHEMA =
      Schema.of(
              new Column("id", DataType.INT64, false),
              Column.of("price", DataType.decimal(12, 4)),
              Column.of("at", DataType.timestamp(6)))
          .withKey(List.of("id"));

  private MongoTestServer server;

  @BeforeEach
  void start() {
    server = MongoTestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private MiningLog open() {
    Map<String, Object> raw = new HashMap<>(server.options());
    raw.put("collection", "mining_shop");
    var role = new MongoConnector().miningLog().orElseThrow();
    return role.create(role.options().parse(raw), new TestConnectorContext("mining"));
  }

  private static ChangeEvent insert(TableRef table, long id) {
    return new ChangeEvent.RowChange(
        ChangeEvent.Kind.INSERT,
        table,
        SCHEMA,
        null,
        new Object[] {id, new BigDecimal("1.2300"), LocalDateTime.of(2026, 12, 7, 6, 0, 0, 1_000)},
        position(id),
        Instant.EPOCH.plusSeconds(id));
  }

  private static Position position(long n) {
    return new Position(3, new byte[] {(byte) n}, "binlog:" + n);
  }

  @Test
  void aTablesStopCatchUpAndResume() {
    try (MiningLog log = open();
        MiningLog other = open()) {
      log.prepare();
      io.ferry.connector.testkit.MiningLogStopContract.check(
          log, other, ORDERS, ITEMS, n -> insert(ORDERS, n), MongoMiningLogTest::position);
    }
  }

  @Test
  void appendReadPurgeAndExpiredOffsets() throws Exception {
    try (MiningLog log = open();
        MiningLog other = open()) {
      log.prepare();
      log.prepare();
      assertThat(log.state().head()).isZero();
      log.request(List.of(ORDERS, ITEMS));
      log.request(List.of(ORDERS));
      assertThat(log.state().tables()).containsOnly(Map.entry(ORDERS, -1L), Map.entry(ITEMS, -1L));
      log.cover(List.of(ORDERS, ITEMS));
      assertThat(log.state().covered()).containsExactlyInAnyOrder(ORDERS, ITEMS);

      List<ChangeEvent> batch = new ArrayList<>();
      for (long i = 1; i <= 10; i++) {
        batch.add(insert(i % 3 == 0 ? ITEMS : ORDERS, i));
      }
      assertThat(log.append(0, ChangeEventJson.encoded(batch), position(99))).isEqualTo(10);
      assertThat(log.state().minedTo()).isEqualTo(position(99));
      assertThatThrownBy(() -> other.append(0, List.of(), position(50)))
          .isInstanceOf(FerryException.class)
          .matches(e -> ((FerryException) e).code().equals(MiningLog.CONFLICT));
      assertThat(log.state().minedTo()).isEqualTo(position(99));

      MiningLog.Batch first = log.read(0, List.of(ORDERS), 3);
      assertThat(first.events()).extracting(MiningLog.Entry::seq).containsExactly(1L, 2L, 4L);
      assertThat(first.scannedTo()).isEqualTo(4);
      MiningLog.Batch rest = log.read(4, List.of(ORDERS), 100);
      assertThat(rest.events()).extracting(MiningLog.Entry::seq).containsExactly(5L, 7L, 8L, 10L);
      assertThat(rest.scannedTo()).isEqualTo(10);
      ChangeEvent.RowChange e = (ChangeEvent.RowChange) rest.events().get(0).event();
      assertThat(e.after())
          .containsExactly(
              5L, new BigDecimal("1.2300"), LocalDateTime.of(2026, 12, 7, 6, 0, 0, 1_000));
      assertThat(server.database().getCollection("mining_shop").listIndexes())
          .extracting(d -> d.getString("name"))
          .contains("by_table", "by_time");

      // A mining run that died after writing events but before moving the head: nobody sees
      // them, and the next append (from the old mined-to position) writes over them.
      server
          .database()
          .getCollection("mining_shop")
          .insertOne(
              new Document("_id", 11L).append("tbl", ORDERS.toString()).append("event", "x"));
      assertThat(log.read(10, List.of(ORDERS), 100).events()).isEmpty();
      assertThat(
              log.append(10, ChangeEventJson.encoded(List.of(insert(ORDERS, 11))), position(111)))
          .isEqualTo(11);
      assertThat(log.read(10, List.of(ORDERS), 100).events())
          .extracting(x -> x.event().position())
          .containsExactly(position(11));

      Thread.sleep(20);
      Instant cut = Instant.now();
      Thread.sleep(20);
      log.append(11, ChangeEventJson.encoded(List.of(insert(ORDERS, 12))), position(112));
      assertThat(log.purge(cut)).isEqualTo(11);
      assertThat(log.state().purgedTo()).isEqualTo(11);
      assertThat(
              server
                  .database()
                  .getCollection("mining_shop")
                  .countDocuments(Filters.lte("_id", 11L)))
          .isZero();
      assertThat(log.read(11, List.of(ORDERS), 100).events())
          .extracting(MiningLog.Entry::seq)
          .containsExactly(12L);
      assertThatThrownBy(() -> log.read(4, List.of(ORDERS), 100))
          .isInstanceOf(FerryException.class)
          .matches(x -> ((FerryException) x).code().equals(MiningLog.OFFSET_EXPIRED))
          .hasMessageContaining("new run (a new snapshot)");
    }
  }
}
