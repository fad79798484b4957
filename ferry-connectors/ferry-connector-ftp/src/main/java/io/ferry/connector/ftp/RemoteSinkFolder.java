package io.ferry.connector.ftp;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.file.SinkFolder;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A file sink's target folder on an FTP or SFTP server: each folder is a connection, failures a
 * retry can help are retried on a new one, and joined outputs are copied through this client (the
 * parts downloaded on a second connection while the output is uploaded).
 */
final class RemoteSinkFolder implements SinkFolder {
  private static final int BUFFER = 256 << 10;

  private final RemoteAccess access;
  private final String folder;

  RemoteSinkFolder(RemoteAccess access, String folder) {
    this.access = requireNonNull(access, "access is null");
    this.folder = requireNonNull(folder, "folder is null");
  }

  @Override
  public Connection open() {
    return new RemoteFolder(access.connect(), true);
  }

  /** Runs {@code action} on a new connection per attempt (connecting is not retried twice). */
  @Override
  public <T> T call(String what, Function<Connection, T> action) {
    return access.call(what, fs -> action.apply(new RemoteFolder(fs, false)));
  }

  /**
   * Runs {@code action} once: it creates a split's part, and a failure a retry may fix is the
   * engine's to retry (it discards the split and writes it again with a new writer). Connecting
   * inside it is retried ({@link RemoteAccess#connect}).
   */
  @Override
  public <T> T retry(String what, Supplier<T> action) {
    return action.get();
  }

  @Override
  public String path(String name) {
    return RemotePaths.join(folder, name) + " on " + access.where();
  }

  @Override
  public ErrorCode outputExists() {
    return RemoteErrors.OUTPUT_EXISTS;
  }

  @Override
  public FerryException failure(String what, IOException cause) {
    return RemoteErrors.io(what, cause);
  }

  private final class RemoteFolder implements Connection {
    private final RemoteFs fs;
    private final boolean owned;

    /**
     * @param owned whether closing this folder closes the connection (else its opener does)
     */
    RemoteFolder(RemoteFs fs, boolean owned) {
      this.fs = fs;
      this.owned = owned;
    }

    private String at(String name) {
      return RemotePaths.join(folder, name);
    }

    @Override
    public List<String> files() {
      RemoteFs.Entry dir = fs.stat(folder);
      if (dir == null || !dir.directory()) {
        return List.of();
      }
      List<String> files = new ArrayList<>();
      for (RemoteFs.Entry e : fs.list(folder)) {
        if (e.file()) {
          files.add(e.name());
        }
      }
      return files;
    }

    @Override
    public boolean exists(String name) {
      return fs.stat(at(name)) != null;
    }

    @Override
    public OutputStream create(String name) throws IOException {
      return new BufferedOutputStream(fs.write(at(name)), BUFFER);
    }

    @Override
    public void join(String joined, byte[] header, List<String> parts) throws IOException {
      try (RemoteFs reading = parts.isEmpty() ? null : access.connect();
          OutputStream out = create(joined)) {
        out.write(header);
        byte[] buffer = new byte[BUFFER];
        for (String part : parts) {
          try (InputStream in = reading.read(at(part), 0)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
              out.write(buffer, 0, n);
            }
          }
        }
      }
    }

    @Override
    public long size(String name) {
      RemoteFs.Entry entry = fs.stat(at(name));
      return entry == null ? -1 : entry.size();
    }

    @Override
    public byte[] read(String name) throws IOException {
      try (InputStream in = fs.read(at(name), 0)) {
        return in.readAllBytes();
      }
    }

    /**
     * Appends at the file's end on the server (FTP APPE, SFTP append mode), the parts downloaded on
     * a second connection; when the file is longer than {@code start} (an append cut short by a
     * crash), rewrites it instead: its first {@code start} bytes and the rest go into {@code
     * .<name>.ferry-cut.tmp}, which then replaces it (servers cannot cut a file back).
     */
    @Override
    public long appendAt(String name, long start, byte[] header, List<String> parts)
        throws IOException {
      long size = Math.max(0, size(name));
      if (size < start) {
        throw new IOException(
            path(name)
                + " is shorter ("
                + size
                + " bytes) than before this run's append ("
                + start
                + "); was it changed while the run appended to it?");
      }
      if (size == start && header == null && parts.isEmpty()) {
        return size;
      }
      String cut = size > start ? "." + name + ".ferry-cut.tmp" : null;
      try (RemoteFs reading = access.connect();
          OutputStream out =
              new BufferedOutputStream(
                  cut != null ? fs.write(at(cut)) : fs.append(at(name)), BUFFER)) {
        byte[] buffer = new byte[BUFFER];
        if (cut != null) {
          try (InputStream in = reading.read(at(name), 0)) {
            for (long left = start; left > 0; ) {
              int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
              if (n < 0) {
                throw new IOException(path(name) + " ended before byte " + start);
              }
              out.write(buffer, 0, n);
              left -= n;
            }
          }
        }
        if (header != null) {
          out.write(header);
        }
        for (String part : parts) {
          try (InputStream in = reading.read(at(part), 0)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
              out.write(buffer, 0, n);
            }
          }
        }
      }
      if (cut != null) {
        replace(cut, name);
      }
      return size(name);
    }

    /**
     * Deletes a file {@code to} first, since servers do not agree on renaming onto an existing
     * file: for a moment {@code to} is absent (not torn).
     */
    @Override
    public void replace(String from, String to) {
      if (fs.stat(at(to)) != null) {
        fs.delete(at(to));
      }
      fs.rename(at(from), at(to));
    }

    @Override
    public void delete(String name) {
      fs.delete(at(name));
    }

    @Override
    public void close() {
      if (owned) {
        fs.close();
      }
    }
  }
}
