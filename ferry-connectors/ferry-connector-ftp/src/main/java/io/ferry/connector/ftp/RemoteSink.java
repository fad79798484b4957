package io.ferry.connector.ftp;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.file.AppendCommit;
import io.ferry.connector.file.Compression;
import io.ferry.connector.file.FileOptions;
import io.ferry.connector.file.PartWriter;
import io.ferry.connector.file.SplitParts;
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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes csv, tsv or JSON Lines, plain, gzip or bzip2, to an FTP or SFTP server, split by split, as
 * the file sink does: the parts and their commit are {@link SplitParts}', the writers {@link
 * PartWriter}s (one connection each), the folder a {@link RemoteSinkFolder}. Nothing at the output
 * names changes before {@link #commit()}: perSplit renames each finished part to its output; merged
 * and perWriter join the parts, in plan order, into one temporary file per output (downloading each
 * part and uploading it again) and rename that into place.
 *
 * <p>Parts are named after the run: a resumed run keeps the finished splits' parts and writes the
 * unfinished splits again ({@link SinkResume.WholeSplit}).
 */
final class RemoteSink implements Sink {
  private static final String PATH = FileOptions.SINK_PATH.name();

  private final RemoteAccess access;
  private final TextSinkFormat format;
  private final String target;
  private final String folder;
  private final Compression compression;
  private final boolean overwrite;
  private final ConnectorContext context;
  private final RemoteSinkFolder files;
  private final SplitParts parts;

  /** The commit of {@code append: true}; null otherwise. */
  private final AppendCommit append;

  private volatile Schema schema;
  private volatile boolean resumed;

  /** The files of this run when the resumed run started discarding splits (engine thread only). */
  private List<String> resumeFiles;

  /** Writers were created: a listing of the run's files goes stale at once. */
  private boolean writing;

  RemoteSink(RemoteAccess access, Options options, ConnectorContext context) {
    this.access = requireNonNull(access, "access is null");
    this.context = requireNonNull(context, "context is null");
    this.format = TextSinkFormat.of(options);
    this.target = options.get(FileOptions.SINK_PATH).trim();
    this.folder = RemotePaths.parent(target);
    String name = RemotePaths.name(target);
    if (name.isEmpty() || RemotePaths.hasWildcard(target)) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(new OptionProblem(PATH, "must name a file, without wildcards")));
    }
    this.compression = format.compression(name);
    this.overwrite = options.get(FileOptions.OVERWRITE);
    boolean appending = AppendCommit.requested(options);
    this.files = new RemoteSinkFolder(access, folder);
    this.parts =
        new SplitParts(
            name,
            context.runKey(),
            options.get(FileOptions.FILE_MODE),
            format.header(),
            overwrite,
            appending);
    this.append = appending ? new AppendCommit(name, parts) : null;
  }

  @Override
  public List<OptionProblem> check() {
    try {
      List<OptionProblem> problems =
          access.call("check " + target + " on " + access.where(), this::check);
      if (!problems.isEmpty() || overwrite || append != null) {
        return problems;
      }
      List<String> outputs = files.call("list " + folder, parts::existingOutputs);
      if (!outputs.isEmpty()) {
        return List.of(
            new OptionProblem(
                PATH,
                files.path(outputs.get(0))
                    + (outputs.size() > 1 ? " and " + (outputs.size() - 1) + " more" : "")
                    + " already exist; set overwrite: true to replace"));
      }
      return List.of();
    } catch (FerryException e) {
      return RemoteAccess.problemsOf(e);
    }
  }

  private List<OptionProblem> check(RemoteFs fs) {
    RemoteFs.Entry existing = fs.stat(target);
    if (existing != null && existing.directory()) {
      return List.of(
          new OptionProblem(PATH, target + " is a folder; path names the file to write"));
    }
    String dir = folder;
    RemoteFs.Entry entry = fs.stat(dir);
    while (entry == null && !RemotePaths.parent(dir).equals(dir)) {
      dir = RemotePaths.parent(dir);
      entry = fs.stat(dir);
    }
    if (entry != null && !entry.directory()) {
      return List.of(
          new OptionProblem(PATH, dir + " is a file, not a folder, on " + access.where()));
    }
    return List.of();
  }

  @Override
  public void prepare(Schema schema) {
    this.schema = requireNonNull(schema, "schema is null");
    access.call(
        "create the folder " + folder + " on " + access.where(),
        fs -> {
          fs.mkdirs(folder);
          return null;
        });
  }

  /** Finished parts of earlier attempts stay; unfinished splits are discarded one by one. */
  @Override
  public SinkResume resumeModel() {
    return SinkResume.wholeSplit(this::reopen, this::discardSplit);
  }

  private void reopen(Schema schema) {
    resumed = true;
    prepare(schema);
  }

  /**
   * Deletes the parts of {@code split}. Before any writer (a resume) the run's files are listed
   * once for all unfinished splits; once writers write (the engine retrying a failed writer's
   * splits), the listing is fresh each time, since other writers keep adding parts.
   */
  private synchronized void discardSplit(int split) {
    if (resumeFiles == null || writing) {
      resumeFiles = new ArrayList<>(files.call("list " + folder, f -> parts.runFiles(f.files())));
    }
    List<String> doomed = parts.partsOfSplit(split, resumeFiles);
    if (doomed.isEmpty()) {
      return;
    }
    files.call(
        "delete the parts of split " + split,
        f -> {
          doomed.forEach(f::delete);
          return null;
        });
    resumeFiles.removeAll(doomed);
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    synchronized (this) {
      writing = true;
    }
    Schema columns = schema;
    if (columns == null) {
      throw new IllegalStateException("prepare(schema) must run before createWriter");
    }
    return new PartWriter(
        files, parts, format, compression, writerIndex, columns, context.dirtyRows());
  }

  @Override
  public void commit() {
    String what = "publish " + target + " on " + access.where();
    files.call(
        what,
        f -> {
          try {
            if (append != null) {
              append.commit(
                  f, parts, format.header() ? format.headerBytes(schema, compression) : null);
            } else {
              parts.commit(files, f, resumed, () -> format.headerBytes(schema, compression));
            }
          } catch (IOException e) {
            throw RemoteErrors.io(what, e);
          }
          return null;
        });
  }

  /** Deletes every file of this run, finished parts included; the outputs are untouched. */
  @Override
  public void abort() {
    try {
      files.call(
          "delete the parts of " + target,
          f -> {
            if (append != null) {
              try {
                append.abort(f);
              } catch (IOException e) {
                throw RemoteErrors.io("cut " + target + " back", e);
              }
            }
            parts.runFiles(f.files()).forEach(f::delete);
            return null;
          });
    } catch (RuntimeException e) {
      // abort must not throw; a leftover hidden part only takes space
    }
  }
}
