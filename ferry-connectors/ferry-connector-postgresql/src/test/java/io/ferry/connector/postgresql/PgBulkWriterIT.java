package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.ColumnMapping;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.RowBuffer;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** COPY insert, staging upsert, bad rows in a COPY and the read mapping, against a real server. */
class PgBulkWriterIT {
  private static final PgDialect DIALECT = new PgDialect();
  private static PgTestDatabase db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = new PgTestDatabase();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  private static BulkTarget target(
      Connection c,
      String table,
      Schema schema,
      WriteMode mode,
      List<String> keys,
      TestConnectorContext context)
      throws Exception {
    List<JdbcColumn> columns = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\" WHERE false")) {
      ResultSetMetaData md = rs.getMetaData();
      for (Column col : schema.columns()) {
        for (int i = 1; i <= md.getColumnCount(); i++) {
          if (md.getColumnName(i).equals(col.name())) {
            columns.add(
                new JdbcColumn(
                    col.name(),
                    md.getColumnType(i),
                    md.getColumnTypeName(i),
                    md.getPrecision(i),
                    md.getScale(i),
                    true,
                    false));
          }
        }
      }
    }
    return new BulkTarget(
        "\"" + table + "\"",
        new TableRef("public", table),
        columns,
        schema.columns().stream().map(Column::type).toList(),
        mode,
        keys,
        context);
  }

  private static void load(
      String table,
      Schema schema,
      WriteMode mode,
      List<String> keys,
      List<Object[]> rows,
      TestConnectorContext context)
      throws Exception {
    try (Connection c = db.connect()) {
      DIALECT.sessions().initSession(c, context.zone());
      c.setAutoCommit(false);
      try (PgBulkWriter w = new PgBulkWriter(c, target(c, table, schema, mode, keys, context))) {
        w.load(RowBuffer.of(schema.size(), rows));
      }
    }
  }

  /**
   * Binary COPY stores exactly what text COPY stores: the same random and edge values of every type
   * pair the binary encoder takes, written once in each format into two tables, compared by the
   * server ({@code EXCEPT ALL} both ways, on the stored values, not on their text).
   */
  @Test
  void binaryCopyStoresWhatTextCopyStores() throws Exception {
    String columns =
        " (id bigint PRIMARY KEY, s2 int2, i4 int4, i8 int8, w4 int8, n numeric, n122 numeric(12,2),"
            + " n382 numeric(38,2), t text, v varchar(5), c char(3), b bool, f4 float4, f8 float8,"
            + " d date, tm time(6), t3 time(3), ts timestamp, ts0 timestamp(0), tz timestamptz,"
            + " by bytea)";
    db.execute("CREATE TABLE bin_copy" + columns);
    db.execute("CREATE TABLE text_copy" + columns);
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("s2", DataType.INT16),
            Column.of("i4", DataType.INT32),
            Column.of("i8", DataType.INT64),
            Column.of("w4", DataType.INT32),
            Column.of("n", DataType.decimal(1000, 0)),
            Column.of("n122", DataType.decimal(12, 2)),
            Column.of("n382", DataType.decimal(38, 2)),
            Column.of("t", DataType.STRING),
            Column.of("v", DataType.STRING),
            Column.of("c", DataType.STRING),
            Column.of("b", DataType.BOOLEAN),
            Column.of("f4", DataType.FLOAT32),
            Column.of("f8", DataType.FLOAT64),
            Column.of("d", DataType.DATE),
            Column.of("tm", DataType.TIME),
            Column.of("t3", DataType.TIME),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("ts0", DataType.TIMESTAMP),
            Column.of("tz", DataType.TIMESTAMP_TZ),
            Column.of("by", DataType.BYTES));
    java.util.Random random = new java.util.Random(16);
    String[] texts = {"", "a", "?", "é", "\uD83D\uDE80", "\t\n\\", "NULL", "\\N", "日本", "x y"};
    String[] decimals = {
      "0",
      "0.00",
      "-0.0001",
      "1E+3",
      "-1.5E+5",
      "10000",
      "9999.9999",
      "0.1",
      "123.45",
      "-123.455",
      "99999999.995",
      "1.00000000000000000001",
      "123456789012345678901234567890.5",
      "5E-20",
      "-7E+25",
      "0.00005",
      "42"
    };
    List<Object[]> rows = new ArrayList<>();
    for (int r = 0; r < 3000; r++) {
      boolean nulls = r % 7 == 3;
      java.time.LocalDateTime ts =
          java.time.LocalDateTime.of(1900, 1, 1, 0, 0)
              .plusSeconds(random.nextInt(Integer.MAX_VALUE) * 3L)
              .plusNanos(random.nextInt(1_000_000) * 1000L);
      BigDecimal dec =
          r < decimals.length
              ? new BigDecimal(decimals[r])
              : BigDecimal.valueOf(random.nextLong(), random.nextInt(40) - 10);
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(6); k > 0; k--) {
        text.append(texts[random.nextInt(texts.length)]);
      }
      String shortText = texts[random.nextInt(texts.length)];
      int year = r % 50 == 0 ? -4000 + random.nextInt(100) : 1 + random.nextInt(9999);
      rows.add(
          new Object[] {
            (long) r,
            nulls ? null : (short) random.nextInt(),
            r == 1 ? Integer.MIN_VALUE : r == 2 ? Integer.MAX_VALUE : random.nextInt(),
            r == 1 ? Long.MIN_VALUE : r == 2 ? Long.MAX_VALUE : random.nextLong(),
            random.nextInt(),
            nulls ? null : dec,
            BigDecimal.valueOf(random.nextInt(), random.nextInt(4)),
            BigDecimal.valueOf(random.nextLong(), 2),
            nulls ? null : text.toString(),
            shortText,
            shortText.length() <= 3 ? shortText : "abc",
            nulls ? null : random.nextBoolean(),
            r == 1 ? Float.NaN : r == 2 ? -0.0f : random.nextFloat() * random.nextInt(),
            r == 1
                ? Double.NEGATIVE_INFINITY
                : r == 2 ? Double.MIN_VALUE : random.nextDouble() * random.nextLong(),
            nulls
                ? null
                : java.time.LocalDate.of(year, 1 + random.nextInt(12), 1 + random.nextInt(28)),
            ts.toLocalTime(),
            ts.toLocalTime(),
            ts,
            ts,
            java.time.OffsetDateTime.of(
                ts, java.time.ZoneOffset.ofTotalSeconds((random.nextInt(28) - 14) * 1800)),
            nulls ? null : new byte[] {(byte) r, 0, (byte) 0xff, '\\', '\t'}
          });
    }
    TestConnectorContext context = new TestConnectorContext("binary");
    try (Connection c = db.connect()) {
      DIALECT.sessions().initSession(c, context.zone());
      c.setAutoCommit(false);
      try (PgBulkWriter bin =
              new PgBulkWriter(
                  c, target(c, "bin_copy", schema, WriteMode.INSERT, List.of(), context), true);
          PgBulkWriter text =
              new PgBulkWriter(
                  c, target(c, "text_copy", schema, WriteMode.INSERT, List.of(), context), false)) {
        assertThat(bin.binary()).isTrue();
        assertThat(text.binary()).isFalse();
        bin.load(RowBuffer.of(schema.size(), rows));
        text.load(RowBuffer.of(schema.size(), rows));
        assertThat(bin.binary()).as("no value needed text").isTrue();
      }
    }
    assertThat(context.dirtyRows().rows()).isEmpty();
    assertSameTables("bin_copy", "text_copy", rows.size(), "n", "n122", "n382", "f4", "f8");
  }

  /**
   * Values binary cannot carry as text would (a fraction of a microsecond, infinity, a year beyond
   * the binary range) make the writer copy the buffer as text, and keep to text.
   */
  @Test
  void binaryCopyFallsBackToTextForValuesItCannotCarry() throws Exception {
    String columns = " (id bigint PRIMARY KEY, ts timestamp, d date, tm time)";
    db.execute("CREATE TABLE fallback_bin" + columns);
    db.execute("CREATE TABLE fallback_text" + columns);
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("d", DataType.DATE),
            Column.of("tm", DataType.TIME));
    java.time.LocalDateTime plain = java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5);
    List<List<Object[]>> buffers =
        List.of(
            List.<Object[]>of(new Object[] {1L, plain, plain.toLocalDate(), plain.toLocalTime()}),
            List.<Object[]>of(
                new Object[] {2L, plain.plusNanos(1_500), null, null},
                new Object[] {3L, java.time.LocalDateTime.MAX, java.time.LocalDate.MIN, null},
                new Object[] {4L, null, null, io.ferry.connector.support.Values.END_OF_DAY},
                new Object[] {5L, plain.plusNanos(999_999_999), null, null}),
            List.<Object[]>of(new Object[] {6L, plain, plain.toLocalDate(), plain.toLocalTime()}));
    TestConnectorContext context = new TestConnectorContext("fallback");
    try (Connection c = db.connect()) {
      DIALECT.sessions().initSession(c, context.zone());
      c.setAutoCommit(false);
      try (PgBulkWriter bin =
              new PgBulkWriter(
                  c,
                  target(c, "fallback_bin", schema, WriteMode.INSERT, List.of(), context),
                  true);
          PgBulkWriter text =
              new PgBulkWriter(
                  c,
                  target(c, "fallback_text", schema, WriteMode.INSERT, List.of(), context),
                  false)) {
        bin.load(RowBuffer.of(schema.size(), buffers.get(0)));
        assertThat(bin.binary()).isTrue();
        bin.load(RowBuffer.of(schema.size(), buffers.get(1)));
        assertThat(bin.binary()).isFalse();
        bin.load(RowBuffer.of(schema.size(), buffers.get(2)));
        for (List<Object[]> b : buffers) {
          text.load(RowBuffer.of(schema.size(), b));
        }
      }
    }
    assertThat(context.dirtyRows().rows()).isEmpty();
    assertSameTables("fallback_bin", "fallback_text", 6);
  }

  /** A bad value in a binary COPY is a dirty row named by the server, the rest are copied. */
  @Test
  void binaryCopyKeepsBadRowsAside() throws Exception {
    db.execute("CREATE TABLE bin_bad (id bigint PRIMARY KEY, v varchar(3), t text)");
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("v", DataType.STRING),
            Column.of("t", DataType.STRING));
    TestConnectorContext context = new TestConnectorContext("binbad");
    try (Connection c = db.connect()) {
      DIALECT.sessions().initSession(c, context.zone());
      c.setAutoCommit(false);
      try (PgBulkWriter w =
          new PgBulkWriter(
              c, target(c, "bin_bad", schema, WriteMode.INSERT, List.of(), context), true)) {
        assertThat(w.binary()).isTrue();
        w.load(
            RowBuffer.of(
                schema.size(),
                List.of(
                    new Object[] {1L, "ok", "a?b"},
                    new Object[] {2L, "long", "x"},
                    new Object[] {3L, "ok", "nul\u0000"},
                    new Object[] {4L, "ok", "lone\uD800"},
                    new Object[] {5L, "ok", "y"})));
        assertThat(w.binary()).isTrue();
      }
    }
    List<DirtyRow> dirty = context.dirtyRows().rows();
    assertThat(dirty).extracting(DirtyRow::column).containsExactlyInAnyOrder("v", "t", "t");
    assertThat(dirty)
        .extracting(DirtyRow::reason)
        .anySatisfy(r -> assertThat(r).contains("value too long for type character varying(3)"))
        .anySatisfy(r -> assertThat(r).contains("U+0000"))
        .anySatisfy(r -> assertThat(r).contains("lone surrogate"));
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT string_agg(id || t, ',' ORDER BY id) FROM bin_bad")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("1a?b,5y");
    }
  }

  private static void assertSameTables(String a, String b, int rows, String... asText)
      throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      for (String sql :
          List.of(
              "SELECT count(*) FROM (TABLE " + a + " EXCEPT ALL TABLE " + b + ") x",
              "SELECT count(*) FROM (TABLE " + b + " EXCEPT ALL TABLE " + a + ") x")) {
        try (ResultSet rs = s.executeQuery(sql)) {
          rs.next();
          assertThat(rs.getLong(1)).as(sql).isZero();
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + a)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(rows);
      }
      // EXCEPT compares numerics by value: their display scales (1.50 vs 1.5) as text.
      for (String column : asText) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM "
                    + a
                    + " x JOIN "
                    + b
                    + " y USING (id) WHERE x."
                    + column
                    + "::text IS DISTINCT FROM y."
                    + column
                    + "::text")) {
          rs.next();
          assertThat(rs.getLong(1)).as("%s as text", column).isZero();
        }
      }
    }
  }

  /** Every Ferry type PostgreSQL stores, through COPY, read back with the dialect's readers. */
  @Test
  void copiesEveryTypeAndReadsItBackWithTheDialect() throws Exception {
    Schema schema = TestDatasets.typesSchema(t -> true);
    List<Object[]> rows = TestDatasets.typesRows(schema);
    try (Connection c = db.connect()) {
      PgFixtures.createTable(c, "types_copy", schema, true);
    }
    TestConnectorContext context = new TestConnectorContext("types");
    load("types_copy", schema, WriteMode.INSERT, List.of(), rows, context);
    assertThat(context.dirtyRows().rows()).isEmpty();
    try (Connection c = db.connect()) {
      Rows.assertSameRows(
          schema, utc(schema, PgFixtures.read(c, "types_copy", schema)), utc(schema, rows));
      // And the dialect's own readers (int8, map and row come back as int16 and json).
      DIALECT.sessions().initSession(c, context.zone());
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM types_copy ORDER BY id")) {
        ResultSetMetaData md = rs.getMetaData();
        int n = 0;
        while (rs.next()) {
          Object[] expected = rows.get(n++);
          for (int i = 1; i <= md.getColumnCount(); i++) {
            DataType declared = schema.column(i - 1).type();
            if (declared.kind() == TypeKind.INT8
                || declared.kind() == TypeKind.MAP
                || declared.kind() == TypeKind.ROW) {
              continue;
            }
            JdbcColumn col =
                new JdbcColumn(
                    md.getColumnName(i),
                    md.getColumnType(i),
                    md.getColumnTypeName(i),
                    md.getPrecision(i),
                    md.getScale(i),
                    true,
                    false);
            ColumnMapping mapping = DIALECT.types().toColumnMapping(col);
            DataType type = mapping.type();
            assertThat(type).as("type of %s", col).isEqualTo(declared);
            Object v = mapping.reader().read(rs, i);
            Object e = expected[i - 1];
            if (e instanceof java.time.OffsetDateTime o) {
              e = o.withOffsetSameInstant(java.time.ZoneOffset.UTC);
            }
            assertThat(io.ferry.connector.testkit.ValueComparison.equal(e, v, type))
                .as("%s row %d: %s vs %s", col, n, e, v)
                .isTrue();
          }
        }
        assertThat(n).isEqualTo(rows.size());
      }
    }
  }

  /**
   * PostgreSQL-specific edge values: bytea of all 256 bytes, numeric(38,10) extremes, arrays with
   * quotes.
   */
  @Test
  void roundTripsPostgresEdgeValues() throws Exception {
    db.execute(
        "CREATE TABLE edge (id bigint PRIMARY KEY, b bytea, n numeric(38,10), u uuid, j jsonb,"
            + " ia int[], ta text[], s text, d date, t time, ts timestamp(6), tz timestamptz, nu numeric)");
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("b", DataType.BYTES),
            Column.of("n", DataType.decimal(38, 10)),
            Column.of("u", DataType.STRING),
            Column.of("j", DataType.JSON),
            Column.of("ia", DataType.array(DataType.INT32)),
            Column.of("ta", DataType.array(DataType.STRING)),
            Column.of("s", DataType.STRING),
            Column.of("d", DataType.DATE),
            Column.of("t", DataType.TIME),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("tz", DataType.TIMESTAMP_TZ),
            Column.of("nu", DataType.decimal(1000, 0)));
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    List<Object[]> rows =
        List.<Object[]>of(
            new Object[] {
              1L,
              all,
              new BigDecimal("9999999999999999999999999999.9999999999"),
              "123e4567-e89b-12d3-a456-426614174000",
              "{\"k\": [1, \"\\u00e9\"]}",
              Arrays.asList(1, null, -3),
              Arrays.asList("a,b", "q\"uote", "back\\slash", null, "", "NULL", "{}", "tab\t"),
              "\uD83D\uDE80 \\N \t\r\n",
              java.time.LocalDate.of(1, 1, 1),
              java.time.LocalTime.of(23, 59, 59, 999_999_000),
              java.time.LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4_000),
              java.time.OffsetDateTime.parse("2024-05-01T13:45:00.123456+05:30"),
              new BigDecimal("1.50")
            },
            new Object[] {
              2L,
              new byte[0],
              new BigDecimal("-9999999999999999999999999999.9999999999"),
              null,
              "null",
              List.of(),
              List.of(),
              "",
              java.time.LocalDate.of(9999, 12, 31),
              java.time.LocalTime.MIDNIGHT,
              java.time.LocalDateTime.of(1970, 1, 1, 0, 0),
              java.time.OffsetDateTime.parse("1969-12-31T23:59:59.999999-09:30"),
              new BigDecimal("-0.000000000000000000001")
            },
            new Object[] {
              3L,
              null,
              new BigDecimal("0.0000000001"),
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null
            });
    TestConnectorContext context = new TestConnectorContext("edge");
    load("edge", schema, WriteMode.INSERT, List.of(), rows, context);
    assertThat(context.dirtyRows().rows()).isEmpty();
    try (Connection c = db.connect()) {
      DIALECT.sessions().initSession(c, context.zone());
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM edge ORDER BY id")) {
        ResultSetMetaData md = rs.getMetaData();
        List<Object[]> back = new ArrayList<>();
        while (rs.next()) {
          Object[] row = new Object[md.getColumnCount()];
          for (int i = 1; i <= row.length; i++) {
            JdbcColumn col =
                new JdbcColumn(
                    md.getColumnName(i),
                    md.getColumnType(i),
                    md.getColumnTypeName(i),
                    md.getPrecision(i),
                    md.getScale(i),
                    true,
                    false);
            row[i - 1] = DIALECT.types().toColumnMapping(col).reader().read(rs, i);
          }
          back.add(row);
        }
        Rows.assertRowsEqual(schema, utc(schema, back), utc(schema, rows));
      }
    }
  }

  /**
   * A varchar(5) overflow and a NOT NULL violation in the middle of a COPY: only those rows are
   * dirty.
   */
  @Test
  void badRowsInACopyGoToTheDirtyStoreAndTheRestIsWritten() throws Exception {
    db.execute("CREATE TABLE bad (id bigint PRIMARY KEY, code varchar(5), qty int NOT NULL)");
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("code", DataType.STRING),
            Column.of("qty", DataType.INT32));
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 1000; i++) {
      rows.add(new Object[] {i, i == 500 ? "toolong" : "c" + (i % 100), i == 700 ? null : (int) i});
    }
    TestConnectorContext context = new TestConnectorContext("bad");
    load("bad", schema, WriteMode.INSERT, List.of("id"), rows, context);
    List<DirtyRow> dirty = context.dirtyRows().rows();
    assertThat(dirty).hasSize(2);
    assertThat(dirty.get(0).column()).isEqualTo("code");
    assertThat(dirty.get(0).value()).isEqualTo("toolong");
    assertThat(dirty.get(0).reason()).contains("too long");
    assertThat(dirty.get(0).location()).contains("id=500");
    assertThat(dirty.get(1).column()).isEqualTo("qty");
    assertThat(dirty.get(1).reason()).contains("null value");
    List<Object[]> expected = new ArrayList<>(rows);
    expected.remove(700);
    expected.remove(500);
    try (Connection c = db.connect()) {
      Rows.assertRowsEqual(schema, PgFixtures.read(c, "bad", schema), expected);
    }
  }

  /**
   * Upsert through the staging table: existing keys updated, new keys inserted, last row of a key
   * wins.
   */
  @Test
  void upsertsThroughAStagingTable() throws Exception {
    db.execute(
        "CREATE TABLE up (id bigint PRIMARY KEY, name text, qty int DEFAULT 7)",
        "INSERT INTO up VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)");
    Schema schema =
        Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));
    TestConnectorContext context = new TestConnectorContext("up");
    load(
        "up",
        schema,
        WriteMode.UPSERT,
        List.of("id"),
        List.<Object[]>of(
            new Object[] {2L, "TWO"},
            new Object[] {4L, "four"},
            new Object[] {4L, "FOUR"},
            new Object[] {3L, null}),
        context);
    load(
        "up",
        schema,
        WriteMode.REPLACE,
        List.of("id"),
        List.<Object[]>of(new Object[] {1L, "ONE"}),
        context);
    assertThat(context.dirtyRows().rows()).isEmpty();
    Schema all =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("name", DataType.STRING),
            Column.of("qty", DataType.INT32));
    try (Connection c = db.connect()) {
      Rows.assertRowsEqual(
          all,
          PgFixtures.read(c, "up", all),
          List.<Object[]>of(
              new Object[] {1L, "ONE", 1},
              new Object[] {2L, "TWO", 2},
              new Object[] {3L, null, 3},
              new Object[] {4L, "FOUR", 7}));
    }
  }

  /**
   * An exported snapshot: readers see the table as of the export though rows are inserted
   * meanwhile.
   */
  @Test
  void readersShareTheExportedSnapshot() throws Exception {
    db.execute(
        "CREATE TABLE snap (id int PRIMARY KEY)",
        "INSERT INTO snap SELECT generate_series(1, 100)");
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setUrl(db.url());
    try (PgSnapshot snapshot = PgSnapshot.export(ds)) {
      db.execute("INSERT INTO snap SELECT generate_series(101, 200)");
      for (int reader = 0; reader < 3; reader++) {
        try (Connection c = snapshot.connection();
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*), max(id) FROM snap")) {
          rs.next();
          assertThat(rs.getInt(1)).as("rows reader %d sees", reader).isEqualTo(100);
          assertThat(rs.getInt(2)).isEqualTo(100);
        }
        db.execute("INSERT INTO snap VALUES (" + (1000 + reader) + ")");
      }
    }
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM snap")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(203);
    }
  }

  /** Prints COPY rows/s for the bench's 8-column orders shape (informative; asserts the data). */
  @Test
  void copiesTheOrdersShape() throws Exception {
    db.execute(
        "CREATE UNLOGGED TABLE orders (id bigint PRIMARY KEY, customer_id int, sku varchar(32), qty int,"
            + " price numeric(12,2), status varchar(16), created_at timestamp, note varchar(200))");
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("customer_id", DataType.INT32),
            Column.of("sku", DataType.STRING),
            Column.of("qty", DataType.INT32),
            Column.of("price", DataType.decimal(12, 2)),
            Column.of("status", DataType.STRING),
            Column.of("created_at", DataType.TIMESTAMP),
            Column.of("note", DataType.STRING));
    int total = 400_000;
    int batch = 5000;
    TestConnectorContext context = new TestConnectorContext("orders");
    long start = System.nanoTime();
    try (Connection c = db.connect()) {
      DIALECT.sessions().initSession(c, context.zone());
      c.setAutoCommit(false);
      try (PgBulkWriter w =
          new PgBulkWriter(c, target(c, "orders", schema, WriteMode.INSERT, List.of(), context))) {
        List<Object[]> rows = new ArrayList<>(batch);
        for (long i = 0; i < total; i++) {
          rows.add(
              new Object[] {
                i,
                (int) (i % 100_000),
                "SKU-" + (i % 5000),
                (int) (i % 10),
                BigDecimal.valueOf(i % 100_000, 2),
                i % 7 == 0 ? null : "shipped",
                java.time.LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(i),
                i % 5 == 0
                    ? null
                    : "note \t with\ttab, \"quotes\" and caf\u00e9 "
                        + i
                        + " ........................................"
              });
          if (rows.size() == batch) {
            w.load(RowBuffer.of(schema.size(), rows));
            rows.clear();
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "COPY text, orders shape: %d rows in %.2f s = %.0f rows/s%n",
        total, seconds, total / seconds);
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), sum(id), count(note) FROM orders")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(total);
      assertThat(rs.getLong(2)).isEqualTo((long) total * (total - 1) / 2);
      assertThat(rs.getLong(3)).isEqualTo(total - total / 5);
    }
  }

  private static List<Object[]> utc(Schema schema, List<Object[]> rows) {
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : rows) {
      Object[] copy = row.clone();
      for (int i = 0; i < copy.length; i++) {
        if (copy[i] instanceof java.time.OffsetDateTime o) {
          copy[i] = o.withOffsetSameInstant(java.time.ZoneOffset.UTC);
        }
      }
      out.add(copy);
    }
    return out;
  }
}
