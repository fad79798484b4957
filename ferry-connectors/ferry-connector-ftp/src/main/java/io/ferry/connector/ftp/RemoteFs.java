package io.ferry.connector.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * One logged-in connection to a file server, used by one thread at a time. Every method throws a
 * {@link io.ferry.spi.FerryException} classified by {@link RemoteErrors} (retriable for lost
 * connections and timeouts), or an IOException while a stream is read or written.
 */
interface RemoteFs extends AutoCloseable {
  /** An entry of a folder. */
  record Entry(String name, boolean file, boolean directory, long size) {}

  /** The entries directly in {@code directory}, "." and ".." left out. */
  List<Entry> list(String directory);

  /** The entry at {@code path}, or null when there is none. */
  Entry stat(String path);

  /**
   * Opens {@code path} for reading from byte {@code offset}. Only one stream of a connection is
   * open at a time; closing it makes the connection usable again. A stream that reaches its end
   * checks that the server sent the whole file, and throws an IOException otherwise.
   */
  InputStream read(String path, long offset) throws IOException;

  /**
   * Creates or truncates {@code path} for writing. Closing the stream completes the upload and
   * throws an IOException when the server did not confirm it.
   */
  OutputStream write(String path) throws IOException;

  /**
   * Opens {@code path} for writing at its end, created when missing. Closing the stream completes
   * the upload and throws an IOException when the server did not confirm it.
   */
  OutputStream append(String path) throws IOException;

  /** Renames {@code from} to {@code to}; {@code to} must not exist. */
  void rename(String from, String to);

  /** Deletes the file {@code path}; a missing file is no error. */
  void delete(String path);

  /** Creates {@code directory} and its missing parents. */
  void mkdirs(String directory);

  /** Logs out and disconnects; never throws. */
  @Override
  void close();
}
