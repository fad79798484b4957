package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes csv, tsv or JSON Lines, plain or gzip, atomically and split by split: a writer writes each
 * split it receives into a hidden temporary part in the target's folder and renames the part to a
 * finished one when the split ends. Nothing at {@code path} changes until {@link #commit()} joins
 * the finished parts, in plan order, into one temporary file per output and renames it into place.
 * Concatenated gzip parts are one valid gzip file of several members.
 *
 * <p>Parts are named after the run, so they survive until the run ends: a resumed run keeps the
 * finished splits' parts and writes the unfinished splits again ({@link SinkResume.WholeSplit}).
 * Commit never changes a part, so a commit interrupted by a crash is simply done again.
 */
final class FileSink implements Sink {
  static final ErrorCode OUTPUT_EXISTS = ErrorCode.user("file.exists");

  /**
   * No file can be written at {@code path}: a folder that cannot be created, or a file system that
   * refuses new files (read-only, no permission, {@code /proc}). Retrying cannot help.
   */
  static final ErrorCode PATH_UNUSABLE = ErrorCode.user("file.path-unusable");

  private static final String TEMPORARY = ".tmp";
  private static final String FINISHED = ".done";

  private final Path target;
  private final TextSinkFormat format;
  private final boolean gzip;
  private final FileMode fileMode;
  private final boolean overwrite;
  private final ConnectorContext context;

  /** The name of {@code path} up to its first dot, and from it: {@code orders}, {@code .csv.gz}. */
  private final String stem;

  private final String extensions;

  /** How every file of this run beside the target starts: {@code .orders.csv.ferry-<run>-}. */
  private final String runPrefix;

  /** A finished part: {@code <runPrefix><split>-<writer>.done}. */
  private final Pattern finishedPart;

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
    this.gzip = format.gzip(target.getFileName().toString());
    this.fileMode = options.get(FileOptions.FILE_MODE);
    this.overwrite = options.get(FileOptions.OVERWRITE);
    String name = target.getFileName().toString();
    int dot = name.indexOf('.', 1);
    this.stem = dot < 0 ? name : name.substring(0, dot);
    this.extensions = dot < 0 ? "" : name.substring(dot);
    this.runPrefix = "." + name + ".ferry-" + context.runKey() + "-";
    this.finishedPart =
        Pattern.compile(Pattern.quote(runPrefix) + "(\\d+)-(\\d+)" + Pattern.quote(FINISHED));
  }

  /** The file writer {@code writerIndex}'s rows end up in. */
  Path outputOf(int writerIndex) {
    return fileMode == FileMode.MERGED
        ? target
        : target.resolveSibling(stem + "-" + String.format("%05d", writerIndex) + extensions);
  }

  /** Where writer {@code writerIndex} writes split {@code split}, while and after it does. */
  Path partOf(int split, int writerIndex, boolean finished) {
    return target.resolveSibling(
        runPrefix
            + String.format("%05d", split)
            + "-"
            + writerIndex
            + (finished ? FINISHED : TEMPORARY));
  }

  /**
   * Whether split {@code split}'s part starts with the header: in a merged file only the first
   * split's part does, so the parts concatenate to one file; elsewhere commit writes the header.
   */
  boolean partHasHeader(int split) {
    return format.header() && fileMode == FileMode.MERGED && split == 0;
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
    if (!overwrite) {
      List<Path> outputs = existingOutputs();
      if (!outputs.isEmpty()) {
        return List.of(
            new OptionProblem(
                path,
                outputs.get(0)
                    + (outputs.size() > 1 ? " and " + (outputs.size() - 1) + " more" : "")
                    + " already exist; set overwrite: true to replace"));
      }
    }
    return List.of();
  }

  /** Files at the places this sink writes to, from this or an earlier run. */
  private List<Path> existingOutputs() {
    if (fileMode == FileMode.MERGED) {
      return Files.exists(target) ? List.of(target) : List.of();
    }
    Pattern output = Pattern.compile(Pattern.quote(stem) + "-\\d{5}" + Pattern.quote(extensions));
    if (!Files.isDirectory(target.getParent())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(target.getParent())) {
      return files
          .filter(f -> output.matcher(f.getFileName().toString()).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.IO, "cannot list " + target.getParent() + ": " + e.getMessage(), e);
    }
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
          cannotEver(e) ? PATH_UNUSABLE : FileSinkWriter.WRITE_FAILED,
          "cannot write files in " + folder + ", the folder of path: " + reason(e),
          FileOptions.SINK_PATH.name(),
          e);
    }
  }

  /** Creates and deletes a hidden file of this run in {@code folder}, as the parts will be. */
  private void probe(Path folder) throws IOException {
    Path probe = folder.resolve(runPrefix + "probe" + TEMPORARY);
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
    for (Path part : runFiles()) {
      String name = part.getFileName().toString();
      if (name.startsWith(runPrefix + String.format("%05d", split) + "-")) {
        delete(part);
      }
    }
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    Schema columns = schema;
    if (columns == null) {
      throw new IllegalStateException("prepare(schema) must run before createWriter");
    }
    return new FileSinkWriter(
        this, writerIndex, columns, format, gzip, outputOf(writerIndex), context.dirtyRows());
  }

  @Override
  public void commit() {
    try {
      // Finished parts by output, each in plan order.
      Map<Path, SortedMap<Integer, Path>> outputs = new TreeMap<>();
      if (fileMode == FileMode.MERGED) {
        outputs.put(target, new TreeMap<>());
      }
      for (Path part : runFiles()) {
        Matcher m = finishedPart.matcher(part.getFileName().toString());
        if (m.matches()) {
          outputs
              .computeIfAbsent(outputOf(Integer.parseInt(m.group(2))), o -> new TreeMap<>())
              .put(Integer.parseInt(m.group(1)), part);
        }
      }
      if (resumed
          && outputs.values().stream().allMatch(Map::isEmpty)
          && !existingOutputs().isEmpty()) {
        // An earlier attempt published the outputs and deleted its parts, then ended before the
        // run was recorded as done: there is nothing left to publish.
        return;
      }
      List<Path> stale =
          fileMode == FileMode.PER_WRITER && overwrite
              ? new ArrayList<>(existingOutputs())
              : new ArrayList<>();
      int index = 0;
      for (Map.Entry<Path, SortedMap<Integer, Path>> output : outputs.entrySet()) {
        publish(join(output.getValue(), index++), output.getKey());
        stale.remove(output.getKey());
      }
      // Files of an earlier run with more writers would otherwise mix with this run's output.
      for (Path old : stale) {
        Files.deleteIfExists(old);
      }
      syncDirectory();
      for (SortedMap<Integer, Path> parts : outputs.values()) {
        for (Path part : parts.values()) {
          Files.deleteIfExists(part);
        }
      }
    } catch (IOException e) {
      throw new FerryException(
          FileSinkWriter.WRITE_FAILED, "cannot publish " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies the header (unless the first part has it) and the parts, in order, into a new temporary
   * file and forces it to disk. The parts stay as they are until the output is published.
   */
  private Path join(SortedMap<Integer, Path> parts, int index) throws IOException {
    Path joined = target.resolveSibling(runPrefix + "output-" + index + TEMPORARY);
    try (FileChannel out =
        FileChannel.open(
            joined,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING,
            LinkOption.NOFOLLOW_LINKS)) {
      if (format.header() && (parts.isEmpty() || !partHasHeader(parts.firstKey()))) {
        ByteBuffer header = ByteBuffer.wrap(headerBytes());
        while (header.hasRemaining()) {
          out.write(header);
        }
      }
      for (Path part : parts.values()) {
        try (FileChannel in = FileChannel.open(part)) {
          long size = in.size();
          for (long done = 0; done < size; ) {
            done += in.transferTo(done, size - done, out);
          }
        }
      }
      out.force(true);
    }
    return joined;
  }

  /** Renames {@code from} onto {@code to} atomically, refusing to replace unless overwrite. */
  private void publish(Path from, Path to) throws IOException {
    if (!overwrite && Files.exists(to)) {
      throw new FerryException(
          OUTPUT_EXISTS,
          to + " appeared while the job ran; it was left as it is and the output stays in " + from,
          FileOptions.SINK_PATH.name(),
          null);
    }
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Every file of this run beside the target: parts, finished or not, and joined outputs. */
  private List<Path> runFiles() {
    if (!Files.isDirectory(target.getParent())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(target.getParent())) {
      return files.filter(f -> f.getFileName().toString().startsWith(runPrefix)).sorted().toList();
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.IO, "cannot list " + target.getParent() + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new FerryException(
          FileSinkWriter.WRITE_FAILED, "cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** The header line alone, encoded (and compressed) as a part would start with it. */
  private byte[] headerBytes() throws IOException {
    return format.headerBytes(schema, gzip);
  }

  /**
   * Makes renames in the target's folder durable; where a folder cannot be opened for that, the
   * rename still holds.
   */
  void syncDirectory() {
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems do not open folders; the rename is done, only its durability waits.
    }
  }

  /** Deletes every file of this run, finished parts included; the target is untouched. */
  @Override
  public void abort() {
    try {
      for (Path file : runFiles()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      // abort must not throw; a leftover hidden part only takes space
    }
  }
}
