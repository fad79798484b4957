package io.ferry.connector.hdfs;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.file.TextSinkFormat;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes text, ORC or Parquet files into a folder on HDFS (a Hive partition, typically), one file
 * per split ({@link RunFiles}): each split's file is finished under a hidden name when the split
 * ends and made visible at commit, where the write mode applies. A resumed run keeps the finished
 * splits and writes the others again ({@link SinkResume.WholeSplit}), so the published files hold
 * every row exactly once.
 */
final class HdfsSink implements Sink {
  private static final String PATH = HdfsOptions.SINK_PATH.name();

  private final HdfsAccess access;
  private final ConnectorContext context;
  private final Path folder;
  private final FileType fileType;
  private final WriteMode writeMode;
  private final HdfsCompression compression;
  private final TextSinkFormat textFormat;
  private final RunFiles files;
  private final Schema declared;

  private volatile RowFileWriter.Factory factory;
  private volatile boolean resumed;

  HdfsSink(Options options, ConnectorContext context) {
    this.context = requireNonNull(context, "context is null");
    HdfsOptions.checkTextOnly(options, HdfsOptions.SINK.options());
    this.fileType = options.get(HdfsOptions.FILE_TYPE);
    this.compression = options.get(HdfsOptions.COMPRESSION);
    if (compression == HdfsCompression.BZIP2 && fileType != FileType.TEXT) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(
              new OptionProblem(
                  HdfsOptions.COMPRESSION.name(),
                  "bzip2 compresses text files only; "
                      + fileType.choice()
                      + " takes none, gzip, snappy or zstd")));
    }
    this.textFormat =
        fileType == FileType.TEXT ? TextSinkFormat.of(HdfsOptions.textSink(options)) : null;
    this.writeMode = options.get(HdfsOptions.WRITE_MODE);
    this.folder = new Path(options.get(HdfsOptions.SINK_PATH).trim());
    String ending = fileType == FileType.TEXT ? compression.extension() : fileType.extension();
    this.files = new RunFiles(options.get(HdfsOptions.FILE_NAME), context.runKey(), ending);
    List<io.ferry.spi.Column> columns = options.get(HdfsOptions.SINK_COLUMNS);
    this.declared = columns == null ? null : Schema.of(columns);
    this.access = new HdfsAccess(options);
  }

  /** The declared columns, which the engine converts the source's rows to. */
  @Override
  public java.util.Optional<Schema> targetSchema() {
    return java.util.Optional.ofNullable(declared);
  }

  @Override
  public List<OptionProblem> check() {
    try {
      return access.call("check " + folder, this::check);
    } catch (FerryException e) {
      return HdfsAccess.problemsOf(e, PATH);
    }
  }

  private List<OptionProblem> check(FileSystem fs) throws IOException {
    FileStatus status = status(fs, folder);
    if (status != null && !status.isDirectory()) {
      return List.of(
          new OptionProblem(PATH, folder + " is a file; path names the folder to write"));
    }
    if (writeMode == WriteMode.NON_CONFLICT && status != null) {
      List<String> others = others(fs);
      if (!others.isEmpty()) {
        return List.of(new OptionProblem(HdfsOptions.WRITE_MODE.name(), conflict(others)));
      }
    }
    return List.of();
  }

  private static FileStatus status(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /** The names in the folder; none when it does not exist. */
  private static List<String> names(FileSystem fs, Path folder) throws IOException {
    try {
      List<String> names = new ArrayList<>();
      for (FileStatus s : fs.listStatus(folder)) {
        names.add(s.getPath().getName());
      }
      return names;
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  /** Visible files in the folder that are not this run's outputs. */
  private List<String> others(FileSystem fs) throws IOException {
    return names(fs, folder).stream()
        .filter(n -> RunFiles.visible(n) && !files.outputOfRun(n))
        .sorted()
        .toList();
  }

  private String conflict(List<String> others) {
    return "writeMode nonConflict: "
        + folder
        + " already holds "
        + others.get(0)
        + (others.size() > 1 ? " and " + (others.size() - 1) + " more" : "")
        + "; use append or overwrite, or another path";
  }

  @Override
  public void prepare(Schema schema) {
    requireNonNull(schema, "schema is null");
    this.factory = factory(schema);
    access.call(
        "create the folder " + folder,
        fs -> {
          if (writeMode == WriteMode.NON_CONFLICT && !resumed) {
            List<String> others = others(fs);
            if (!others.isEmpty()) {
              throw new FerryException(
                  HdfsAccess.OUTPUT_EXISTS, conflict(others), HdfsOptions.WRITE_MODE.name(), null);
            }
          }
          fs.mkdirs(folder);
          return null;
        });
  }

  private RowFileWriter.Factory factory(Schema schema) {
    FileSystem fs = access.fs();
    return switch (fileType) {
      case TEXT ->
          TextFileWriter.factory(
              fs, access.conf(), textFormat, compression, schema, context.dirtyRows());
      case ORC ->
          OrcFileWriter.factory(fs, access.conf(), compression, schema, context.dirtyRows());
      case PARQUET ->
          ParquetFileWriter.factory(access.conf(), compression, schema, context.dirtyRows());
    };
  }

  /** Finished splits of earlier attempts stay; the files of unfinished ones are deleted. */
  @Override
  public SinkResume resumeModel() {
    return SinkResume.wholeSplit(this::reopen, this::discardSplit);
  }

  private void reopen(Schema schema) {
    resumed = true;
    prepare(schema);
  }

  private void discardSplit(int split) {
    access.call(
        "delete the files of split " + split + " in " + folder,
        fs -> {
          for (String name : names(fs, folder)) {
            if (files.ofSplit(name, split)) {
              fs.delete(new Path(folder, name), false);
            }
          }
          return null;
        });
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    RowFileWriter.Factory f = factory;
    if (f == null) {
      throw new IllegalStateException("prepare(schema) must run before createWriter");
    }
    return new HdfsWriter(access, folder, files, f, writerIndex);
  }

  /**
   * Renames every finished split to its output, then applies the write mode: nonConflict fails if
   * another file appeared meanwhile (before anything is renamed), overwrite deletes the folder's
   * older files named with the prefix. Done again after a crash, it finishes what is left.
   */
  @Override
  public void commit() {
    access.call(
        "publish the files in " + folder,
        fs -> {
          List<String> names = names(fs, folder);
          if (writeMode == WriteMode.NON_CONFLICT) {
            List<String> others = others(fs);
            if (!others.isEmpty()) {
              throw new FerryException(
                  HdfsAccess.OUTPUT_EXISTS,
                  conflict(others) + "; the run's files stay hidden in " + folder,
                  HdfsOptions.WRITE_MODE.name(),
                  null);
            }
          }
          for (String name : names) {
            int split = files.finishedSplit(name);
            if (split >= 0) {
              Path output = new Path(folder, files.output(split));
              if (!fs.rename(new Path(folder, name), output)) {
                throw new IOException("the NameNode refused to rename " + name + " to " + output);
              }
            }
          }
          for (String name : names) {
            if (files.hiddenOfRun(name) && files.finishedSplit(name) < 0) {
              fs.delete(new Path(folder, name), false); // a temporary file of a failed writer
            } else if (writeMode == WriteMode.OVERWRITE
                && RunFiles.visible(name)
                && files.replacedByOverwrite(name)) {
              fs.delete(new Path(folder, name), false);
            }
          }
          return null;
        });
  }

  /** Deletes the run's hidden files; published outputs and other files are left. */
  @Override
  public void abort() {
    try {
      access.call(
          "delete the run's files in " + folder,
          fs -> {
            for (String name : names(fs, folder)) {
              if (files.hiddenOfRun(name)) {
                fs.delete(new Path(folder, name), false);
              }
            }
            return null;
          });
    } catch (RuntimeException e) {
      // abort must not throw; a leftover hidden file only takes space
    }
  }

  @Override
  public void close() {
    access.close();
  }
}
