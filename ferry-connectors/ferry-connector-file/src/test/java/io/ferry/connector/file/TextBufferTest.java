package io.ferry.connector.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.support.Values;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte-writing fast paths: same text as Values.format and as the old char-based formatters. */
class TextBufferTest {
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

  private TextBuffer buffer(Charset charset) {
    return new TextBuffer(sink, charset, 64);
  }

  private String written(TextBuffer buffer, Charset charset) throws IOException {
    buffer.endRow();
    buffer.flushBuffer();
    String text = sink.toString(charset);
    sink.reset();
    return text;
  }

  /** Writes a value through the formatter's ASCII fast path and compares with Values.format. */
  private void assertFormatsLikeValues(DataType type, Object value) throws IOException {
    Schema schema = Schema.of(Column.of("v", type));
    RowFormatter formatter =
        RowFormatter.of(
            schema, new TextLayout(FileFormat.CSV, ',', '"', false, StandardCharsets.UTF_8, ""));
    TextBuffer buffer = buffer(StandardCharsets.UTF_8);
    assertThat(formatter.appendAsciiValue(value, 0, buffer)).as("fast path for %s", value).isTrue();
    assertThat(written(buffer, StandardCharsets.UTF_8))
        .as("%s %s", type, value)
        .isEqualTo(Values.format(value, type));
  }

  @Test
  void datesMatchValuesFormatIncludingSignedAndLongYears() throws IOException {
    int[] years = {
      -999_999_999,
      -10_000,
      -1000,
      -999,
      -10,
      -1,
      0,
      1,
      9,
      99,
      999,
      1000,
      2024,
      9999,
      10_000,
      123_456,
      999_999_999
    };
    for (int year : years) {
      assertFormatsLikeValues(DataType.DATE, LocalDate.of(year, 1, 9));
      assertFormatsLikeValues(DataType.DATE, LocalDate.of(year, 12, 31));
      assertFormatsLikeValues(DataType.TIMESTAMP, LocalDateTime.of(year, 10, 5, 0, 0, 0, 1));
    }
    assertFormatsLikeValues(DataType.DATE, LocalDate.MIN);
    assertFormatsLikeValues(DataType.DATE, LocalDate.MAX);
    assertFormatsLikeValues(DataType.TIMESTAMP, LocalDateTime.MIN);
    assertFormatsLikeValues(DataType.TIMESTAMP, LocalDateTime.MAX);
  }

  @Test
  void timesAndTimestampsMatchValuesFormatAtEveryPrecision() throws IOException {
    int[] nanos = {
      0,
      1,
      10,
      100,
      1000,
      10_000,
      100_000,
      1_000_000,
      10_000_000,
      100_000_000,
      120_000_000,
      123_000_000,
      123_400_000,
      123_450_000,
      123_456_000,
      123_456_700,
      123_456_780,
      123_456_789,
      999_999_999,
      500_000_000,
      5000
    };
    int[][] clocks = {{0, 0, 0}, {0, 0, 1}, {13, 45, 0}, {23, 59, 59}, {9, 5, 7}};
    for (int[] clock : clocks) {
      for (int nano : nanos) {
        LocalTime time = LocalTime.of(clock[0], clock[1], clock[2], nano);
        assertFormatsLikeValues(DataType.TIME, time);
        assertFormatsLikeValues(
            DataType.TIMESTAMP, LocalDateTime.of(LocalDate.of(2024, 5, 1), time));
        for (ZoneOffset offset :
            List.of(
                ZoneOffset.UTC,
                ZoneOffset.ofHours(8),
                ZoneOffset.ofHoursMinutes(-5, -30),
                ZoneOffset.ofHoursMinutesSeconds(1, 2, 3),
                ZoneOffset.ofHoursMinutesSeconds(-0, -0, -59),
                ZoneOffset.MAX,
                ZoneOffset.MIN)) {
          assertFormatsLikeValues(
              DataType.TIMESTAMP_TZ, OffsetDateTime.of(LocalDate.of(1999, 12, 31), time, offset));
        }
      }
    }
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      LocalDateTime ts =
          LocalDateTime.of(
              random.nextInt(12_000) - 1000,
              1 + random.nextInt(12),
              1 + random.nextInt(28),
              random.nextInt(24),
              random.nextInt(60),
              random.nextInt(60),
              random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
      assertFormatsLikeValues(DataType.TIMESTAMP, ts);
      assertFormatsLikeValues(DataType.TIME, ts.toLocalTime());
      assertFormatsLikeValues(DataType.DATE, ts.toLocalDate());
      assertFormatsLikeValues(
          DataType.TIMESTAMP_TZ,
          ts.atOffset(ZoneOffset.ofTotalSeconds(random.nextInt(2 * 64_800 + 1) - 64_800)));
    }
  }

  @Test
  void integersMatchToStringIncludingNegativesAndLimits() throws IOException {
    List<Long> values = new ArrayList<>(List.of(0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE));
    for (long p = 1; p > 0 && p < Long.MAX_VALUE / 10; p *= 10) {
      values.addAll(List.of(p - 1, p, p + 1, -p + 1, -p, -p - 1));
    }
    Random random = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      values.add(random.nextLong() >> random.nextInt(64));
    }
    for (long v : values) {
      assertFormatsLikeValues(DataType.INT64, v);
      assertFormatsLikeValues(DataType.INT32, (int) v);
      assertFormatsLikeValues(DataType.INT16, (short) v);
      assertFormatsLikeValues(DataType.INT8, (byte) v);
    }
    assertFormatsLikeValues(DataType.BOOLEAN, true);
    assertFormatsLikeValues(DataType.BOOLEAN, false);
    assertFormatsLikeValues(DataType.FLOAT64, -1.5e300);
    assertFormatsLikeValues(DataType.FLOAT32, Float.NaN);
  }

  @Test
  void decimalsMatchToPlainStringForEveryScale() throws IOException {
    List<BigDecimal> values =
        new ArrayList<>(
            List.of(
                new BigDecimal("0.00"),
                new BigDecimal("-0.05"),
                new BigDecimal("0.5"),
                new BigDecimal("-12345.67"),
                new BigDecimal("123456789012345678"),
                new BigDecimal("0.000000000000000001"),
                new BigDecimal("-999999999999999999"),
                new BigDecimal("1234567890123456789.5"),
                new BigDecimal("1E+5"),
                new BigDecimal("0E+3"),
                new BigDecimal("-1.0000000000000000000000001"),
                new BigDecimal(BigInteger.TEN.pow(40), 3)));
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      long unscaled = random.nextLong() >> random.nextInt(64);
      values.add(BigDecimal.valueOf(unscaled, random.nextInt(24) - 3));
    }
    for (BigDecimal v : values) {
      assertFormatsLikeValues(DataType.decimal(38, 10), v);
    }
  }

  @Test
  void utf8MatchesTheJdkForNonAsciiAndPairsAcrossChunkEdges() throws IOException {
    List<String> texts =
        new ArrayList<>(
            List.of(
                "", "plain", "Grüße", "北京欢迎你", "emoji 🚀👍🏽", "\u007f\u0080\u07ff\u0800\uffff"));
    String ascii = "x".repeat(TextBuffer.CHUNK - 1);
    texts.add(ascii + "🚀"); // the pair straddles the chunk edge
    texts.add(ascii + "é🚀" + "北".repeat(3 * TextBuffer.CHUNK));
    texts.add("🚀".repeat(TextBuffer.CHUNK + 3));
    for (String text : texts) {
      TextBuffer buffer = buffer(StandardCharsets.UTF_8);
      assertThat(buffer.appendUtf8(text)).isTrue();
      assertThat(written(buffer, StandardCharsets.UTF_8)).isEqualTo(text);
      buffer.append(text.toCharArray(), 0, text.length());
      assertThat(written(buffer, StandardCharsets.UTF_8)).isEqualTo(text);
    }
  }

  @Test
  void loneSurrogatesAreRefused() throws IOException {
    String ascii = "x".repeat(TextBuffer.CHUNK - 1);
    for (String text :
        List.of(
            "\ud83d", "a\ude80b", "\ud83d\ud83d", "x\ud83dy", ascii + "\ud83d", ascii + "\ude80")) {
      TextBuffer buffer = buffer(StandardCharsets.UTF_8);
      assertThat(buffer.appendUtf8(text)).as(text).isFalse();
      buffer.discardRow();
      assertThatThrownBy(() -> buffer.append(text)).isInstanceOf(MalformedInputException.class);
    }
  }

  @Test
  void otherCharsetsGoThroughTheirEncoder() throws IOException {
    for (String name : List.of("ISO-8859-1", "windows-1252", "GBK", "Shift_JIS", "ISO-2022-JP")) {
      Charset charset = Charset.forName(name);
      String text = name.equals("ISO-8859-1") ? "Grüße" : "日本語, ascii";
      if (name.equals("windows-1252")) {
        text = "€uro Grüße";
      }
      TextBuffer buffer = buffer(charset);
      buffer.append(text);
      buffer.append(',');
      buffer.appendLong(-42);
      buffer.append(text.repeat(40)); // longer than the buffer
      assertThat(written(buffer, charset)).isEqualTo(text + ",-42" + text.repeat(40));
    }
  }

  @Test
  void aDiscardedRowLeavesNothingEvenAfterTheBufferMovedIt() throws IOException {
    TextBuffer buffer = buffer(StandardCharsets.UTF_8);
    buffer.append("first\n");
    buffer.endRow();
    buffer.append("second ".repeat(100)); // grows past the 64-byte buffer, flushing "first"
    buffer.discardRow();
    buffer.append("third\n");
    assertThat(written(buffer, StandardCharsets.UTF_8)).isEqualTo("first\nthird\n");
  }

  // ---- csv and tsv against the old, String-based rules ---------------------------------------

  private static String csvReference(String text, char delimiter, char quote, String nullMarker) {
    boolean quoted = text.isEmpty() || text.equals(nullMarker);
    for (char c : text.toCharArray()) {
      quoted |= c == delimiter || c == quote || c == '\n' || c == '\r';
    }
    if (!quoted) {
      return text;
    }
    String q = String.valueOf(quote);
    return q + text.replace(q, q + q) + q;
  }

  private static String tsvReference(String text, char delimiter) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == delimiter) {
        out.append('\\').append(delimiter == '\t' ? 't' : delimiter);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static List<String> trickyTexts() {
    String longText = "y".repeat(TextBuffer.CHUNK + 10);
    return List.of(
        "plain",
        "",
        "NULL",
        "\\N",
        "comma, inside",
        "quote \" inside",
        "'single' quotes",
        "\"",
        "line\nbreak",
        "cr\r",
        "tab\there",
        "back\\slash",
        "pipe|here",
        "section§here",
        "Grüße, 北京 🚀",
        "-12.5",
        longText + ",", // the first special character after the first chunk
        longText + "\"" + longText + "§é🚀");
  }

  private String writeRow(
      FileFormat format, char delimiter, char quote, String nullMarker, DataType type, Object value)
      throws Exception {
    Schema schema = Schema.of(Column.of("a", DataType.INT32), Column.of("v", type));
    TextLayout layout =
        new TextLayout(format, delimiter, quote, false, StandardCharsets.UTF_8, nullMarker);
    TextBuffer buffer = buffer(StandardCharsets.UTF_8);
    RowBatch batch = new RowBatch(2, 1);
    batch.addRow(7, value);
    RowFormatter.of(schema, layout).appendRow(batch, 0, buffer);
    return written(buffer, StandardCharsets.UTF_8);
  }

  @Test
  void csvQuotesExactlyWhenTheOldRulesDid() throws Exception {
    char[][] settings = {{',', '"'}, {'|', '\''}, {'§', '"'}, {'\t', '"'}};
    for (char[] setting : settings) {
      for (String nullMarker : List.of("", "NULL")) {
        for (String text : trickyTexts()) {
          String d = String.valueOf(setting[0]);
          assertThat(
                  writeRow(
                      FileFormat.CSV, setting[0], setting[1], nullMarker, DataType.STRING, text))
              .as("%s with %s %s %s", text, setting[0], setting[1], nullMarker)
              .isEqualTo("7" + d + csvReference(text, setting[0], setting[1], nullMarker) + "\n");
        }
      }
    }
  }

  @Test
  void csvQuotesNumbersAndDatesWhenTheDelimiterQuoteOrNullMarkerIsAmongTheirCharacters()
      throws Exception {
    assertThat(writeRow(FileFormat.CSV, '-', '"', "", DataType.DATE, LocalDate.of(2024, 5, 1)))
        .isEqualTo("7-\"2024-05-01\"\n");
    assertThat(
            writeRow(FileFormat.CSV, ',', '.', "", DataType.decimal(5, 1), new BigDecimal("1.5")))
        .isEqualTo("7,.1..5.\n");
    assertThat(writeRow(FileFormat.CSV, ',', '"', "0", DataType.INT64, 0L)).isEqualTo("7,\"0\"\n");
    assertThat(writeRow(FileFormat.CSV, ',', '"', "0", DataType.INT64, 10L)).isEqualTo("7,10\n");
    assertThat(writeRow(FileFormat.CSV, ',', '"', "", DataType.INT64, -10L)).isEqualTo("7,-10\n");
    assertThat(writeRow(FileFormat.CSV, ',', '"', "", DataType.STRING, null)).isEqualTo("7,\n");
  }

  @Test
  void tsvEscapesExactlyAsTheOldRulesDid() throws Exception {
    for (char delimiter : new char[] {'\t', '|', '§', ','}) {
      for (String text : trickyTexts()) {
        if (text.equals("\\N") && delimiter == '\t') {
          continue; // escaped it is \\N, not the marker: checked below
        }
        assertThat(writeRow(FileFormat.TSV, delimiter, '"', "\\N", DataType.STRING, text))
            .as("%s with %s", text, delimiter)
            .isEqualTo("7" + delimiter + tsvReference(text, delimiter) + "\n");
      }
    }
    assertThat(writeRow(FileFormat.TSV, '\t', '"', "\\N", DataType.STRING, "\\N"))
        .isEqualTo("7\t\\\\N\n");
    assertThat(writeRow(FileFormat.TSV, '-', '"', "\\N", DataType.DATE, LocalDate.of(2024, 5, 1)))
        .isEqualTo("7-2024\\-05\\-01\n");
  }

  @Test
  void aTsvValueThatReadsAsNullIsRefused() {
    assertThatThrownBy(() -> writeRow(FileFormat.TSV, '\t', '"', "NULL", DataType.STRING, "NULL"))
        .isInstanceOf(RowFormatter.UnwritableValueException.class)
        .hasMessageContaining("read back as NULL");
    assertThatThrownBy(() -> writeRow(FileFormat.TSV, '\t', '"', "0", DataType.INT32, 0))
        .isInstanceOf(RowFormatter.UnwritableValueException.class);
    assertThatThrownBy(() -> writeRow(FileFormat.TSV, '\t', '"', "", DataType.STRING, ""))
        .isInstanceOf(RowFormatter.UnwritableValueException.class);
  }

  @Test
  void aLoneSurrogateMakesADirtyRowInEveryFormat(@TempDir Path dir) throws IOException {
    for (FileFormat format : FileFormat.values()) {
      Schema schema = Schema.of(Column.of("id", DataType.INT32), Column.of("t", DataType.STRING));
      TextLayout layout =
          new TextLayout(
              format,
              format == FileFormat.TSV ? '\t' : ',',
              '"',
              false,
              StandardCharsets.UTF_8,
              format == FileFormat.TSV ? "\\N" : "");
      Path part = dir.resolve("part." + format);
      TestContext context = new TestContext(dir);
      Sink sink =
          FileTestSupport.sink(
              format == FileFormat.JSONL
                  ? Map.of("path", part.toString(), "format", "jsonl")
                  : Map.of(
                      "path",
                      part.toString(),
                      "format",
                      format.name().toLowerCase(java.util.Locale.ROOT),
                      "header",
                      false),
              context);
      sink.prepare(schema);
      SinkWriter writer = sink.createWriter(0);
      writer.beginSplit(0);
      RowBatch batch = new RowBatch(2, 4);
      batch.addRow(1, "ok");
      batch.addRow(2, "bad \ud83d here " + "z".repeat(200_000)); // larger than the buffer, too
      batch.addRow(3, "🚀");
      writer.write(batch);
      writer.flush();
      writer.endSplit(0);
      writer.close();
      sink.commit();
      List<DirtyRow> dirty = context.dirty;
      assertThat(dirty).hasSize(1);
      assertThat(dirty.get(0).column()).isEqualTo("t");
      assertThat(dirty.get(0).reason()).contains("surrogate");
      String text = Files.readString(part, StandardCharsets.UTF_8);
      assertThat(text).doesNotContain("bad").contains("ok").contains("🚀");
      assertThat(text.lines()).hasSize(2);
    }
  }
}
