package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The commit of a file sink with {@code append: true}, local or on a server: the run's finished
 * parts are added, in plan order, to the end of the file {@code target} (created when missing; the
 * header only goes into a new or empty file). The file changes in place, so two hidden markers
 * beside it make the commit exact across a crash, each written under a scratch name and renamed
 * into place (a rename onto a free name, atomic on file systems and servers alike):
 *
 * <ol>
 *   <li>the start marker ({@code .<name>.ferry-<run>-append.tmp}) records the file's length before
 *       the run's bytes, before the first byte is appended;
 *   <li>the parts are appended ({@link SinkFolder.Connection#appendAt}), durably;
 *   <li>the done marker ({@code ...-append-done.tmp}) says the append is complete;
 *   <li>the parts, then the start marker, then the done marker are deleted.
 * </ol>
 *
 * A commit done again (a resumed run after a crash) that finds the done marker only deletes what is
 * left; one that finds the start marker alone cuts the file back to the recorded length and appends
 * again. An aborted run cuts the file back when its append started and did not complete. Nothing
 * else may write the file while a run appends to it.
 */
public final class AppendCommit {
  private final String target;
  private final String startMarker;
  private final String doneMarker;
  private final String scratch;

  /**
   * @param target the name of the file appended to, in the sink's folder
   * @param parts the run's parts, for the markers' names
   */
  public AppendCommit(String target, SplitParts parts) {
    this.target = requireNonNull(target, "target is null");
    this.startMarker = parts.scratch("append");
    this.doneMarker = parts.scratch("append-done");
    this.scratch = parts.scratch("append-next");
  }

  /**
   * Appends the finished parts among the folder's files to the target, then deletes them.
   *
   * @param header the header line (compressed as the parts are), written only into a new or empty
   *     file; null when the format has none
   */
  public void commit(SinkFolder.Connection files, SplitParts parts, byte[] header)
      throws IOException {
    List<String> finished = parts.finishedParts(files.files());
    if (!files.exists(doneMarker)) {
      long start;
      if (files.exists(startMarker)) {
        start = readStart(files);
      } else {
        start = Math.max(0, files.size(target));
        publish(files, startMarker, start);
      }
      long end = files.appendAt(target, start, start == 0 ? header : null, finished);
      publish(files, doneMarker, end);
    }
    for (String part : finished) {
      files.delete(part);
    }
    files.delete(startMarker);
    files.delete(doneMarker);
    files.sync();
  }

  /**
   * Cuts the target back to its length before this run when an append was started and did not
   * complete; the caller then deletes the run's files, the markers among them.
   */
  public void abort(SinkFolder.Connection files) throws IOException {
    if (files.exists(startMarker) && !files.exists(doneMarker) && files.size(target) >= 0) {
      files.appendAt(target, readStart(files), null, List.of());
    }
  }

  /**
   * Whether the sink appends ({@link FileOptions#APPEND}), checked against the options it cannot go
   * with.
   *
   * @throws InvalidOptionsException on {@code append} beside overwrite or a fileMode not merged
   */
  public static boolean requested(Options options) {
    boolean appending = options.get(FileOptions.APPEND);
    if (appending
        && (options.get(FileOptions.OVERWRITE)
            || options.get(FileOptions.FILE_MODE) != FileMode.MERGED)) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(
              new OptionProblem(
                  FileOptions.APPEND.name(),
                  options.get(FileOptions.OVERWRITE)
                      ? "append adds to the file at path, overwrite replaces it: choose one"
                      : "append adds to one file: it needs fileMode merged")));
    }
    return appending;
  }

  private long readStart(SinkFolder.Connection files) throws IOException {
    String text = new String(files.read(startMarker), StandardCharsets.US_ASCII).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException("the append marker " + startMarker + " is corrupt: '" + text + "'");
    }
  }

  /** Writes {@code value} to a scratch file, then renames it to the free name {@code marker}. */
  private void publish(SinkFolder.Connection files, String marker, long value) throws IOException {
    try (OutputStream out = files.create(scratch)) {
      out.write((value + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    files.replace(scratch, marker);
    files.sync();
  }
}
