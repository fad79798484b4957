package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A file sink's target folder on a local or mounted file system: parts are forced to disk before
 * they count, renames are atomic and the folder is synced after them.
 */
final class LocalSinkFolder implements SinkFolder {
  static final ErrorCode WRITE_FAILED = ErrorCode.external("file.write-failed", true);
  static final ErrorCode OUTPUT_EXISTS = ErrorCode.user("file.exists");

  private static final int BYTE_BUFFER = 1 << 20;

  private final Path folder;

  LocalSinkFolder(Path folder) {
    this.folder = requireNonNull(folder, "folder is null");
  }

  @Override
  public Connection open() {
    return new LocalFolder();
  }

  @Override
  public <T> T retry(String what, Supplier<T> action) {
    return action.get();
  }

  @Override
  public String path(String name) {
    return folder.resolve(name).toString();
  }

  @Override
  public ErrorCode outputExists() {
    return OUTPUT_EXISTS;
  }

  @Override
  public FerryException failure(String what, IOException cause) {
    return new FerryException(WRITE_FAILED, what + ": " + cause.getMessage(), cause);
  }

  /**
   * Makes renames in the folder durable; where a folder cannot be opened for that, the rename still
   * holds.
   */
  void sync() {
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems do not open folders; the rename is done, only its durability waits.
    }
  }

  private final class LocalFolder implements Connection {
    /** The channels of files being written, closed by {@link #close()}. */
    private final List<FileChannel> open = new ArrayList<>();

    @Override
    public List<String> files() {
      if (!Files.isDirectory(folder)) {
        return List.of();
      }
      try (Stream<Path> files = Files.list(folder)) {
        return files.map(f -> f.getFileName().toString()).toList();
      } catch (IOException e) {
        throw new FerryException(ErrorCode.IO, "cannot list " + folder + ": " + e.getMessage(), e);
      }
    }

    @Override
    public boolean exists(String name) {
      return Files.exists(folder.resolve(name));
    }

    @Override
    public OutputStream create(String name) throws IOException {
      FileChannel channel = writeChannel(folder.resolve(name));
      open.removeIf(c -> !c.isOpen()); // the parts finished before
      open.add(channel);
      return new BufferedOutputStream(new ForcingOutputStream(channel), BYTE_BUFFER);
    }

    @Override
    public void join(String joined, byte[] header, List<String> parts) throws IOException {
      try (FileChannel out = writeChannel(folder.resolve(joined))) {
        ByteBuffer head = ByteBuffer.wrap(header);
        while (head.hasRemaining()) {
          out.write(head);
        }
        for (String part : parts) {
          try (FileChannel in = FileChannel.open(folder.resolve(part))) {
            long size = in.size();
            for (long done = 0; done < size; ) {
              done += in.transferTo(done, size - done, out);
            }
          }
        }
        out.force(true);
      }
    }

    @Override
    public long size(String name) {
      try {
        Path file = folder.resolve(name);
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : -1;
      } catch (IOException e) {
        throw failure("cannot read the size of " + folder.resolve(name), e);
      }
    }

    @Override
    public byte[] read(String name) throws IOException {
      return Files.readAllBytes(folder.resolve(name));
    }

    /** Appends in place: the file is cut back to {@code start} and the parts are copied on. */
    @Override
    public long appendAt(String name, long start, byte[] header, List<String> parts)
        throws IOException {
      Path target = folder.resolve(name);
      try (FileChannel out =
          FileChannel.open(
              target,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        if (out.size() < start) {
          throw new IOException(
              target
                  + " is shorter ("
                  + out.size()
                  + " bytes) than before this run's append ("
                  + start
                  + "); was it changed while the run appended to it?");
        }
        out.truncate(start);
        out.position(start);
        if (header != null) {
          ByteBuffer head = ByteBuffer.wrap(header);
          while (head.hasRemaining()) {
            out.write(head);
          }
        }
        for (String part : parts) {
          try (FileChannel in = FileChannel.open(folder.resolve(part))) {
            long size = in.size();
            for (long done = 0; done < size; ) {
              done += in.transferTo(done, size - done, out);
            }
          }
        }
        out.force(true);
        return out.size();
      }
    }

    @Override
    public void replace(String from, String to) {
      try {
        Files.move(folder.resolve(from), folder.resolve(to), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw failure("cannot rename " + folder.resolve(from), e);
      }
    }

    @Override
    public void delete(String name) {
      try {
        Files.deleteIfExists(folder.resolve(name));
      } catch (IOException e) {
        throw failure("cannot delete " + folder.resolve(name), e);
      }
    }

    @Override
    public void sync() {
      LocalSinkFolder.this.sync();
    }

    @Override
    public void close() {
      for (FileChannel channel : open) {
        try {
          channel.close();
        } catch (IOException e) {
          // The part is incomplete either way; a resume or the sink's abort deletes it.
        }
      }
      open.clear();
    }
  }

  /** Creates or truncates a file of this sink's own: never written through a link. */
  private static FileChannel writeChannel(Path file) throws IOException {
    return FileChannel.open(
        file,
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING,
        LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Writes to a channel: a flush forces the bytes so far to disk (without metadata), closing forces
   * everything and closes the channel.
   */
  private static final class ForcingOutputStream extends FilterOutputStream {
    private final FileChannel channel;

    ForcingOutputStream(FileChannel channel) {
      super(Channels.newOutputStream(channel));
      this.channel = channel;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
      channel.force(false);
    }

    @Override
    public void close() throws IOException {
      try (OutputStream closing = out) {
        closing.flush();
        channel.force(true);
      }
    }
  }
}
