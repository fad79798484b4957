package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.postgresql.cdc.PgChangeSource;
import io.ferry.connector.testkit.LogicalPostgres;
import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.Connector;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The change source against a PostgreSQL cluster with {@code wal_level=logical} ({@link
 * LogicalPostgres}, server time zone Asia/Kolkata), in a database of its own. Debezium's start
 * takes seconds, so each test opens one reader and asserts several things through it.
 */
class PgChangeSourceIT {
  private static final LogicalPostgres PG = LogicalPostgres.get();
  private static String database;

  @BeforeAll
  static void createDatabase() throws SQLException {
    database = "ferry_cdc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = DriverManager.getConnection(PG.url("postgres"), "postgres", null);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(PG.url("postgres"), "postgres", null);
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
              + database
              + "' AND NOT active");
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(PG.url(database), "postgres", null);
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static Map<String, Object> connection() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("host", "127.0.0.1");
    o.put("port", PG.port());
    o.put("database", database);
    o.put("user", "postgres");
    return o;
  }

  private static Map<String, Object> options(String slot, List<String> tables) {
    Map<String, Object> o = connection();
    o.put("tables", tables);
    o.put("slot", slot);
    o.put("publication", slot + "_pub");
    o.put("heartbeatInterval", "1s");
    return o;
  }

  private static ChangeSource create(Map<String, Object> options) {
    Connector.Role<ChangeSource> role = new PostgresConnector().changeSource().orElseThrow();
    return role.create(role.options().parse(options), new TestConnectorContext("cdc"));
  }

  private static ChangeSource changeSource(String slot, List<String> tables) {
    return create(options(slot, tables));
  }

  /** Polls until {@code until} holds for the events so far (at most 60 s). */
  private static List<ChangeEvent> pollUntil(
      ChangeSource.ChangeReader reader, Predicate<List<ChangeEvent>> until) {
    List<ChangeEvent> events = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!until.test(events)) {
      assertThat(System.nanoTime()).as("events so far: %s", events).isLessThan(deadline);
      events.addAll(reader.poll(Duration.ofMillis(200)));
    }
    return events;
  }

  private static List<ChangeEvent.RowChange> rows(List<ChangeEvent> events) {
    return events.stream()
        .filter(e -> e instanceof ChangeEvent.RowChange)
        .map(e -> (ChangeEvent.RowChange) e)
        .toList();
  }

  private static long retainedWal(String slot) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM"
                    + " pg_replication_slots WHERE slot_name = '"
                    + slot
                    + "'")) {
      assertThat(rs.next()).as("slot %s exists", slot).isTrue();
      return rs.getLong(1);
    }
  }

  /** Terminates the session reading the slot and drops the slot (as an operator would). */
  private static void dropSlotUnder(String slot) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        s.execute(
            "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                + slot
                + "' AND active_pid IS NOT NULL");
        s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        return;
      } catch (SQLException e) {
        if (attempt > 50) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Every type of the README's batch type mapping, through the batch source and the log. */
  @Test
  void logValuesEqualTheBatchSourceValues() throws Exception {
    sql(
        "CREATE TYPE mood AS ENUM ('sad', 'happy')",
        "CREATE TABLE all_types (id int PRIMARY KEY, i2 smallint, i4 integer, i8 bigint,"
            + " n38 numeric(38,10), n numeric, m money, r real, d double precision, t text,"
            + " vc varchar(10), bp char(5), nm name, by bytea, b boolean, b1 bit(1), u uuid,"
            + " ip inet, net cidr, mac macaddr, x xml, b4 bit(4), e mood, j json, jb jsonb,"
            + " ai int[], at text[], an numeric[], ab bool[], af float8[], ad date[],"
            + " ats timestamp[], atz timestamptz[], aby bytea[], au uuid[], dt date, tm time(3),"
            + " tm6 time, ttz timetz, ts timestamp(6), ts0 timestamp(0), tsz timestamptz(6),"
            + " iv interval)");
    try (ChangeSource source = changeSource("types", List.of("all_types"))) {
      assertThat(source.check()).isEmpty();
      Position start = source.currentPosition();
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        try (Connection c = connect();
            Statement s = c.createStatement()) {
          // The writing session is in neither the server's zone nor UTC.
          s.execute("SET TimeZone = 'America/Los_Angeles'");
          s.execute(
              "INSERT INTO all_types VALUES (1, -32768, 2147483647, -9223372036854775808,"
                  + " -1234567890123456789012345678.0123456789, 1.50, -1234567.89, 1.5, -2.25e300,"
                  + " 'tab\tline\nquote\"', 'varchar', 'ab', 'pg_name', '\\x00ff10',"
                  + " true, B'1', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24',"
                  + " '10.0.0.0/8', '08:00:2b:01:02:03', '<a>x</a>', B'1010', 'happy',"
                  + " '{\"b\": 1,  \"a\": [1, 2]}', '{\"b\": 1, \"a\": [1, 2]}', '{1,NULL,3}',"
                  + " '{\"x,y\",NULL,\"\"}', '{1.5,-2.25}', '{t,f}', '{1.5,NaN}',"
                  + " '{2024-02-29,1999-12-31}', '{\"2024-02-29 13:45:01.123456\"}',"
                  + " '{\"2024-02-29 13:45:01.5+02\"}', '{\"\\\\x01ff\"}',"
                  + " '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '2024-02-29', '13:45:01.123',"
                  + " '23:59:59.999999', '13:45:00+02', '2024-02-29 13:45:01.123456',"
                  + " '2024-02-29 13:45:01', '2024-02-29 13:45:01.654321+05:30',"
                  + " 'P1Y2M3DT4H5M6.5S')");
          s.execute(
              "INSERT INTO all_types (id, n38, n, dt, tm, tm6, ts, ts0, tsz, r, d) VALUES (2,"
                  + " -0.0000000001, -12345678901234567890.123456789, 'infinity', '24:00:00',"
                  + " '00:00:00', 'infinity', '-infinity', '-infinity', 'Infinity', 'NaN')");
          s.execute(
              "INSERT INTO all_types (id, dt, ts, tsz) VALUES (3, '0044-03-15 BC', '-infinity',"
                  + " 'infinity')");
          s.execute("INSERT INTO all_types (id) VALUES (4)");
        }
        List<ChangeEvent.RowChange> changes = rows(pollUntil(reader, e -> rows(e).size() >= 4));
        assertThat(changes).hasSize(4).allMatch(r -> r.kind() == ChangeEvent.Kind.INSERT);

        Map<String, Object> options = connection();
        options.put("table", "public.all_types");
        TestConnectorContext context = new TestConnectorContext("batch");
        try (Source batch = PgJobs.source(options, context)) {
          Schema schema = batch.schema();
          List<Object[]> snapshot = Pipelines.readAll(batch);
          assertThat(changes.get(0).schema().columns()).isEqualTo(schema.columns());
          assertThat(changes.get(0).schema().key()).containsExactly("id");
          for (int r = 0; r < 4; r++) {
            Object[] logRow = changes.get(r).after();
            Object[] batchRow = snapshot.get(r);
            for (int i = 0; i < schema.size(); i++) {
              String column = schema.column(i).name();
              if (column.equals("ttz")) {
                // Debezium normalizes timetz to UTC (README: limits): same instant of the day.
                continue;
              }
              assertThat(norm(logRow[i]))
                  .as("row %d column %s (%s)", r + 1, column, schema.column(i).type())
                  .isEqualTo(norm(batchRow[i]));
            }
          }
          assertThat(changes.get(0).after()[schema.indexOf("ttz")]).isEqualTo("11:45:00Z");
        }
      }
    }
  }

  private static Object norm(Object v) {
    if (v instanceof byte[] b) {
      return "0x" + HexFormat.of().formatHex(b);
    }
    if (v instanceof List<?> l) {
      return l.stream().map(PgChangeSourceIT::norm).toList();
    }
    if (v instanceof Float f && f.isNaN() || v instanceof Double d && d.isNaN()) {
      return "NaN";
    }
    return v;
  }

  /**
   * Inserts, updates (of the key too), deletes, an unchanged TOASTed value, a new column; commits
   * let the slot advance while an uncaptured table takes heavy writes; a reader opened at the
   * position continues exactly after it.
   */
  @Test
  void streamsChangesAndReleasesWalOnlyAfterCommits() throws Exception {
    sql(
        "CREATE TABLE orders (id int PRIMARY KEY, qty int NOT NULL, big text)",
        "CREATE TABLE noise (id bigserial PRIMARY KEY, payload text)");
    String slot = "orders_slot";
    try (ChangeSource source = changeSource(slot, List.of("public.ord*"))) {
      assertThat(source.tables()).extracting(Object::toString).containsExactly("public.orders");
      Position start = source.currentPosition();
      Position resumeAt;
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        assertThat(reader.position()).isEqualTo(start);
        String big = "x".repeat(200_000) + UUID.randomUUID(); // TOASTed (compressed, out of line)
        sql(
            "INSERT INTO orders VALUES (1, 10, NULL), (2, 20, NULL)",
            "UPDATE orders SET qty = 11 WHERE id = 1",
            "UPDATE orders SET id = 3 WHERE id = 2",
            "DELETE FROM orders WHERE id = 1",
            "ALTER TABLE orders ALTER COLUMN big SET STORAGE EXTERNAL",
            "INSERT INTO orders VALUES (5, 50, '" + big + "')",
            "UPDATE orders SET qty = 51 WHERE id = 5");
        List<ChangeEvent.RowChange> changes = rows(pollUntil(reader, e -> rows(e).size() >= 8));
        // Debezium emits an UPDATE of the key as a DELETE of the old row and an INSERT of the new.
        assertThat(changes)
            .extracting(ChangeEvent.RowChange::kind)
            .containsExactly(
                ChangeEvent.Kind.INSERT,
                ChangeEvent.Kind.INSERT,
                ChangeEvent.Kind.UPDATE,
                ChangeEvent.Kind.DELETE,
                ChangeEvent.Kind.INSERT,
                ChangeEvent.Kind.DELETE,
                ChangeEvent.Kind.INSERT,
                ChangeEvent.Kind.UPDATE);
        assertThat(changes.get(0).after()).containsExactly(1, 10, null);
        // REPLICA IDENTITY DEFAULT: before images hold the key only.
        assertThat(changes.get(2).before()).containsExactly(1, null, null);
        assertThat(changes.get(2).after()).containsExactly(1, 11, null);
        assertThat(changes.get(3).before()).containsExactly(2, null, null);
        assertThat(changes.get(4).after()).containsExactly(3, 20, null);
        assertThat(changes.get(5).before()).containsExactly(1, null, null);
        assertThat(changes.get(5).after()).isNull();
        assertThat(changes.get(6).after()).containsExactly(5, 50, big);
        assertThat(changes.get(7).after()).containsExactly(5, 51, ChangeEvent.UNCHANGED);
        assertThat(changes.get(7).committedAt()).isAfterOrEqualTo(changes.get(0).committedAt());

        // REPLICA IDENTITY FULL: whole before images.
        sql(
            "ALTER TABLE orders REPLICA IDENTITY FULL",
            "ALTER TABLE orders ADD COLUMN note text",
            "INSERT INTO orders VALUES (6, 60, NULL, 'n')",
            "DELETE FROM orders WHERE id = 6");
        List<ChangeEvent> ddl = pollUntil(reader, e -> rows(e).size() >= 2);
        assertThat(ddl.get(0)).isInstanceOf(ChangeEvent.SchemaChange.class);
        ChangeEvent.SchemaChange change = (ChangeEvent.SchemaChange) ddl.get(0);
        assertThat(change.before().names()).containsExactly("id", "qty", "big");
        assertThat(change.after().names()).containsExactly("id", "qty", "big", "note");
        assertThat(rows(ddl).get(0).after()).containsExactly(6, 60, null, "n");
        assertThat(rows(ddl).get(1).before()).containsExactly(6, 60, null, "n");

        // Slot bloat: ~64 MB of WAL on a table the slot does not capture.
        long before = retainedWal(slot);
        for (int i = 0; i < 2; i++) {
          sql(
              "INSERT INTO noise (payload) SELECT md5(g::text) || repeat('y', 900) FROM"
                  + " generate_series(1, 40000) g");
        }
        assertThat(retainedWal(slot)).as("retained before commits").isGreaterThan(40L << 20);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long retained = Long.MAX_VALUE;
        while (System.nanoTime() < deadline && retained > (16L << 20)) {
          assertThat(rows(reader.poll(Duration.ofMillis(500)))).isEmpty();
          reader.committed(reader.position());
          retained = retainedWal(slot);
        }
        assertThat(retained)
            .as("retained WAL after commits (was %d before the writes)", before)
            .isLessThanOrEqualTo(16L << 20);
        resumeAt = reader.position();
      }

      // A new reader at the checkpointed position: the next change and nothing before it.
      sql("INSERT INTO orders VALUES (7, 70, NULL, NULL)");
      try (ChangeSource.ChangeReader reader = source.open(resumeAt)) {
        List<ChangeEvent.RowChange> next = rows(pollUntil(reader, e -> !rows(e).isEmpty()));
        assertThat(next.get(0).after()).containsExactly(7, 70, null, null);
      }

      // startup: position at an LSN: changes committed after it, none before (row 7).
      String lsn;
      try (Connection c = connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
        rs.next();
        lsn = rs.getString(1);
      }
      sql("INSERT INTO orders VALUES (8, 80, NULL, NULL)");
      Map<String, Object> positioned = new LinkedHashMap<>(options(slot, List.of("orders")));
      positioned.put("startup", "position");
      positioned.put("startPosition", lsn);
      try (ChangeSource at = create(positioned);
          ChangeSource.ChangeReader reader = at.open(at.startPosition())) {
        List<ChangeEvent.RowChange> next = rows(pollUntil(reader, e -> !rows(e).isEmpty()));
        assertThat(next.get(0).after()).containsExactly(8, 80, null, null);

        // The slot dropped under a streaming reader: a loud failure, then the position is lost.
        dropSlotUnder(slot);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        FerryException failure = null;
        while (failure == null) {
          assertThat(System.nanoTime())
              .as("the reader noticed the dropped slot")
              .isLessThan(deadline);
          try {
            assertThat(rows(reader.poll(Duration.ofMillis(200)))).isEmpty();
          } catch (FerryException e) {
            failure = e;
          }
        }
        // The stream only sees its connection end (retriable); the retry's open finds the slot
        // gone.
        assertThat(failure.code().code()).isEqualTo("postgresql.cdc.stream");
        assertThat(failure.retriable()).isTrue();
        Position last = reader.position();
        assertThatThrownBy(() -> at.open(last))
            .isInstanceOfSatisfying(
                FerryException.class,
                e -> assertThat(e.code()).isEqualTo(PgChangeSource.POSITION_LOST));
      }

      // Dropped: the slot and the publication Ferry created are gone; the position is lost.
      source.drop();
      try (Connection c = connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                      + slot
                      + "'), (SELECT count(*) FROM pg_publication WHERE pubname = '"
                      + slot
                      + "_pub')")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
        assertThat(rs.getInt(2)).isZero();
      }
      Position lost = resumeAt;
      assertThatThrownBy(() -> source.open(lost))
          .isInstanceOfSatisfying(
              FerryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(PgChangeSource.POSITION_LOST);
                assertThat(e.retriable()).isFalse();
              })
          .hasMessageContaining("does not exist")
          .hasMessageContaining("new snapshot");
    }
  }

  /**
   * A transaction of 300,000 rows arrives over many bounded polls, in order, while the heap the
   * test holds stays flat: the reader never holds the transaction. Holding it would take well over
   * the 32 MB allowed (a million events took several hundred MB, and a reader that kept these
   * 300,000 fails the check); a million rows proved the same at three times the run time.
   */
  private static final int BULK_ROWS = 300_000;

  @Test
  void largeTransactionArrivesInBoundedPolls() throws Exception {
    sql("CREATE TABLE bulk (id int PRIMARY KEY, v int NOT NULL)");
    try (ChangeSource source = changeSource("bulk_slot", List.of("bulk"))) {
      Position start = source.currentPosition();
      try (ChangeSource.ChangeReader reader = source.open(start)) {
        long confirmedBefore = confirmedFlush("bulk_slot");
        sql("INSERT INTO bulk SELECT g, g % 7 FROM generate_series(1, " + BULK_ROWS + ") g");
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long baseline = runtime.totalMemory() - runtime.freeMemory();
        long maxUsed = 0;
        int seen = 0;
        int largestPoll = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (seen < BULK_ROWS) {
          assertThat(System.nanoTime()).as("rows after %d", seen).isLessThan(deadline);
          List<ChangeEvent> events = reader.poll(Duration.ofMillis(500));
          largestPoll = Math.max(largestPoll, events.size());
          for (ChangeEvent.RowChange r : rows(events)) {
            seen++;
            assertThat(r.after()[0]).isEqualTo(seen);
          }
          if (seen % 50_000 < events.size()) {
            System.gc();
            maxUsed = Math.max(maxUsed, runtime.totalMemory() - runtime.freeMemory());
          }
        }
        assertThat(largestPoll).isLessThanOrEqualTo(4096);
        assertThat(maxUsed - baseline).as("heap growth while streaming").isLessThan(32L << 20);
        // Nothing was committed: the slot kept everything.
        assertThat(confirmedFlush("bulk_slot")).isEqualTo(confirmedBefore);
      }
      source.drop();
    }
  }

  private static long confirmedFlush(String slot) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots WHERE"
                    + " slot_name = '"
                    + slot
                    + "'")) {
      assertThat(rs.next()).as("slot %s exists", slot).isTrue();
      return rs.getLong(1);
    }
  }

  @Test
  void checkNamesTheSettingAndTheFix() throws Exception {
    sql("CREATE ROLE plain LOGIN", "CREATE TABLE checked (id int PRIMARY KEY)");
    Map<String, Object> o = connection();
    o.put("user", "plain");
    o.put("tables", List.of("checked"));
    o.put("publication", "someone_elses");
    Connector.Role<ChangeSource> role = new PostgresConnector().changeSource().orElseThrow();
    try (ChangeSource source =
        role.create(role.options().parse(o), new TestConnectorContext("cdc-check"))) {
      List<OptionProblem> problems = source.check();
      assertThat(problems)
          .anySatisfy(
              p -> {
                assertThat(p.option()).isEqualTo("user");
                assertThat(p.message()).contains("ALTER ROLE plain REPLICATION");
              });
    }
    // The machine's service runs with wal_level=replica.
    o = new LinkedHashMap<>(Map.of("host", "127.0.0.1", "port", 5432, "database", "postgres"));
    o.put("user", "postgres");
    o.put("tables", List.of("pg_catalog.none"));
    try (ChangeSource source =
        role.create(role.options().parse(o), new TestConnectorContext("cdc-check"))) {
      assertThat(source.check())
          .anySatisfy(
              p -> assertThat(p.message().toLowerCase(Locale.ROOT)).contains("wal_level = logical"))
          .anySatisfy(p -> assertThat(p.option()).isEqualTo("tables"));
    }
  }
}
