package io.ferry.connector.file;

import io.ferry.connector.support.ColumnList;
import io.ferry.connector.support.CommonOptions;
import io.ferry.spi.Column;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Validator;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options of the file source and the file sink, declared once; the sink's are public for the
 * connectors that write the same files elsewhere (FTP, SFTP), see {@link #sinkOptions()}.
 */
public final class FileOptions {
  private FileOptions() {}

  static final Option<String> SOURCE_PATH =
      Option.string("path")
          .required()
          .validator(Validator.notBlank())
          .description(
              "What to read: one file, a directory (every regular, non-hidden file directly in it)"
                  + " or a glob such as /data/orders-*.csv.gz (glob characters may appear in any"
                  + " path segment).")
          .build();

  public static final Option<String> SINK_PATH =
      Option.string("path")
          .required()
          .validator(Validator.notBlank())
          .description(
              "The file to write. With fileMode perWriter or perSplit, the files are written beside"
                  + " it and named after it: /out/orders.csv gives /out/orders-00000.csv,"
                  + " /out/orders-00001.csv, ...")
          .build();

  static final Option<FileFormat> FORMAT =
      Option.enumeration("format", FileFormat.class)
          .defaultValue(FileFormat.CSV)
          .description(
              "csv (RFC 4180, NULL as in PostgreSQL COPY CSV), tsv (tab-separated with backslash"
                  + " escapes, as PostgreSQL and MySQL text files) or jsonl (one JSON object per"
                  + " line).")
          .build();

  static final Option<String> DELIMITER =
      Option.string("delimiter")
          .validator(FileOptions::validateDelimiter)
          .description(
              "The one character between fields: ',' for csv and a tab for tsv unless given. The"
                  + " two characters \\t also mean a tab. Not used by jsonl.")
          .build();

  static final Option<String> QUOTE =
      Option.string("quote")
          .defaultValue("\"")
          .validator(FileOptions::validateQuote)
          .description(
              "csv only: the one ASCII character that encloses a value holding the delimiter, the"
                  + " quote itself (written twice), a line break or an empty string.")
          .build();

  static final Option<Boolean> SOURCE_HEADER =
      Option.bool("header")
          .description(
              "csv and tsv: whether the first line of every file holds the column names (default"
                  + " true). Columns are then matched to the declared columns by name; without it,"
                  + " fields are taken in the declared order.")
          .build();

  static final Option<Boolean> SINK_HEADER =
      Option.bool("header")
          .description(
              "csv and tsv: whether every file starts with a line of column names (default true).")
          .build();

  static final Option<String> ENCODING =
      Option.string("encoding")
          .defaultValue("UTF-8")
          .validator(FileOptions::validateEncoding)
          .description(
              "The character set of the file text, e.g. UTF-8, ISO-8859-1, windows-1252, GBK. It"
                  + " must write ASCII characters as single ASCII bytes (UTF-16 and UTF-32 do not)."
                  + " A UTF-8 byte-order mark at the start of a file is skipped.")
          .build();

  static final Option<String> NULL_MARKER =
      Option.string("nullMarker")
          .validator(
              value ->
                  value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
                      ? "must not contain a line break"
                      : null)
          .description(
              "The text that stands for NULL. csv: an unquoted field equal to it is NULL, a quoted"
                  + " one never is; the default is the empty string, so an unquoted empty field is"
                  + " NULL and \"\" is an empty string. tsv: a field equal to it before unescaping"
                  + " is NULL; the default is \\N. Not used by jsonl, where JSON null is NULL.")
          .build();

  static final Option<Compression> COMPRESSION =
      Option.enumeration("compression", Compression.class)
          .defaultValue(Compression.AUTO)
          .description(
              "none, gzip, bzip2, zip (read only: the archive's entries one after the other), or"
                  + " auto: by the file name's ending, .gz gzip, .bz2 bzip2, .zip zip, otherwise"
                  + " none.")
          .build();

  static final Option<List<Column>> COLUMNS =
      Option.object("columns", FileOptions::parseColumns)
          .description(
              "The columns to read, in order, each either the text \"name type\" or a map {name:"
                  + " ..., type: ...}, with a Ferry type such as int64, decimal(12,2), timestamp."
                  + " Without it: the header's names, all of type string. Required for jsonl and"
                  + " for files without a header.")
          .build();

  static final Option<Boolean> MULTI_LINE =
      Option.bool("multiLine")
          .defaultValue(true)
          .description(
              "csv only: whether quoted values may contain line breaks. true reads each csv file"
                  + " as one split; false lets large files be cut into byte ranges read in"
                  + " parallel, and a line break inside quotes then makes the record a dirty row.")
          .build();

  static final Option<Long> SPLIT_SIZE =
      Option.size("splitSize")
          .defaultValue(64L << 20)
          .validator(Validator.atLeast(1024L))
          .description(
              "Uncompressed files that can be cut (tsv, jsonl, csv with multiLine false) and are"
                  + " larger than this are read as byte ranges of this size, in parallel.")
          .build();

  static final Option<Integer> BATCH_SIZE =
      CommonOptions.batchSize(
          1024,
          100_000,
          "Records per batch handed on, each batch with the position after it: smaller batches"
              + " checkpoint more finely, larger ones cost less per row.");

  public static final Option<FileMode> FILE_MODE =
      Option.enumeration("fileMode", FileMode.class)
          .defaultValue(FileMode.MERGED)
          .description(
              "merged: one file at path, the splits' parts joined in plan order at commit."
                  + " perWriter: one file per writer, <stem>-<5-digit writer index>.<extensions>"
                  + " beside path, joined likewise. perSplit: one file per split,"
                  + " <stem>-<5-digit split>.<extensions>; commit only renames.")
          .build();

  public static final Option<Boolean> OVERWRITE =
      Option.bool("overwrite")
          .defaultValue(false)
          .description(
              "Whether to replace existing output. When false, an existing file at path (or, with"
                  + " perWriter or perSplit, an existing <stem>-NNNNN file) fails the check before"
                  + " anything is written.")
          .build();

  static final OptionSet SOURCE_OPTIONS =
      OptionSet.of(
          SOURCE_PATH,
          FORMAT,
          DELIMITER,
          QUOTE,
          SOURCE_HEADER,
          ENCODING,
          NULL_MARKER,
          COMPRESSION,
          COLUMNS,
          MULTI_LINE,
          SPLIT_SIZE,
          BATCH_SIZE);

  static final Option<String> DATE_FORMAT =
      Option.string("dateFormat")
          .validator(FileOptions::validateDateFormat)
          .description(
              "csv and tsv: a java.time pattern (DateTimeFormatter) for date, timestamp and"
                  + " timestamp_tz values, such as yyyy-MM-dd or yyyy/MM/dd HH:mm:ss; a date is"
                  + " written as its midnight. Without it, ISO-8601. Values written so cannot"
                  + " always be read back exactly (a pattern without seconds drops them).")
          .build();

  public static final Option<Boolean> APPEND =
      Option.bool("append")
          .defaultValue(false)
          .description(
              "Add the run's rows to the end of the file at path, created when missing (the"
                  + " header only in a new or empty file). Needs fileMode merged, not with"
                  + " overwrite. Exact across a crash (markers beside the file record its length"
                  + " before the run's rows); nothing else may write the file meanwhile.")
          .build();

  static final OptionSet SINK_OPTIONS = OptionSet.of(sinkOptions());

  /**
   * The options of a sink of text files: path, the format options ({@link
   * TextSinkFormat#options()}), fileMode, overwrite and append.
   */
  public static List<Option<?>> sinkOptions() {
    List<Option<?>> options = new ArrayList<>();
    options.add(SINK_PATH);
    options.addAll(TextSinkFormat.options());
    options.add(FILE_MODE);
    options.add(OVERWRITE);
    options.add(APPEND);
    return options;
  }

  /** The delimiter text as a character; {@code \t} spelt with a backslash is a tab. */
  static char delimiterChar(String text) {
    return text.equals("\\t") ? '\t' : text.charAt(0);
  }

  /** The dateFormat pattern as a formatter; null when the option is not given. */
  static java.time.format.DateTimeFormatter dateFormat(String pattern) {
    return pattern == null
        ? null
        : java.time.format.DateTimeFormatter.ofPattern(pattern, java.util.Locale.ROOT);
  }

  private static String validateDateFormat(String pattern) {
    try {
      // Dates and timestamps are written as local date-times: a pattern must format one.
      dateFormat(pattern).format(java.time.LocalDateTime.of(2024, 5, 1, 13, 45, 0, 123_000_000));
      return null;
    } catch (IllegalArgumentException e) {
      return "not a DateTimeFormatter pattern: " + e.getMessage();
    } catch (java.time.DateTimeException e) {
      return "cannot format a date and time without a zone (" + e.getMessage() + ")";
    }
  }

  private static String validateDelimiter(String value) {
    if (!value.equals("\\t") && value.length() != 1) {
      return "must be exactly one character, got '" + value + "'";
    }
    char c = delimiterChar(value);
    if (c == '\n' || c == '\r') {
      return "must not be a line break";
    }
    if (c == '\\') {
      return "must not be a backslash, which tsv uses for escapes";
    }
    return null;
  }

  private static String validateQuote(String value) {
    if (value.length() != 1) {
      return "must be exactly one character, got '" + value + "'";
    }
    char c = value.charAt(0);
    if (c >= 0x80 || c == '\n' || c == '\r') {
      return "must be a printable ASCII character, got '" + value + "'";
    }
    return null;
  }

  private static final String ASCII_PROBE = "\t\n\r \"',;|\\Nabc0123456789";

  private static String validateEncoding(String value) {
    Charset charset;
    try {
      charset = Charset.forName(value.trim());
    } catch (IllegalArgumentException e) {
      return "'" + value + "' is not a character set this Java runtime knows";
    }
    if (!Arrays.equals(
        ASCII_PROBE.getBytes(charset), ASCII_PROBE.getBytes(StandardCharsets.US_ASCII))) {
      return "'"
          + value
          + "' does not write ASCII characters as single ASCII bytes, which record framing"
          + " and byte-range splits need; use UTF-8 or a single-byte character set";
    }
    return null;
  }

  static Charset charset(String encoding) {
    return Charset.forName(encoding.trim());
  }

  private static final ColumnList COLUMN_LIST =
      ColumnList.of("column", "[\"id int64\", {name: amount, type: decimal(12,2)}]");

  /** Parses the {@code columns} option: a list of {@code "name type"} texts or name/type maps. */
  static List<Column> parseColumns(Object raw) {
    return COLUMN_LIST.parse(raw, entry -> Column.of(entry.name(), entry.requiredType()));
  }
}
