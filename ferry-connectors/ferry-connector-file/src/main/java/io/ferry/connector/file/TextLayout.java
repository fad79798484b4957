package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.nio.charset.Charset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * How rows look as text in a file: the options that the source and the sink share, resolved against
 * the format's defaults and checked against each other.
 *
 * @param delimiter between fields (csv and tsv)
 * @param quote encloses csv values; unused by the other formats
 * @param header whether a file starts with a line of column names (always false for jsonl)
 * @param nullMarker the text of NULL (csv and tsv); see {@link FileOptions#NULL_MARKER}
 * @param dateFormat how a writer writes date and timestamp values (csv and tsv); null for their
 *     ISO-8601 text
 */
record TextLayout(
    FileFormat format,
    char delimiter,
    char quote,
    boolean header,
    Charset charset,
    String nullMarker,
    DateTimeFormatter dateFormat) {

  static final String TSV_NULL = "\\N";

  TextLayout {
    requireNonNull(format, "format is null");
    requireNonNull(charset, "charset is null");
    requireNonNull(nullMarker, "nullMarker is null");
  }

  /** A layout that writes dates and timestamps as ISO-8601. */
  TextLayout(
      FileFormat format,
      char delimiter,
      char quote,
      boolean header,
      Charset charset,
      String nullMarker) {
    this(format, delimiter, quote, header, charset, nullMarker, null);
  }

  /** The same layout writing dates and timestamps with {@code dateFormat}. */
  TextLayout withDateFormat(DateTimeFormatter dateFormat) {
    return new TextLayout(format, delimiter, quote, header, charset, nullMarker, dateFormat);
  }

  /**
   * Resolves the layout options, adding a problem for every option that does not fit the format.
   *
   * @param headerOption the role's {@code header} option
   */
  static TextLayout resolve(
      Options options, Option<Boolean> headerOption, List<OptionProblem> problems) {
    FileFormat format = options.get(FileOptions.FORMAT);
    if (!format.delimited()) {
      for (Option<?> option : List.of(FileOptions.DELIMITER, FileOptions.NULL_MARKER)) {
        if (options.has(option)) {
          problems.add(new OptionProblem(option.name(), "does not apply to format jsonl"));
        }
      }
      if (Boolean.TRUE.equals(options.get(headerOption))) {
        problems.add(
            new OptionProblem(headerOption.name(), "jsonl files have no header line; remove it"));
      }
    }
    if (format != FileFormat.CSV && options.has(FileOptions.QUOTE)) {
      problems.add(
          new OptionProblem(
              FileOptions.QUOTE.name(),
              "applies to format csv only; "
                  + format.name().toLowerCase()
                  + " does not quote values"));
    }
    char delimiter =
        options.has(FileOptions.DELIMITER)
            ? FileOptions.delimiterChar(options.get(FileOptions.DELIMITER))
            : format == FileFormat.TSV ? '\t' : ',';
    char quote = options.get(FileOptions.QUOTE).charAt(0);
    String nullMarker =
        options.has(FileOptions.NULL_MARKER)
            ? options.get(FileOptions.NULL_MARKER)
            : format == FileFormat.TSV ? TSV_NULL : "";
    if (format == FileFormat.CSV && delimiter == quote) {
      problems.add(
          new OptionProblem(
              FileOptions.QUOTE.name(), "must differ from the delimiter '" + delimiter + "'"));
    }
    if (format.delimited() && nullMarker.indexOf(delimiter) >= 0) {
      problems.add(
          new OptionProblem(
              FileOptions.NULL_MARKER.name(),
              "'" + nullMarker + "' contains the delimiter, so it could never be read back"));
    }
    if (format == FileFormat.CSV && nullMarker.indexOf(quote) >= 0) {
      problems.add(
          new OptionProblem(
              FileOptions.NULL_MARKER.name(),
              "'" + nullMarker + "' contains the quote character, so it could never be unquoted"));
    }
    boolean header = format.delimited() && !Boolean.FALSE.equals(options.get(headerOption));
    return new TextLayout(
        format,
        delimiter,
        quote,
        header,
        FileOptions.charset(options.get(FileOptions.ENCODING)),
        nullMarker);
  }
}
