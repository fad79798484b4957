package io.ferry.connector.ftp;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.file.TextRowWriter;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SinkWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;

/**
 * Uploads one channel's rows, split by split, each into its own hidden temporary part beside the
 * target, renamed to a finished part when the split ends. One connection per writer, opened at the
 * first split and again after a failure.
 */
final class RemoteSinkWriter implements SinkWriter {
  private static final int UPLOAD_BUFFER = 256 << 10;

  private final RemoteSink sink;
  private final int writerIndex;
  private final Schema schema;
  private final DirtyRowSink dirtyRows;

  private RemoteFs fs;

  /** The split being written, or -1 between splits. */
  private int split = -1;

  private String part;
  private TextRowWriter rows;

  RemoteSinkWriter(RemoteSink sink, int writerIndex, Schema schema, DirtyRowSink dirtyRows) {
    this.sink = requireNonNull(sink, "sink is null");
    this.writerIndex = writerIndex;
    this.schema = requireNonNull(schema, "schema is null");
    this.dirtyRows = requireNonNull(dirtyRows, "dirtyRows is null");
  }

  /** Creates the split's temporary part, replacing a leftover of an earlier attempt. */
  @Override
  public void beginSplit(int split) {
    if (this.split >= 0) {
      throw new IllegalStateException("split " + this.split + " has not ended");
    }
    String path = sink.partOf(split, writerIndex, false);
    RemoteAccess access = sink.access();
    this.rows =
        access.retry(
            "create " + path + " on " + access.where(),
            () -> {
              if (fs == null) {
                fs = access.connect();
              }
              try {
                return sink.format()
                    .open(
                        new BufferedOutputStream(fs.write(path), UPLOAD_BUFFER),
                        schema,
                        sink.gzip(),
                        sink.partHasHeader(split),
                        sink.outputOf(split, writerIndex),
                        dirtyRows);
              } catch (IOException | RuntimeException e) {
                drop();
                throw e instanceof FerryException f ? f : RemoteErrors.io("create " + path, e);
              }
            });
    this.part = path;
    this.split = split;
  }

  /**
   * Completes the upload of the part and renames it to a finished part: from now on an interrupted
   * run keeps the split.
   */
  @Override
  public void endSplit(int split) {
    if (split != this.split) {
      throw new IllegalStateException("split " + split + " is not the one being written");
    }
    try {
      rows.finish();
    } catch (IOException e) {
      throw fail("cannot finish " + part, e);
    }
    String finished = sink.partOf(split, writerIndex, true);
    try {
      try {
        fs.rename(part, finished);
      } catch (FerryException e) {
        if (e.retriable()) {
          throw e;
        }
        // A leftover of an attempt that ended before the engine recorded the split: replace it.
        fs.delete(finished);
        fs.rename(part, finished);
      }
    } catch (FerryException e) {
      drop();
      this.split = -1;
      throw e;
    }
    this.split = -1;
    this.rows = null;
  }

  @Override
  public void write(RowBatch batch) {
    if (split < 0) {
      throw new IllegalStateException("write before beginSplit");
    }
    try {
      rows.write(batch);
    } catch (IOException e) {
      throw fail("cannot write " + part, e);
    }
  }

  /**
   * Pushes every row written so far to the server. The split is kept only once it ended: this sink
   * resumes by whole splits.
   */
  @Override
  public void flush() {
    if (split < 0) {
      return;
    }
    try {
      rows.flush();
    } catch (IOException e) {
      throw fail("cannot flush " + part, e);
    }
  }

  /** A failure of the upload: the connection is dropped, the split must be written again. */
  private FerryException fail(String message, IOException e) {
    drop();
    split = -1;
    return RemoteErrors.io(sink.access().where() + ": " + message, e);
  }

  private void drop() {
    if (fs != null) {
      fs.close();
      fs = null;
    }
  }

  /** Leaves an unfinished part as it is (a resume or the sink's abort deletes it). */
  @Override
  public void close() {
    split = -1;
    rows = null;
    drop();
  }
}
