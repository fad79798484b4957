package io.ferry.connector.mysql;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Not a test (no Test/IT suffix, so Maven does not run it): a timing harness for the connector's
 * hot paths on the benchmark table {@code ferry_bench.orders} (bench/relational, 2,000,000 rows;
 * only read). {@code read} reads the table through the source's split readers (2 key-range splits,
 * one after the other on the calling thread) and prints wall time and the reading thread's CPU time
 * per row; {@code encode} encodes 200,000 of its rows ten times over with {@link LoadDataText}
 * (2,000,000 rows) and prints the time per row and a CRC32 of the encoded text; {@code verify}
 * prints a digest of every value read, to compare readers. Each is repeated {@code rounds} times;
 * the first rounds include JIT warm-up.
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) \
 *     io.ferry.connector.mysql.HotPathTiming [rounds] [read|encode|both|verify]
 * </pre>
 */
public final class HotPathTiming {
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private HotPathTiming() {}

  public static void main(String[] args) throws java.io.IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    String what = args.length > 1 ? args[1] : "both";
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("host", MariaDb.HOST);
    options.put("port", MariaDb.PORT);
    options.put("database", "ferry_bench");
    options.put("user", MariaDb.USER);
    options.put("table", "orders");
    TestConnectorContext context = new TestConnectorContext("timing");
    try (Source source = Jobs.source(options, context)) {
      Schema schema = source.schema();
      List<Split> splits = source.planner().plan(2);
      if (what.equals("verify")) {
        // Every value of every row, to compare readers value for value (scale of decimals too).
        long digest = 0;
        for (Split split : splits) {
          try (SplitReader reader = source.openReader(split, null)) {
            for (RowBatch b = reader.next(); b != null; b = reader.next()) {
              for (int i = 0; i < b.size(); i++) {
                digest = digest * 31 + Arrays.hashCode(b.row(i));
              }
            }
          }
        }
        System.out.printf("read digest: %016x%n", digest);
        return;
      }
      if (!what.equals("encode")) {
        for (int r = 0; r < rounds; r++) {
          long t0 = System.nanoTime();
          long c0 = CPU.getCurrentThreadCpuTime();
          long rows = 0;
          long hash = 0;
          for (Split split : splits) {
            try (SplitReader reader = source.openReader(split, null)) {
              for (RowBatch b = reader.next(); b != null; b = reader.next()) {
                rows += b.size();
                hash += b.get(b.size() - 1, 6) == null ? 0 : b.get(b.size() - 1, 6).hashCode();
              }
            }
          }
          long ns = System.nanoTime() - t0;
          long cpu = CPU.getCurrentThreadCpuTime() - c0;
          System.out.printf(
              "read   round %d: %,d rows, %.3f us/row wall, %.3f us/row reader CPU (%d)%n",
              r, rows, ns / 1e3 / rows, cpu / 1e3 / rows, hash);
        }
        System.out.println("dirty rows: " + context.dirtyRows().rows().size());
      }
      if (!what.equals("read")) {
        // 200,000 real rows, encoded ten times over: 2,000,000 rows.
        List<Object[]> sample = new ArrayList<>();
        try (SplitReader reader = source.openReader(splits.get(0), null)) {
          for (RowBatch b = reader.next();
              b != null && sample.size() < 200_000;
              b = reader.next()) {
            for (int i = 0; i < b.size() && sample.size() < 200_000; i++) {
              sample.add(b.row(i));
            }
          }
        }
        int[] fractions = new int[schema.size()];
        Arrays.fill(fractions, 6);
        LoadDataText text = new LoadDataText(schema, fractions, java.time.ZoneOffset.UTC);
        // A checksum of the encoded sample, to compare encoders byte for byte.
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (Object[] row : sample) {
          text.addRow(row, 0);
          if (text.lines() == 1024) {
            crc.update(text.stream().readAllBytes());
            text.clear();
          }
        }
        crc.update(text.stream().readAllBytes());
        text.clear();
        System.out.printf("encoded sample CRC32: %08x%n", crc.getValue());
        for (int r = 0; r < rounds; r++) {
          long t0 = System.nanoTime();
          long bytes = 0;
          int rows = 0;
          for (int k = 0; k < 10; k++) {
            for (Object[] row : sample) {
              text.addRow(row, 0);
              rows++;
              if (text.lines() == 1024) {
                bytes += text.length();
                text.clear();
              }
            }
          }
          bytes += text.length();
          text.clear();
          long ns = System.nanoTime() - t0;
          System.out.printf(
              "encode round %d: %,d rows, %,d bytes, %.3f us/row%n",
              r, rows, bytes, ns / 1e3 / rows);
        }
      }
    }
  }
}
