package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.RowBuffer;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Timing harness, not a test (surefire and failsafe do not pick up {@code *Bench}): the COPY text
 * encoder ({@code encode}) or the binary one ({@code binary}) on the bench's {@code orders} shape
 * (bench/relational/generate.sql), and one COPY of 500,000 such rows into a database of its own on
 * the local PostgreSQL.
 *
 * <pre>
 * mvn -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.ferry.connector.postgresql.CopyTextEncoderBench [encode|binary|copy|both] [pool]
 * </pre>
 */
public final class CopyTextEncoderBench {
  static final Schema ORDERS =
      Schema.of(
          new Column("id", DataType.INT64, false),
          new Column("customer_id", DataType.INT32, false),
          new Column("sku", DataType.STRING, false),
          new Column("qty", DataType.INT32, false),
          new Column("price", DataType.decimal(12, 2), false),
          Column.of("status", DataType.STRING),
          new Column("created_at", DataType.TIMESTAMP, false),
          Column.of("note", DataType.STRING));

  private static final String[] STATUS = {
    "new", "paid", "shipped", "delivered", "cancelled", "returned"
  };
  private static final String[] NOTES = {
    "deliver to the back door\tgate code 4411",
    "first line\nsecond line of the address",
    "scan in C:\\orders\\inbox\\",
    "he said \"fragile\" and it's urgent",
    "Grüße aus Köln — 東京 ✓ 😀 façade",
    "standard delivery, no remarks",
    "leave with the neighbour if absent",
    "gift wrap, no invoice in the parcel"
  };
  private static final LocalDateTime EPOCH = LocalDateTime.of(2023, 1, 1, 0, 0);

  private CopyTextEncoderBench() {}

  /** Row {@code seq} (1-based) of generate.sql, as the MySQL reader hands it over. */
  static Object[] row(long seq) {
    long customer = 1 + (seq * 48271) % 1_000_000;
    String hex = Long.toHexString(seq * 0x9E3779B97F4A7C15L) + "0123456789abcdef0123456789";
    return new Object[] {
      seq,
      (int) customer,
      "SKU-" + String.format("%05d", (seq * 16807) % 100_000) + "-" + (char) ('A' + seq % 26),
      (int) (1 + (seq * 31) % 50),
      BigDecimal.valueOf((seq * 2654435761L) % 10_000_000, 2),
      seq % 10 == 0 ? null : seq % 100 == 1 ? "" : STATUS[(int) ((seq * 7) % 6)],
      EPOCH.plusSeconds((seq * 7919) % 63_072_000),
      seq % 13 == 0
          ? null
          : seq % 101 == 0
              ? ""
              : "Order "
                  + seq
                  + " for customer "
                  + customer
                  + ": "
                  + NOTES[(int) (seq % 8)]
                  + " #"
                  + hex.substring(0, (int) (4 + seq % 24))
    };
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "both";
    if (mode.equals("binary")) {
      encodeBinary(args.length > 1 ? Integer.parseInt(args[1]) : 200_000);
      return;
    }
    if (!mode.equals("copy")) {
      encode(args.length > 1 ? Integer.parseInt(args[1]) : 200_000);
    }
    if (!mode.equals("encode")) {
      copy();
    }
  }

  /**
   * 2,000,000 rows per round (a pool of {@code pool} distinct rows, over and over), several rounds.
   * A pool of 5,000 rows (one sink buffer, mostly in cache) times the encoder; 200,000 rows adds
   * the cache misses of rows that are not.
   */
  private static void encode(int pool) {
    Object[][] rows = new Object[pool][];
    long bytes = 0;
    for (int i = 0; i < pool; i++) {
      rows[i] = row(i + 1);
    }
    CopyTextEncoder encoder = new CopyTextEncoder(ORDERS);
    CopyTextEncoder.Values2D values = (r, c) -> rows[r][c];
    int total = 2_000_000;
    for (int round = 1; round <= 8; round++) {
      long start = System.nanoTime();
      bytes = 0;
      for (int n = 0; n < total; n++) {
        encoder.appendRow(values, n % pool);
        // The writer sends and resets every 256 KB.
        if (encoder.length() >= PgBulkWriter.SEND_BYTES) {
          bytes += encoder.length();
          encoder.reset();
        }
      }
      bytes += encoder.length();
      encoder.reset();
      double micros = (System.nanoTime() - start) / 1e3 / total;
      System.out.printf(
          "encode round %d: %d rows, %.1f MB, %.4f us/row%n", round, total, bytes / 1e6, micros);
    }
  }

  /** {@link #encode} with the binary encoder, the orders table's column types. */
  private static void encodeBinary(int pool) {
    Object[][] rows = new Object[pool][];
    for (int i = 0; i < pool; i++) {
      rows[i] = row(i + 1);
    }
    String[] pgTypes = {
      "int8", "int4", "varchar", "int4", "numeric", "varchar", "timestamp", "varchar"
    };
    List<CopyBinaryEncoder.ValueEncoder> encoders = new ArrayList<>();
    for (int c = 0; c < pgTypes.length; c++) {
      encoders.add(CopyBinaryEncoder.encoderFor(pgTypes[c], ORDERS.column(c).type()));
    }
    CopyBinaryEncoder encoder = new CopyBinaryEncoder(encoders);
    CopyTextEncoder.Values2D values = (r, c) -> rows[r][c];
    int total = 2_000_000;
    for (int round = 1; round <= 8; round++) {
      long start = System.nanoTime();
      long bytes = 0;
      encoder.start();
      for (int n = 0; n < total; n++) {
        encoder.appendRow(values, n % pool);
        if (encoder.length() >= PgBulkWriter.SEND_BYTES) {
          bytes += encoder.length();
          encoder.reset();
        }
      }
      encoder.finish();
      bytes += encoder.length();
      encoder.reset();
      double micros = (System.nanoTime() - start) / 1e3 / total;
      System.out.printf(
          "binary round %d: %d rows, %.1f MB, %.4f us/row%n", round, total, bytes / 1e6, micros);
    }
  }

  /** One COPY-path load of 500,000 rows (5,000-row buffers, as the sink's default batchSize). */
  private static void copy() throws Exception {
    int total = 500_000;
    int batch = 5000;
    List<RowBuffer> buffers = new ArrayList<>();
    List<Object[]> rows = new ArrayList<>(batch);
    for (long seq = 1; seq <= total; seq++) {
      rows.add(row(seq));
      if (rows.size() == batch) {
        buffers.add(RowBuffer.of(ORDERS.size(), rows));
        rows.clear();
      }
    }
    PgDialect dialect = new PgDialect();
    try (PgTestDatabase db = new PgTestDatabase()) {
      for (int round = 1; round <= 3; round++) {
        db.execute(
            "DROP TABLE IF EXISTS orders",
            "CREATE UNLOGGED TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL,"
                + " sku varchar(32) NOT NULL, qty int NOT NULL, price numeric(12,2) NOT NULL,"
                + " status varchar(16), created_at timestamp NOT NULL, note varchar(200))");
        TestConnectorContext context = new TestConnectorContext("orders");
        long cpu0 = cpu();
        long start = System.nanoTime();
        try (Connection c = db.connect()) {
          dialect.sessions().initSession(c, context.zone());
          c.setAutoCommit(false);
          try (PgBulkWriter w = new PgBulkWriter(c, target(c, context))) {
            for (RowBuffer b : buffers) {
              w.load(b);
            }
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (cpu() - cpu0) / 1e9;
        try (Connection c = db.connect();
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
          rs.next();
          System.out.printf(
              "copy round %d: %d rows in %.2f s = %.0f rows/s, %.2f us/row wall, JVM CPU %.2f s"
                  + " (%.2f us/row)%n",
              round,
              rs.getLong(1),
              seconds,
              total / seconds,
              seconds * 1e6 / total,
              cpuSeconds,
              cpuSeconds * 1e6 / total);
        }
      }
    }
  }

  /** CPU time of this JVM process (all threads, GC and JIT included). */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static BulkTarget target(Connection c, TestConnectorContext context) throws Exception {
    List<JdbcColumn> columns = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM orders WHERE false")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add(
            new JdbcColumn(
                md.getColumnName(i),
                md.getColumnType(i),
                md.getColumnTypeName(i),
                md.getPrecision(i),
                md.getScale(i),
                true,
                false));
      }
    }
    c.commit();
    return new BulkTarget(
        "orders",
        new TableRef("public", "orders"),
        columns,
        ORDERS.columns().stream().map(Column::type).toList(),
        WriteMode.INSERT,
        List.of(),
        context);
  }
}
