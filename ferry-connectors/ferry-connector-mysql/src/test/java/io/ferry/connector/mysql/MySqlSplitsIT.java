package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key-range splits over even, skewed, text and composite keys read every row exactly once;
 * where/columns/query; a reader whose session is killed mid-read reconnects and finishes with every
 * row exactly once; 300,000 rows stream with fetch size 100.
 */
class MySqlSplitsIT {
  private static MariaDb db;

  @BeforeAll
  static void createTables() throws Exception {
    db = MariaDb.create();
    db.execute(
        "CREATE TABLE even (id bigint primary key, v int)",
        "INSERT INTO even SELECT seq, seq % 7 FROM seq_1_to_20000",
        "CREATE TABLE skewed (id bigint primary key, v int)",
        "INSERT INTO skewed SELECT seq, 0 FROM seq_1_to_10000",
        "INSERT INTO skewed VALUES (1000000000000, 1), (9000000000000000000, 2)",
        "CREATE TABLE texts (k varchar(20) primary key, v int)",
        "INSERT INTO texts SELECT CONCAT('key-', LPAD(seq * 7919 % 10007, 6, '0')), seq FROM"
            + " seq_1_to_10000",
        "CREATE TABLE composite (a int, b varchar(10), v int, primary key (a, b))",
        "INSERT INTO composite SELECT seq % 13, CONCAT('b', seq), seq FROM seq_1_to_10000",
        "CREATE TABLE big (id bigint primary key, pad varchar(100))",
        "INSERT INTO big SELECT seq, REPEAT('x', 100) FROM seq_1_to_300000");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static Map<String, Object> options(String table) {
    Map<String, Object> o = db.options();
    o.put("table", table);
    return o;
  }

  private static List<Object> readKeys(
      Map<String, Object> options, int parallelism, int keyColumns) {
    TestConnectorContext context = new TestConnectorContext("splits");
    try (Source source = Jobs.source(options, context)) {
      List<Split> splits = source.planner().plan(parallelism);
      if (parallelism > 1) {
        assertThat(splits).as("splits of %s", options.get("table")).hasSizeGreaterThan(1);
      }
      List<Object> keys = new ArrayList<>();
      Rows.readConcurrently(source, splits, parallelism)
          .values()
          .forEach(
              rows -> rows.forEach(r -> keys.add(keyColumns == 1 ? r[0] : List.of(r[0], r[1]))));
      assertThat(context.dirtyRows().rows()).isEmpty();
      return keys;
    }
  }

  private static void assertEveryRowOnce(String table, int keyColumns) throws Exception {
    List<Object> keys = readKeys(options(table), 4, keyColumns);
    assertThat(keys).doesNotHaveDuplicates();
    assertThat((long) keys.size()).isEqualTo(db.count(table));
  }

  @Test
  void evenSkewedTextAndCompositeKeysReadEveryRowExactlyOnce() throws Exception {
    assertEveryRowOnce("even", 1);
    assertEveryRowOnce("skewed", 1);
    assertEveryRowOnce("texts", 1);
    assertEveryRowOnce("composite", 2);
  }

  @Test
  void whereColumnsAndQuery() throws Exception {
    Map<String, Object> o = options("even");
    o.put("where", "v = 3");
    o.put("columns", List.of("v", "id"));
    TestConnectorContext context = new TestConnectorContext("where");
    try (Source source = Jobs.source(o, context)) {
      assertThat(source.schema().names()).containsExactly("v", "id");
      List<Object[]> rows = new ArrayList<>();
      Rows.readConcurrently(source, source.planner().plan(4), 4).values().forEach(rows::addAll);
      assertThat(rows).hasSize(20000 / 7 + (20000 % 7 >= 3 ? 1 : 0));
      assertThat(rows).allSatisfy(r -> assertThat(r[0]).isEqualTo(3));
    }
    Map<String, Object> q = db.options();
    q.put("query", "SELECT id, v * 2 AS twice FROM even WHERE id <= 10 ORDER BY id");
    List<Object[]> rows = Jobs.read(q, context, 4);
    assertThat(rows).extracting(r -> r[0]).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  /**
   * Kills the reader's session from another connection after the first batch: the reader fails with
   * a retriable error, and a reader opened again after the last batch (as the engine does, settings
   * maxRetries) reads on with every row once.
   */
  @Test
  void aKilledConnectionIsRetriedAndEveryRowArrivesOnce() throws Exception {
    Map<String, Object> o = options("big");
    o.put("batchSize", 500);
    o.put("fetchSize", 100);
    TestConnectorContext context = new TestConnectorContext("kill");
    Set<Object> ids = new HashSet<>();
    int total = 0;
    boolean killed = false;
    int failures = 0;
    try (Source source = Jobs.source(o, context)) {
      for (Split split : source.planner().plan(1)) {
        io.ferry.spi.Position after = null;
        boolean done = false;
        while (!done) {
          try (SplitReader reader = source.openReader(split, after)) {
            for (RowBatch b = reader.next(); b != null; b = reader.next()) {
              for (int r = 0; r < b.size(); r++) {
                ids.add(b.get(r, 0));
                total++;
              }
              after = b.position();
              if (!killed) {
                killed = killReader();
              }
            }
            done = true;
          } catch (io.ferry.spi.FerryException e) {
            assertThat(e.retriable()).as("a killed session: %s", e).isTrue();
            failures++;
          }
        }
      }
    }
    assertThat(killed).as("a reader session was found and killed").isTrue();
    assertThat(failures).as("reads the kill broke").isEqualTo(1);
    assertThat(total).isEqualTo(300_000);
    assertThat(ids).hasSize(300_000);
  }

  /**
   * Kills every other session on this database: the reader's (the source's pool is the only one).
   */
  private static boolean killReader() throws Exception {
    boolean any = false;
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '"
                    + db.database
                    + "' AND ID <> CONNECTION_ID()")) {
      List<Long> victims = new ArrayList<>();
      while (rs.next()) {
        victims.add(rs.getLong(1));
      }
      for (long id : victims) {
        try (Statement k = c.createStatement()) {
          k.execute("KILL " + id);
          any = true;
        }
      }
    }
    return any;
  }

  @Test
  void streamsAManyRowTableWithASmallFetchSize() {
    Map<String, Object> o = options("big");
    o.put("fetchSize", 100);
    List<Object> keys = readKeys(o, 1, 1);
    assertThat(keys).hasSize(300_000).doesNotHaveDuplicates();
  }
}
