package io.ferry.connector.file;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipException;

/** Opens a file's text at a byte offset, and turns I/O failures into Ferry errors. */
final class FileInput {
  static final ErrorCode CORRUPT = ErrorCode.user("file.corrupt");
  static final ErrorCode CHANGED = ErrorCode.user("file.changed");
  static final ErrorCode ACCESS_DENIED = ErrorCode.external("file.access-denied", false);

  private static final int SCRATCH = 64 << 10;

  private FileInput() {}

  /**
   * Opens {@code file} positioned at {@code offset} of its uncompressed text: a seek for a plain
   * file; for a compressed one, decompression from the start discarding {@code offset} bytes.
   * Several gzip members or bzip2 streams one after the other (as the sink writes them) read as one
   * text.
   *
   * @param compression the file's, resolved ({@link Compression#of})
   * @throws IOException also when the file is shorter than {@code offset}
   */
  static InputStream open(Path file, Compression compression, long offset) throws IOException {
    return open(local(file), compression, offset);
  }

  /** Opens a file's text at {@code offset} of its uncompressed bytes; see the other open. */
  static InputStream open(TextSourceFormat.Opener file, Compression compression, long offset)
      throws IOException {
    if (!compression.compressed()) {
      return file.open(offset);
    }
    InputStream raw = file.open(0);
    try {
      InputStream in = compression.decompress(raw);
      discard(in, offset);
      return in;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** Opens a local file at a byte offset. */
  static TextSourceFormat.Opener local(Path file) {
    return offset -> {
      FileChannel channel = FileChannel.open(file);
      try {
        if (offset > channel.size()) {
          throw new EOFException(
              "offset " + offset + " is past the end of the file (" + channel.size() + " bytes)");
        }
        channel.position(offset);
        return Channels.newInputStream(channel);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    };
  }

  private static void discard(InputStream in, long bytes) throws IOException {
    byte[] scratch = new byte[SCRATCH];
    long left = bytes;
    while (left > 0) {
      int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (n < 0) {
        throw new EOFException(
            "uncompressed offset " + bytes + " is past the end of the file's text");
      }
      left -= n;
    }
  }

  /**
   * An error of the bzip2 decompressor (commons-compress): its exceptions are plain IOExceptions,
   * told from the file's own read failures by where they were thrown.
   */
  private static boolean isCompressorError(IOException e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().startsWith("org.apache.commons.compress.");
  }

  /** A failure reading {@code file}, classified: missing, denied, corrupt, or retriable I/O. */
  static FerryException failure(Path file, IOException e) {
    return failure(file.toString(), e);
  }

  /** A failure reading the file named {@code file}; see the other failure. */
  static FerryException failure(String file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new FerryException(ErrorCode.NOT_FOUND, file + ": file not found", e);
    }
    if (e instanceof AccessDeniedException) {
      return new FerryException(ACCESS_DENIED, file + ": permission denied", e);
    }
    if (e instanceof ZipException) { // from the JDK's gzip and zip streams
      return new FerryException(CORRUPT, file + ": not valid gzip or zip: " + e.getMessage(), e);
    }
    if (isCompressorError(e)) {
      return new FerryException(CORRUPT, file + ": not valid bzip2: " + e.getMessage(), e);
    }
    if (e instanceof EOFException) {
      return new FerryException(
          CHANGED,
          file + ": ends early (" + e.getMessage() + "); was it truncated or changed since?",
          e);
    }
    return new FerryException(ErrorCode.IO, file + ": read failed: " + e.getMessage(), e);
  }
}
