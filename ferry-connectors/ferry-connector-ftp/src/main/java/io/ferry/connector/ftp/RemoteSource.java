package io.ferry.connector.ftp;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.file.TextSourceFormat;
import io.ferry.connector.file.WholeFileSplit;
import io.ferry.spi.Codec;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads csv, tsv and JSON Lines files, plain or compressed, from an FTP or SFTP server: one split
 * per file, each read on its own connection; a position is the byte offset of the next record, and
 * a resumed plain file is read from there (FTP {@code REST}, SFTP read at an offset).
 */
final class RemoteSource implements Source {
  /** How many files the live check reads the header of. */
  static final int HEADER_CHECKS = 20;

  private static final Codec<Split> SPLIT_CODEC = WholeFileSplit.codec("remote file split");
  private static final String PATH = RemoteOptions.SOURCE_PATH.name();

  private final RemoteAccess access;
  private final String path;
  private final TextSourceFormat format;
  private final ConnectorContext context;

  private List<WholeFileSplit> files;
  private Schema schema;

  RemoteSource(RemoteAccess access, Options options, ConnectorContext context) {
    this.access = requireNonNull(access, "access is null");
    this.context = requireNonNull(context, "context is null");
    this.path = options.get(RemoteOptions.SOURCE_PATH).trim();
    List<OptionProblem> problems = new ArrayList<>();
    if (RemotePaths.hasWildcard(RemotePaths.parent(path))) {
      problems.add(
          new OptionProblem(
              PATH, "wildcards (* and ?) are allowed in the file name only, not in folders"));
    }
    TextSourceFormat resolved = null;
    try {
      resolved = TextSourceFormat.of(options);
    } catch (InvalidOptionsException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    this.format = resolved;
  }

  /** The files {@code path} names, sorted by path: hidden files are left out of listings. */
  private List<WholeFileSplit> list(RemoteFs fs) {
    String name = RemotePaths.name(path);
    String folder = RemotePaths.parent(path);
    List<WholeFileSplit> found = new ArrayList<>();
    if (RemotePaths.hasWildcard(name)) {
      RemoteFs.Entry dir = fs.stat(folder);
      if (dir == null || !dir.directory()) {
        return List.of();
      }
      Pattern pattern = RemotePaths.wildcard(name);
      for (RemoteFs.Entry e : fs.list(folder)) {
        if (visibleFile(e) && pattern.matcher(e.name()).matches()) {
          found.add(new WholeFileSplit(RemotePaths.join(folder, e.name()), e.size()));
        }
      }
    } else {
      RemoteFs.Entry entry = fs.stat(path);
      if (entry == null) {
        return List.of();
      }
      if (entry.directory()) {
        for (RemoteFs.Entry e : fs.list(path)) {
          if (visibleFile(e)) {
            found.add(new WholeFileSplit(RemotePaths.join(path, e.name()), e.size()));
          }
        }
      } else {
        found.add(new WholeFileSplit(path, entry.size()));
      }
    }
    found.sort(Comparator.comparing(WholeFileSplit::path));
    return List.copyOf(found);
  }

  private static boolean visibleFile(RemoteFs.Entry e) {
    return e.file() && !e.name().startsWith(".");
  }

  private synchronized List<WholeFileSplit> files() {
    if (files == null) {
      files = access.call("list " + path + " on " + access.where(), this::list);
    }
    return files;
  }

  private static TextSourceFormat.Opener opener(RemoteFs fs, String file) {
    return offset -> fs.read(file, offset);
  }

  @Override
  public List<OptionProblem> check() {
    try {
      return access.call("check " + path + " on " + access.where(), this::check);
    } catch (FerryException e) {
      return RemoteAccess.problemsOf(e);
    }
  }

  private List<OptionProblem> check(RemoteFs fs) {
    List<WholeFileSplit> found = list(fs);
    synchronized (this) {
      files = found;
    }
    if (found.isEmpty()) {
      return List.of(
          new OptionProblem(PATH, "'" + path + "' matches no file on " + access.where()));
    }
    List<OptionProblem> problems = new ArrayList<>();
    Schema expected = format.declaredSchema();
    for (WholeFileSplit file : found.subList(0, Math.min(HEADER_CHECKS, found.size()))) {
      try {
        if (!format.header()) {
          try (InputStream in = format.openText(opener(fs, file.path()), file.path(), 0)) {
            in.read(); // opens the gzip header, if any
          }
          continue;
        }
        List<String> header = format.readHeader(opener(fs, file.path()), file.path());
        if (header == null) {
          continue; // an empty file: no rows, nothing to mismatch
        }
        if (expected == null) {
          expected = format.headerSchema(file.path(), header, PATH);
        }
        format.mapHeader(file.path(), header, expected, PATH);
      } catch (IOException e) {
        problems.add(new OptionProblem(PATH, file.path() + ": " + RemoteErrors.message(e)));
      } catch (FerryException e) {
        if (e.retriable()) {
          throw e;
        }
        problems.add(new OptionProblem(e.option() != null ? e.option() : PATH, e.getMessage()));
      }
    }
    return problems;
  }

  @Override
  public synchronized Schema schema() {
    if (schema == null) {
      Schema declared = format.declaredSchema();
      schema = declared != null ? declared : headerSchema();
    }
    return schema;
  }

  /** Every column of the first non-empty file's header, as strings. */
  private Schema headerSchema() {
    List<WholeFileSplit> all = files();
    return access.call(
        "read the header of " + path,
        fs -> {
          for (WholeFileSplit file : all) {
            List<String> header;
            try {
              header = format.readHeader(opener(fs, file.path()), file.path());
            } catch (IOException e) {
              throw RemoteErrors.io("read " + file.path(), e);
            }
            if (header != null) {
              return format.headerSchema(file.path(), header, PATH);
            }
          }
          throw new FerryException(
              ErrorCode.NOT_FOUND,
              "'"
                  + path
                  + "' matches no file with a header to take the column names from; declare"
                  + " columns",
              PATH,
              null);
        });
  }

  @Override
  public SplitPlanner planner() {
    return parallelism -> List.copyOf(files());
  }

  @Override
  public Codec<Split> splitCodec() {
    return SPLIT_CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    requireNonNull(split, "split is null");
    if (!(split instanceof WholeFileSplit file)) {
      throw new IllegalArgumentException("not a split of the " + access.scheme() + " source");
    }
    Schema columns = schema();
    // Not retried here beyond connecting: a reader that fails is opened again by the engine.
    RemoteFs fs = access.connect();
    try {
      SplitReader reader =
          format.openReader(
              opener(fs, file.path()), file.path(), columns, after, context.dirtyRows(), PATH);
      return new Reader(reader, fs);
    } catch (RuntimeException e) {
      fs.close();
      throw e;
    }
  }

  /** A file's reader and the connection it reads through, closed together. */
  private record Reader(SplitReader reader, RemoteFs fs) implements SplitReader {
    @Override
    public RowBatch next() {
      return reader.next();
    }

    @Override
    public void close() {
      try {
        reader.close();
      } finally {
        fs.close();
      }
    }
  }
}
