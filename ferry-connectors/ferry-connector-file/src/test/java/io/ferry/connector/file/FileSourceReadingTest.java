package io.ferry.connector.file;

import static io.ferry.connector.file.FileTestSupport.readAll;
import static io.ferry.connector.file.FileTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.DirtyRow;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Source;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceReadingTest {
  @TempDir Path dir;

  private TestContext context;

  private List<Object[]> read(String content, Map<String, Object> options) throws IOException {
    Path file = dir.resolve("input.txt");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Map<String, Object> all = new HashMap<>(options);
    all.put("path", file.toString());
    context = new TestContext(dir);
    return readAll(source(all, context));
  }

  private static List<String> texts(List<Object[]> rows) {
    return rows.stream().map(Arrays::toString).toList();
  }

  @Test
  void csvTellsNullFromEmptyStringAsPostgreSqlDoes() throws IOException {
    var rows = read("a,b\n,\"\"\n\"\",\nx,\n", Map.of());
    assertThat(texts(rows)).containsExactly("[null, ]", "[, null]", "[x, null]");
  }

  @Test
  void csvWithANullMarkerReadsOnlyTheUnquotedMarkerAsNull() throws IOException {
    var rows = read("a,b\nNULL,\"NULL\"\n,x\n", Map.of("nullMarker", "NULL"));
    assertThat(texts(rows)).containsExactly("[null, NULL]", "[, x]");
  }

  @Test
  void tsvReadsBackslashEscapesAndTheNullMarker() throws IOException {
    var rows =
        read(
            "a\tb\n\\N\t\n\\\\N\ttab\\there\nline\\nbreak\tback\\\\slash\\\tdelim\n",
            Map.of("format", "tsv"));
    assertThat(rows)
        .containsExactly(
            new Object[] {null, ""},
            new Object[] {"\\N", "tab\there"},
            new Object[] {"line\nbreak", "back\\slash\tdelim"});
  }

  @Test
  void csvValuesMaySpanLinesAndFilesMayUseCrlfAndAByteOrderMark() throws IOException {
    var rows = read("\uFEFFid,note\r\n1,\"two\r\nlines, \"\"quoted\"\"\"\r\n2,🚀\r\n", Map.of());
    assertThat(rows)
        .containsExactly(new Object[] {"1", "two\r\nlines, \"quoted\""}, new Object[] {"2", "🚀"});
  }

  @Test
  void headerColumnsAreMatchedToDeclaredColumnsByName() throws IOException {
    var rows =
        read(
            "extra,amount,id\nignored,12.50,7\n",
            Map.of(
                "columns", List.of("id int64", Map.of("name", "amount", "type", "decimal(5,2)"))));
    assertThat(rows).containsExactly(new Object[] {7L, new BigDecimal("12.50")});
  }

  @Test
  void recordsThatDoNotConvertBecomeDirtyRowsWithTheirLineAndColumn() throws IOException {
    var rows =
        read(
            "id,amount\n1,1.50\nx,2.00\n3\n4,4.00,extra\n5,\"5.00\"x\n6,6.00\n7,\"open\n",
            Map.of("columns", List.of("id int64", "amount decimal(5,2)"), "multiLine", false));

    assertThat(rows).extracting(r -> r[0]).containsExactly(1L, 6L);
    List<DirtyRow> dirty = context.dirty;
    assertThat(dirty)
        .extracting(DirtyRow::location)
        .containsExactly(location(3), location(4), location(5), location(6), location(8));
    DirtyRow badId = dirty.get(0);
    assertThat(badId.column()).isEqualTo("id");
    assertThat(badId.value()).isEqualTo("x");
    assertThat(badId.reason()).contains("column 'id'").contains("not a valid int64");
    assertThat(badId.row()).containsEntry("id", "x").containsEntry("amount", "2.00");
    assertThat(dirty.get(1).reason()).isEqualTo("the record has 1 fields, expected 2");
    assertThat(dirty.get(1).row()).containsEntry("_raw", "3");
    assertThat(dirty.get(2).reason()).isEqualTo("the record has 3 fields, expected 2");
    assertThat(dirty.get(3).reason()).startsWith("malformed csv");
    assertThat(dirty.get(4).reason()).contains("not closed").contains("multiLine");
  }

  private String location(int line) {
    return dir.resolve("input.txt") + ":" + line;
  }

  @Test
  void jsonLinesMapKeysToColumnsAndReportBadLines() throws IOException {
    var rows =
        read(
            "{\"id\":1,\"tags\":[1,2],\"extra\":true}\n\n{\"id\":2}\n[1]\n{\"id\":\"x\"}\nnot json\n",
            Map.of("format", "jsonl", "columns", List.of("id int32", "tags array<int64>")));
    assertThat(rows).containsExactly(new Object[] {1, List.of(1L, 2L)}, new Object[] {2, null});
    assertThat(context.dirty)
        .extracting(DirtyRow::location)
        .containsExactly(location(4), location(5), location(6));
    assertThat(context.dirty.get(1).column()).isEqualTo("id");
    assertThat(context.dirty.get(2).reason()).startsWith("not valid JSON");
  }

  @Test
  void malformedUtf8IsADirtyRowNotAReplacementCharacter() throws IOException {
    Path file = dir.resolve("bad.csv");
    Files.write(file, new byte[] {'a', '\n', 'o', 'k', '\n', (byte) 0xC3, '(', '\n'});
    context = new TestContext(dir);
    var rows = readAll(source(Map.of("path", file.toString()), context));
    assertThat(rows).containsExactly(new Object[] {"ok"});
    assertThat(context.dirty)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location()).isEqualTo(file + ":3");
              assertThat(d.reason()).contains("not valid UTF-8");
            });
  }

  @Test
  void aDirectoryOrAGlobReadsEveryMatchingVisibleFile() throws IOException {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.csv"), "n\n1\n2\n");
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("in/b.csv.gz")))) {
      out.write("n\n3\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(dir.resolve("in/.hidden.csv"), "n\n99\n");
    Files.writeString(dir.resolve("in/c.txt"), "n\n4\n");

    context = new TestContext(dir);
    assertThat(readAll(source(Map.of("path", dir.resolve("in").toString()), context)))
        .extracting(r -> r[0])
        .containsExactly("1", "2", "3", "4");
    assertThat(readAll(source(Map.of("path", dir.resolve("in/*.csv*").toString()), context)))
        .extracting(r -> r[0])
        .containsExactly("1", "2", "3");
    assertThat(readAll(source(Map.of("path", dir + "/*/?.csv.gz"), context)))
        .extracting(r -> r[0])
        .containsExactly("3");
  }

  @Test
  void checkNamesThePathWhenNothingMatchesOrTheHeaderLacksAColumn() throws IOException {
    context = new TestContext(dir);
    assertThat(source(Map.of("path", dir.resolve("none-*.csv").toString()), context).check())
        .extracting(OptionProblem::option)
        .containsExactly("path");

    Files.writeString(dir.resolve("a.csv"), "id,name\n1,x\n");
    Files.writeString(dir.resolve("b.csv"), "id\n2\n");
    assertThat(source(Map.of("path", dir + "/*.csv"), context).check())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("path");
              assertThat(p.message()).contains("b.csv").contains("name");
            });
    assertThat(
            source(
                    Map.of("path", dir + "/a.csv", "columns", List.of("id int64", "price int64")),
                    context)
                .check())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("columns");
              assertThat(p.message()).contains("price");
            });
    Source broken = source(Map.of("path", dir + "/*.csv"), context);
    assertThatThrownBy(() -> readAll(broken))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("b.csv")
        .hasMessageContaining("no column 'name'");
  }

  @Test
  void checkReportsAFileThatIsNotGzip() throws IOException {
    Files.writeString(dir.resolve("fake.csv.gz"), "id\n1\n");
    context = new TestContext(dir);
    assertThat(source(Map.of("path", dir + "/fake.csv.gz"), context).check())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("path");
              assertThat(p.message()).contains("fake.csv.gz").contains("gzip");
            });
  }
}
