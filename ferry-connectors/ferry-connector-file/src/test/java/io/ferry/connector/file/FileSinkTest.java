package io.ferry.connector.file;

import static io.ferry.connector.file.FileTestSupport.sink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCategory;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
  static final Schema SCHEMA =
      Schema.of(Column.of("id", DataType.INT32), Column.of("name", DataType.STRING));

  @TempDir Path dir;

  private static RowBatch batch(int from, int to) {
    RowBatch batch = new RowBatch(2, to - from);
    for (int i = from; i < to; i++) {
      batch.addRow(i, i % 3 == 0 ? null : i % 3 == 1 ? "" : "n,\"" + i + "\"");
    }
    return batch;
  }

  /** Writes {@code batch} as split {@code split}, flushed and ended, as the engine does. */
  private static void writeSplit(SinkWriter writer, int split, RowBatch batch) {
    writer.beginSplit(split);
    writer.write(batch);
    writer.flush();
    writer.endSplit(split);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void nothingAppearsAtPathBeforeCommitAndAbortRemovesTheParts() throws IOException {
    Path target = dir.resolve("out.csv");
    Sink sink = sink(Map.of("path", target.toString()), new TestContext(dir));
    assertThat(sink.check()).isEmpty();
    sink.prepare(SCHEMA);
    SinkWriter writer = sink.createWriter(0);
    writeSplit(writer, 0, batch(0, 10));
    writer.beginSplit(1);
    writer.write(batch(10, 12));
    writer.flush();

    assertThat(target).doesNotExist();
    assertThat(files())
        .containsExactly(
            ".out.csv.ferry-file-test-run-00000-0.done",
            ".out.csv.ferry-file-test-run-00001-0.tmp");
    assertThat(Files.readString(dir.resolve(".out.csv.ferry-file-test-run-00000-0.done")))
        .startsWith("id,name\n0,\n1,\"\"\n2,\"n,\"\"2\"\"\"\n");

    writer.close();
    sink.abort();
    assertThat(files()).isEmpty();
  }

  @Test
  void commitReplacesAnExistingFileOnlyWithOverwrite() throws IOException {
    Path target = dir.resolve("out.tsv");
    Files.writeString(target, "old\n");
    TestContext context = new TestContext(dir);
    assertThat(sink(Map.of("path", target.toString(), "format", "tsv"), context).check())
        .extracting(OptionProblem::option)
        .containsExactly("path");

    Sink sink =
        sink(Map.of("path", target.toString(), "format", "tsv", "overwrite", true), context);
    assertThat(sink.check()).isEmpty();
    sink.prepare(SCHEMA);
    SinkWriter writer = sink.createWriter(0);
    writeSplit(writer, 0, batch(0, 3));
    assertThat(Files.readString(target)).isEqualTo("old\n");
    writer.close();
    sink.commit();

    assertThat(Files.readString(target)).isEqualTo("id\tname\n0\t\\N\n1\t\n2\tn,\"2\"\n");
    assertThat(files()).containsExactly("out.tsv");
  }

  @Test
  void mergedGzipHasOneHeaderAndTheSplitsInPlanOrderWhateverWroteThem() throws IOException {
    Path target = dir.resolve("sub/merged.csv.gz");
    Sink sink = sink(Map.of("path", target.toString()), new TestContext(dir));
    sink.prepare(SCHEMA);
    SinkWriter[] writers = {sink.createWriter(1), sink.createWriter(0)};
    writeSplit(writers[0], 2, batch(20, 21));
    writeSplit(writers[1], 1, batch(10, 12));
    writeSplit(writers[0], 0, batch(0, 2));
    for (SinkWriter w : writers) {
      w.close();
    }
    assertThat(target).doesNotExist();
    sink.commit();

    try (InputStream in = new GZIPInputStream(Files.newInputStream(target))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("id,name\n0,\n1,\"\"\n10,\"\"\n11,\"n,\"\"11\"\"\"\n20,\"n,\"\"20\"\"\"\n");
    }
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void mergedWithoutRowsStillWritesTheHeader() throws IOException {
    Path target = dir.resolve("m.csv");
    Sink sink = sink(Map.of("path", target.toString()), new TestContext(dir));
    sink.prepare(SCHEMA);
    sink.createWriter(0).close();
    sink.commit();
    assertThat(Files.readString(target)).isEqualTo("id,name\n");
  }

  @Test
  void aResumedRunKeepsFinishedSplitsAndWritesTheOthersAgain() throws IOException {
    Path target = dir.resolve("r.csv");
    Map<String, Object> options = Map.of("path", target.toString());
    Sink first = sink(options, new TestContext(dir));
    first.prepare(SCHEMA);
    SinkWriter writer = first.createWriter(0);
    writeSplit(writer, 1, batch(10, 12));
    writer.beginSplit(0);
    writer.write(batch(0, 1));
    writer.flush();
    writer.close(); // the process dies: split 0 unfinished, nothing published
    first.close();
    assertThat(target).doesNotExist();

    Sink second = sink(options, new TestContext(dir));
    assertThat(second.resumeModel().resumable()).isTrue();
    assertThat(second.resumeModel()).isInstanceOf(SinkResume.WholeSplit.class);
    ((SinkResume.Resumable) second.resumeModel()).reopen(SCHEMA);
    ((SinkResume.WholeSplit) second.resumeModel()).discardSplit(0);
    writer = second.createWriter(1);
    writeSplit(writer, 0, batch(0, 2));
    writer.close();
    second.commit();

    assertThat(Files.readString(target))
        .isEqualTo("id,name\n0,\n1,\"\"\n10,\"\"\n11,\"n,\"\"11\"\"\"\n");
    assertThat(files()).containsExactly("r.csv");
  }

  @Test
  void aCommitRepeatedAfterACrashDoesNotEmptyThePublishedFile() throws IOException {
    Path target = dir.resolve("c.csv");
    Map<String, Object> options = Map.of("path", target.toString(), "overwrite", true);
    Sink first = sink(options, new TestContext(dir));
    first.prepare(SCHEMA);
    SinkWriter writer = first.createWriter(0);
    writeSplit(writer, 0, batch(0, 2));
    writer.close();
    first.commit(); // ... and the process died before the run was recorded as done

    Sink second = sink(options, new TestContext(dir));
    ((SinkResume.Resumable) second.resumeModel()).reopen(SCHEMA);
    second.commit();
    assertThat(Files.readString(target)).isEqualTo("id,name\n0,\n1,\"\"\n");
  }

  @Test
  void perWriterNamesEachFileAfterThePathWithAFiveDigitIndex() throws IOException {
    Path target = dir.resolve("orders.csv.gz");
    Files.writeString(dir.resolve("orders-00007.csv.gz"), "stale");
    TestContext context = new TestContext(dir);
    Map<String, Object> options =
        Map.of("path", target.toString(), "fileMode", "perWriter", "format", "jsonl");
    assertThat(sink(options, context).check())
        .extracting(OptionProblem::option)
        .containsExactly("path");

    Sink sink =
        sink(
            Map.of(
                "path",
                target.toString(),
                "fileMode",
                "perWriter",
                "format",
                "jsonl",
                "overwrite",
                true),
            context);
    sink.prepare(SCHEMA);
    for (int w = 0; w < 3; w++) {
      SinkWriter writer = sink.createWriter(w);
      writeSplit(writer, w, batch(w, w + 1));
      writer.close();
    }
    sink.commit();

    assertThat(files())
        .containsExactly("orders-00000.csv.gz", "orders-00001.csv.gz", "orders-00002.csv.gz");
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(dir.resolve("orders-00001.csv.gz")))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"id\":1,\"name\":\"\"}\n");
    }
  }

  @Test
  void perWriterCsvStartsEveryFileWithTheHeader() throws IOException {
    Path target = dir.resolve("p.csv");
    Sink sink =
        sink(Map.of("path", target.toString(), "fileMode", "perWriter"), new TestContext(dir));
    sink.prepare(SCHEMA);
    SinkWriter w0 = sink.createWriter(0);
    SinkWriter w1 = sink.createWriter(1);
    writeSplit(w1, 0, batch(0, 1));
    writeSplit(w0, 1, batch(10, 11));
    writeSplit(w1, 2, batch(20, 21));
    w0.close();
    w1.close();
    sink.commit();
    assertThat(Files.readString(dir.resolve("p-00000.csv"))).isEqualTo("id,name\n10,\"\"\n");
    assertThat(Files.readString(dir.resolve("p-00001.csv")))
        .isEqualTo("id,name\n0,\n20,\"n,\"\"20\"\"\"\n");
  }

  @Test
  void perSplitMakesEachSplitAFileWithItsHeaderAndOnlyRenamesAtCommit() throws IOException {
    Path target = dir.resolve("s.csv");
    Sink sink =
        sink(Map.of("path", target.toString(), "fileMode", "perSplit"), new TestContext(dir));
    sink.prepare(SCHEMA);
    SinkWriter w0 = sink.createWriter(0);
    SinkWriter w1 = sink.createWriter(1);
    writeSplit(w1, 0, batch(0, 1));
    writeSplit(w0, 1, batch(10, 11));
    writeSplit(w1, 2, batch(20, 21));
    w0.close();
    w1.close();
    assertThat(files()).allMatch(name -> name.startsWith("."));
    sink.commit();
    assertThat(files()).containsExactly("s-00000.csv", "s-00001.csv", "s-00002.csv");
    assertThat(Files.readString(dir.resolve("s-00000.csv"))).isEqualTo("id,name\n0,\n");
    assertThat(Files.readString(dir.resolve("s-00001.csv"))).isEqualTo("id,name\n10,\"\"\n");
  }

  @Test
  void tsvValuesThatWouldReadAsNullAreDirtyRows() throws IOException {
    TestContext context = new TestContext(dir);
    Path target = dir.resolve("t.tsv");
    Sink sink =
        sink(Map.of("path", target.toString(), "format", "tsv", "nullMarker", "NULL"), context);
    sink.prepare(SCHEMA);
    SinkWriter writer = sink.createWriter(0);
    RowBatch batch = new RowBatch(2, 2);
    batch.addRow(1, "NULL");
    batch.addRow(2, null);
    writeSplit(writer, 0, batch);
    writer.close();
    sink.commit();
    assertThat(Files.readString(target)).isEqualTo("id\tname\n2\tNULL\n");
    assertThat(context.dirty)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.column()).isEqualTo("name");
              assertThat(d.location()).isEqualTo(target + ":row 1");
              assertThat(d.reason()).contains("nullMarker");
            });
  }

  /**
   * A path where no file can ever be written (issue 14, item 10): under /proc the folder cannot be
   * created, nor a file in /proc itself, even by root, for whom the permissions say yes. The check
   * names path, and a run that gets to prepare fails as the user's error instead of pausing as if a
   * retry could help.
   */
  @Test
  void aPathWhereNoFileCanBeWrittenIsTheUsersErrorOnPath() {
    for (String path : List.of("/proc/ferry-no-such-folder/out.csv", "/proc/out.csv")) {
      Sink sink = sink(Map.of("path", path), new TestContext(dir));
      List<OptionProblem> problems = sink.check();
      assertThat(problems).as(path).extracting(OptionProblem::option).containsExactly("path");
      assertThat(problems.get(0).message()).as(path).contains("cannot write in /proc");

      FerryException e = catchThrowableOfType(FerryException.class, () -> sink.prepare(SCHEMA));
      assertThat(e.option()).as(path).isEqualTo("path");
      assertThat(e.retriable()).as("%s: retriable", path).isFalse();
      assertThat(e.category()).as(path).isEqualTo(ErrorCategory.USER);
      assertThat(e.getMessage()).as(path).contains("cannot write files in /proc");
    }
  }

  @Test
  void checkRejectsADirectoryAsPath() {
    Sink sink = sink(Map.of("path", dir.toString()), new TestContext(dir));
    assertThat(sink.check())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("path"));
    assertThatThrownBy(() -> sink.createWriter(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anOutputThatAppearsDuringTheRunIsNotReplaced() throws IOException {
    Path target = dir.resolve("late.csv");
    Sink sink = sink(Map.of("path", target.toString()), new TestContext(dir));
    sink.prepare(SCHEMA);
    SinkWriter writer = sink.createWriter(0);
    writeSplit(writer, 0, batch(0, 1));
    writer.close();
    Files.writeString(target, "someone else's");
    assertThatThrownBy(sink::commit)
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("late.csv appeared");
    assertThat(Files.readString(target)).isEqualTo("someone else's");
  }
}
