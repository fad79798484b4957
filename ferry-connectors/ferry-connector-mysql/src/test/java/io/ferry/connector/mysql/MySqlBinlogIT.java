package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.Kind;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeEvent.SchemaChange;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Position;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binlog change source against a MariaDB with the binlog on ({@code BinlogMariaDb}): row
 * changes with their before and after images, positions inside a transaction, DDL, a purged log,
 * and the prerequisite check against the machine's MariaDB (binlog off).
 */
class MySqlBinlogIT {
  private static BinlogDb db;

  @BeforeAll
  static void setUp() throws Exception {
    db = new BinlogDb();
    db.tx(
        "CREATE TABLE a (id int primary key, v varchar(20))",
        "CREATE TABLE b (id bigint primary key, n decimal(10,2))",
        "CREATE TABLE other (id int primary key)");
  }

  @AfterAll
  static void tearDown() throws Exception {
    db.close();
  }

  private ChangeSource source(Object... more) {
    Object[] all = Arrays.copyOf(more, more.length + 2);
    all[more.length] = "tables";
    all[more.length + 1] = List.of("a", "b");
    return BinlogDb.changeSource(db.options(all), new TestConnectorContext("binlog-it"));
  }

  private static Object[] row(Object... values) {
    return values;
  }

  @Test
  void insertsUpdatesDeletesAndTransactionsAcrossTables() throws Exception {
    try (ChangeSource source = source()) {
      assertThat(source.tables()).extracting(t -> t.name()).containsExactly("a", "b");
      Position start = source.currentPosition();
      db.tx("INSERT INTO a VALUES (1, 'one'), (2, 'two')");
      db.tx("UPDATE a SET v = 'uno' WHERE id = 1");
      db.tx("UPDATE a SET id = 20 WHERE id = 2");
      db.tx("INSERT INTO other VALUES (1)");
      db.tx(
          "INSERT INTO b VALUES (7, -12.50)",
          "DELETE FROM a WHERE id = 1",
          "UPDATE b SET n = n + 1 WHERE id = 7");
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        List<ChangeEvent> events = BinlogDb.read(reader, 7);
        List<RowChange> rows = events.stream().map(RowChange.class::cast).toList();
        assertThat(rows)
            .extracting(RowChange::kind)
            .containsExactly(
                Kind.INSERT,
                Kind.INSERT,
                Kind.UPDATE,
                Kind.UPDATE,
                Kind.INSERT,
                Kind.DELETE,
                Kind.UPDATE);
        assertThat(rows.get(0).after()).containsExactly(1, "one");
        assertThat(rows.get(0).before()).isNull();
        assertThat(rows.get(2).before()).containsExactly(1, "one");
        assertThat(rows.get(2).after()).containsExactly(1, "uno");
        assertThat(rows.get(3).before()).containsExactly(2, "two");
        assertThat(rows.get(3).after()).containsExactly(20, "two");
        assertThat(rows.get(4).table().name()).isEqualTo("b");
        assertThat(rows.get(4).after()).containsExactly(7L, new java.math.BigDecimal("-12.50"));
        assertThat(rows.get(5).before()).containsExactly(1, "uno");
        assertThat(rows.get(5).after()).isNull();
        assertThat(rows.get(6).after()).containsExactly(7L, new java.math.BigDecimal("-11.50"));
        assertThat(rows.get(0).schema().key()).containsExactly("id");
        assertThat(rows.get(0).table().schema()).isEqualTo(db.database);
        // The reader's position is past the last transaction: a reader opened there sees only
        // what comes later.
        Position end = reader.position();
        db.tx("INSERT INTO a VALUES (3, 'three')");
        try (ChangeSource.ChangeReader again = source.open(end)) {
          List<ChangeEvent> later = BinlogDb.read(again, 1);
          assertThat(((RowChange) later.get(0)).after()).containsExactly(3, "three");
        }
      }
    }
  }

  @Test
  void resumesInsideATransactionWithExactlyTheRemainingRows() throws Exception {
    try (ChangeSource source = source()) {
      Position start = source.currentPosition();
      // Two statements in one transaction, a row of an uncaptured table and a savepoint rolled back
      // between them.
      db.tx(
          "INSERT INTO a VALUES (100,'r'),(101,'r'),(102,'r'),(103,'r'),(104,'r'),(105,'r')",
          "INSERT INTO other VALUES (100)",
          "SAVEPOINT s1",
          "INSERT INTO a VALUES (999,'rolled back')",
          "ROLLBACK TO SAVEPOINT s1",
          "INSERT INTO a VALUES (106,'r'),(107,'r'),(108,'r'),(109,'r')");
      db.tx("INSERT INTO a VALUES (200, 'next')");
      Position mid;
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        List<ChangeEvent> first = BinlogDb.read(reader, 11);
        mid = first.get(3).position();
        assertThat(mid.toString()).contains("+4 rows");
      }
      try (ChangeSource.ChangeReader reader = source.open(mid)) {
        List<ChangeEvent> rest = BinlogDb.read(reader, 7);
        assertThat(rest)
            .extracting(e -> ((RowChange) e).after()[0])
            .containsExactly(104, 105, 106, 107, 108, 109, 200);
      }
    }
  }

  @Test
  void ddlOnACapturedTableIsASchemaChangeAndOnOthersNothing() throws Exception {
    try (ChangeSource source = source()) {
      Position start = source.currentPosition();
      db.sql("ALTER TABLE " + db.database + ".other ADD COLUMN x int");
      db.sql("CREATE TABLE " + db.database + ".unrelated (id int primary key)");
      db.tx("INSERT INTO b VALUES (1, 1.00)");
      db.sql("ALTER TABLE " + db.database + ".b ADD COLUMN note varchar(10)");
      db.tx("INSERT INTO b VALUES (2, 2.00, 'new')", "INSERT INTO unrelated VALUES (1)");
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        List<ChangeEvent> events = BinlogDb.read(reader, 3);
        assertThat(events.get(0)).isInstanceOf(RowChange.class);
        SchemaChange ddl = (SchemaChange) events.get(1);
        assertThat(ddl.table().name()).isEqualTo("b");
        assertThat(ddl.ddl()).contains("ADD COLUMN note");
        assertThat(ddl.before().names()).containsExactly("id", "n");
        assertThat(ddl.after().names()).containsExactly("id", "n", "note");
        RowChange after = (RowChange) events.get(2);
        assertThat(after.schema().names()).containsExactly("id", "n", "note");
        assertThat(after.after()).containsExactly(2L, new java.math.BigDecimal("2.00"), "new");
      }
    }
  }

  @Test
  void aPurgedPositionFailsSayingSoAndHowToRecover() throws Exception {
    try (ChangeSource source = source()) {
      Position old = source.currentPosition();
      db.tx("INSERT INTO a VALUES (300, 'lost')");
      db.sql("FLUSH BINARY LOGS");
      String current;
      try (var c = db.connect();
          var s = c.createStatement();
          var rs = s.executeQuery("SHOW MASTER STATUS")) {
        rs.next();
        current = rs.getString(1);
      }
      // The server keeps a file while a closed reader's dump thread still holds it: retry.
      String oldFile = old.toString().substring(0, old.toString().indexOf(':'));
      for (int i = 0; i < 50 && binlogFiles().contains(oldFile); i++) {
        db.sql("PURGE BINARY LOGS TO '" + current + "'");
        Thread.sleep(100);
      }
      assertThat(binlogFiles()).doesNotContain(oldFile);
      assertThatThrownBy(() -> source.open(old))
          .isInstanceOfSatisfying(
              FerryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(MySqlChangeSource.BINLOG_GONE);
                assertThat(e.retriable()).isFalse();
              })
          .hasMessageContaining("no longer holds position " + old)
          .hasMessageContaining("new snapshot");
    }
  }

  private static List<String> binlogFiles() throws Exception {
    List<String> files = new java.util.ArrayList<>();
    try (var c = db.connect();
        var s = c.createStatement();
        var rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        files.add(rs.getString(1));
      }
    }
    return files;
  }

  @Test
  void aLostConnectionIsRetriable() throws Exception {
    try (ChangeSource source = source();
        ChangeSource.ChangeReader reader = source.open(source.currentPosition())) {
      db.tx("INSERT INTO a VALUES (400, 'seen')");
      BinlogDb.read(reader, 1);
      List<Long> dumps = new java.util.ArrayList<>();
      try (var c = db.connect();
          var s = c.createStatement();
          var rs =
              s.executeQuery(
                  "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")) {
        while (rs.next()) {
          dumps.add(rs.getLong(1));
        }
      }
      assertThat(dumps).isNotEmpty();
      for (long id : dumps) {
        db.sql("KILL CONNECTION " + id);
      }
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 50; i++) {
                  reader.poll(java.time.Duration.ofMillis(100));
                }
              })
          .isInstanceOfSatisfying(
              FerryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(MySqlChangeSource.BINLOG_CONNECTION);
                assertThat(e.retriable()).isTrue();
              });
    }
  }

  @Test
  void checkNamesMissingReplicationGrants() throws Exception {
    String user = "cdc_" + db.database.substring(4, 12);
    db.sql(
        "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'",
        "GRANT SELECT ON " + db.database + ".* TO '" + user + "'@'%'");
    try {
      Map<String, Object> options = db.options("tables", List.of("a"));
      options.put("user", user);
      options.put("password", "pw");
      try (ChangeSource source =
          BinlogDb.changeSource(options, new TestConnectorContext("binlog-grants"))) {
        assertThat(source.check())
            .extracting(OptionProblem::toString)
            .anySatisfy(p -> assertThat(p).contains("user").contains("GRANT REPLICATION SLAVE"))
            .anySatisfy(p -> assertThat(p).contains("user").contains("GRANT REPLICATION CLIENT"));
      }
    } finally {
      db.sql("DROP USER '" + user + "'@'%'");
    }
  }

  @Test
  void checkPassesOnTheBinlogServerAndNamesEachMissingSettingOnTheService() throws Exception {
    try (ChangeSource source = source()) {
      assertThat(source.check()).isEmpty();
    }
    Map<String, Object> service =
        Map.of(
            "host", MariaDb.HOST,
            "port", MariaDb.PORT,
            "user", MariaDb.USER,
            "tables", List.of("mysql.user"));
    try (ChangeSource source =
        BinlogDb.changeSource(service, new TestConnectorContext("binlog-check"))) {
      List<OptionProblem> problems = source.check();
      assertThat(problems)
          .extracting(OptionProblem::option)
          .contains("log_bin")
          .doesNotContain("user", "tables");
      assertThat(
              problems.stream()
                  .filter(p -> p.option().equals("log_bin"))
                  .findFirst()
                  .get()
                  .message())
          .contains("log-bin");
      assertThatThrownBy(source::currentPosition)
          .isInstanceOfSatisfying(
              FerryException.class,
              e -> assertThat(e.code()).isEqualTo(MySqlChangeSource.NOT_READY));
    }
  }
}
