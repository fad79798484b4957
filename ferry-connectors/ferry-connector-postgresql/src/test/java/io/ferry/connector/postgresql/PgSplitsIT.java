package io.ferry.connector.postgresql;

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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Splitting by even ranges, sampled quantiles (skewed, text and composite keys), resuming from
 * positions in the middle of splits, filters and queries, and a reader whose session is terminated
 * mid-read: every row exactly once, compared with what the table holds.
 */
class PgSplitsIT {
  private static final int EVEN_ROWS = 300_000;
  private static PgTestDatabase db;

  @BeforeAll
  static void createTables() throws Exception {
    db = new PgTestDatabase();
    db.execute(
        "CREATE TABLE even (id bigint PRIMARY KEY, v text)",
        "INSERT INTO even SELECT i, 'v' || i FROM generate_series(1, " + EVEN_ROWS + ") i",
        // 1,000 dense keys, then 1,000 keys spread over 10^15: even ranges would be empty
        "CREATE TABLE skewed (id bigint PRIMARY KEY, v text)",
        "INSERT INTO skewed SELECT i, 'd' || i FROM generate_series(1, 1000) i",
        "INSERT INTO skewed SELECT i * 1000000000000, 's' || i FROM generate_series(1, 1000) i",
        "CREATE TABLE texts (k text PRIMARY KEY, v int)",
        "INSERT INTO texts SELECT md5(i::text), i FROM generate_series(1, 5000) i",
        "CREATE TABLE composite (a int, b text, v int, PRIMARY KEY (a, b))",
        "INSERT INTO composite SELECT i % 7, 'k' || i, i FROM generate_series(1, 5000) i",
        "ANALYZE");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static Map<String, Object> options(String table) {
    Map<String, Object> o = db.options();
    o.put("table", table);
    o.put("batchSize", 1000);
    o.put("fetchSize", 2000);
    return o;
  }

  private static long count(String sql) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The rows' keys (first {@code keyColumns} values) as strings; fails on a duplicate. */
  private static Set<String> distinctKeys(List<Object[]> rows, int keyColumns) {
    Set<String> keys = new HashSet<>();
    for (Object[] row : rows) {
      String key = Arrays.toString(Arrays.copyOf(row, keyColumns));
      assertThat(keys.add(key)).as("key %s read twice", key).isTrue();
    }
    return keys;
  }

  private static void assertEveryRowOnce(String table, int keyColumns, int minSplits)
      throws Exception {
    TestConnectorContext context = new TestConnectorContext("splits-" + table);
    try (Source source = PgJobs.source(options(table), context)) {
      assertThat(source.check()).isEmpty();
      List<Split> splits = source.planner().plan(4);
      assertThat(splits).as("splits of %s", table).hasSizeGreaterThanOrEqualTo(minSplits);
      List<Object[]> rows = new ArrayList<>();
      Rows.readConcurrently(source, splits, 4).values().forEach(rows::addAll);
      Set<String> keys = distinctKeys(rows, keyColumns);
      assertThat((long) keys.size())
          .as("rows of %s", table)
          .isEqualTo(count("SELECT count(*) FROM " + table));
      assertThat(context.dirtyRows().rows()).isEmpty();
    }
  }

  @Test
  void evenSkewedTextAndCompositeKeysReadEveryRowExactlyOnce() throws Exception {
    assertEveryRowOnce("even", 1, 16);
    assertEveryRowOnce("skewed", 1, 8);
    assertEveryRowOnce("texts", 1, 8);
    assertEveryRowOnce("composite", 2, 8);
  }

  /**
   * In every split of a 300,000-row table, and of the text and composite tables, a reader opened
   * after a position from the middle reads exactly the rest of the split.
   */
  @Test
  void resumesInTheMiddleOfSplitsExactly() throws Exception {
    for (String table : List.of("even", "texts", "composite")) {
      TestConnectorContext context = new TestConnectorContext("resume-" + table);
      Map<String, Object> o = options(table);
      o.put("batchSize", table.equals("even") ? 1000 : 50);
      try (Source source = PgJobs.source(o, context)) {
        List<Split> splits = source.planner().plan(2);
        List<Object[]> all = new ArrayList<>();
        int resumed = 0;
        for (Split split : splits) {
          // Splits round-trip through their codec, as from a checkpoint.
          Split decoded =
              source
                  .splitCodec()
                  .decode(source.splitCodec().version(), source.splitCodec().encode(split));
          List<Rows.ReadBatch> batches = Rows.readBatches(source, split, null);
          List<Object[]> whole = Rows.rowsOf(batches);
          all.addAll(whole);
          if (batches.size() < 3) {
            continue;
          }
          int mid = batches.size() / 2;
          List<Object[]> before = Rows.rowsOf(batches.subList(0, mid + 1));
          List<Object[]> rest =
              Rows.rowsOf(Rows.readBatches(source, decoded, batches.get(mid).position()));
          List<Object[]> joined = new ArrayList<>(before);
          joined.addAll(rest);
          Rows.assertRowsEqual(source.schema(), joined, whole);
          resumed++;
        }
        assertThat(resumed).as("splits of %s resumed in the middle", table).isGreaterThan(2);
        assertThat((long) distinctKeys(all, table.equals("composite") ? 2 : 1).size())
            .isEqualTo(count("SELECT count(*) FROM " + table));
      }
    }
  }

  @Test
  void whereColumnsAndQuery() throws Exception {
    TestConnectorContext context = new TestConnectorContext("where");
    Map<String, Object> o = options("even");
    o.put("where", "id % 10 = 3 AND v LIKE 'v1%'");
    o.put("columns", List.of("v", "id"));
    try (Source source = PgJobs.source(o, context)) {
      assertThat(source.check()).isEmpty();
      assertThat(source.schema().names()).containsExactly("v", "id");
      List<Object[]> rows = new ArrayList<>();
      Rows.readConcurrently(source, source.planner().plan(4), 4).values().forEach(rows::addAll);
      assertThat((long) rows.size())
          .isEqualTo(count("SELECT count(*) FROM even WHERE id % 10 = 3 AND v LIKE 'v1%'"));
      for (Object[] row : rows) {
        long id = (Long) row[1];
        assertThat(id % 10).isEqualTo(3);
        assertThat(row[0]).isEqualTo("v" + id);
      }
    }
    Map<String, Object> q = db.options();
    q.put("query", "SELECT id * 2 AS twice, upper(v) AS v FROM even WHERE id <= 1000 ORDER BY id");
    q.put("batchSize", 100);
    try (Source source = PgJobs.source(q, context)) {
      assertThat(source.check()).isEmpty();
      List<Split> splits = source.planner().plan(4);
      assertThat(splits).hasSize(1);
      List<Object[]> rows = Rows.readSequentially(source, splits);
      assertThat(rows).hasSize(1000);
      for (int i = 0; i < rows.size(); i++) {
        assertThat(rows.get(i)).containsExactly(2L * (i + 1), "V" + (i + 1));
      }
    }
  }

  /**
   * The reader's session is terminated (pg_terminate_backend, found by application_name) while its
   * cursor streams: the reader fails with a retriable error, and a reader opened again after the
   * last batch (as the engine does, settings maxRetries) completes the split with every row once.
   */
  @Test
  void aTerminatedReaderSessionIsRetriedAndEveryRowArrivesOnce() throws Exception {
    TestConnectorContext context = new TestConnectorContext("terminate-reader");
    Map<String, Object> o = options("even");
    o.put("fetchSize", 500);
    o.put("splitsPerChannel", 1);
    int killed = 0;
    int failures = 0;
    List<Object[]> rows = new ArrayList<>();
    try (Source source = PgJobs.source(o, context)) {
      List<Split> splits = source.planner().plan(1);
      assertThat(splits).hasSize(1);
      io.ferry.spi.Position after = null;
      int batches = 0;
      boolean done = false;
      while (!done) {
        try (SplitReader reader = source.openReader(splits.get(0), after)) {
          for (RowBatch b = reader.next(); b != null; b = reader.next()) {
            for (int r = 0; r < b.size(); r++) {
              rows.add(b.row(r));
            }
            after = b.position();
            if (++batches % 100 == 10) {
              killed += terminate("application_name = 'ferry' AND query LIKE 'SELECT%even%'");
            }
          }
          done = true;
        } catch (io.ferry.spi.FerryException e) {
          assertThat(e.retriable()).as("a terminated session: %s", e).isTrue();
          failures++;
        }
      }
    }
    assertThat(failures).as("reads the terminations broke").isGreaterThanOrEqualTo(1);
    assertThat(killed).as("reader sessions terminated").isGreaterThanOrEqualTo(2);
    assertThat(rows).hasSize(EVEN_ROWS);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i)).as("row %d", i).containsExactly(i + 1L, "v" + (i + 1));
    }
  }

  /** Terminates the database's other sessions matching {@code condition}; returns how many. */
  private static int terminate(String condition) throws Exception {
    return terminateIn(db, condition);
  }

  /** Terminates the other sessions of {@code database} matching {@code condition}. */
  static int terminateIn(PgTestDatabase database, String condition) throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND "
                    + condition)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
