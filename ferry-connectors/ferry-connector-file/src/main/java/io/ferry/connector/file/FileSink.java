package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes csv, tsv or JSON Lines, plain or gzip, atomically: every writer writes a hidden temporary
 * part in the target's folder, and nothing at {@code path} changes until {@link #commit()} renames
 * the parts into place (perWriter) or concatenates them into one temporary file that it renames
 * onto {@code path} (merged). Concatenated gzip parts are one valid gzip file of several members.
 */
final class FileSink implements Sink {
  static final ErrorCode OUTPUT_EXISTS = ErrorCode.user("file.exists");

  private final Path target;
  private final TextLayout layout;
  private final boolean gzip;
  private final FileMode fileMode;
  private final boolean overwrite;
  private final ConnectorContext context;

  /** The name of {@code path} up to its first dot, and from it: {@code orders}, {@code .csv.gz}. */
  private final String stem;

  private final String extensions;

  /** The parts of the writers created so far, by writer index, in index order. */
  private final Map<Integer, Path> parts = new ConcurrentSkipListMap<>();

  private volatile Schema schema;

  FileSink(Options options, ConnectorContext context) {
    this.context = requireNonNull(context, "context is null");
    List<OptionProblem> problems = new ArrayList<>();
    this.layout = TextLayout.resolve(options, FileOptions.SINK_HEADER, problems);
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    this.target = Path.of(options.get(FileOptions.SINK_PATH)).toAbsolutePath().normalize();
    this.gzip = options.get(FileOptions.COMPRESSION).gzip(target);
    this.fileMode = options.get(FileOptions.FILE_MODE);
    this.overwrite = options.get(FileOptions.OVERWRITE);
    String name = target.getFileName().toString();
    int dot = name.indexOf('.', 1);
    this.stem = dot < 0 ? name : name.substring(0, dot);
    this.extensions = dot < 0 ? "" : name.substring(dot);
  }

  /** The file writer {@code writerIndex}'s rows end up in. */
  Path outputOf(int writerIndex) {
    return fileMode == FileMode.MERGED
        ? target
        : target.resolveSibling(stem + "-" + String.format("%05d", writerIndex) + extensions);
  }

  private Path partOf(int writerIndex) {
    return target.resolveSibling(
        "." + outputOf(writerIndex).getFileName() + ".ferry-" + writerIndex + ".tmp");
  }

  private Path mergedTemp() {
    return target.resolveSibling("." + target.getFileName() + ".ferry-merged.tmp");
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
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new FerryException(
          FileSinkWriter.WRITE_FAILED,
          "cannot create the folder " + target.getParent() + ": " + e.getMessage(),
          FileOptions.SINK_PATH.name(),
          e);
    }
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    Schema columns = schema;
    if (columns == null) {
      throw new IllegalStateException("prepare(schema) must run before createWriter");
    }
    Path part = partOf(writerIndex);
    if (parts.putIfAbsent(writerIndex, part) != null) {
      throw new IllegalArgumentException("writer " + writerIndex + " was already created");
    }
    // Merged: only writer 0's part carries the header, so that it alone can become the file.
    boolean header = layout.header() && (fileMode == FileMode.PER_WRITER || writerIndex == 0);
    return new FileSinkWriter(
        part, outputOf(writerIndex).toString(), columns, layout, gzip, header, context.dirtyRows());
  }

  @Override
  public void commit() {
    try {
      if (fileMode == FileMode.PER_WRITER) {
        commitPerWriter();
      } else {
        commitMerged();
      }
      syncDirectory();
    } catch (IOException e) {
      throw new FerryException(
          FileSinkWriter.WRITE_FAILED, "cannot publish " + target + ": " + e.getMessage(), e);
    }
  }

  private void commitPerWriter() throws IOException {
    List<Path> stale = overwrite ? new ArrayList<>(existingOutputs()) : new ArrayList<>();
    for (Map.Entry<Integer, Path> e : parts.entrySet()) {
      Path output = outputOf(e.getKey());
      publish(e.getValue(), output);
      stale.remove(output);
    }
    // Files of an earlier run with more writers would otherwise mix with this run's output.
    for (Path old : stale) {
      Files.deleteIfExists(old);
    }
    parts.clear();
  }

  private void commitMerged() throws IOException {
    if (parts.keySet().equals(Set.of(0))) {
      publish(parts.get(0), target);
      parts.clear();
      return;
    }
    // The other parts are appended to writer 0's part, which already starts with the header:
    // one part's bytes are never copied (half the data with two writers).
    Path first = parts.get(0);
    Path merged = first != null ? first : mergedTemp();
    try (FileChannel out =
        first != null
            ? FileChannel.open(merged, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
            : FileChannel.open(
                merged,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      if (first == null && layout.header()) {
        ByteBuffer header = ByteBuffer.wrap(headerBytes());
        while (header.hasRemaining()) {
          out.write(header);
        }
      }
      for (Map.Entry<Integer, Path> part : parts.entrySet()) {
        if (part.getKey() == 0) {
          continue;
        }
        try (FileChannel in = FileChannel.open(part.getValue())) {
          long size = in.size();
          for (long done = 0; done < size; ) {
            done += in.transferTo(done, size - done, out);
          }
        }
      }
      out.force(true);
    }
    publish(merged, target);
    for (Path part : parts.values()) {
      Files.deleteIfExists(part);
    }
    parts.clear();
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

  /** The header line alone, encoded (and compressed) as a part would start with it. */
  private byte[] headerBytes() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
    try (out) {
      TextBuffer buffer = new TextBuffer(out, layout.charset(), 1024);
      RowFormatter.of(schema, layout).appendHeader(buffer);
      buffer.endRow();
      buffer.flushBuffer();
    }
    return bytes.toByteArray();
  }

  /**
   * Makes the renames durable; where a folder cannot be opened for that, the rename still holds.
   */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems do not open folders; the rename is done, only its durability waits.
    }
  }

  /** Deletes every temporary part; the target is untouched. */
  @Override
  public void abort() {
    List<Path> temporary = new ArrayList<>(parts.values());
    temporary.add(mergedTemp());
    for (Path file : temporary) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // abort must not throw; a leftover hidden part is replaced by the next run's writer
      }
    }
    parts.clear();
  }
}
