package io.ferry.connector.file;

import io.ferry.spi.*;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Random;

/**
 * Not a test: the CPU time of the csv formatter alone ({@link TextRowWriter} into a null stream) on
 * rows shaped like the relational benchmark's {@code orders} table, measured as the thread's CPU
 * time so that other load on a shared machine counts less than in wall time. Run its main method
 * with the test class path (build the module first); it prints ns per row, the median and the
 * minimum of rounds 4 to 11 of 2,000,000 rows each.
 */
final class CsvFormatterCpuBench {
  private CsvFormatterCpuBench() {}

  public static void main(String[] a) throws Exception {
    Schema schema =
        Schema.of(
            Column.of("id", DataType.INT64),
            Column.of("customer_id", DataType.INT32),
            Column.of("sku", DataType.STRING),
            Column.of("qty", DataType.INT32),
            Column.of("price", DataType.decimal(12, 2)),
            Column.of("status", DataType.STRING),
            Column.of("created_at", DataType.TIMESTAMP),
            Column.of("note", DataType.STRING));
    Random random = new Random(42);
    String[] pieces = {
      "plain words here ",
      "tab\there ",
      "line\nfeed ",
      "back\\slash ",
      "say \"hi\" ",
      "Grüße ",
      "北京 ",
      "comma, too ",
      "ascii only text "
    };
    String[] statuses = {"new", "paid", "shipped", "cancelled", "", null};
    RowBatch[] batches = new RowBatch[16];
    long id = 1;
    for (int b = 0; b < batches.length; b++) {
      RowBatch batch = new RowBatch(8, 1024);
      for (int r = 0; r < 1024; r++) {
        StringBuilder note = new StringBuilder();
        while (note.length() < 84) {
          // Most notes are ASCII; some carry tabs, line feeds, quotes, commas or non-ASCII text.
          note.append(pieces[random.nextInt(random.nextInt(8) == 0 ? 9 : 5)]);
        }
        batch.addRow(
            id,
            (int) (id * 7919 % 1_000_000),
            "SKU-" + (id % 50000),
            (int) (id % 20 + 1),
            BigDecimal.valueOf(id * 104729 % 10_000_000, 2),
            statuses[random.nextInt(statuses.length)],
            LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(random.nextInt(150_000_000)),
            random.nextInt(13) == 0 ? null : note.toString());
        id++;
      }
      batches[b] = batch;
    }
    TextLayout layout = new TextLayout(FileFormat.CSV, ',', '"', true, StandardCharsets.UTF_8, "");
    TextRowWriter w =
        new TextRowWriter(
            OutputStream.nullOutputStream(), schema, layout, Compression.NONE, true, "x", d -> {});
    var mx = ManagementFactory.getThreadMXBean();
    long[] t = new long[12];
    for (int round = 0; round < t.length; round++) {
      long s = mx.getCurrentThreadCpuTime();
      for (int n = 0; n < 2_000_000; n += 1024) w.write(batches[(n / 1024) % 16]);
      w.flush();
      t[round] = mx.getCurrentThreadCpuTime() - s;
    }
    long[] last = Arrays.copyOfRange(t, 4, t.length);
    Arrays.sort(last);
    System.out.printf(
        "csv ns/row median of rounds 4-11: %.1f  min %.1f%n",
        last[last.length / 2] / 2e6, last[0] / 2e6);
  }
}
