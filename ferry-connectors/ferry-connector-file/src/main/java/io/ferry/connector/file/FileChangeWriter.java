package io.ferry.connector.file;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON Lines change record per row change to the sink's file ({@code path}): {@code op}
 * (insert, update, delete), {@code table}, {@code position} (the source's log position after the
 * change, as text), {@code committedAt} (ISO-8601 instant, or null), {@code before} and {@code
 * after} (objects keyed by column name, or null). A value the log did not carry ({@link
 * ChangeEvent#UNCHANGED}) is left out of {@code after}; its name is listed in {@code unchanged}.
 *
 * <p>An append-only file cannot be idempotent by key, so this writer makes re-applied changes
 * replace what they repeat instead. Changes are written in <em>windows</em>, one per flush: before
 * the first byte of a window reaches the file, a marker beside it ({@code .<name>.ferry-cdc},
 * written and synced) records the file's length and the position of the window's first change.
 * {@link #flush()} syncs the file. The engine checkpoints the log only after a flush, so after a
 * kill -9 or a retry the first change a new writer gets is either the first change of the marked
 * window (the window was not checkpointed: the file is cut back to the marked length and the window
 * written again) or a change after it (the window was checkpointed and stays). Either way each
 * change is in the file once. Without the marker (deleted by hand) the guarantee falls back to
 * at-least-once: a consumer can drop repeated records by their {@code position}.
 */
final class FileChangeWriter implements ChangeWriter {
  private static final Logger LOG = LoggerFactory.getLogger(FileChangeWriter.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private final Path file;
  private final Path marker;
  private final String table;
  private FileChannel channel;
  private OutputStream out;
  private JsonGenerator json;

  /** Whether changes were written since the last flush (a window is open). */
  private boolean windowOpen;

  /** Whether the first change was checked against the marker. */
  private boolean resumedChecked;

  FileChangeWriter(Path file, Target target) {
    this.file = file;
    this.marker = file.resolveSibling("." + file.getFileName() + ".ferry-cdc");
    this.table = target.table().toString();
  }

  /** Opens the file for appending, cutting an incomplete last line (a write a crash cut short). */
  void open() throws IOException {
    Files.createDirectories(file.getParent());
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw FerryException.option(
          FileSink.PATH_UNUSABLE,
          FileOptions.SINK_PATH.name(),
          "another writer appends change records to "
              + file
              + ": give each captured table a file of its own (path: \"/out/${table}.jsonl\")");
    }
    long size = channel.size();
    long end = lastLineEnd(size);
    if (end < size) {
      LOG.warn("{}: cutting an incomplete last line ({} bytes)", file, size - end);
      channel.truncate(end);
      channel.force(false);
    }
    channel.position(channel.size());
    out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    json = JsonValues.mapper().getFactory().createGenerator(out);
    json.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    json.setRootValueSeparator(null);
  }

  /** The length of the file's complete lines: after its last line feed, 0 without one. */
  private long lastLineEnd(long size) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    long end = size;
    while (end > 0) {
      long from = Math.max(0, end - chunk.capacity());
      chunk.clear().limit((int) (end - from));
      while (chunk.hasRemaining()) {
        if (channel.read(chunk, from + chunk.position()) < 0) {
          break;
        }
      }
      for (int i = chunk.position() - 1; i >= 0; i--) {
        if (chunk.get(i) == '\n') {
          return from + i + 1;
        }
      }
      end = from;
    }
    return 0;
  }

  @Override
  public void apply(List<RowChange> changes) {
    try {
      for (RowChange change : changes) {
        if (!windowOpen) {
          beginWindow(change.position());
        }
        write(change);
      }
    } catch (IOException e) {
      throw failure("cannot write change records to " + file, e);
    }
  }

  /**
   * Starts a window at {@code first}: a repeat of the marked window is cut off first, then the
   * marker records where this window starts.
   */
  private void beginWindow(Position first) throws IOException {
    String id = id(first);
    if (!resumedChecked) {
      resumedChecked = true;
      Marker m = readMarker();
      if (m != null && m.position.equals(id) && m.offset <= channel.size()) {
        LOG.info(
            "{}: the changes from {} are written again; cutting the {} bytes an interrupted"
                + " attempt wrote of them",
            file,
            first,
            channel.size() - m.offset);
        channel.truncate(m.offset);
        channel.force(false);
        channel.position(m.offset);
      }
    }
    writeMarker(channel.size(), id);
    windowOpen = true;
  }

  private static String id(Position p) {
    return p.version() + ":" + Base64.getEncoder().encodeToString(p.bytes());
  }

  private record Marker(long offset, String position) {}

  private Marker readMarker() throws IOException {
    if (!Files.exists(marker)) {
      return null;
    }
    String text = Files.readString(marker, StandardCharsets.UTF_8).trim();
    int tab = text.indexOf('\t');
    if (tab < 0) {
      return null;
    }
    try {
      return new Marker(Long.parseLong(text.substring(0, tab)), text.substring(tab + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Replaces the marker and makes it durable before any byte of the window is written. */
  private void writeMarker(long offset, String position) throws IOException {
    Path temp = marker.resolveSibling(marker.getFileName() + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      c.write(ByteBuffer.wrap((offset + "\t" + position + "\n").getBytes(StandardCharsets.UTF_8)));
      c.force(true);
    }
    Files.move(temp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // not every file system syncs a folder; the rename is still atomic
    }
  }

  private void write(RowChange change) throws IOException {
    ObjectNode record = NODES.objectNode();
    record.put("op", change.kind().name().toLowerCase(Locale.ROOT));
    record.put("table", change.table().toString());
    record.put("position", change.position().description());
    if (change.committedAt() != null) {
      record.put("committedAt", change.committedAt().toString());
    } else {
      record.putNull("committedAt");
    }
    record.set("before", image(change, change.before(), record));
    record.set("after", image(change, change.after(), record));
    json.writeTree(record);
    json.flush();
    out.write('\n');
  }

  private ObjectNode image(RowChange change, Object[] values, ObjectNode record) {
    if (values == null) {
      return null;
    }
    Schema schema = change.schema();
    ObjectNode node = NODES.objectNode();
    for (int c = 0; c < schema.size() && c < values.length; c++) {
      String name = schema.column(c).name();
      if (values[c] == ChangeEvent.UNCHANGED) {
        record.withArray("unchanged").add(name);
        continue;
      }
      try {
        node.set(name, JsonValues.toNode(values[c], schema.column(c).type()));
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new FerryException(
            io.ferry.spi.ErrorCode.CONVERSION,
            "a "
                + change.kind()
                + " of "
                + change.table()
                + " at "
                + change.position()
                + ": column "
                + name
                + " cannot be written as JSON: "
                + e.getMessage(),
            e);
      }
    }
    return node;
  }

  /** Writes what is buffered and syncs the file: the window's records are durable. */
  @Override
  public void flush() {
    if (!windowOpen) {
      return;
    }
    try {
      json.flush();
      out.flush();
      channel.force(false);
    } catch (IOException e) {
      throw failure("cannot sync " + file, e);
    }
    windowOpen = false;
  }

  /** Records name their columns: a record after a schema change simply carries the new ones. */
  @Override
  public SchemaFit schemaChanged(ChangeEvent.SchemaChange change, boolean apply) {
    return SchemaFit.yes();
  }

  private FerryException failure(String what, IOException e) {
    return new FerryException(LocalSinkFolder.WRITE_FAILED, what + " (" + table + "): " + e, e);
  }

  /** Closes the file; records after the last flush may be there or not (a resume cuts them). */
  @Override
  public void close() {
    try {
      if (json != null) {
        json.close();
      }
    } catch (IOException e) {
      LOG.debug("{}: closing failed: {}", file, e.toString());
    } finally {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        LOG.debug("{}: closing failed: {}", file, e.toString());
      }
    }
  }
}
