package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.SinkWriter;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one channel's rows, split by split: each split into its own hidden temporary part beside
 * the target, renamed to a finished part when the split ends; the sink's commit joins the finished
 * parts. Memory is a fixed set of buffers whatever the row count: encoded text (larger only while a
 * row larger than it lasts, see {@link TextRowWriter}), then file bytes, and (gzip) compressed
 * bytes between them.
 */
final class FileSinkWriter implements SinkWriter {
  static final ErrorCode WRITE_FAILED = ErrorCode.external("file.write-failed", true);

  private static final int BYTE_BUFFER = 1 << 20;

  private final FileSink sink;
  private final int writerIndex;
  private final String output;
  private final Schema schema;
  private final TextSinkFormat format;
  private final boolean gzipped;
  private final DirtyRowSink dirtyRows;

  /** The split being written, or -1 between splits. */
  private int split = -1;

  private Path part;
  private FileChannel channel;
  private TextRowWriter rows;

  /**
   * @param output the file the parts become, for messages
   */
  FileSinkWriter(
      FileSink sink,
      int writerIndex,
      Schema schema,
      TextSinkFormat format,
      boolean gzipped,
      Path output,
      DirtyRowSink dirtyRows) {
    this.sink = requireNonNull(sink, "sink is null");
    this.writerIndex = writerIndex;
    this.output = output.toString();
    this.schema = requireNonNull(schema, "schema is null");
    this.format = requireNonNull(format, "format is null");
    this.gzipped = gzipped;
    this.dirtyRows = requireNonNull(dirtyRows, "dirtyRows is null");
  }

  /** Creates the split's temporary part, replacing a leftover of an earlier attempt. */
  @Override
  public void beginSplit(int split) {
    if (this.split >= 0) {
      throw new IllegalStateException("split " + this.split + " has not ended");
    }
    this.split = split;
    this.part = sink.partOf(split, writerIndex, false);
    try {
      this.channel =
          FileChannel.open(
              part,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING,
              // A part is always a file of this sink's own: never write through a link.
              LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw failure("cannot create the temporary file " + part, e);
    }
    try {
      OutputStream bytes = new BufferedOutputStream(new ForcingOutputStream(channel), BYTE_BUFFER);
      this.rows = format.open(bytes, schema, gzipped, sink.partHasHeader(split), output, dirtyRows);
    } catch (IOException e) {
      closeQuietly();
      throw failure("cannot write " + part, e);
    }
  }

  /**
   * Ends the charset's and gzip's streams, forces the part to disk and renames it to a finished
   * part, durably: from now on an interrupted run keeps the split.
   */
  @Override
  public void endSplit(int split) {
    if (split != this.split) {
      throw new IllegalStateException("split " + split + " is not the one being written");
    }
    finishPart();
    try {
      Files.move(part, sink.partOf(split, writerIndex, true), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw failure("cannot rename " + part, e);
    }
    sink.syncDirectory();
    this.split = -1;
  }

  @Override
  public void write(RowBatch batch) {
    if (split < 0) {
      throw new IllegalStateException("write before beginSplit");
    }
    try {
      rows.write(batch);
    } catch (IOException e) {
      throw failure("cannot write " + part, e);
    }
  }

  @Override
  public void flush() {
    if (split < 0) {
      return;
    }
    try {
      rows.flush();
      channel.force(false);
    } catch (IOException e) {
      throw failure("cannot flush " + part, e);
    }
  }

  /** Closes an unfinished part as it is: the run did not end its split, so it is not kept. */
  @Override
  public void close() {
    if (split >= 0) {
      closeQuietly();
      split = -1;
    }
  }

  private void finishPart() {
    try {
      rows.finish();
    } catch (IOException e) {
      closeQuietly();
      throw failure("cannot finish " + part, e);
    }
  }

  private void closeQuietly() {
    try {
      channel.close();
    } catch (IOException e) {
      // The part is incomplete either way; a resume or the sink's abort deletes it.
    }
  }

  /** Writes to a channel and forces it to disk before closing it. */
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
    public void close() throws IOException {
      try (OutputStream closing = out) {
        closing.flush();
        channel.force(true);
      }
    }
  }

  private static FerryException failure(String message, IOException e) {
    return new FerryException(WRITE_FAILED, message + ": " + e.getMessage(), e);
  }
}
