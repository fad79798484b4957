package io.ferry.connector.file;

import static io.ferry.connector.file.FileTestSupport.canonical;
import static io.ferry.connector.file.FileTestSupport.readParallel;
import static io.ferry.connector.file.FileTestSupport.readSplit;
import static io.ferry.connector.file.FileTestSupport.sink;
import static io.ferry.connector.file.FileTestSupport.source;
import static io.ferry.connector.file.FileTestSupport.writeAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileSplitAndResumeTest {
  static final Schema SCHEMA =
      Schema.of(
          Column.of("id", DataType.INT64),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.decimal(12, 2)));
  static final List<String> COLUMNS = List.of("id int64", "name string", "amount decimal(12,2)");

  /** Rows of varying length, with multi-byte characters, so range ends fall anywhere. */
  static List<Object[]> rows(int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "name-" + i + "-" + "x€🚀".repeat(i % 13) + (i % 5 == 0 ? ",\"quoted\"" : "");
      rows.add(
          new Object[] {
            (long) i,
            i % 17 == 0 ? null : name,
            i % 11 == 0 ? null : new java.math.BigDecimal(i).movePointLeft(2).setScale(2)
          });
    }
    return rows;
  }

  private static Source writeThenOpen(
      Path dir, String format, String compression, int count, Map<String, Object> readOptions) {
    TestContext context = new TestContext(dir);
    Path file = dir.resolve("big." + format + (compression.equals("gzip") ? ".gz" : ""));
    writeAll(
        sink(Map.of("path", file.toString(), "format", format), context), SCHEMA, rows(count), 1);
    Map<String, Object> options = new HashMap<>(readOptions);
    options.put("path", file.toString());
    options.put("format", format);
    options.put("columns", COLUMNS);
    return source(options, context);
  }

  @ParameterizedTest
  @CsvSource({"tsv", "jsonl", "csv"})
  void byteRangesReadInParallelReturnEveryRecordExactlyOnce(String format, @TempDir Path dir)
      throws Exception {
    Map<String, Object> options = new HashMap<>(Map.of("splitSize", "64KB"));
    if (format.equals("csv")) {
      options.put("multiLine", false);
    }
    Source source = writeThenOpen(dir, format, "none", 60_000, options);
    assertThat(Files.size(dir.resolve("big." + format))).isGreaterThan(3L << 20);

    List<Split> splits = source.planner().plan(4);

    assertThat(splits).hasSizeGreaterThan(40);
    assertThat(splits.stream().map(Split::id).distinct()).hasSameSizeAs(splits);
    assertThat(canonical(readParallel(source, splits)))
        .containsExactlyInAnyOrderElementsOf(canonical(rows(60_000)));
  }

  @Test
  void multiLineCsvAndGzipFilesAreOneSplitEach(@TempDir Path dir) {
    Source csv = writeThenOpen(dir, "csv", "none", 20_000, Map.of("splitSize", "64KB"));
    assertThat(csv.planner().plan(4)).hasSize(1);
    Source gzip = writeThenOpen(dir, "tsv", "gzip", 20_000, Map.of("splitSize", "1KB"));
    assertThat(gzip.planner().plan(4)).hasSize(1);
  }

  @ParameterizedTest(name = "{0} {1} split {2}")
  @CsvSource({"csv, none, 0", "tsv, none, 0", "tsv, none, 3", "jsonl, none, 2", "csv, gzip, 0"})
  void resumingFromEveryPositionReadsExactlyTheRemainingRows(
      String format, String compression, int splitIndex, @TempDir Path dir) {
    Source source = writeThenOpen(dir, format, compression, 30_000, Map.of("splitSize", "256KB"));
    Split split = source.planner().plan(1).get(splitIndex);
    List<String> all = new ArrayList<>();
    List<Position> positions = new ArrayList<>();
    List<Integer> rowsBefore = new ArrayList<>();
    try (SplitReader reader = source.openReader(split, null)) {
      for (RowBatch batch = reader.next(); batch != null; batch = reader.next()) {
        for (int r = 0; r < batch.size(); r++) {
          all.add(canonical(batch.row(r)));
        }
        positions.add(batch.position());
        rowsBefore.add(all.size());
      }
    }
    assertThat(positions).hasSizeGreaterThan(1);

    for (int i = 0; i < positions.size(); i++) {
      Position position = positions.get(i);
      Position decoded = new Position(position.version(), position.bytes(), "from checkpoint");
      assertThat(canonical(readSplit(source, split, decoded)))
          .as("resumed after %s", position)
          .containsExactlyElementsOf(all.subList(rowsBefore.get(i), all.size()));
    }
  }

  @Test
  void positionsSayOffsetAndLine(@TempDir Path dir) {
    Source source = writeThenOpen(dir, "tsv", "none", 3_000, Map.of());
    try (SplitReader reader = source.openReader(source.planner().plan(1).get(0), null)) {
      assertThat(reader.next().position().description()).matches("offset \\d+, line 1026");
    }
  }

  @Test
  void aPositionOfAnotherVersionIsRejected(@TempDir Path dir) {
    Source source = writeThenOpen(dir, "tsv", "none", 10, Map.of());
    Split split = source.planner().plan(1).get(0);
    assertThatThrownBy(() -> source.openReader(split, new Position(99, new byte[16], "future")))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("version 99");
  }

  @Test
  void splitsSurviveTheCodec(@TempDir Path dir) {
    Source source = writeThenOpen(dir, "jsonl", "none", 20_000, Map.of("splitSize", "64KB"));
    for (Split split : source.planner().plan(2)) {
      Split decoded =
          source
              .splitCodec()
              .decode(source.splitCodec().version(), source.splitCodec().encode(split));
      assertThat(decoded).isEqualTo(split);
      assertThat(decoded.id()).isEqualTo(split.id());
      assertThat(decoded.estimatedBytes()).isEqualTo(split.estimatedBytes());
    }
    assertThatThrownBy(() -> source.splitCodec().decode(2, new byte[0]))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("version 2");
  }
}
