package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The commit of a file sink with {@code append: true}: the run's finished parts are added, in plan
 * order, to the end of the file at {@code path} (created when missing; the header only goes into a
 * new or empty file). The file changes in place, so a hidden marker beside it ({@code
 * .<name>.ferry-<run>-append.tmp}) makes the commit exact across a crash:
 *
 * <ol>
 *   <li>the marker records the file's length before the run's bytes ({@code start}) and is synced
 *       before the first byte is appended;
 *   <li>the parts are appended and forced to disk;
 *   <li>the marker is replaced by one that says the append is complete ({@code start end});
 *   <li>the parts, then the marker, are deleted.
 * </ol>
 *
 * A commit done again (a resumed run after a crash) that finds an incomplete marker cuts the file
 * back to {@code start} and appends again; one that finds a complete marker only deletes what is
 * left. An aborted run cuts the file back when its marker is incomplete. Nothing else may write the
 * file while a run appends to it.
 */
final class AppendCommit {
  private final Path target;
  private final Path marker;
  private final Path markerScratch;

  /**
   * @param target the file appended to
   * @param parts the run's parts, for the marker's name
   */
  AppendCommit(Path target, SplitParts parts) {
    this.target = requireNonNull(target, "target is null");
    Path folder = target.getParent();
    this.marker = folder.resolve(parts.scratch("append"));
    this.markerScratch = folder.resolve(parts.scratch("append-next"));
  }

  /**
   * Appends the finished parts among {@code files} (the folder's) to the target, then deletes them.
   *
   * @param header the header line (compressed as the parts are), written only into a new or empty
   *     file; null when the format has none
   */
  void commit(LocalSinkFolder folder, SplitParts parts, List<String> files, byte[] header)
      throws IOException {
    long[] recorded = readMarker();
    List<String> finished = parts.finishedParts(files);
    if (recorded == null || recorded.length == 1) {
      long start;
      if (recorded == null) {
        start = Files.exists(target, LinkOption.NOFOLLOW_LINKS) ? Files.size(target) : 0;
        writeMarker(start + "\n");
        folder.sync();
      } else {
        start = recorded[0];
      }
      long end = append(start, finished, start == 0 ? header : null);
      writeMarker(start + " " + end + "\n");
      folder.sync();
    }
    try (SinkFolder.Connection connection = folder.open()) {
      for (String part : finished) {
        connection.delete(part);
      }
    }
    Files.deleteIfExists(marker);
    folder.sync();
  }

  /**
   * Cuts the target back to its length before this run when an append was started and did not
   * complete; the caller then deletes the run's files, the marker among them.
   */
  void abort() throws IOException {
    long[] recorded = readMarker();
    if (recorded != null && recorded.length == 1 && Files.exists(target)) {
      try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
        out.truncate(recorded[0]);
        out.force(true);
      }
    }
  }

  /** Cuts the target to {@code start}, appends the header and the parts, forces; the new length. */
  private long append(long start, List<String> finished, byte[] header) throws IOException {
    Path folder = target.getParent();
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
      for (String part : finished) {
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

  /** The marker's numbers: {start} while appending, {start, end} once complete; null if none. */
  private long[] readMarker() throws IOException {
    if (!Files.exists(marker)) {
      return null;
    }
    String[] fields = Files.readString(marker, StandardCharsets.US_ASCII).trim().split(" ");
    long[] numbers = new long[fields.length];
    for (int i = 0; i < fields.length; i++) {
      numbers[i] = Long.parseLong(fields[i]);
    }
    return numbers;
  }

  /** Replaces the marker atomically, forced to disk. */
  private void writeMarker(String text) throws IOException {
    try (FileChannel out =
        FileChannel.open(
            markerScratch,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING,
            LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(markerScratch, marker, StandardCopyOption.ATOMIC_MOVE);
  }
}
