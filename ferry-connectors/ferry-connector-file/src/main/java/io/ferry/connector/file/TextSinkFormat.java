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

/**
 * How the file connector writes text files (csv, tsv, JSON Lines, plain, gzip or bzip2), usable
 * over any output stream: the file sink writes its parts with it, and connectors that put files
 * elsewhere (FTP, SFTP) declare {@link #options()} beside their own and write each file through a
 * {@link TextRowWriter}. Text, NULLs and unwritable values behave as the file connector's README
 * says.
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
        FileOptions.COMPRESSION,
        FileOptions.DATE_FORMAT);
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
    if (options.has(FileOptions.DATE_FORMAT)) {
      if (layout.format().delimited()) {
        layout =
            layout.withDateFormat(FileOptions.dateFormat(options.get(FileOptions.DATE_FORMAT)));
      } else {
        problems.add(
            new OptionProblem(
                FileOptions.DATE_FORMAT.name(), "applies to csv and tsv; jsonl writes ISO-8601"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    Compression compression = options.get(FileOptions.COMPRESSION);
    if (compression == Compression.ZIP) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(new OptionProblem(FileOptions.COMPRESSION.name(), ZIP_NOT_WRITTEN)));
    }
    return new TextSinkFormat(layout, compression);
  }

  private static final String ZIP_NOT_WRITTEN =
      "zip archives are read, not written: use gzip or bzip2 (both join the parts of a run into"
          + " one valid file)";

  TextLayout layout() {
    return layout;
  }

  /**
   * How a file named {@code fileName} is written: the compression option, auto resolved by the
   * name.
   *
   * @throws InvalidOptionsException on {@code compression} when the name makes it zip
   */
  public Compression compression(String fileName) {
    Compression resolved = compression.of(fileName);
    if (resolved == Compression.ZIP) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(
              new OptionProblem(
                  FileOptions.COMPRESSION.name(),
                  fileName + " ends in .zip; " + ZIP_NOT_WRITTEN + ", or set compression: none")));
    }
    return resolved;
  }

  /** Whether every file starts with a line of column names. */
  public boolean header() {
    return layout.header();
  }

  /**
   * The header line alone, encoded, and compressed as a stream of its own (a gzip member, a bzip2
   * stream): what a file that is joined from parts starts with when its first part lacks the
   * header.
   */
  public byte[] headerBytes(Schema schema, Compression compression) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream out = compression.compress(bytes);
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
   * @param compression how to compress (one gzip member, one bzip2 stream), resolved by {@link
   *     #compression(String)}
   * @param withHeader whether to start with the header line (only if {@link #header()})
   * @param name the file, for the locations of dirty rows
   */
  public TextRowWriter open(
      OutputStream out,
      Schema schema,
      Compression compression,
      boolean withHeader,
      String name,
      DirtyRowSink dirtyRows)
      throws IOException {
    return new TextRowWriter(
        requireNonNull(out, "out is null"),
        requireNonNull(schema, "schema is null"),
        layout,
        compression,
        withHeader && layout.header(),
        requireNonNull(name, "name is null"),
        requireNonNull(dirtyRows, "dirtyRows is null"));
  }
}
