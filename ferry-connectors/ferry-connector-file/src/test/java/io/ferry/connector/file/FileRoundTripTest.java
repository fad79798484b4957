package io.ferry.connector.file;

import static io.ferry.connector.file.FileTestSupport.canonical;
import static io.ferry.connector.file.FileTestSupport.readAll;
import static io.ferry.connector.file.FileTestSupport.sink;
import static io.ferry.connector.file.FileTestSupport.source;
import static io.ferry.connector.file.FileTestSupport.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileRoundTripTest {
  static final Schema SCHEMA =
      Schema.of(
          Column.of("id", DataType.INT64),
          Column.of("flag", DataType.BOOLEAN),
          Column.of("small", DataType.INT8),
          Column.of("medium", DataType.INT16),
          Column.of("count", DataType.INT32),
          Column.of("ratio", DataType.FLOAT32),
          Column.of("measure", DataType.FLOAT64),
          Column.of("amount", DataType.decimal(12, 2)),
          Column.of("text", DataType.STRING),
          Column.of("payload", DataType.BYTES),
          Column.of("day", DataType.DATE),
          Column.of("clock", DataType.TIME),
          Column.of("moment", DataType.TIMESTAMP),
          Column.of("instant", DataType.TIMESTAMP_TZ),
          Column.of("doc", DataType.JSON),
          Column.of("tags", DataType.array(DataType.INT32)),
          Column.of(
              "point",
              DataType.row(
                  List.of(
                      new DataType.Field("x", DataType.INT32),
                      new DataType.Field("label", DataType.STRING)))));

  /** Texts that stress quoting, escaping, NULL markers and encodings. */
  static final List<String> TEXTS =
      List.of(
          "plain",
          "",
          "comma, inside",
          "quote \" inside",
          "\"fully quoted\"",
          "line\nbreak",
          "crlf\r\nbreak",
          "tab\tinside",
          "back\\slash",
          "\\N",
          "NULL",
          "  padded  ",
          "Grüße, 北京, Ωμέγα",
          "emoji 🚀👍🏽",
          "trailing backslash\\");

  static List<Object[]> rows() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      boolean nulls = i % 7 == 6;
      rows.add(
          new Object[] {
            (long) i * 1_000_000_007L,
            nulls ? null : i % 2 == 0,
            nulls ? null : (byte) (i - 30),
            nulls ? null : (short) (i * 500 - 15000),
            nulls ? null : i * 35_791_394 - 1,
            nulls ? null : i / 3.0f,
            nulls ? null : i * Math.PI * 1e10,
            nulls ? null : new BigDecimal(i * 1234567).movePointLeft(2).setScale(2),
            nulls ? null : TEXTS.get(i % TEXTS.size()),
            nulls ? null : new byte[] {(byte) i, 0, -1, 10, 13},
            nulls ? null : LocalDate.of(2024, 1 + i % 12, 1 + i % 28),
            nulls ? null : LocalTime.of(i % 24, i % 60, i % 60, i * 1000),
            nulls ? null : LocalDateTime.of(2024, 5, 1, i % 24, 0, 0, i * 1_000_000),
            nulls
                ? null
                : OffsetDateTime.of(2024, 5, 1, 13, 45, i % 60, 0, ZoneOffset.ofHours(i % 14 - 6)),
            nulls ? null : "{\"n\":" + i + ",\"s\":\"a,\\\"b\\\"\"}",
            nulls ? null : List.of(i, -i, 0),
            nulls ? null : new Object[] {i, TEXTS.get((i + 3) % TEXTS.size())}
          });
    }
    return rows;
  }

  static List<String> columnTexts() {
    List<String> columns = new ArrayList<>();
    for (Column c : SCHEMA.columns()) {
      columns.add(c.name() + " " + c.type());
    }
    return columns;
  }

  @ParameterizedTest(name = "{0} {1}, {2} writers, {3}")
  @CsvSource({
    "csv,   none, 1, merged",
    "csv,   gzip, 3, merged",
    "csv,   none, 2, perWriter",
    "csv,   gzip, 2, perWriter",
    "tsv,   none, 1, merged",
    "tsv,   gzip, 3, merged",
    "tsv,   none, 2, perWriter",
    "jsonl, none, 1, merged",
    "jsonl, gzip, 3, merged",
    "jsonl, gzip, 2, perWriter"
  })
  void writesAndReadsBackEveryValueExactly(
      String format, String compression, int writers, String fileMode, @TempDir Path dir) {
    TestContext context = new TestContext(dir);
    String ext = "." + format + (compression.equals("gzip") ? ".gz" : "");
    Path target = dir.resolve("out/data" + ext);
    List<Object[]> rows = rows();

    writeAll(
        sink(Map.of("path", target.toString(), "format", format, "fileMode", fileMode), context),
        SCHEMA,
        rows,
        writers);

    String readPath =
        fileMode.equals("merged") ? target.toString() : dir.resolve("out/data-*" + ext).toString();
    List<Object[]> read =
        readAll(
            source(Map.of("path", readPath, "format", format, "columns", columnTexts()), context));
    assertThat(canonical(read)).containsExactlyInAnyOrderElementsOf(canonical(rows));
    if (writers == 1) {
      assertThat(canonical(read)).containsExactlyElementsOf(canonical(rows));
    }
    assertThat(context.dirty).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"csv", "tsv"})
  void headerNamesTheColumnsWhenNoneAreDeclared(String format, @TempDir Path dir) {
    TestContext context = new TestContext(dir);
    Path target = dir.resolve("strings." + format);
    Schema strings =
        Schema.of(Column.of("name", DataType.STRING), Column.of("note", DataType.STRING));
    List<Object[]> rows =
        List.<Object[]>of(
            new Object[] {"a", null}, new Object[] {"", "x"}, new Object[] {null, "🚀"});
    writeAll(sink(Map.of("path", target.toString(), "format", format), context), strings, rows, 1);

    var source = source(Map.of("path", target.toString(), "format", format), context);
    assertThat(source.schema()).isEqualTo(strings);
    assertThat(canonical(readAll(source))).containsExactlyElementsOf(canonical(rows));
  }

  @ParameterizedTest
  @CsvSource({"ISO-8859-1, Grüße", "windows-1252, €uro Grüße", "GBK, 北京欢迎你"})
  void writesAndReadsOtherCharsets(String encoding, String text, @TempDir Path dir) {
    TestContext context = new TestContext(dir);
    Path target = dir.resolve("latin.csv");
    Schema schema = Schema.of(Column.of("id", DataType.INT32), Column.of("t", DataType.STRING));
    List<Object[]> rows = List.<Object[]>of(new Object[] {1, text}, new Object[] {2, "a,\"b\"\nc"});
    writeAll(
        sink(Map.of("path", target.toString(), "encoding", encoding), context), schema, rows, 1);
    var read =
        readAll(
            source(
                Map.of(
                    "path",
                    target.toString(),
                    "encoding",
                    encoding,
                    "columns",
                    List.of("id int32", "t string")),
                context));
    assertThat(canonical(read)).containsExactlyElementsOf(canonical(rows));
    assertThat(context.dirty).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aValueTheCharsetCannotWriteIsADirtyRow(@TempDir Path dir) {
    TestContext context = new TestContext(dir);
    Path target = dir.resolve("latin.csv");
    Schema schema = Schema.of(Column.of("id", DataType.INT32), Column.of("t", DataType.STRING));
    List<Object[]> rows =
        List.<Object[]>of(new Object[] {1, "ok"}, new Object[] {2, "北京"}, new Object[] {3, "é"});
    writeAll(
        sink(Map.of("path", target.toString(), "encoding", "ISO-8859-1"), context),
        schema,
        rows,
        1);

    assertThat(context.dirty).hasSize(1);
    assertThat(context.dirty.get(0).column()).isEqualTo("t");
    assertThat(context.dirty.get(0).reason()).contains("ISO-8859-1");
    assertThat(context.dirty.get(0).location()).endsWith("latin.csv:row 2");
    var read =
        readAll(
            source(
                Map.of(
                    "path",
                    target.toString(),
                    "encoding",
                    "ISO-8859-1",
                    "columns",
                    List.of("id int32", "t string")),
                context));
    assertThat(canonical(read)).containsExactly(canonical(rows.get(0)), canonical(rows.get(2)));
  }
}
