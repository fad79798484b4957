package io.ferry.connector.file;

import static io.ferry.connector.file.FileTestSupport.readAll;
import static io.ferry.connector.file.FileTestSupport.sink;
import static io.ferry.connector.file.FileTestSupport.source;
import static io.ferry.connector.file.FileTestSupport.writeAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bzip2 and zip, {@code append: true} and {@code dateFormat}: what DataX's text plug-ins offer. */
class FileCompressionAppendTest {
  private static final Schema SCHEMA =
      Schema.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING));

  @TempDir Path dir;

  private static List<Object[]> rows(int from, int to) {
    List<Object[]> rows = new ArrayList<>();
    for (long i = from; i < to; i++) {
      rows.add(new Object[] {i, i % 7 == 0 ? null : "name " + i + ", ü"});
    }
    return rows;
  }

  private static List<String> texts(List<Object[]> rows) {
    return rows.stream().map(Arrays::toString).toList();
  }

  private List<Object[]> readBack(Path file, Map<String, Object> extra) {
    Map<String, Object> options = new java.util.HashMap<>(extra);
    options.put("path", file.toString());
    options.put("columns", List.of("id int64", "name string"));
    return readAll(source(options, new TestContext(dir)));
  }

  @Test
  void bzip2PartsOfSeveralWritersJoinIntoOneFileThatBunzip2AndTheSourceRead()
      throws IOException, InterruptedException {
    Path target = dir.resolve("orders.csv.bz2");
    writeAll(
        sink(Map.of("path", target.toString()), new TestContext(dir)), SCHEMA, rows(0, 3000), 3);

    // The system's bzip2 reads every stream of the file (one per split, the header its own).
    Process bunzip2 = new ProcessBuilder("bzip2", "-dc", target.toString()).start();
    String text = new String(bunzip2.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bunzip2.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bunzip2.exitValue()).isZero();
    assertThat(text).startsWith("id,name\n0,\n3,\"name 3, ü\"\n"); // writer 0's split first
    assertThat(text.lines()).hasSize(3001);

    List<Object[]> back = readBack(target, Map.of());
    assertThat(back).hasSize(3000);
    assertThat(back.stream().map(r -> (Long) r[0]).sorted().toList())
        .isEqualTo(rows(0, 3000).stream().map(r -> (Long) r[0]).toList());
    assertThat(texts(back)).contains("[1, name 1, ü]", "[7, null]");
  }

  @Test
  void aZipArchiveIsReadEntryByEntryAsOneText() throws IOException {
    Path archive = dir.resolve("orders.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
      zip.putNextEntry(new ZipEntry("part1/"));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("part1/a.csv"));
      zip.write("1,one\n2,two\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("b.csv"));
      zip.write("3,three\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    assertThat(texts(readBack(archive, Map.of("header", false))))
        .containsExactly("[1, one]", "[2, two]", "[3, three]");
  }

  @Test
  void aFileThatIsNotBzip2IsReportedAsSuch() throws IOException {
    Path fake = dir.resolve("fake.csv.bz2");
    Files.writeString(fake, "id,name\n1,x\n");
    assertThat(source(Map.of("path", fake.toString()), new TestContext(dir)).check())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("path");
              assertThat(p.message()).contains("fake.csv.bz2").contains("bzip2");
            });
  }

  @Test
  void zipIsReadOnly() {
    assertThatThrownBy(
            () ->
                sink(
                    Map.of("path", dir.resolve("out.csv").toString(), "compression", "zip"),
                    new TestContext(dir)))
        .isInstanceOfSatisfying(
            InvalidOptionsException.class,
            e ->
                assertThat(e.problems())
                    .extracting(OptionProblem::option)
                    .containsExactly("compression"));
    assertThatThrownBy(
            () -> sink(Map.of("path", dir.resolve("out.zip").toString()), new TestContext(dir)))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("compression")
        .hasMessageContaining("gzip or bzip2");
  }

  @Test
  void appendAddsTheRunsRowsAfterTheFilesOwnWithoutASecondHeader() throws IOException {
    Path target = dir.resolve("log.csv");
    // A missing file is created with the header.
    Sink first = sink(Map.of("path", target.toString(), "append", true), new TestContext(dir));
    assertThat(first.check()).isEmpty();
    writeAll(first, SCHEMA, rows(0, 3), 1);
    assertThat(Files.readString(target))
        .isEqualTo("id,name\n0,\n1,\"name 1, ü\"\n2,\"name 2, ü\"\n");

    // An existing file is not a problem with append, and gets no second header.
    Sink second = sink(Map.of("path", target.toString(), "append", true), new TestContext(dir));
    assertThat(second.check()).isEmpty();
    writeAll(second, SCHEMA, rows(3, 5), 1);
    assertThat(Files.readString(target))
        .isEqualTo(
            "id,name\n0,\n1,\"name 1, ü\"\n2,\"name 2, ü\"\n3,\"name 3, ü\"\n4,\"name 4, ü\"\n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("log.csv");
    }
  }

  @Test
  void appendedGzipStaysOneValidFile() throws IOException {
    Path target = dir.resolve("log.tsv.gz");
    Map<String, Object> options =
        Map.of("path", target.toString(), "format", "tsv", "append", true);
    writeAll(sink(options, new TestContext(dir)), SCHEMA, rows(0, 10), 2);
    writeAll(sink(options, new TestContext(dir)), SCHEMA, rows(10, 20), 3);
    List<Object[]> back = readBack(target, Map.of("format", "tsv"));
    assertThat(back.stream().map(r -> (Long) r[0]).sorted().toList())
        .isEqualTo(rows(0, 20).stream().map(r -> (Long) r[0]).toList());
  }

  @Test
  void aCommitDoneAgainAfterACrashMidAppendCutsBackAndAppendsOnce() throws IOException {
    Path target = dir.resolve("log.csv");
    Files.writeString(target, "id,name\n100,old\n");
    long before = Files.size(target);
    TestContext context = new TestContext(dir);
    Sink sink = sink(Map.of("path", target.toString(), "append", true), context);
    sink.prepare(SCHEMA);
    SinkWriter writer = sink.createWriter(0);
    writer.beginSplit(0);
    RowBatch batch = new RowBatch(2, 4);
    batch.addRow(1L, "a");
    batch.addRow(2L, "b");
    writer.write(batch);
    writer.flush();
    writer.endSplit(0);
    writer.close();
    // The state a crash leaves after the marker was written and half the rows appended.
    Path marker = dir.resolve(".log.csv.ferry-file-test-run-append.tmp");
    Files.writeString(marker, before + "\n");
    try (OutputStream out =
        Files.newOutputStream(target, java.nio.file.StandardOpenOption.APPEND)) {
      out.write("1,a\n2,".getBytes(StandardCharsets.US_ASCII));
    }

    Sink resumed = sink(Map.of("path", target.toString(), "append", true), context);
    resumed.prepare(SCHEMA);
    resumed.commit();
    assertThat(Files.readString(target)).isEqualTo("id,name\n100,old\n1,a\n2,b\n");
    assertThat(marker).doesNotExist();

    // Done once more (the run recorded as done was lost): nothing is appended twice.
    resumed.commit();
    assertThat(Files.readString(target)).isEqualTo("id,name\n100,old\n1,a\n2,b\n");
  }

  @Test
  void anAbortAfterAnInterruptedAppendCutsTheFileBack() throws IOException {
    Path target = dir.resolve("log.csv");
    Files.writeString(target, "id,name\n100,old\n");
    long before = Files.size(target);
    Sink sink = sink(Map.of("path", target.toString(), "append", true), new TestContext(dir));
    sink.prepare(SCHEMA);
    Files.writeString(dir.resolve(".log.csv.ferry-file-test-run-append.tmp"), before + "\n");
    Files.writeString(target, "id,name\n100,old\n1,a\n", java.nio.file.StandardOpenOption.APPEND);
    sink.abort();
    assertThat(Files.readString(target)).isEqualTo("id,name\n100,old\n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("log.csv");
    }
  }

  @Test
  void appendRefusesOverwriteAndSeveralFiles() {
    for (Map<String, Object> options :
        List.<Map<String, Object>>of(
            Map.of("append", true, "overwrite", true),
            Map.of("append", true, "fileMode", "perSplit"))) {
      Map<String, Object> all = new java.util.HashMap<>(options);
      all.put("path", dir.resolve("out.csv").toString());
      assertThatThrownBy(() -> sink(all, new TestContext(dir)))
          .isInstanceOfSatisfying(
              InvalidOptionsException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(OptionProblem::option)
                      .containsExactly("append"));
    }
  }

  @Test
  void dateFormatWritesDatesAndTimestampsWithThePattern() throws IOException {
    Schema schema =
        Schema.of(
            Column.of("d", DataType.DATE),
            Column.of("t", DataType.timestamp(3)),
            Column.of("tz", DataType.timestampTz(0)));
    Path target = dir.resolve("dates.csv");
    writeAll(
        sink(
            Map.of("path", target.toString(), "dateFormat", "yyyy/MM/dd HH:mm"),
            new TestContext(dir)),
        schema,
        List.<Object[]>of(
            new Object[] {
              LocalDate.of(2024, 5, 1),
              LocalDateTime.of(2024, 5, 1, 13, 45, 30, 123_000_000),
              OffsetDateTime.of(2024, 5, 1, 23, 5, 0, 0, ZoneOffset.ofHours(8))
            },
            new Object[] {null, LocalDateTime.MAX, null}),
        1);
    assertThat(Files.readString(target))
        .isEqualTo("d,t,tz\n2024/05/01 00:00,2024/05/01 13:45,2024/05/01 23:05\n,infinity,\n");
  }

  @Test
  void dateFormatIsCheckedAndOnlyForDelimitedText() {
    for (Map<String, Object> options :
        List.<Map<String, Object>>of(
            Map.of("dateFormat", "yyyy-MM-dd'T"),
            Map.of("dateFormat", "yyyy-MM-dd XXX"),
            Map.of("dateFormat", "yyyy", "format", "jsonl"))) {
      Map<String, Object> all = new java.util.HashMap<>(options);
      all.put("path", dir.resolve("out.txt").toString());
      assertThatThrownBy(() -> sink(all, new TestContext(dir)))
          .isInstanceOfSatisfying(
              InvalidOptionsException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(OptionProblem::option)
                      .containsExactly("dateFormat"));
    }
  }
}
