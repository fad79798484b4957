package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads csv, tsv and JSON Lines files, plain, gzip, bzip2 or zip: one split per file, and byte
 * ranges of large uncompressed files whose records cannot span lines. See the connector's README
 * for the options.
 */
final class FileSource implements io.ferry.spi.Source {
  private static final Codec<Split> SPLIT_CODEC = FileSplit.CODEC;
  private static final String PATH = FileOptions.SOURCE_PATH.name();

  private final String pathPattern;
  private final TextSourceFormat format;
  private final TextLayout layout;
  private final Compression compression;

  /** The declared columns, or null to take them from the first file's header. */
  private final List<Column> declaredColumns;

  private final long splitSize;
  private final ConnectorContext context;
  private final LocalFiles localFiles;

  private List<Path> files;
  private Schema schema;

  FileSource(Options options, ConnectorContext context) {
    this.context = requireNonNull(context, "context is null");
    this.localFiles = requireNonNull(context.localFiles(), "localFiles is null");
    this.pathPattern = options.get(FileOptions.SOURCE_PATH);
    this.format = TextSourceFormat.of(options);
    this.layout = format.layout();
    this.compression = format.compression();
    this.declaredColumns = format.declaredColumns();
    this.splitSize = options.get(FileOptions.SPLIT_SIZE);
    // Refused at once when the folder is out of bounds; each file found is checked when listed.
    localFiles.resolve(PATH, FileLister.base(pathPattern));
  }

  /** Whether byte ranges of {@code file} can be read independently. */
  private boolean splittable(Path file) {
    return !compression.of(file.getFileName().toString()).compressed()
        && format.framing() != RecordFramer.Framing.CSV_MULTI_LINE;
  }

  private synchronized List<Path> files() {
    if (files == null) {
      try {
        files = FileLister.list(pathPattern, localFiles, PATH);
      } catch (IOException e) {
        throw new FerryException(
            ErrorCode.IO,
            "cannot list the files of '" + pathPattern + "': " + e.getMessage(),
            PATH,
            e);
      }
    }
    return files;
  }

  @Override
  public List<OptionProblem> check() {
    String path = PATH;
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
          try (InputStream in =
              FileInput.open(file, compression.of(file.getFileName().toString()), 0)) {
            in.read(); // reads the compressed stream's header, if any
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
        return format.headerSchema(file.toString(), header, PATH);
      }
    }
    throw new FerryException(
        ErrorCode.NOT_FOUND,
        "'"
            + pathPattern
            + "' matches no file with a header to take the column names from; declare columns",
        PATH,
        null);
  }

  /** The column names of {@code file}'s header line, or null when the file is empty. */
  private List<String> readHeader(Path file) throws IOException {
    return format.readHeader(FileInput.local(file), file.toString());
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
    // Resolved again where it is opened: the file may have become a link since it was listed.
    Path file = localFiles.resolve(PATH, fileSplit.file());
    return new TextReader(
        format,
        schema(),
        FileInput.local(file),
        fileSplit.file(),
        fileSplit.start(),
        fileSplit.end(),
        after == null ? null : FilePosition.decode(after),
        context.dirtyRows(),
        PATH);
  }
}
