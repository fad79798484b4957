package io.ferry.connector.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** Write modes, Hive partition folders, text snappy, and option errors, on a real HDFS. */
class HdfsWriteModesTest {
  private static final Schema SCHEMA =
      Schema.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING));

  private static Map<String, Object> sink(String folder, String mode, String type) {
    Map<String, Object> options = TestHdfs.connection();
    options.put("path", folder);
    options.put("fileName", "orders");
    options.put("writeMode", mode);
    options.put("fileType", type);
    return options;
  }

  private static List<Object[]> rows(long from, int count) {
    return java.util.stream.LongStream.range(from, from + count)
        .mapToObj(i -> new Object[] {i, "n" + i})
        .toList();
  }

  private static List<String> files(String folder) throws IOException {
    return Arrays.stream(TestHdfs.fs().listStatus(new Path(folder)))
        .map(FileStatus::getPath)
        .map(Path::getName)
        .sorted()
        .toList();
  }

  private static List<Long> ids(Map<String, Object> sink, String folder) {
    return TestHdfs.read(TestHdfs.readOptions(sink, folder, SCHEMA), new TestConnectorContext("r"))
        .stream()
        .map(r -> (Long) r[0])
        .sorted()
        .toList();
  }

  @Test
  void appendAddsOverwriteReplacesNonConflictRefuses() throws IOException {
    String folder = TestHdfs.folder("warehouse/orders") + "/dt=20240501";
    TestHdfs.write(
        sink(folder, "nonConflict", "parquet"),
        SCHEMA,
        rows(0, 3),
        2,
        new TestConnectorContext("a"));
    TestHdfs.write(
        sink(folder, "append", "parquet"), SCHEMA, rows(10, 2), 1, new TestConnectorContext("b"));
    assertThat(ids(sink(folder, "append", "parquet"), folder))
        .containsExactly(0L, 1L, 2L, 10L, 11L);
    assertThat(files(folder)).hasSize(3).allMatch(f -> f.startsWith("orders__"));

    assertThatThrownBy(
            () ->
                TestHdfs.write(
                    sink(folder, "nonConflict", "parquet"),
                    SCHEMA,
                    rows(20, 1),
                    1,
                    new TestConnectorContext("c")))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("writeMode nonConflict")
        .hasMessageContaining(folder);

    TestHdfs.fs().create(new Path(folder, "other.txt")).close();
    TestHdfs.write(
        sink(folder, "overwrite", "parquet"),
        SCHEMA,
        rows(30, 2),
        1,
        new TestConnectorContext("d"));
    // overwrite deletes the older files named with the prefix, not other files
    assertThat(files(folder)).hasSize(2).contains("other.txt");
    TestHdfs.fs().delete(new Path(folder, "other.txt"), false);
    assertThat(ids(sink(folder, "append", "parquet"), folder)).containsExactly(30L, 31L);
  }

  @Test
  void textSnappyAndZstdRoundTripWithTheDataxDelimiter() {
    for (String codec : List.of("snappy", "zstd", "bzip2")) {
      String folder = TestHdfs.folder("text-" + codec);
      Map<String, Object> options = sink(folder, "append", "text");
      options.put("compression", codec);
      options.put("format", "tsv");
      options.put("delimiter", "\u0001");
      TestHdfs.write(options, SCHEMA, rows(0, 50), 2, new TestConnectorContext(codec));
      List<Object[]> back =
          TestHdfs.read(
              TestHdfs.readOptions(options, folder, SCHEMA), new TestConnectorContext("r"));
      assertThat(back).hasSize(50);
      assertThat(back.get(49)).containsExactly(49L, "n49");
    }
  }

  @Test
  void resumedRunKeepsFinishedSplitsAndWritesTheOthersAgain() throws IOException {
    String folder = TestHdfs.folder("resume");
    Map<String, Object> options = sink(folder, "nonConflict", "orc");
    TestConnectorContext context = new TestConnectorContext("resume");
    var role = new HdfsConnector().sink().orElseThrow();
    try (var sink = role.create(role.options().parse(options), context)) {
      sink.prepare(SCHEMA);
      var writer = sink.createWriter(0);
      writer.beginSplit(0);
      writer.write(batch(rows(0, 5)));
      writer.endSplit(0);
      writer.beginSplit(1);
      writer.write(batch(rows(5, 5))); // the crash: split 1 never ends
      writer.close();
    }
    assertThat(files(folder)).noneMatch(RunFiles::visible);
    try (var sink = role.create(role.options().parse(options), context)) {
      var resume = (io.ferry.spi.SinkResume.WholeSplit) sink.resumeModel();
      resume.reopen(SCHEMA);
      resume.discardSplit(1);
      try (var writer = sink.createWriter(0)) {
        writer.beginSplit(1);
        writer.write(batch(rows(5, 5)));
        writer.endSplit(1);
      }
      sink.commit();
    }
    assertThat(ids(options, folder)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(files(folder)).hasSize(2).allMatch(RunFiles::visible);
  }

  private static io.ferry.spi.RowBatch batch(List<Object[]> rows) {
    io.ferry.spi.RowBatch batch = new io.ferry.spi.RowBatch(2, rows.size());
    rows.forEach(batch::addRow);
    return batch;
  }

  @Test
  void fieldsByPositionReadsDataxIndexesWithWideningConversions() {
    Schema written =
        Schema.of(
            Column.of("id", DataType.INT32),
            Column.of("price", DataType.decimal(10, 2)),
            Column.of("day", DataType.DATE));
    for (String type : List.of("orc", "parquet")) {
      String folder = TestHdfs.folder("position-" + type);
      Map<String, Object> options = sink(folder, "append", type);
      TestHdfs.write(
          options,
          written,
          List.<Object[]>of(
              new Object[] {
                7, new java.math.BigDecimal("12.50"), java.time.LocalDate.of(2024, 5, 1)
              },
              new Object[] {null, null, null}),
          1,
          new TestConnectorContext(type));
      Map<String, Object> read = TestHdfs.connection();
      read.put("fileType", type);
      read.put("path", folder);
      read.put("fieldsByPosition", true);
      // DataX's long, double and date over int, decimal and date fields; names need not match
      read.put("columns", List.of("c0 int64", "c1 float64", "c2 timestamp"));
      List<Object[]> back = TestHdfs.read(read, new TestConnectorContext("r"));
      assertThat(back)
          .containsExactly(
              new Object[] {7L, 12.5, java.time.LocalDateTime.of(2024, 5, 1, 0, 0)},
              new Object[] {null, null, null});
      read.put("columns", List.of("c0 boolean"));
      assertThatThrownBy(() -> TestHdfs.read(read, new TestConnectorContext("r")))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("does not convert to boolean");
    }
  }

  @Test
  void declaredSinkColumnsAreTheTargetSchema() {
    var role = new HdfsConnector().sink().orElseThrow();
    Map<String, Object> options = sink("/declared", "append", "orc");
    options.put("columns", List.of("col1 int8", "col2 nosuchtype"));
    assertThatThrownBy(() -> role.options().parse(options))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("columns");
    options.put("columns", List.of("col1 int8", "col2 string"));
    try (var sink = role.create(role.options().parse(options), new TestConnectorContext("t"))) {
      assertThat(sink.targetSchema())
          .contains(
              Schema.of(Column.of("col1", DataType.INT8), Column.of("col2", DataType.STRING)));
    }
  }

  @Test
  void worksWhenTheThreadsClassLoaderCannotSeeHadoop() {
    // In a distribution the engine's threads carry the application's class loader, not the
    // connector folder's: Hadoop must not depend on it to find its file systems and codecs.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
    try {
      for (String type : List.of("text", "orc", "parquet")) {
        String folder = TestHdfs.folder("loader-" + type);
        Map<String, Object> options = sink(folder, "append", type);
        options.put("compression", "snappy");
        TestHdfs.write(options, SCHEMA, rows(0, 20), 2, new TestConnectorContext(type));
        assertThat(ids(options, folder)).hasSize(20);
      }
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @Test
  void optionErrorsNameTheOption() {
    var role = new HdfsConnector().sink().orElseThrow();
    Map<String, Object> options = sink("/x", "append", "orc");
    options.put("compression", "bzip2");
    options.put("delimiter", ",");
    assertThatThrownBy(
            () -> role.create(role.options().parse(options), new TestConnectorContext("o")))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("delimiter");
    options.remove("delimiter");
    assertThatThrownBy(
            () -> role.create(role.options().parse(options), new TestConnectorContext("o")))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("compression")
        .hasMessageContaining("bzip2");
    Map<String, Object> kerberos = sink("/x", "append", "orc");
    kerberos.put("hadoopConfig", Map.of("hadoop.security.authentication", "kerberos"));
    assertThatThrownBy(() -> role.options().parse(kerberos))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("hadoopConfig")
        .hasMessageContaining("Kerberos");
  }
}
