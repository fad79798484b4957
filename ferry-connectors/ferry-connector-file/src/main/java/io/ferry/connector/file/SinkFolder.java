package io.ferry.connector.file;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a file sink's bytes go: the folder of its target on a local file system, or on a server
 * (the FTP and SFTP connectors). The sink's layout and commit ({@link SplitParts}) and its writers
 * ({@link PartWriter}) are the same for both; what differs is behind this interface: how the folder
 * is reached, how bytes are written and joined, and how a rename commits.
 *
 * <p>Every name is a file name in the target's folder.
 */
public interface SinkFolder {
  /** The target's folder through a new connection (locally: a new view), for one thread. */
  Connection open();

  /**
   * Runs {@code action}, trying it again while it fails with a retriable {@link FerryException}
   * where this target retries (a server); a local target runs it once.
   *
   * @param what the action, for the log
   */
  <T> T retry(String what, Supplier<T> action);

  /**
   * Runs {@code action} on the folder through a connection of its own, closed before this returns;
   * retried as {@link #retry} does, each time on a new connection.
   */
  default <T> T call(String what, Function<Connection, T> action) {
    return retry(
        what,
        () -> {
          try (Connection folder = open()) {
            return action.apply(folder);
          }
        });
  }

  /** The file {@code name} as people find it: a local path, or a path and the server. */
  String path(String name);

  /** The error of an output that appeared while the job ran and overwrite is false. */
  ErrorCode outputExists();

  /**
   * The error of a failed write, read or rename: retriable, so that the engine writes the split
   * again.
   */
  FerryException failure(String what, IOException cause);

  /** One connection's view of the target's folder, used by one thread at a time. */
  interface Connection extends AutoCloseable {
    /** The names of the files in the folder; none when the folder does not exist. */
    List<String> files();

    /** Whether a file or folder {@code name} exists. */
    boolean exists(String name);

    /**
     * Creates or truncates the file {@code name} for writing, buffered. Closing the stream makes
     * the bytes durable (locally forced to disk; on a server, the upload confirmed) or throws.
     * Flushing it pushes the bytes written so far as far as this target can.
     */
    OutputStream create(String name) throws IOException;

    /**
     * Writes {@code header}, then the files {@code parts} in order, into a new file {@code joined},
     * durably. The parts are left as they are.
     */
    void join(String joined, byte[] header, List<String> parts) throws IOException;

    /** The length of the file {@code name} in bytes, or -1 when there is none. */
    long size(String name);

    /** The whole content of the (small) file {@code name}: a marker. */
    byte[] read(String name) throws IOException;

    /**
     * Cuts the file {@code target} back to {@code start} bytes (it is created when missing and
     * {@code start} is 0), then adds {@code header} (when not null) and the files {@code parts} in
     * order at its end, durably ({@link AppendCommit}). The parts are left as they are.
     *
     * @return the file's new length
     * @throws IOException also when the file is shorter than {@code start}
     */
    long appendAt(String target, long start, byte[] header, List<String> parts) throws IOException;

    /** Renames {@code from} to {@code to}, replacing a file {@code to}. */
    void replace(String from, String to);

    /** Deletes the file {@code name}; a missing file is no error. */
    void delete(String name);

    /** Makes the renames so far durable where the file system needs it. */
    default void sync() {}

    /** Ends the connection and abandons a stream still open; never throws. */
    @Override
    void close();
  }
}
