package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.KeyRange;
import io.ferry.spi.RangeChecksum;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Source;
import io.ferry.spi.SplitReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A verification's checksum query runs without parallel workers, whatever the database's setting
 * (the verification computes its key ranges in parallel itself), and leaves the pooled session's
 * setting as it was. Seen from inside the query: a view whose column is the session's {@code
 * max_parallel_workers_per_gather} hashes like a view of the constant {@code '0'}, not of {@code
 * '2'}, the database's default here.
 */
class PgChecksumIT {
  private static final KeyRange ALL =
      new KeyRange(List.of("id"), List.of(DataType.INT32), null, false, null);
  private static PgTestDatabase db;

  @BeforeAll
  static void createViews() throws Exception {
    db = new PgTestDatabase();
    db.execute(
        "ALTER DATABASE " + db.name() + " SET max_parallel_workers_per_gather = 2",
        "CREATE TABLE t (id int PRIMARY KEY)",
        "INSERT INTO t SELECT generate_series(1, 3)",
        "CREATE VIEW workers AS"
            + " SELECT id, current_setting('max_parallel_workers_per_gather') AS w FROM t",
        "CREATE VIEW zero AS SELECT id, '0'::text AS w FROM t",
        "CREATE VIEW two AS SELECT id, '2'::text AS w FROM t");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static RangeChecksum checksum(Source source) {
    return source.checksum(ALL, List.of(Column.of("w", DataType.STRING))).orElseThrow();
  }

  private static RangeChecksum checksum(String view) {
    Map<String, Object> o = db.options();
    o.put("table", view);
    try (Source source = PgJobs.source(o, new TestConnectorContext("checksum-" + view))) {
      return checksum(source);
    }
  }

  @Test
  void theChecksumQueryRunsWithoutParallelWorkers() {
    assertThat(checksum("zero")).isNotEqualTo(checksum("two"));
    assertThat(checksum("workers")).isEqualTo(checksum("zero"));
  }

  @Test
  void thePooledSessionKeepsItsOwnSetting() {
    Map<String, Object> o = db.options();
    o.put("table", "workers");
    try (Source source = PgJobs.source(o, new TestConnectorContext("checksum-pool"))) {
      checksum(source);
      // The pool holds one session (no split plan asked for more): the checksum's, now reading
      // the view's rows after its transaction ended, with the database's setting again.
      try (SplitReader reader = source.openOrdered(ALL)) {
        RowBatch batch = reader.next();
        assertThat(batch.size()).isEqualTo(3);
        for (int r = 0; r < batch.size(); r++) {
          assertThat(batch.get(r, 1)).isEqualTo("2");
        }
      }
    }
  }
}
