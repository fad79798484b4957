package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.ChangeWriter;
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
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes csv, tsv or JSON Lines, plain, gzip or bzip2, atomically and split by split into the local
 * folder of {@code path}: the parts and their commit are {@link SplitParts}', the writers {@link
 * PartWriter}s, the folder a {@link LocalSinkFolder}. Nothing at {@code path} changes until {@link
 * #commit()}. Concatenated gzip parts are one valid gzip file of several members, bzip2 parts one
 * valid multi-stream bzip2 file.
 *
 * <p>Parts are named after the run, so they survive until the run ends: a resumed run keeps the
 * finished splits' parts and writes the unfinished splits again ({@link SinkResume.WholeSplit}).
 * Commit never changes a part, so a commit interrupted by a crash is simply done again.
 */
final class FileSink implements Sink {
  static final ErrorCode OUTPUT_EXISTS = LocalSinkFolder.OUTPUT_EXISTS;

  /**
   * No file can be written at {@code path}: a folder that cannot be created, or a file system that
   * refuses new files (read-only, no permission, {@code /proc}). Retrying cannot help.
   */
  static final ErrorCode PATH_UNUSABLE = ErrorCode.user("file.path-unusable");

  private final Path target;
  private final TextSinkFormat format;
  private final Compression compression;
  private final boolean overwrite;

  /** The commit of {@code append: true}; null otherwise. */
  private final AppendCommit append;

  private final ConnectorContext context;
  private final LocalSinkFolder folder;
  private final SplitParts parts;

  private volatile Schema schema;

  /** Whether this run continues an earlier attempt ({@link #resume}). */
  private volatile boolean resumed;

  FileSink(Options options, ConnectorContext context) {
    this.context = requireNonNull(context, "context is null");
    this.format = TextSinkFormat.of(options);
    String option = FileOptions.SINK_PATH.name();
    this.target =
        context
            .localFiles()
            .resolve(option, options.get(FileOptions.SINK_PATH))
            .toAbsolutePath()
            .normalize();
    // Parts and per-writer files go beside the target: its folder must be allowed too (a path that
    // names a root itself would put them outside).
    if (target.getParent() != null) {
      context.localFiles().resolve(option, target.getParent());
    }
    String name = target.getFileName().toString();
    this.compression = format.compression(name);
    this.overwrite = options.get(FileOptions.OVERWRITE);
    boolean appending = AppendCommit.requested(options);
    FileMode fileMode = options.get(FileOptions.FILE_MODE);
    this.folder = new LocalSinkFolder(target.getParent());
    this.parts =
        new SplitParts(name, context.runKey(), fileMode, format.header(), overwrite, appending);
    this.append = appending ? new AppendCommit(name, parts) : null;
  }

  @Override
  public List<OptionProblem> check() {
    String path = FileOptions.SINK_PATH.name();
    if (Files.isDirectory(target)) {
      return List.of(
          new OptionProblem(path, target + " is a directory; path names the file to write"));
    }
    Path existing = target.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      return List.of(new OptionProblem(path, "cannot create a folder for " + target));
    }
    if (!Files.isWritable(existing)) {
      return List.of(new OptionProblem(path, "cannot write in " + existing));
    }
    try {
      // Permissions do not tell everything (root may "write" anywhere, /proc takes no files).
      probe(existing);
    } catch (IOException e) {
      return List.of(new OptionProblem(path, "cannot write in " + existing + ": " + reason(e)));
    }
    if (!overwrite && append == null) {
      List<String> outputs = existingOutputs();
      if (!outputs.isEmpty()) {
        return List.of(
            new OptionProblem(
                path,
                folder.path(outputs.get(0))
                    + (outputs.size() > 1 ? " and " + (outputs.size() - 1) + " more" : "")
                    + " already exist; set overwrite: true to replace"));
      }
    }
    return List.of();
  }

  /** Files at the places this sink writes to, from this or an earlier run. */
  private List<String> existingOutputs() {
    return folder.call("list " + target.getParent(), parts::existingOutputs);
  }

  @Override
  public void prepare(Schema schema) {
    this.schema = requireNonNull(schema, "schema is null");
    Path folder = target.getParent();
    try {
      Files.createDirectories(folder);
      probe(folder);
    } catch (IOException e) {
      throw new FerryException(
          cannotEver(e) ? PATH_UNUSABLE : LocalSinkFolder.WRITE_FAILED,
          "cannot write files in " + folder + ", the folder of path: " + reason(e),
          FileOptions.SINK_PATH.name(),
          e);
    }
  }

  /** Creates and deletes a hidden file of this run in {@code folder}, as the parts will be. */
  /**
   * Creates and deletes a hidden file in {@code folder}. Its name is this call's own: writers of
   * one run on several processes or threads (Flink tasks reopening the sink) probe at once.
   */
  private void probe(Path folder) throws IOException {
    Path probe = folder.resolve(parts.scratch("probe-" + java.util.UUID.randomUUID()));
    Files.newByteChannel(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
    Files.delete(probe);
  }

  /**
   * Whether a failure to create a folder or file is the path's for good (no permission, a file in
   * the way, a read-only or special file system) rather than a passing state such as a full disk.
   */
  private static boolean cannotEver(IOException e) {
    if (e instanceof AccessDeniedException
        || e instanceof NoSuchFileException
        || e instanceof NotDirectoryException
        || e instanceof FileAlreadyExistsException) {
      return true;
    }
    String reason = e instanceof FileSystemException f ? f.getReason() : null;
    return reason != null
        && (reason.contains("Operation not permitted") || reason.contains("Read-only file system"));
  }

  /**
   * What went wrong, with the file and the system's reason (NoSuchFileException says only a path).
   */
  private static String reason(IOException e) {
    if (e instanceof FileSystemException f) {
      return f.getFile()
          + ": "
          + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
    }
    return String.valueOf(e.getMessage());
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

  private void discardSplit(int split) {
    folder.call(
        "discard split " + split,
        files -> {
          parts.partsOfSplit(split, files.files()).forEach(files::delete);
          return null;
        });
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    Schema columns = schema;
    if (columns == null) {
      throw new IllegalStateException("prepare(schema) must run before createWriter");
    }
    return new PartWriter(
        folder, parts, format, compression, writerIndex, columns, context.dirtyRows());
  }

  /**
   * Change records are JSON Lines appended to a plain file: a cdc job into a file sink needs {@code
   * format: jsonl} without compression ({@code ferry validate} refuses it otherwise).
   */
  @Override
  public boolean appliesChanges() {
    return format.layout().format() == FileFormat.JSONL && !compression.compressed();
  }

  /**
   * A writer of change records appended to {@code path} ({@link FileChangeWriter}); the file is
   * created when missing and never replaced ({@code overwrite} does not apply).
   */
  @Override
  public List<OptionProblem> changeProblems() {
    List<OptionProblem> problems = new java.util.ArrayList<>();
    if (format.layout().format() != FileFormat.JSONL) {
      problems.add(
          new OptionProblem(
              FileOptions.FORMAT.name(), "a cdc job writes JSON Lines change records: set jsonl"));
    }
    if (compression.compressed()) {
      problems.add(
          new OptionProblem(
              FileOptions.COMPRESSION.name(),
              "change records are appended to a plain file: no compression"));
    }
    return problems;
  }

  @Override
  public ChangeWriter changeWriter(ChangeWriter.Target changes) {
    List<OptionProblem> problems = changeProblems();
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    if (Files.isDirectory(target)) {
      throw FerryException.option(
          PATH_UNUSABLE,
          FileOptions.SINK_PATH.name(),
          target + " is a directory; path names the file to write");
    }
    FileChangeWriter writer = new FileChangeWriter(target, changes);
    try {
      writer.open();
    } catch (IOException e) {
      writer.close();
      throw new FerryException(
          cannotEver(e) ? PATH_UNUSABLE : LocalSinkFolder.WRITE_FAILED,
          "cannot open " + target + " for change records: " + reason(e),
          FileOptions.SINK_PATH.name(),
          e);
    }
    return writer;
  }

  @Override
  public void commit() {
    if (append != null) {
      try (SinkFolder.Connection files = folder.open()) {
        append.commit(
            files, parts, format.header() ? format.headerBytes(schema, compression) : null);
      } catch (IOException e) {
        throw folder.failure("cannot append to " + target, e);
      }
      return;
    }
    try (SinkFolder.Connection files = folder.open()) {
      parts.commit(folder, files, resumed, () -> format.headerBytes(schema, compression));
    } catch (IOException e) {
      throw folder.failure("cannot publish " + target, e);
    }
  }

  /** Deletes every file of this run, finished parts included; the target is untouched. */
  @Override
  public void abort() {
    try {
      folder.call(
          "abort",
          files -> {
            if (append != null) {
              try {
                append.abort(files);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
            parts.runFiles(files.files()).forEach(files::delete);
            return null;
          });
    } catch (RuntimeException e) {
      // abort must not throw; a leftover hidden part only takes space
    }
  }
}
