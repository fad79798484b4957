package io.ferry.connector.file;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: a harness that times the file sink's writer alone on rows shaped like the relational
 * benchmark's {@code orders} table. Run its main method with the test class path; arguments: rows
 * (default 2,000,000), format (csv), output file (/tmp/ferry-bench/o.csv).
 */
final class FileSinkBench {
  private FileSinkBench() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    FileFormat format =
        args.length > 1 ? FileFormat.valueOf(args[1].toUpperCase()) : FileFormat.CSV;
    Path out = Path.of(args.length > 2 ? args[2] : "/tmp/ferry-bench/o.csv");
    Files.createDirectories(out.getParent());
    Schema schema =
        Schema.of(
            Column.of("id", DataType.INT64),
            Column.of("customer_id", DataType.INT32),
            Column.of("amount", DataType.decimal(12, 2)),
            Column.of("status", DataType.STRING),
            Column.of("created_at", DataType.TIMESTAMP),
            Column.of("ship_date", DataType.DATE),
            Column.of("note", DataType.STRING),
            Column.of("paid", DataType.BOOLEAN));
    Random random = new Random(42);
    String[] statuses = {"new", "paid", "shipped", "cancelled", ""};
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
    int batchSize = 1024;
    RowBatch[] batches = new RowBatch[16];
    long id = 1;
    for (int b = 0; b < batches.length; b++) {
      RowBatch batch = new RowBatch(schema.size(), batchSize);
      for (int r = 0; r < batchSize; r++) {
        StringBuilder note = new StringBuilder();
        while (note.length() < 84) {
          // Most notes are ASCII; about one in four carries non-ASCII text.
          note.append(pieces[random.nextInt(random.nextInt(4) == 0 ? 9 : 5)]);
        }
        boolean nulls = random.nextInt(10) == 0;
        batch.addRow(
            id++,
            random.nextInt(1_000_000),
            BigDecimal.valueOf(random.nextInt(10_000_000) - 100_000, 2),
            statuses[random.nextInt(statuses.length)],
            LocalDateTime.of(2020, 1, 1, 0, 0)
                .plusSeconds(random.nextInt(150_000_000))
                .plusNanos(random.nextInt(3) == 0 ? random.nextInt(1_000_000) * 1000L : 0),
            nulls ? null : LocalDate.of(2020, 1, 1).plusDays(random.nextInt(2000)),
            nulls ? null : note.toString(),
            random.nextBoolean());
      }
      batches[b] = batch;
    }
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      Sink sink =
          FileTestSupport.sink(
              Map.of(
                  "path",
                  out.toString(),
                  "format",
                  format.name().toLowerCase(java.util.Locale.ROOT),
                  "overwrite",
                  true),
              new TestContext(out.getParent()));
      sink.prepare(schema);
      try (SinkWriter writer = sink.createWriter(0)) {
        writer.beginSplit(0);
        for (int written = 0; written < rows; written += batchSize) {
          writer.write(batches[(written / batchSize) % batches.length]);
        }
        writer.flush();
        writer.endSplit(0);
      }
      sink.commit();
      long nanos = System.nanoTime() - start;
      System.out.printf(
          "%s round %d: %,d rows in %.2f s, %.3f us/row, %,d bytes%n",
          format, round, rows, nanos / 1e9, nanos / 1e3 / rows, Files.size(out));
    }
  }
}
