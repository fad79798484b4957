package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads csv, tsv and JSON Lines files, plain or gzip: one split per file, and byte ranges of large
 * uncompressed files whose records cannot span lines. See the connector's README for the options.
 */
final class FileSource implements io.ferry.spi.Source {
  static final ErrorCode HEADER_MISMATCH = ErrorCode.user("file.header-mismatch");

  private static final Codec<Split> SPLIT_CODEC = new FileSplit.SplitCodec();

  private final String pathPattern;
  private final TextLayout layout;
  private final Compression compression;

  /** The declared columns, or null to take them from the first file's header. */
  private final List<Column> declaredColumns;

  private final boolean multiLine;
  private final long splitSize;
  private final int batchSize;
  private final ConnectorContext context;

  private List<Path> files;
  private Schema schema;

  FileSource(Options options, ConnectorContext context) {
    this.context = requireNonNull(context, "context is null");
    List<OptionProblem> problems = new ArrayList<>();
    this.pathPattern = options.get(FileOptions.SOURCE_PATH);
    this.layout = TextLayout.resolve(options, FileOptions.SOURCE_HEADER, problems);
    this.compression = options.get(FileOptions.COMPRESSION);
    this.declaredColumns = options.get(FileOptions.COLUMNS);
    this.multiLine = options.get(FileOptions.MULTI_LINE);
    this.splitSize = options.get(FileOptions.SPLIT_SIZE);
    this.batchSize = options.get(FileOptions.BATCH_SIZE);
    FileFormat format = layout.format();
    if (format != FileFormat.CSV && options.has(FileOptions.MULTI_LINE)) {
      problems.add(
          new OptionProblem(
              FileOptions.MULTI_LINE.name(),
              "applies to format csv only; tsv and jsonl records never span lines"));
    }
    if (declaredColumns == null && !layout.header()) {
      problems.add(
          new OptionProblem(
              FileOptions.COLUMNS.name(),
              format == FileFormat.JSONL
                  ? "jsonl needs the columns to read, e.g. [\"id int64\", \"name string\"]"
                  : "without a header line the columns must be declared, e.g. [\"id int64\"]"));
    }
    if (framing() == RecordFramer.Framing.CSV_MULTI_LINE
        && !layout.charset().equals(StandardCharsets.UTF_8)
        && layout.charset().newEncoder().maxBytesPerChar() > 1) {
      // Second bytes of double-byte characters (Shift_JIS, GBK, Big5) range from 0x40 up, so only
      // lower ASCII bytes are safe to look for when framing multi-line records on bytes.
      if (layout.delimiter() >= 0x40) {
        problems.add(multiByteProblem(FileOptions.DELIMITER.name(), layout.delimiter()));
      }
      if (layout.quote() >= 0x40) {
        problems.add(multiByteProblem(FileOptions.QUOTE.name(), layout.quote()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  private OptionProblem multiByteProblem(String option, char c) {
    return new OptionProblem(
        option,
        "'"
            + c
            + "' can be the second byte of a character in "
            + layout.charset().name()
            + "; with multiLine use a character below '@' (such as , ; or a tab), or UTF-8");
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

  ConnectorContext context() {
    return context;
  }

  RecordFramer.Framing framing() {
    return switch (layout.format()) {
      case TSV, JSONL -> RecordFramer.Framing.LINES;
      case CSV -> multiLine ? RecordFramer.Framing.CSV_MULTI_LINE : RecordFramer.Framing.CSV_LINES;
    };
  }

  /** Whether byte ranges of {@code file} can be read independently. */
  private boolean splittable(Path file) {
    return !compression.gzip(file) && framing() != RecordFramer.Framing.CSV_MULTI_LINE;
  }

  private synchronized List<Path> files() {
    if (files == null) {
      try {
        files = FileLister.list(pathPattern);
      } catch (IOException e) {
        throw new FerryException(
            ErrorCode.IO,
            "cannot list the files of '" + pathPattern + "': " + e.getMessage(),
            FileOptions.SOURCE_PATH.name(),
            e);
      }
    }
    return files;
  }

  @Override
  public List<OptionProblem> check() {
    String path = FileOptions.SOURCE_PATH.name();
    List<OptionProblem> problems = new ArrayList<>();
    List<Path> found;
    try {
      found = files();
    } catch (FerryException e) {
      return List.of(new OptionProblem(path, e.getMessage()));
    }
    if (found.isEmpty()) {
      return List.of(new OptionProblem(path, "'" + pathPattern + "' matches no file"));
    }
    List<String> expected = declaredColumns == null ? null : names(declaredColumns);
    for (Path file : found) {
      if (!Files.isReadable(file)) {
        problems.add(new OptionProblem(path, file + " is not readable"));
        continue;
      }
      try {
        if (!layout.header()) {
          try (InputStream in = FileInput.open(file, compression.gzip(file), 0)) {
            in.read(); // opens the gzip header, if any
          }
          continue;
        }
        List<String> header = readHeader(file);
        if (header == null) {
          continue; // an empty file: no rows, nothing to mismatch
        }
        if (expected == null) {
          expected = header;
        }
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(header);
        if (!missing.isEmpty()) {
          problems.add(
              new OptionProblem(
                  declaredColumns == null ? path : FileOptions.COLUMNS.name(),
                  file
                      + ": the header lacks column(s) "
                      + String.join(", ", missing)
                      + " (header: "
                      + String.join(", ", header)
                      + ")"));
        }
      } catch (IOException e) {
        problems.add(new OptionProblem(path, FileInput.failure(file, e).getMessage()));
      } catch (FerryException e) {
        problems.add(new OptionProblem(path, e.getMessage()));
      }
    }
    return problems;
  }

  private static List<String> names(List<Column> columns) {
    List<String> names = new ArrayList<>(columns.size());
    for (Column c : columns) {
      names.add(c.name());
    }
    return names;
  }

  @Override
  public synchronized Schema schema() {
    if (schema == null) {
      schema = declaredColumns != null ? Schema.of(declaredColumns) : headerSchema();
    }
    return schema;
  }

  /** Every column of the first non-empty file's header, as strings. */
  private Schema headerSchema() {
    for (Path file : files()) {
      List<String> header;
      try {
        header = readHeader(file);
      } catch (IOException e) {
        throw FileInput.failure(file, e);
      }
      if (header != null) {
        List<Column> columns = new ArrayList<>(header.size());
        for (String name : header) {
          columns.add(Column.of(name, DataType.STRING));
        }
        try {
          return Schema.of(columns);
        } catch (IllegalArgumentException e) {
          throw new FerryException(
              HEADER_MISMATCH,
              file + ": header: " + e.getMessage(),
              FileOptions.SOURCE_PATH.name(),
              null);
        }
      }
    }
    throw new FerryException(
        ErrorCode.NOT_FOUND,
        "'"
            + pathPattern
            + "' matches no file with a header to take the column names from; declare columns",
        FileOptions.SOURCE_PATH.name(),
        null);
  }

  /** The column names of {@code file}'s header line, or null when the file is empty. */
  List<String> readHeader(Path file) throws IOException {
    try (InputStream in = FileInput.open(file, compression.gzip(file), 0)) {
      RecordFramer framer =
          new RecordFramer(
              in, file.toString(), 0, 1, framing(), layout.quote(), layout.delimiter());
      if (layout.charset().equals(StandardCharsets.UTF_8)) {
        framer.skipUtf8Bom();
      }
      if (!framer.next()) {
        return null;
      }
      String text =
          new String(
              framer.buffer(), framer.recordStart(), framer.recordLength(), layout.charset());
      return headerNames(file, FieldParser.of(layout), text);
    }
  }

  static List<String> headerNames(Path file, FieldParser parser, String text) {
    List<String> names = new ArrayList<>();
    try {
      parser.parse(text, names);
    } catch (IllegalArgumentException e) {
      throw new FerryException(HEADER_MISMATCH, file + ": header line: " + e.getMessage());
    }
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null || names.get(i).isEmpty()) {
        throw new FerryException(
            HEADER_MISMATCH, file + ": header field " + (i + 1) + " has no column name");
      }
    }
    return names;
  }

  /**
   * Maps a file's header to the schema by name.
   *
   * @return for each field of the file, the schema column it fills, or -1 when none
   * @throws FerryException when the header repeats a name or lacks a column of the schema
   */
  int[] mapHeader(Path file, List<String> header) {
    Map<String, Integer> fieldByName = new HashMap<>();
    int[] columnOfField = new int[header.size()];
    for (int f = 0; f < header.size(); f++) {
      columnOfField[f] = -1;
      if (fieldByName.putIfAbsent(header.get(f), f) != null) {
        throw new FerryException(
            HEADER_MISMATCH, file + ": the header names column '" + header.get(f) + "' twice");
      }
    }
    Schema columns = schema();
    for (int c = 0; c < columns.size(); c++) {
      Integer f = fieldByName.get(columns.column(c).name());
      if (f == null) {
        throw new FerryException(
            HEADER_MISMATCH,
            file
                + ": the header has no column '"
                + columns.column(c).name()
                + "' (header: "
                + String.join(", ", header)
                + ")",
            declaredColumns == null ? FileOptions.SOURCE_PATH.name() : FileOptions.COLUMNS.name(),
            null);
      }
      columnOfField[f] = c;
    }
    return columnOfField;
  }

  @Override
  public SplitPlanner planner() {
    return parallelism -> {
      // Ranges depend on splitSize only, not on parallelism, so a resumed run plans the same ids.
      List<Split> splits = new ArrayList<>();
      for (Path file : files()) {
        long size;
        try {
          size = Files.size(file);
        } catch (IOException e) {
          throw FileInput.failure(file, e);
        }
        if (!splittable(file) || size <= splitSize) {
          splits.add(FileSplit.whole(file, size));
          continue;
        }
        for (long start = 0; start < size; start += splitSize) {
          splits.add(
              new FileSplit(file.toString(), start, Math.min(size, start + splitSize), size));
        }
      }
      return splits;
    };
  }

  @Override
  public Codec<Split> splitCodec() {
    return SPLIT_CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    requireNonNull(split, "split is null");
    if (!(split instanceof FileSplit fileSplit)) {
      throw new IllegalArgumentException("not a split of the file source: " + split);
    }
    return new FileSplitReader(this, fileSplit, after == null ? null : FilePosition.decode(after));
  }
}
