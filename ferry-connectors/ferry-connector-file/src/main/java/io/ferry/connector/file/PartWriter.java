package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SinkWriter;
import java.io.IOException;

/**
 * Writes one channel's rows, split by split, each into its own hidden temporary part beside the
 * target ({@link SplitParts}), renamed to a finished part when the split ends; the sink's commit
 * makes the outputs of the finished parts. The target's folder is opened at the first split and
 * again after a failure. Memory is a fixed set of buffers whatever the row count: encoded text
 * (larger only while a larger row lasts, see {@link TextRowWriter}), the folder's write buffer, and
 * (compressed) the compressor's bytes between them.
 */
public final class PartWriter implements SinkWriter {
  private final SinkFolder target;
  private final SplitParts parts;
  private final TextSinkFormat format;
  private final Compression compression;
  private final int writerIndex;
  private final Schema schema;
  private final DirtyRowSink dirtyRows;

  private SinkFolder.Connection folder;

  /** The split being written, or -1 between splits. */
  private int split = -1;

  private String part;
  private TextRowWriter rows;

  /**
   * @param compression how the parts are compressed (one gzip member or bzip2 stream each)
   */
  public PartWriter(
      SinkFolder target,
      SplitParts parts,
      TextSinkFormat format,
      Compression compression,
      int writerIndex,
      Schema schema,
      DirtyRowSink dirtyRows) {
    this.target = requireNonNull(target, "target is null");
    this.parts = requireNonNull(parts, "parts is null");
    this.format = requireNonNull(format, "format is null");
    this.compression = requireNonNull(compression, "compression is null");
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
    String name = parts.partOf(split, writerIndex, false);
    this.rows =
        target.retry(
            "create " + target.path(name),
            () -> {
              if (folder == null) {
                folder = target.open();
              }
              try {
                return format.open(
                    folder.create(name),
                    schema,
                    compression,
                    parts.partHasHeader(split),
                    target.path(parts.outputOf(split, writerIndex)),
                    dirtyRows);
              } catch (IOException | RuntimeException e) {
                drop();
                throw e instanceof FerryException f
                    ? f
                    : target.failure(
                        "cannot create " + target.path(name),
                        e instanceof IOException io ? io : new IOException(e));
              }
            });
    this.part = name;
    this.split = split;
  }

  /**
   * Completes the part (the text's end, the compressed stream's trailer, the bytes durable) and
   * renames it to a finished part: from now on an interrupted run keeps the split.
   */
  @Override
  public void endSplit(int split) {
    if (split != this.split) {
      throw new IllegalStateException("split " + split + " is not the one being written");
    }
    try {
      rows.finish();
    } catch (IOException e) {
      throw fail("cannot finish", e);
    }
    try {
      folder.replace(part, parts.partOf(split, writerIndex, true));
      folder.sync();
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
      throw fail("cannot write", e);
    }
  }

  /**
   * Pushes every row written so far to the part. The split is kept only once it ended: this sink
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
      throw fail("cannot flush", e);
    }
  }

  /** A failure of the part: the folder is dropped, the split must be written again. */
  private FerryException fail(String what, IOException e) {
    drop();
    split = -1;
    return target.failure(what + " " + target.path(part), e);
  }

  private void drop() {
    if (folder != null) {
      folder.close();
      folder = null;
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
