package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * How the file connector writes text files (csv, tsv, JSON Lines, plain or gzip), usable over any
 * output stream: the file sink writes its parts with it, and connectors that put files elsewhere
 * (FTP, SFTP) declare {@link #options()} beside their own and write each file through a {@link
 * TextRowWriter}. Text, NULLs and unwritable values behave as the file connector's README says.
 */
public final class TextSinkFormat {
  private final TextLayout layout;
  private final Compression compression;

  private TextSinkFormat(TextLayout layout, Compression compression) {
    this.layout = layout;
    this.compression = compression;
  }

  /**
   * The format options a writer of text files takes: format, delimiter, quote, header, encoding,
   * nullMarker and compression, declared as the file sink declares them.
   */
  public static List<Option<?>> options() {
    return List.of(
        FileOptions.FORMAT,
        FileOptions.DELIMITER,
        FileOptions.QUOTE,
        FileOptions.SINK_HEADER,
        FileOptions.ENCODING,
        FileOptions.NULL_MARKER,
        FileOptions.COMPRESSION);
  }

  /**
   * Resolves and cross-checks the {@link #options()} in {@code options}.
   *
   * @throws InvalidOptionsException naming every option that does not fit the format or another
   *     option
   */
  public static TextSinkFormat of(Options options) {
    List<OptionProblem> problems = new ArrayList<>();
    TextLayout layout = TextLayout.resolve(options, FileOptions.SINK_HEADER, problems);
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    return new TextSinkFormat(layout, options.get(FileOptions.COMPRESSION));
  }

  TextLayout layout() {
    return layout;
  }

  /** Whether a file named {@code fileName} is written as gzip (the compression option). */
  public boolean gzip(String fileName) {
    return compression.gzip(fileName);
  }

  /** Whether every file starts with a line of column names. */
  public boolean header() {
    return layout.header();
  }

  /**
   * The header line alone, encoded, and as a gzip member of its own when {@code gzip}: what a file
   * that is joined from parts starts with when its first part lacks the header.
   */
  public byte[] headerBytes(Schema schema, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
    try (out) {
      TextBuffer buffer = new TextBuffer(out, layout.charset(), 1024);
      RowFormatter.of(schema, layout).appendHeader(buffer);
      buffer.endRow();
      buffer.flushBuffer();
    }
    return bytes.toByteArray();
  }

  /**
   * Starts writing rows of {@code schema} into {@code out}.
   *
   * @param out receives the file's bytes; {@link TextRowWriter#finish()} closes it
   * @param gzip whether to compress (one gzip member)
   * @param withHeader whether to start with the header line (only if {@link #header()})
   * @param name the file, for the locations of dirty rows
   */
  public TextRowWriter open(
      OutputStream out,
      Schema schema,
      boolean gzip,
      boolean withHeader,
      String name,
      DirtyRowSink dirtyRows)
      throws IOException {
    return new TextRowWriter(
        requireNonNull(out, "out is null"),
        requireNonNull(schema, "schema is null"),
        layout,
        gzip,
        withHeader && layout.header(),
        requireNonNull(name, "name is null"),
        requireNonNull(dirtyRows, "dirtyRows is null"));
  }
}
