package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where reading starts ({@code startup: latest | position | timestamp}, a MariaDB GTID), a log
 * reset under a stored position, and a big transaction read in bounded polls.
 */
class MySqlBinlogStartupIT {
  private static BinlogDb db;

  @BeforeAll
  static void setUp() throws Exception {
    db = new BinlogDb();
    db.tx("CREATE TABLE t (id int primary key, v varchar(20))");
  }

  @AfterAll
  static void tearDown() throws Exception {
    db.close();
  }

  private static ChangeSource source(Object... more) {
    List<Object> all = new ArrayList<>(List.of(more));
    all.addAll(List.of("tables", List.of("t")));
    Map<String, Object> options = db.options(all.toArray());
    return BinlogDb.changeSource(options, new TestConnectorContext("binlog-startup"));
  }

  private static String[] masterStatus() throws Exception {
    try (var c = db.connect();
        var s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  private static String gtid() throws Exception {
    try (var c = db.connect();
        var s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<Object> ids(List<ChangeEvent> events) {
    return events.stream().map(e -> ((RowChange) e).after()[0]).toList();
  }

  @Test
  void startsAtTheGivenFilePositionGtidOrTime() throws Exception {
    db.tx("INSERT INTO t VALUES (1, 'before')");
    String[] status = masterStatus();
    String gtid = gtid();
    Thread.sleep(1100); // event times have whole seconds
    Instant between = Instant.now();
    Thread.sleep(1100);
    db.tx("INSERT INTO t VALUES (2, 'after')");
    db.tx("INSERT INTO t VALUES (3, 'after')");
    try (ChangeSource source =
        source("startup", "position", "binlogFile", status[0], "binlogPosition", status[1])) {
      try (ChangeSource.ChangeReader reader = source.open(source.startPosition())) {
        assertThat(ids(BinlogDb.read(reader, 2))).containsExactly(2, 3);
      }
    }
    try (ChangeSource source = source("startup", "position", "gtid", gtid)) {
      Position start = source.startPosition();
      assertThat(start.toString()).isEqualTo("gtid " + gtid);
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        assertThat(ids(BinlogDb.read(reader, 2))).containsExactly(2, 3);
      }
    }
    try (ChangeSource source = source("startup", "timestamp", "timestamp", between.toString())) {
      try (ChangeSource.ChangeReader reader = source.open(source.startPosition())) {
        assertThat(ids(BinlogDb.read(reader, 2))).containsExactly(2, 3);
      }
    }
    try (ChangeSource source = source("startup", "latest")) {
      Position start = source.startPosition();
      db.tx("INSERT INTO t VALUES (4, 'latest')");
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        assertThat(ids(BinlogDb.read(reader, 1))).containsExactly(4);
      }
    }
  }

  @Test
  void includeAndExcludePatternsPickTheTablesAlsoOnesCreatedLater() throws Exception {
    db.tx("CREATE TABLE tmp_x (id int primary key)", "CREATE TABLE u (id int primary key)");
    Map<String, Object> options =
        db.options("include", List.of(db.database + ".*"), "exclude", List.of("*.tmp_*", "*.u"));
    try (ChangeSource source =
        BinlogDb.changeSource(options, new TestConnectorContext("binlog-patterns"))) {
      assertThat(source.tables()).extracting(t -> t.name()).containsExactly("t");
      Position start = source.currentPosition();
      db.tx("CREATE TABLE later (id int primary key)");
      db.tx(
          "INSERT INTO tmp_x VALUES (1)",
          "INSERT INTO u VALUES (1)",
          "INSERT INTO later VALUES (7)");
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        List<ChangeEvent> events = BinlogDb.read(reader, 2);
        assertThat(events.get(0)).isInstanceOf(ChangeEvent.SchemaChange.class);
        assertThat(events.get(0).table().name()).isEqualTo("later");
        assertThat(((RowChange) events.get(1)).after()).containsExactly(7);
      }
    }
  }

  @Test
  void aTransactionOfManyRowsArrivesInBoundedPollsAndResumesInside() throws Exception {
    int rows = 30_000;
    try (ChangeSource source = source()) {
      Position start = source.currentPosition();
      try (var c = db.connect();
          var s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute("INSERT INTO t SELECT 100000 + seq, 'bulk' FROM seq_1_to_" + rows);
        c.commit();
      }
      Position mid = null;
      int read = 0;
      int largest = 0;
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (read < rows && System.nanoTime() < deadline) {
          List<ChangeEvent> batch = reader.poll(Duration.ofMillis(200));
          largest = Math.max(largest, batch.size());
          for (ChangeEvent e : batch) {
            read++;
            assertThat(((RowChange) e).after()[0]).isEqualTo(100000 + read);
            if (read == 12_345) {
              mid = e.position();
            }
          }
        }
      }
      assertThat(read).isEqualTo(rows);
      assertThat(largest).isLessThanOrEqualTo(BinlogReader.MAX_EVENTS);
      try (ChangeSource.ChangeReader reader = source.open(mid)) {
        List<ChangeEvent> first = new ArrayList<>();
        while (first.isEmpty()) {
          first.addAll(reader.poll(Duration.ofSeconds(5)));
        }
        assertThat(((RowChange) first.get(0)).after()[0]).isEqualTo(100000 + 12_346);
      }
    }
  }

  @Test
  void aPositionInALogThatWasResetFailsAsGone() throws Exception {
    try (ChangeSource source = source()) {
      db.sql("RESET MASTER");
      Position start = source.currentPosition();
      db.tx("INSERT INTO t VALUES (50, 'x')");
      Position stamped;
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        BinlogDb.read(reader, 1);
        stamped = reader.position();
      }
      Thread.sleep(1100); // a new file of the same name, created a second later
      db.sql("RESET MASTER");
      db.tx("INSERT INTO t VALUES (51, 'y')", "INSERT INTO t VALUES (52, 'z')");
      db.tx("INSERT INTO t VALUES (53, 'y')", "INSERT INTO t VALUES (54, 'z')");
      // The same file name exists again, long enough: only its creation time tells it apart.
      assertThatThrownBy(
              () -> {
                try (ChangeSource.ChangeReader reader = source.open(stamped)) {
                  for (int i = 0; i < 20; i++) {
                    reader.poll(Duration.ofMillis(200));
                  }
                }
              })
          .isInstanceOfSatisfying(
              FerryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(MySqlChangeSource.BINLOG_GONE);
                assertThat(e.retriable()).isFalse();
              })
          .hasMessageContaining("new snapshot");
    }
  }
}
