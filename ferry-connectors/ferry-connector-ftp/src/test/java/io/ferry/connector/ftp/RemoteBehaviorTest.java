package io.ferry.connector.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.file.WholeFileSplit;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Connector;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** What the ftp and sftp connectors do beyond the shared suites, run against each server. */
abstract class RemoteBehaviorTest {
  private static final Schema SCHEMA = TestDatasets.standardSchema(type -> true);

  protected TestConnectorContext context;
  protected Path dir;

  abstract Connector connector();

  /** Options that reach the server, without path and format. */
  abstract Map<String, Object> connection();

  @BeforeEach
  void setUp(TestInfo test) throws IOException {
    context =
        new TestConnectorContext(
            getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName());
    dir = Files.createDirectories(context.workDirectory().resolve("data"));
  }

  Source source(Map<String, Object> extra) {
    Map<String, Object> options = new HashMap<>(connection());
    options.putAll(extra);
    Connector.Role<Source> role = connector().source().orElseThrow();
    return role.create(role.options().parse(options), context);
  }

  Sink sink(Map<String, Object> extra) {
    Map<String, Object> options = new HashMap<>(connection());
    options.putAll(extra);
    Connector.Role<Sink> role = connector().sink().orElseThrow();
    return role.create(role.options().parse(options), context);
  }

  private List<Object[]> rows(int n) {
    return TestDatasets.standardRows(SCHEMA, n);
  }

  private void writeLocal(String name, List<Object[]> rows) {
    LocalFiles.write(dir.resolve(name), Map.of("format", "csv"), SCHEMA, rows, context);
  }

  private Map<String, Object> csvSource(String path) {
    return Map.of("path", path, "format", "csv", "columns", LocalFiles.columns(SCHEMA));
  }

  @Test
  void wildcardsMatchVisibleFilesInOneFolder() throws IOException {
    writeLocal("a-1.csv", rows(3));
    writeLocal("a-2.csv", rows(4));
    writeLocal("b.csv", rows(5));
    writeLocal(".a-3.csv", rows(1)); // hidden: a part in progress
    Files.createDirectories(dir.resolve("a-4.csv")); // a folder is not a file
    String remote = TestServers.remote(dir);

    try (Source source = source(csvSource(remote + "/a-*.csv"))) {
      assertThat(source.check()).isEmpty();
      assertThat(source.planner().plan(4))
          .extracting(Split::id)
          .containsExactly(remote + "/a-1.csv", remote + "/a-2.csv");
      assertThat(Rows.readSequentially(source, source.planner().plan(4))).hasSize(7);
    }
    try (Source source = source(csvSource(remote + "/?-2.csv"))) {
      assertThat(source.planner().plan(1))
          .extracting(Split::id)
          .containsExactly(remote + "/a-2.csv");
    }
    try (Source source = source(csvSource(remote))) {
      assertThat(source.planner().plan(1))
          .extracting(Split::id)
          .containsExactly(remote + "/a-1.csv", remote + "/a-2.csv", remote + "/b.csv");
    }
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class, () -> source(csvSource(remote + "/*/a-1.csv")));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("path");
  }

  @Test
  void reportsAMissingPathOnPath() {
    try (Source source = source(csvSource(TestServers.remote(dir) + "/nothing-*.csv"))) {
      assertThat(source.check())
          .singleElement()
          .satisfies(p -> assertThat(p.option()).isEqualTo("path"))
          .satisfies(p -> assertThat(p.message()).contains("matches no file"));
    }
  }

  @Test
  void resumesAPlainFileFromAnOffset() {
    writeLocal("big.csv", rows(500));
    Map<String, Object> options = new HashMap<>(csvSource(TestServers.remote(dir) + "/big.csv"));
    options.put("batchSize", 50);
    try (Source source = source(options)) {
      Split split = source.planner().plan(1).get(0);
      List<Rows.ReadBatch> full = Rows.readBatches(source, split, null);
      assertThat(full).hasSize(10);
      Position after = full.get(3).position();
      List<Object[]> resumed = new ArrayList<>(Rows.rowsOf(full.subList(0, 4)));
      resumed.addAll(Rows.rowsOf(Rows.readBatches(source, split, after)));
      Rows.assertRowsEqual(SCHEMA, resumed, rows(500));
    }
  }

  @Test
  void writesAndReadsGzip() {
    String remote = TestServers.remote(dir) + "/out.csv.gz";
    List<Object[]> rows = rows(300);
    try (Sink sink = sink(Map.of("path", remote, "format", "csv"))) {
      assertThat(sink.check()).isEmpty();
      sink.prepare(SCHEMA);
      for (int split = 0; split < 3; split++) {
        try (SinkWriter writer = sink.createWriter(split)) {
          writer.beginSplit(split);
          LocalFiles.write(writer, SCHEMA, rows.subList(split * 100, split * 100 + 100));
          writer.flush();
          writer.endSplit(split);
        }
      }
      sink.commit();
    }
    // A valid (multi-member) gzip file, as the file connector reads it locally...
    Rows.assertRowsEqual(
        SCHEMA,
        LocalFiles.read(dir.resolve("out.csv.gz").toString(), Map.of(), SCHEMA, context),
        rows);
    // ...and as this connector reads it back, resuming by skipping decompressed bytes.
    Map<String, Object> options = new HashMap<>(csvSource(remote));
    options.put("batchSize", 64);
    try (Source source = source(options)) {
      Split split = source.planner().plan(1).get(0);
      List<Rows.ReadBatch> full = Rows.readBatches(source, split, null);
      List<Object[]> resumed = new ArrayList<>(Rows.rowsOf(full.subList(0, 2)));
      resumed.addAll(Rows.rowsOf(Rows.readBatches(source, split, full.get(1).position())));
      Rows.assertRowsEqual(SCHEMA, resumed, rows);
    }
  }

  private void appendRun(Map<String, Object> options, List<Object[]> rows, int splits) {
    try (Sink sink = sink(options)) {
      assertThat(sink.check()).isEmpty();
      sink.prepare(SCHEMA);
      int each = rows.size() / splits;
      try (SinkWriter writer = sink.createWriter(0)) {
        for (int split = 0; split < splits; split++) {
          writer.beginSplit(split);
          LocalFiles.write(writer, SCHEMA, rows.subList(split * each, (split + 1) * each));
          writer.flush();
          writer.endSplit(split);
        }
      }
      sink.commit();
    }
  }

  /**
   * append: true on the server: a missing file is created with the header, later runs add their
   * rows at its end without a second header, and nothing of a run is left beside it.
   */
  @Test
  void appendAddsEachRunsRowsToTheFileOnTheServer() throws IOException {
    Map<String, Object> options =
        Map.of("path", TestServers.remote(dir) + "/log.csv", "append", true);
    List<Object[]> rows = rows(300);
    appendRun(options, rows.subList(0, 100), 2);
    appendRun(options, rows.subList(100, 300), 4);
    assertThat(Files.readString(dir.resolve("log.csv")).lines().filter(l -> l.startsWith("id,")))
        .as("one header")
        .hasSize(1);
    Rows.assertRowsEqual(
        SCHEMA,
        LocalFiles.read(dir.resolve("log.csv").toString(), Map.of(), SCHEMA, context),
        rows);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("log.csv");
    }
  }

  /**
   * A commit done again after a crash midway through the append (the start marker written, some of
   * the run's bytes on the server) rewrites the file from its length before the run: the run's rows
   * are in it once; an abort after such a crash cuts the file back.
   */
  @Test
  void appendAfterACrashMidAppendKeepsTheRunsRowsOnce() throws IOException {
    String remote = TestServers.remote(dir) + "/log.csv";
    Map<String, Object> options = Map.of("path", remote, "append", true);
    List<Object[]> rows = rows(200);
    appendRun(options, rows.subList(0, 100), 1);
    String before = Files.readString(dir.resolve("log.csv"));
    Path marker = dir.resolve(".log.csv.ferry-" + context.runKey() + "-append.tmp");

    Sink sink = sink(options);
    sink.prepare(SCHEMA);
    try (SinkWriter writer = sink.createWriter(0)) {
      writer.beginSplit(0);
      LocalFiles.write(writer, SCHEMA, rows.subList(100, 200));
      writer.flush();
      writer.endSplit(0);
    }
    Files.writeString(
        marker, before.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\n");
    Files.writeString(dir.resolve("log.csv"), "half a ro", java.nio.file.StandardOpenOption.APPEND);
    sink.commit();
    sink.close();
    Rows.assertRowsEqual(
        SCHEMA,
        LocalFiles.read(dir.resolve("log.csv").toString(), Map.of(), SCHEMA, context),
        rows);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("log.csv");
    }

    String complete = Files.readString(dir.resolve("log.csv"));
    try (Sink aborted = sink(options)) {
      aborted.prepare(SCHEMA);
      Files.writeString(
          marker, complete.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\n");
      Files.writeString(dir.resolve("log.csv"), "1,x\n", java.nio.file.StandardOpenOption.APPEND);
      aborted.abort();
    }
    assertThat(Files.readString(dir.resolve("log.csv"))).isEqualTo(complete);
  }

  /**
   * A run is killed after two finished splits and half of a third: the resumed run keeps the
   * finished parts as they are, writes the other splits again, and every row is there once.
   */
  @Test
  void resumesAKilledSinkKeepingFinishedSplits() throws IOException {
    Map<String, Object> options =
        Map.of("path", TestServers.remote(dir) + "/orders.csv", "fileMode", "perSplit");
    List<Object[]> rows = rows(400);
    Sink first = sink(options);
    assertThat(first.check()).isEmpty();
    first.prepare(SCHEMA);
    SinkWriter writer = first.createWriter(0);
    for (int split = 0; split < 2; split++) {
      writer.beginSplit(split);
      LocalFiles.write(writer, SCHEMA, rows.subList(split * 100, split * 100 + 100));
      writer.flush();
      writer.endSplit(split);
    }
    writer.beginSplit(2);
    LocalFiles.write(writer, SCHEMA, rows.subList(200, 250));
    writer.flush();
    writer.close(); // killed: no endSplit, no commit, no abort
    first.close();

    Map<String, FileTime> finished = hidden(".done");
    assertThat(finished).hasSize(2);
    // The server ends an abandoned upload on its own time: wait for the unfinished part.
    for (int i = 0; i < 100 && hidden(".tmp").isEmpty(); i++) {
      sleep(20);
    }
    assertThat(hidden(".tmp")).hasSize(1);
    assertThat(Files.list(dir).filter(f -> !f.getFileName().toString().startsWith("."))).isEmpty();

    try (Sink second = sink(options)) {
      ((SinkResume.Resumable) second.resumeModel()).reopen(SCHEMA);
      ((SinkResume.WholeSplit) second.resumeModel()).discardSplit(2);
      ((SinkResume.WholeSplit) second.resumeModel()).discardSplit(3);
      assertThat(hidden(".done")).as("finished parts are kept untouched").isEqualTo(finished);
      assertThat(hidden(".tmp")).as("the unfinished part is gone").isEmpty();
      try (SinkWriter again = second.createWriter(1)) {
        for (int split = 2; split < 4; split++) {
          again.beginSplit(split);
          LocalFiles.write(again, SCHEMA, rows.subList(split * 100, split * 100 + 100));
          again.flush();
          again.endSplit(split);
        }
      }
      second.commit();
    }
    assertThat(hidden("")).as("no part is left").isEmpty();
    List<Object[]> read =
        LocalFiles.read(dir.resolve("orders-*.csv").toString(), Map.of(), SCHEMA, context);
    Rows.assertRowsEqual(SCHEMA, read, rows);
    assertThat(context.dirtyRows().rows()).isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The hidden files in the data folder ending in {@code suffix}, with their times. */
  private Map<String, FileTime> hidden(String suffix) throws IOException {
    Map<String, FileTime> files = new HashMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(suffix)) {
          files.put(name, Files.getLastModifiedTime(f));
        }
      }
    }
    return files;
  }

  @Test
  void namesThePasswordWhenTheLoginFails() {
    writeLocal("a.csv", rows(2));
    Map<String, Object> options = new HashMap<>(csvSource(TestServers.remote(dir) + "/a.csv"));
    options.put("password", "wrong");
    try (Source source = source(options)) {
      assertThat(source.check())
          .singleElement()
          .satisfies(p -> assertThat(p.option()).isEqualTo("password"))
          .satisfies(p -> assertThat(p.message()).contains("login").doesNotContain("wrong"));
      FerryException e =
          catchThrowableOfType(
              FerryException.class,
              () ->
                  source.openReader(
                      new WholeFileSplit(TestServers.remote(dir) + "/a.csv", 1), null));
      assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
      assertThat(e.retriable()).isFalse();
    }
    Map<String, Object> sinkOptions = new HashMap<>();
    sinkOptions.put("path", TestServers.remote(dir) + "/out.csv");
    sinkOptions.put("password", "wrong");
    try (Sink sink = sink(sinkOptions)) {
      assertThat(sink.check()).extracting(OptionProblem::option).containsExactly("password");
    }
  }

  @Test
  void namesTheHostWhenNothingListens() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Map<String, Object> options = new HashMap<>(csvSource("/a.csv"));
    options.put("port", closed);
    options.put("maxRetries", 1);
    options.put("connectTimeout", "2s");
    try (Source source = source(options)) {
      assertThat(source.check())
          .singleElement()
          .satisfies(p -> assertThat(p.option()).isEqualTo("host"))
          .satisfies(p -> assertThat(p.message()).contains("127.0.0.1:" + closed));
    }
    options.put("host", "no-such-host.invalid");
    try (Source source = source(options)) {
      assertThat(source.check())
          .singleElement()
          .satisfies(p -> assertThat(p.option()).isEqualTo("host"))
          .satisfies(p -> assertThat(p.message()).contains("no-such-host.invalid"));
    }
  }
}
