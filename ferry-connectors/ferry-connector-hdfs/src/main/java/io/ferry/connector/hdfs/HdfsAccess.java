package io.ferry.connector.hdfs;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.AccessControlException;

/**
 * The cluster a source or sink works on: the Hadoop configuration its options make, and one {@link
 * FileSystem} client (thread-safe, shared by its readers or writers), opened on first use and
 * closed with the source or sink.
 */
final class HdfsAccess implements AutoCloseable {
  static final ErrorCode OUTPUT_EXISTS = ErrorCode.user("hdfs.output-exists");

  private final String defaultFs;
  private final Configuration conf;
  private FileSystem fs;

  HdfsAccess(Options options) {
    this.defaultFs = options.get(HdfsOptions.DEFAULT_FS).trim();
    // Hadoop loads codecs and file systems by class name: from this connector's class loader.
    this.conf = new Configuration();
    conf.setClassLoader(HdfsAccess.class.getClassLoader());
    conf.set("fs.defaultFS", defaultFs);
    // Hadoop finds file systems with ServiceLoader through the thread's context class loader, which
    // in a distribution is not this connector's: name the implementations instead.
    conf.set("fs.hdfs.impl", "org.apache.hadoop.hdfs.DistributedFileSystem");
    conf.set("fs.viewfs.impl", "org.apache.hadoop.fs.viewfs.ViewFileSystem");
    conf.set("fs.file.impl", "org.apache.hadoop.fs.LocalFileSystem");
    Map<String, String> settings = options.get(HdfsOptions.HADOOP_CONFIG);
    if (settings != null) {
      settings.forEach(conf::set);
    }
  }

  Configuration conf() {
    return conf;
  }

  /** Where the files are, for messages. */
  String where() {
    return defaultFs;
  }

  /** The client, connected on first use. */
  synchronized FileSystem fs() {
    if (fs == null) {
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(HdfsAccess.class.getClassLoader());
      try {
        fs = FileSystem.newInstance(URI.create(defaultFs), conf);
      } catch (IOException | RuntimeException e) {
        throw new FerryException(
            ErrorCode.CONNECTION,
            "cannot reach " + defaultFs + ": " + message(e),
            HdfsOptions.DEFAULT_FS.name(),
            e);
      } finally {
        thread.setContextClassLoader(previous);
      }
    }
    return fs;
  }

  /** Runs an action on the file system, its I/O failure turned into a retriable error. */
  <T> T call(String what, IoAction<T> action) {
    try {
      return action.run(fs());
    } catch (IOException e) {
      throw failure(what, e);
    }
  }

  /**
   * The error of a failed action: a missing file or denied access is the user's to fix, anything
   * else (a NameNode or DataNode that went away) is retriable.
   */
  FerryException failure(String what, IOException e) {
    if (e instanceof AccessControlException) {
      return new FerryException(
          ErrorCode.AUTHENTICATION, "cannot " + what + " on " + defaultFs + ": " + message(e), e);
    }
    if (e instanceof FileNotFoundException) {
      return new FerryException(
          ErrorCode.NOT_FOUND, "cannot " + what + " on " + defaultFs + ": " + message(e), e);
    }
    return new FerryException(
        ErrorCode.IO, "cannot " + what + " on " + defaultFs + ": " + message(e), e);
  }

  /**
   * The problems of a live check that failed with {@code e}, on the option most likely at fault.
   */
  static List<OptionProblem> problemsOf(FerryException e, String pathOption) {
    String option =
        e.option() != null
            ? e.option()
            : e.code().equals(ErrorCode.CONNECTION) ? HdfsOptions.DEFAULT_FS.name() : pathOption;
    return List.of(new OptionProblem(option, e.getMessage()));
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    // Hadoop's RPC errors carry the server's stack trace after the first line.
    int line = m.indexOf('\n');
    return line < 0 ? m : m.substring(0, line);
  }

  @Override
  public synchronized void close() {
    if (fs != null) {
      try {
        fs.close();
      } catch (IOException e) {
        // nothing left to do with a client that fails to close
      }
      fs = null;
    }
  }

  /** An action on the file system. */
  @FunctionalInterface
  interface IoAction<T> {
    T run(FileSystem fs) throws IOException;
  }
}
