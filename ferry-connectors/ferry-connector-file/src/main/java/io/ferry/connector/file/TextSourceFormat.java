package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.SplitReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the file connector reads text files (csv, tsv, JSON Lines; plain or compressed), usable over
 * any byte stream: the file source reads local files with it, and connectors that reach files
 * elsewhere (FTP, SFTP) declare {@link #options()} beside their own and read each file through an
 * {@link Opener}. Records, NULLs, bad input and positions behave as the file connector's README
 * says.
 */
public final class TextSourceFormat {
  static final ErrorCode HEADER_MISMATCH = ErrorCode.user("file.header-mismatch");

  /**
   * Opens a file's raw (possibly compressed) bytes from a byte offset. A stream is closed before
   * the next one of the same reader opens, so one connection at a time suffices.
   */
  @FunctionalInterface
  public interface Opener {
    /**
     * @param offset 0, or a byte offset of an uncompressed file to start reading at
     * @throws IOException a failure reading; a {@link FerryException} passes through unchanged
     */
    InputStream open(long offset) throws IOException;
  }

  private final TextLayout layout;
  private final Compression compression;
  private final List<Column> declaredColumns;
  private final boolean multiLine;
  private final int batchSize;

  private TextSourceFormat(
      TextLayout layout,
      Compression compression,
      List<Column> declaredColumns,
      boolean multiLine,
      int batchSize) {
    this.layout = layout;
    this.compression = compression;
    this.declaredColumns = declaredColumns;
    this.multiLine = multiLine;
    this.batchSize = batchSize;
  }

  /**
   * The format options a reader of text files takes: format, delimiter, quote, header, encoding,
   * nullMarker, compression, columns, multiLine and batchSize, declared as the file source declares
   * them.
   */
  public static List<Option<?>> options() {
    return List.of(
        FileOptions.FORMAT,
        FileOptions.DELIMITER,
        FileOptions.QUOTE,
        FileOptions.SOURCE_HEADER,
        FileOptions.ENCODING,
        FileOptions.NULL_MARKER,
        FileOptions.COMPRESSION,
        FileOptions.COLUMNS,
        FileOptions.MULTI_LINE,
        FileOptions.BATCH_SIZE);
  }

  /**
   * Resolves and cross-checks the {@link #options()} in {@code options}.
   *
   * @throws InvalidOptionsException naming every option that does not fit the format or another
   *     option
   */
  public static TextSourceFormat of(Options options) {
    List<OptionProblem> problems = new ArrayList<>();
    TextLayout layout = TextLayout.resolve(options, FileOptions.SOURCE_HEADER, problems);
    List<Column> declared = options.get(FileOptions.COLUMNS);
    boolean multiLine = options.get(FileOptions.MULTI_LINE);
    FileFormat format = layout.format();
    if (format != FileFormat.CSV && options.has(FileOptions.MULTI_LINE)) {
      problems.add(
          new OptionProblem(
              FileOptions.MULTI_LINE.name(),
              "applies to format csv only; tsv and jsonl records never span lines"));
    }
    if (declared == null && !layout.header()) {
      problems.add(
          new OptionProblem(
              FileOptions.COLUMNS.name(),
              format == FileFormat.JSONL
                  ? "jsonl needs the columns to read, e.g. [\"id int64\", \"name string\"]"
                  : "without a header line the columns must be declared, e.g. [\"id int64\"]"));
    }
    TextSourceFormat result =
        new TextSourceFormat(
            layout,
            options.get(FileOptions.COMPRESSION),
            declared,
            multiLine,
            options.get(FileOptions.BATCH_SIZE));
    if (result.framing() == RecordFramer.Framing.CSV_MULTI_LINE
        && !layout.charset().equals(StandardCharsets.UTF_8)
        && layout.charset().newEncoder().maxBytesPerChar() > 1) {
      // Second bytes of double-byte characters (Shift_JIS, GBK, Big5) range from 0x40 up, so only
      // lower ASCII bytes are safe to look for when framing multi-line records on bytes.
      if (layout.delimiter() >= 0x40) {
        problems.add(multiByteProblem(layout, FileOptions.DELIMITER.name(), layout.delimiter()));
      }
      if (layout.quote() >= 0x40) {
        problems.add(multiByteProblem(layout, FileOptions.QUOTE.name(), layout.quote()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    return result;
  }

  private static OptionProblem multiByteProblem(TextLayout layout, String option, char c) {
    return new OptionProblem(
        option,
        "'"
            + c
            + "' can be the second byte of a character in "
            + layout.charset().name()
            + "; with multiLine use a character below '@' (such as , ; or a tab), or UTF-8");
  }

  /** How the file named {@code fileName} is read (the compression option, auto resolved). */
  public Compression compression(String fileName) {
    return compression.of(fileName);
  }

  /** Whether every file starts with a line of column names. */
  public boolean header() {
    return layout.header();
  }

  /** The columns option, or null when the columns come from the first file's header. */
  public Schema declaredSchema() {
    return declaredColumns == null ? null : Schema.of(declaredColumns);
  }

  TextLayout layout() {
    return layout;
  }

  Compression compression() {
    return compression;
  }

  boolean multiLine() {
    return multiLine;
  }

  int batchSize() {
    return batchSize;
  }

  List<Column> declaredColumns() {
    return declaredColumns;
  }

  RecordFramer.Framing framing() {
    return switch (layout.format()) {
      case TSV, JSONL -> RecordFramer.Framing.LINES;
      case CSV -> multiLine ? RecordFramer.Framing.CSV_MULTI_LINE : RecordFramer.Framing.CSV_LINES;
    };
  }

  /**
   * Opens the text of a file from {@code offset} of its uncompressed bytes: straight there for a
   * plain file; compressed, decompression from the start discarding {@code offset} bytes.
   */
  public InputStream openText(Opener file, String name, long offset) throws IOException {
    return FileInput.open(file, compression(name), offset);
  }

  /**
   * The column names of a file's header line, or null when the file is empty.
   *
   * @param name the file's name or path, for messages and to tell its compression by its extension
   * @throws FerryException {@code file.header-mismatch} when the header is malformed
   */
  public List<String> readHeader(Opener file, String name) throws IOException {
    try (InputStream in = openText(file, name, 0)) {
      RecordFramer framer =
          new RecordFramer(in, name, 0, 1, framing(), layout.quote(), layout.delimiter());
      if (layout.charset().equals(StandardCharsets.UTF_8)) {
        framer.skipUtf8Bom();
      }
      if (!framer.next()) {
        return null;
      }
      String text =
          new String(
              framer.buffer(), framer.recordStart(), framer.recordLength(), layout.charset());
      return headerNames(name, FieldParser.of(layout), text);
    }
  }

  /**
   * The schema a header gives when no columns are declared: every column a string.
   *
   * @param pathOption the option that named the file, blamed for a header that makes no schema
   */
  public Schema headerSchema(String name, List<String> header, String pathOption) {
    List<Column> columns = new ArrayList<>(header.size());
    for (String column : header) {
      columns.add(Column.of(column, DataType.STRING));
    }
    try {
      return Schema.of(columns);
    } catch (IllegalArgumentException e) {
      throw new FerryException(
          HEADER_MISMATCH, name + ": header: " + e.getMessage(), pathOption, null);
    }
  }

  static List<String> headerNames(String name, FieldParser parser, String text) {
    List<String> names = new ArrayList<>();
    try {
      parser.parse(text, names);
    } catch (IllegalArgumentException e) {
      throw new FerryException(HEADER_MISMATCH, name + ": header line: " + e.getMessage());
    }
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null || names.get(i).isEmpty()) {
        throw new FerryException(
            HEADER_MISMATCH, name + ": header field " + (i + 1) + " has no column name");
      }
    }
    return names;
  }

  /**
   * Maps a file's header to the schema by name.
   *
   * @param pathOption the option that named the file, blamed when no columns are declared
   * @return for each field of the file, the schema column it fills, or -1 when none
   * @throws FerryException {@code file.header-mismatch} when the header repeats a name or lacks a
   *     column of the schema
   */
  public int[] mapHeader(String name, List<String> header, Schema schema, String pathOption) {
    Map<String, Integer> fieldByName = new HashMap<>();
    int[] columnOfField = new int[header.size()];
    for (int f = 0; f < header.size(); f++) {
      columnOfField[f] = -1;
      if (fieldByName.putIfAbsent(header.get(f), f) != null) {
        throw new FerryException(
            HEADER_MISMATCH, name + ": the header names column '" + header.get(f) + "' twice");
      }
    }
    for (int c = 0; c < schema.size(); c++) {
      Integer f = fieldByName.get(schema.column(c).name());
      if (f == null) {
        throw new FerryException(
            HEADER_MISMATCH,
            name
                + ": the header has no column '"
                + schema.column(c).name()
                + "' (header: "
                + String.join(", ", header)
                + ")",
            declaredColumns == null ? pathOption : FileOptions.COLUMNS.name(),
            null);
      }
      columnOfField[f] = c;
    }
    return columnOfField;
  }

  /**
   * Opens a reader of a whole file: batches of {@code batchSize} rows, each with the position after
   * it (the byte offset and line of the next record, in the uncompressed text).
   *
   * @param after null to read from the start, or a position a reader of the same file emitted
   * @param pathOption the option that named the file, for header errors
   */
  public SplitReader openReader(
      Opener file,
      String name,
      Schema schema,
      Position after,
      DirtyRowSink dirtyRows,
      String pathOption) {
    return new TextReader(
        this,
        schema,
        requireNonNull(file, "file is null"),
        requireNonNull(name, "name is null"),
        0,
        FileSplit.TO_END,
        after == null ? null : FilePosition.decode(after),
        dirtyRows,
        pathOption);
  }
}
