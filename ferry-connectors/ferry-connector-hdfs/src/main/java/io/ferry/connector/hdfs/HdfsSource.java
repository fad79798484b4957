package io.ferry.connector.hdfs;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.ZstdInputStream;
import io.ferry.connector.file.TextSourceFormat;
import io.ferry.connector.file.WholeFileSplit;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
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
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.SnappyCodec;

/**
 * Reads text, ORC or Parquet files from HDFS: one split per file, files listed under the path
 * (subfolders such as Hive partitions included, hidden names skipped). Text positions are the byte
 * offset of the next record (the file connector's); ORC and Parquet positions the rows handed on.
 */
final class HdfsSource implements Source {
  private static final Codec<Split> SPLIT_CODEC = WholeFileSplit.codec("hdfs file split");

  private static final String PATH = HdfsOptions.SOURCE_PATH.name();

  private final HdfsAccess access;
  private final ConnectorContext context;
  private final String path;
  private final FileType fileType;
  private final TextSourceFormat textFormat;
  private final List<Column> declared;
  private final int batchSize;
  private final boolean byPosition;

  private List<WholeFileSplit> files;
  private Schema schema;

  HdfsSource(Options options, ConnectorContext context) {
    this.context = requireNonNull(context, "context is null");
    HdfsOptions.checkTextOnly(options, HdfsOptions.SOURCE.options());
    this.path = options.get(HdfsOptions.SOURCE_PATH).trim();
    this.fileType = options.get(HdfsOptions.FILE_TYPE);
    this.textFormat =
        fileType == FileType.TEXT ? TextSourceFormat.of(HdfsOptions.textSource(options)) : null;
    this.declared = options.get(HdfsOptions.<List<Column>>textSourceOption("columns"));
    this.batchSize = options.get(HdfsOptions.<Integer>textSourceOption("batchSize"));
    this.byPosition = options.get(HdfsOptions.FIELDS_BY_POSITION);
    if (byPosition && (fileType == FileType.TEXT || declared == null)) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(
              new OptionProblem(
                  HdfsOptions.FIELDS_BY_POSITION.name(),
                  fileType == FileType.TEXT
                      ? "applies to orc and parquet; text fields are always read by position"
                      : "needs columns: column i is read from field i")));
    }
    this.access = new HdfsAccess(options);
  }

  /** The visible files the path names, sorted by path. */
  private List<WholeFileSplit> list(FileSystem fs) throws IOException {
    FileStatus[] matched = fs.globStatus(new Path(path));
    List<WholeFileSplit> found = new ArrayList<>();
    if (matched != null) {
      for (FileStatus status : matched) {
        if (status.isFile()) {
          found.add(new WholeFileSplit(status.getPath().toUri().getPath(), status.getLen()));
          continue;
        }
        String root = status.getPath().toUri().getPath();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(status.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus file = it.next();
          String full = file.getPath().toUri().getPath();
          if (visibleBelow(root, full)) {
            found.add(new WholeFileSplit(full, file.getLen()));
          }
        }
      }
    }
    found.sort(Comparator.comparing(WholeFileSplit::path));
    return List.copyOf(found);
  }

  /** Whether no name of {@code file} below {@code root} is hidden (. or _, as Hive skips). */
  private static boolean visibleBelow(String root, String file) {
    for (String name : file.substring(root.length()).split("/")) {
      if (!name.isEmpty() && !RunFiles.visible(name)) {
        return false;
      }
    }
    return true;
  }

  private synchronized List<WholeFileSplit> files() {
    if (files == null) {
      files = access.call("list " + path, this::list);
    }
    return files;
  }

  @Override
  public List<OptionProblem> check() {
    try {
      List<WholeFileSplit> found = access.call("list " + path, this::list);
      synchronized (this) {
        files = found;
      }
      if (found.isEmpty()) {
        return List.of(
            new OptionProblem(PATH, "'" + path + "' matches no file on " + access.where()));
      }
      schema();
      return List.of();
    } catch (FerryException e) {
      return HdfsAccess.problemsOf(e, PATH);
    }
  }

  @Override
  public synchronized Schema schema() {
    if (schema == null) {
      schema = fileType == FileType.TEXT ? textSchema() : columnarSchema();
    }
    return schema;
  }

  private Schema textSchema() {
    Schema given = textFormat.declaredSchema();
    if (given != null) {
      return given;
    }
    for (WholeFileSplit file : files()) {
      List<String> header;
      try {
        header = textFormat.readHeader(opener(file.path()), file.path());
      } catch (IOException e) {
        throw access.failure("read " + file.path(), e);
      }
      if (header != null) {
        return textFormat.headerSchema(file.path(), header, PATH);
      }
    }
    throw new FerryException(
        ErrorCode.NOT_FOUND,
        "'"
            + path
            + "' matches no file with a header to take the column names from; declare columns",
        PATH,
        null);
  }

  /** The declared columns, or every field of the first file. */
  private Schema columnarSchema() {
    List<WholeFileSplit> all = files();
    if (all.isEmpty()) {
      if (declared != null) {
        return Schema.of(declared);
      }
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "'" + path + "' matches no file to take the columns from",
          PATH,
          null);
    }
    String first = all.get(0).path();
    Schema file =
        access.call(
            "read the schema of " + first,
            fs ->
                fileType == FileType.ORC
                    ? orcSchema(first)
                    : ParquetFileReader.schemaOf(
                        first, ParquetFileReader.footerSchema(access, first)));
    if (declared == null) {
      return file;
    }
    Schema wanted = Schema.of(declared);
    ColumnProjection.of(first, file, wanted, byPosition); // a missing or mistyped column fails here
    return wanted;
  }

  private Schema orcSchema(String file) throws IOException {
    try (org.apache.orc.Reader reader = OrcFileReader.open(access, file)) {
      return OrcFileReader.schemaOf(file, reader.getSchema());
    }
  }

  /**
   * A text file's bytes from an offset: snappy and zstd decompressed here, gzip and bzip2 by the
   * format.
   */
  private TextSourceFormat.Opener opener(String file) {
    return offset -> {
      FileSystem fs = access.fs();
      HdfsCompression codec = HdfsCompression.ofFile(file);
      if (codec != HdfsCompression.SNAPPY && codec != HdfsCompression.ZSTD) {
        FSDataInputStream in = fs.open(new Path(file));
        if (offset > 0) {
          in.seek(offset);
        }
        return in;
      }
      InputStream raw = fs.open(new Path(file));
      InputStream text;
      if (codec == HdfsCompression.SNAPPY) {
        SnappyCodec snappy = new SnappyCodec();
        snappy.setConf(access.conf());
        text = snappy.createInputStream(raw);
      } else {
        text = new ZstdInputStream(raw);
      }
      text.skipNBytes(offset);
      return text;
    };
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
      throw new IllegalArgumentException("not a split of the hdfs source");
    }
    Schema columns = schema();
    if (fileType == FileType.TEXT) {
      return textFormat.openReader(
          opener(file.path()), file.path(), columns, after, context.dirtyRows(), PATH);
    }
    long skipped = after == null ? 0 : RowPosition.rows(after);
    try {
      return fileType == FileType.ORC
          ? OrcFileReader.open(access, file.path(), columns, byPosition, batchSize, skipped)
          : ParquetFileReader.open(access, file.path(), columns, byPosition, batchSize, skipped);
    } catch (IOException e) {
      throw access.failure("open " + file.path(), e);
    }
  }

  @Override
  public void close() {
    access.close();
  }
}
