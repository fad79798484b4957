package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.Column;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SplitReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the records of one file, or of a byte range of it, batch by batch, holding one buffer and
 * one batch in memory.
 *
 * <p>Every record is either a row or a dirty row: a record that does not parse, has the wrong
 * number of fields, or holds a value that does not convert goes to the dirty-data store with its
 * location ({@code file:line}, or {@code file:offset N} inside a byte range that does not start the
 * file) and the reason, and reading continues.
 */
final class TextReader implements SplitReader {
  private final String file;
  private final long end;
  private final TextLayout layout;
  private final Schema schema;
  private final DirtyRowSink dirtyRows;
  private final Charset charset;
  private final InputStream in;
  private final RecordFramer framer;
  private final FieldParser fieldParser;
  private final boolean multiLine;
  private final int batchSize;
  private final List<String> fields = new ArrayList<>();

  /** The row being converted; copied into the batch once every value converted. */
  private final Object[] row;

  /** For csv and tsv: the schema column of each field of the file, -1 for fields not read. */
  private int[] columnOfField;

  private long nextOffset;
  private long nextLine;
  private boolean done;

  /**
   * @param start first byte of the range to read; 0 for a whole file
   * @param end byte after the range, or {@link FileSplit#TO_END}
   * @param after null to read from {@code start}, or the position to continue after
   * @param pathOption the option that named the file, for header errors
   */
  TextReader(
      TextSourceFormat format,
      Schema schema,
      TextSourceFormat.Opener opener,
      String file,
      long start,
      long end,
      FilePosition after,
      DirtyRowSink dirtyRows,
      String pathOption) {
    this.file = requireNonNull(file, "file is null");
    this.end = end;
    this.layout = format.layout();
    this.schema = requireNonNull(schema, "schema is null");
    this.dirtyRows = requireNonNull(dirtyRows, "dirtyRows is null");
    this.charset = layout.charset();
    this.fieldParser = layout.format().delimited() ? FieldParser.of(layout) : null;
    this.multiLine = format.multiLine();
    this.batchSize = format.batchSize();
    this.row = new Object[schema.size()];
    // A range that does not start the file opens one byte early and skips the partial record.
    boolean midRange = after == null && start > 0;
    long offset = after != null ? after.offset() : midRange ? start - 1 : 0;
    long line = after != null ? after.line() : midRange ? FilePosition.UNKNOWN_LINE : 1;
    boolean headerHere = offset == 0 && !midRange;
    try {
      // A header read apart from the records is read first: one stream of the file at a time.
      if (layout.header() && !headerHere) {
        List<String> header = format.readHeader(opener, file);
        if (header == null) {
          done = true; // an empty file: not even a header
        } else {
          columnOfField = format.mapHeader(file, header, schema, pathOption);
        }
      }
      this.in = format.openText(opener, file, offset);
    } catch (IOException e) {
      throw FileInput.failure(file, e);
    }
    this.framer =
        new RecordFramer(
            in, file, offset, line, format.framing(), layout.quote(), layout.delimiter());
    try {
      if (midRange) {
        framer.skipPartialRecord();
      } else if (offset == 0 && charset.equals(StandardCharsets.UTF_8)) {
        framer.skipUtf8Bom();
      }
      if (layout.header() && headerHere) {
        List<String> header = framer.next() ? headerAt(framer) : null;
        if (header == null) {
          done = true; // an empty file: not even a header
        } else {
          columnOfField = format.mapHeader(file, header, schema, pathOption);
        }
      } else if (!layout.header() && layout.format().delimited()) {
        columnOfField = identity(schema.size());
      }
    } catch (IOException e) {
      close();
      throw FileInput.failure(file, e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.nextOffset = framer.nextOffset();
    this.nextLine = framer.nextLine();
  }

  private List<String> headerAt(RecordFramer framer) {
    return TextSourceFormat.headerNames(
        file, fieldParser, decode(framer.buffer(), framer.recordStart(), framer.recordLength()));
  }

  private static int[] identity(int n) {
    int[] map = new int[n];
    for (int i = 0; i < n; i++) {
      map[i] = i;
    }
    return map;
  }

  @Override
  public RowBatch next() {
    if (done) {
      return null;
    }
    RowBatch batch = new RowBatch(schema.size(), batchSize);
    int records = 0;
    try {
      while (records < batchSize) {
        if (!framer.next() || (end != FileSplit.TO_END && framer.recordOffset() >= end)) {
          done = true;
          break;
        }
        records++;
        readRecord(batch);
        nextOffset = framer.nextOffset();
        nextLine = framer.nextLine();
      }
    } catch (IOException e) {
      throw FileInput.failure(file, e);
    }
    if (records == 0) {
      return null;
    }
    return batch.position(new FilePosition(nextOffset, nextLine).encode());
  }

  private void readRecord(RowBatch batch) {
    String text;
    try {
      text = decodeStrict(framer.buffer(), framer.recordStart(), framer.recordLength());
    } catch (CharacterCodingException e) {
      String lenient = decode(framer.buffer(), framer.recordStart(), framer.recordLength());
      dirty(Map.of("_raw", lenient), null, null, "the record is not valid " + charset.name());
      return;
    }
    if (fieldParser == null) {
      readJson(batch, text);
    } else {
      readFields(batch, text);
    }
  }

  private void readFields(RowBatch batch, String text) {
    if (framer.unterminatedQuote()) {
      dirty(
          Map.of("_raw", text),
          null,
          null,
          multiLine
              ? "a quoted value is not closed before the end of the file"
              : "a quoted value is not closed on its line; set multiLine: true if values hold"
                  + " line breaks");
      return;
    }
    try {
      fieldParser.parse(text, fields);
    } catch (IllegalArgumentException e) {
      dirty(Map.of("_raw", text), null, null, e.getMessage());
      return;
    }
    if (fields.size() != columnOfField.length) {
      dirty(
          Map.of("_raw", text),
          null,
          null,
          "the record has " + fields.size() + " fields, expected " + columnOfField.length);
      return;
    }
    for (int f = 0; f < columnOfField.length; f++) {
      int c = columnOfField[f];
      if (c < 0) {
        continue;
      }
      String value = fields.get(f);
      if (value == null) {
        row[c] = null;
        continue;
      }
      Column column = schema.column(c);
      try {
        row[c] = Values.parse(value, column.type());
      } catch (IllegalArgumentException e) {
        dirty(
            fieldMap(), column.name(), value, "column '" + column.name() + "': " + e.getMessage());
        return;
      }
    }
    batch.addRow(row);
  }

  /** The fields read, by column name, for a dirty row. */
  private Map<String, Object> fieldMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int f = 0; f < columnOfField.length; f++) {
      if (columnOfField[f] >= 0) {
        map.put(schema.column(columnOfField[f]).name(), fields.get(f));
      }
    }
    return map;
  }

  private void readJson(RowBatch batch, String text) {
    if (text.isBlank()) {
      return; // a blank line holds no JSON value: there is no row to lose
    }
    JsonNode node;
    try {
      node = JsonValues.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      dirty(Map.of("_raw", text), null, null, "not valid JSON: " + e.getOriginalMessage());
      return;
    }
    if (!node.isObject()) {
      dirty(
          Map.of("_raw", text),
          null,
          null,
          "expected a JSON object keyed by column name, got " + node.getNodeType());
      return;
    }
    for (int c = 0; c < schema.size(); c++) {
      Column column = schema.column(c);
      JsonNode value = node.get(column.name());
      try {
        row[c] = JsonValues.fromNode(value, column.type());
      } catch (IllegalArgumentException e) {
        dirty(
            Map.of("_raw", text),
            column.name(),
            value == null ? null : value.toString(),
            "column '" + column.name() + "': " + e.getMessage());
        return;
      }
    }
    batch.addRow(row);
  }

  private void dirty(Map<String, Object> row, String column, Object value, String reason) {
    long line = framer.recordLine();
    String location =
        line == FilePosition.UNKNOWN_LINE
            ? file + ":offset " + framer.recordOffset()
            : file + ":" + line;
    dirtyRows.accept(new DirtyRow(location, row, column, value, reason));
  }

  /** Decodes leniently: malformed bytes become U+FFFD. */
  private String decode(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, length, charset);
  }

  /**
   * Decodes strictly. The JDK's String constructor is the fast path; only text that then holds
   * U+FFFD is decoded again with a reporting decoder, to tell a real U+FFFD from malformed bytes.
   */
  private String decodeStrict(byte[] bytes, int offset, int length)
      throws CharacterCodingException {
    String text = new String(bytes, offset, length, charset);
    if (text.indexOf('\uFFFD') >= 0) {
      charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length));
    }
    return text;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // Nothing was written; a failed close of a file opened for reading loses nothing.
    }
  }
}
