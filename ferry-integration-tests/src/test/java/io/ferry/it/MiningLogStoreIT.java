package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.support.ChangeEventJson;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mining-log store in a table of the real PostgreSQL and MariaDB services: append in order with
 * the mined position in the same commit, the head check against a second writer, reads of some
 * tables after an offset in bounded batches, the purge of a prefix and the expired-offset error,
 * table requests and their capture.
 */
class MiningLogStoreIT {
  private static final TableRef ORDERS = new TableRef("shop", "orders");
  private static final TableRef ITEMS = new TableRef("shop", "items");
  private static final Schema SCHEMA =
      Schema.of(
              new Column("id", DataType.INT64, false),
              Column.of("price", DataType.decimal(12, 4)),
              Column.of("at", DataType.timestamp(6)),
              Column.of("note", DataType.STRING))
          .withKey(List.of("id"));

  @TempDir Path dir;

  private record Context(
      String jobName,
      String runKey,
      ZoneId zone,
      Path workDirectory,
      DirtyRowSink dirtyRows,
      LocalFiles localFiles)
      implements ConnectorContext {}

  private MiningLog open(String connector, String options, String table) {
    Connector c = ConnectorRegistry.fromClassPath(getClass().getClassLoader()).connector(connector);
    var role = c.miningLog().orElseThrow();
    Map<String, Object> raw = new java.util.LinkedHashMap<>();
    for (String kv : options.split(", ")) {
      String[] p = kv.split(": ", 2);
      raw.put(p[0], p[1]);
    }
    raw.put("table", table);
    return role.create(
        role.options().parse(raw),
        new Context("t", "t", ZoneId.of("UTC"), dir, r -> {}, LocalFiles.unrestricted()));
  }

  /** A database of its own on the connector's server (MariaDB for mysql, else PostgreSQL). */
  private static AutoCloseable database(String connector) throws Exception {
    return connector.equals("mysql") ? new TestDatabases.MariaDb() : new TestDatabases.Postgres();
  }

  /** The connector options that reach that database. */
  private static String options(AutoCloseable db) {
    return db instanceof TestDatabases.MariaDb m
        ? m.options()
        : ((TestDatabases.Postgres) db).options();
  }

  private static ChangeEvent insert(TableRef table, long id, String note) {
    return new ChangeEvent.RowChange(
        ChangeEvent.Kind.INSERT,
        table,
        SCHEMA,
        null,
        new Object[] {
          id, new BigDecimal("12.3400"), LocalDateTime.of(2026, 12, 7, 6, 0, 0, 123_456_000), note
        },
        position(id),
        Instant.parse("2026-12-07T06:00:00Z").plusSeconds(id));
  }

  private static Position position(long n) {
    return new Position(7, new byte[] {(byte) n, 1}, "binlog.000001:" + n);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mysql"})
  void aTablesStopCatchUpAndResume(String connector) throws Exception {
    AutoCloseable db = database(connector);
    String options = options(db);
    try (db;
        MiningLog log = open(connector, options, "mining_stops");
        MiningLog other = open(connector, options, "mining_stops")) {
      // A log created before the stop's columns: prepare adds them.
      try (java.sql.Connection c =
              db instanceof TestDatabases.MariaDb m
                  ? m.connect()
                  : ((TestDatabases.Postgres) db).connect();
          java.sql.Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE mining_stops_tables (tbl VARCHAR(512) NOT NULL PRIMARY KEY, schema_name"
                + " VARCHAR(512), table_name VARCHAR(512) NOT NULL, covered_from BIGINT)");
      }
      log.prepare();
      io.ferry.connector.testkit.MiningLogStopContract.check(
          log, other, ORDERS, ITEMS, n -> insert(ORDERS, n, "s" + n), MiningLogStoreIT::position);
    }
  }

  /**
   * Mining runs that prepare one new log at the same moment each read its state at once after: the
   * log's table is whole for every one of them (the per-table stop's columns were once added one by
   * one after the table, and a run could read them while another had added only the first).
   */
  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mysql"})
  void logsPreparedAtTheSameMomentAreWholeForEachRun(String connector) throws Exception {
    AutoCloseable db = database(connector);
    String options = options(db);
    try (db) {
      for (int round = 0; round < 3; round++) {
        String table = "mining_race_" + round;
        List<MiningLog> logs = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool =
            java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
          java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
          List<java.util.concurrent.Future<MiningLog.State>> states = new java.util.ArrayList<>();
          for (int i = 0; i < 4; i++) {
            MiningLog log = open(connector, options, table);
            logs.add(log);
            states.add(
                pool.submit(
                    () -> {
                      go.await();
                      log.prepare();
                      return log.state();
                    }));
          }
          go.countDown();
          for (var state : states) {
            assertThat(state.get().head()).isZero();
          }
        } finally {
          pool.shutdownNow();
          for (MiningLog log : logs) {
            log.close();
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mysql"})
  void appendReadPurgeAndExpiredOffsets(String connector) throws Exception {
    AutoCloseable db = database(connector);
    String options = options(db);
    try (db;
        MiningLog log = open(connector, options, "mining_shop");
        MiningLog other = open(connector, options, "mining_shop")) {
      log.prepare();
      log.prepare(); // idempotent
      MiningLog.State empty = log.state();
      assertThat(empty.head()).isZero();
      assertThat(empty.minedTo()).isNull();

      log.request(List.of(ORDERS, ITEMS));
      log.request(List.of(ORDERS)); // asked twice: one entry
      assertThat(log.state().tables()).containsOnly(Map.entry(ORDERS, -1L), Map.entry(ITEMS, -1L));
      log.cover(List.of(ORDERS, ITEMS));
      assertThat(log.state().covered()).containsExactlyInAnyOrder(ORDERS, ITEMS);

      List<ChangeEvent> batch = new ArrayList<>();
      for (long i = 1; i <= 10; i++) {
        batch.add(insert(i % 3 == 0 ? ITEMS : ORDERS, i, "n'" + i + "\"ü"));
      }
      long head = log.append(0, ChangeEventJson.encoded(batch), position(99));
      assertThat(head).isEqualTo(10);
      MiningLog.State st = log.state();
      assertThat(st.head()).isEqualTo(10);
      assertThat(st.minedTo()).isEqualTo(position(99));
      assertThat(st.minedTo().description()).isEqualTo("binlog.000001:99");

      // A second writer that did not see the head is refused, and wrote nothing.
      assertThatThrownBy(
              () ->
                  other.append(
                      0, ChangeEventJson.encoded(List.of(insert(ORDERS, 50, "x"))), position(50)))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("another mining run");
      assertThat(log.state().head()).isEqualTo(10);
      assertThat(log.state().minedTo()).isEqualTo(position(99));

      // Reads: only the tables asked for, in order, bounded, continuing after scannedTo.
      MiningLog.Batch first = log.read(0, List.of(ORDERS), 3);
      assertThat(first.events()).extracting(MiningLog.Entry::seq).containsExactly(1L, 2L, 4L);
      assertThat(first.scannedTo()).isEqualTo(4);
      MiningLog.Batch rest = log.read(first.scannedTo(), List.of(ORDERS), 100);
      assertThat(rest.events()).extracting(MiningLog.Entry::seq).containsExactly(5L, 7L, 8L, 10L);
      assertThat(rest.scannedTo()).isEqualTo(10);
      ChangeEvent.RowChange e = (ChangeEvent.RowChange) rest.events().get(0).event();
      assertThat(e.after())
          .containsExactly(
              5L,
              new BigDecimal("12.3400"),
              LocalDateTime.of(2026, 12, 7, 6, 0, 0, 123_456_000),
              "n'5\"ü");
      assertThat(e.position()).isEqualTo(position(5));
      assertThat(log.read(10, List.of(ITEMS), 100).events()).isEmpty();
      assertThat(log.read(10, List.of(ITEMS), 100).scannedTo()).isEqualTo(10);

      // The read query has its index.
      try (Connection c =
              db instanceof TestDatabases.MariaDb m
                  ? m.connect()
                  : ((TestDatabases.Postgres) db).connect();
          Statement s = c.createStatement()) {
        List<String> indexes = new ArrayList<>();
        String sql =
            connector.equals("mysql")
                ? "SELECT index_name FROM information_schema.statistics WHERE table_name ="
                    + " 'mining_shop'"
                : "SELECT indexname FROM pg_indexes WHERE tablename = 'mining_shop'";
        try (ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            indexes.add(rs.getString(1));
          }
        }
        assertThat(indexes).contains("mining_shop_by_table", "mining_shop_by_time");
      }

      // Its size in the store: the three tables and their indexes, at least a page each.
      assertThat(log.sizeBytes()).isPresent();
      assertThat(log.sizeBytes().getAsLong()).isGreaterThanOrEqualTo(3 * 8192L);

      // An empty append moves only the position.
      assertThat(log.append(10, List.of(), position(120))).isEqualTo(10);
      assertThat(log.state().minedTo()).isEqualTo(position(120));

      // Purge: everything appended so far; later events stay.
      Thread.sleep(20);
      Instant cut = Instant.now();
      Thread.sleep(20);
      log.append(10, ChangeEventJson.encoded(List.of(insert(ORDERS, 11, "late"))), position(130));
      assertThat(log.purge(cut)).isEqualTo(10);
      assertThat(log.purge(cut)).isZero();
      assertThat(log.state().purgedTo()).isEqualTo(10);
      assertThat(log.read(10, List.of(ORDERS), 100).events())
          .extracting(MiningLog.Entry::seq)
          .containsExactly(11L);
      assertThatThrownBy(() -> log.read(4, List.of(ORDERS), 100))
          .isInstanceOf(FerryException.class)
          .matches(x -> ((FerryException) x).code().equals(MiningLog.OFFSET_EXPIRED))
          .hasMessageContaining("offset #4 is older than what")
          .hasMessageContaining("new run (a new snapshot)");
      assertThatThrownBy(() -> log.read(12, List.of(ORDERS), 100))
          .hasMessageContaining("past the end");
    }
  }
}
