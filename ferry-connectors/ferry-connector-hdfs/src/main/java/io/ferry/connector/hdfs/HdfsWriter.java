package io.ferry.connector.hdfs;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SinkWriter;
import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * Writes one channel's rows, split by split, each into its own hidden temporary file in the sink's
 * folder, renamed to a hidden finished file when the split ends ({@link RunFiles}); the sink's
 * commit makes the finished files visible. A failure leaves the split to be written again.
 */
final class HdfsWriter implements SinkWriter {
  private final HdfsAccess access;
  private final Path folder;
  private final RunFiles files;
  private final RowFileWriter.Factory factory;
  private final int writerIndex;

  /** The split being written, or -1 between splits. */
  private int split = -1;

  private Path temporary;
  private RowFileWriter rows;

  HdfsWriter(
      HdfsAccess access, Path folder, RunFiles files, RowFileWriter.Factory factory, int writer) {
    this.access = requireNonNull(access, "access is null");
    this.folder = requireNonNull(folder, "folder is null");
    this.files = requireNonNull(files, "files is null");
    this.factory = requireNonNull(factory, "factory is null");
    this.writerIndex = writer;
  }

  @Override
  public void beginSplit(int split) {
    if (this.split >= 0) {
      throw new IllegalStateException("split " + this.split + " has not ended");
    }
    Path file = new Path(folder, files.temporary(split, writerIndex));
    try {
      rows = factory.open(file, files.output(split));
    } catch (IOException e) {
      throw access.failure("create " + file, e);
    }
    this.temporary = file;
    this.split = split;
  }

  @Override
  public void write(RowBatch batch) {
    if (split < 0) {
      throw new IllegalStateException("write before beginSplit");
    }
    try {
      rows.write(batch);
    } catch (IOException e) {
      throw fail("write", e);
    }
  }

  /** Pushes text written so far; the split is kept only once it ended (whole-split resume). */
  @Override
  public void flush() {
    if (split < 0) {
      return;
    }
    try {
      rows.flush();
    } catch (IOException e) {
      throw fail("flush", e);
    }
  }

  /** Completes the file and renames it to the split's finished file. */
  @Override
  public void endSplit(int split) {
    if (split != this.split) {
      throw new IllegalStateException("split " + split + " is not the one being written");
    }
    try {
      rows.finish();
    } catch (IOException e) {
      throw fail("finish", e);
    }
    rows = null;
    this.split = -1;
    Path done = new Path(folder, files.finished(split));
    access.call(
        "rename " + temporary + " to " + done,
        fs -> {
          fs.delete(done, false);
          if (!fs.rename(temporary, done)) {
            throw new IOException("the NameNode refused to rename " + temporary);
          }
          return null;
        });
  }

  private FerryException fail(String what, IOException e) {
    rows.abandon();
    rows = null;
    split = -1;
    return access.failure(what + " " + temporary, e);
  }

  /** Leaves an unfinished file as it is (a resume or the sink's abort deletes it). */
  @Override
  public void close() {
    if (rows != null) {
      rows.abandon();
      rows = null;
    }
    split = -1;
  }
}
