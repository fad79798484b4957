package io.ferry.connector.hdfs;

import io.ferry.connector.file.TextSinkFormat;
import io.ferry.connector.file.TextSourceFormat;
import io.ferry.spi.Column;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HDFS connector's options: where the cluster is, the path, the file type, and for text files
 * the file connector's format options (its {@code compression} replaced by this connector's).
 */
final class HdfsOptions {
  private HdfsOptions() {}

  static final Option<String> DEFAULT_FS =
      Option.string("defaultFS")
          .required()
          .endpoint()
          .validator(
              v ->
                  v.startsWith("hdfs://") || v.startsWith("file:") || v.startsWith("viewfs://")
                      ? null
                      : "must be a file system URI such as hdfs://namenode:8020, got '" + v + "'")
          .description("The NameNode (or nameservice) URI, e.g. hdfs://namenode:8020.")
          .build();

  static final Option<Map<String, String>> HADOOP_CONFIG =
      Option.object("hadoopConfig", HdfsOptions::parseSettings)
          .endpoint()
          .description(
              "More Hadoop client settings, e.g. the HA settings of a nameservice"
                  + " {dfs.nameservices: ns, dfs.ha.namenodes.ns: 'nn1,nn2', ...}; applied after"
                  + " defaultFS. Kerberos is not supported yet.")
          .build();

  static final Option<FileType> FILE_TYPE =
      Option.enumeration("fileType", FileType.class)
          .defaultValue(FileType.TEXT)
          .description(
              "text (csv, tsv or jsonl by the format option), orc or parquet. ORC and Parquet carry"
                  + " their schema; text needs columns unless it has a header line.")
          .build();

  static final Option<String> SOURCE_PATH =
      Option.string("path")
          .required()
          .validator(Validator.notBlank())
          .description(
              "What to read: a file, a folder (every visible file under it, subfolders such as"
                  + " Hive partitions dt=20240501 included) or a glob such as"
                  + " /warehouse/orders/dt=2024*. Files whose names start with . or _ are skipped.")
          .build();

  static final Option<String> SINK_PATH =
      Option.string("path")
          .required()
          .validator(v -> v.startsWith("/") ? null : "must be an absolute folder, got '" + v + "'")
          .description(
              "The folder to write files into, created when missing, e.g. a Hive partition"
                  + " /warehouse/orders/dt=${bizdate}.")
          .build();

  static final Option<String> FILE_NAME =
      Option.string("fileName")
          .defaultValue("part")
          .validator(
              v ->
                  v.isEmpty() || v.contains("/") || v.startsWith(".") || v.startsWith("_")
                      ? "must be a file name prefix without / that does not start with . or _"
                      : null)
          .description(
              "The prefix of the files written: <fileName>__<run>_<split>.<ending>, one file per"
                  + " split.")
          .build();

  static final Option<WriteMode> WRITE_MODE =
      Option.enumeration("writeMode", WriteMode.class)
          .defaultValue(WriteMode.NON_CONFLICT)
          .description(
              "append: add the run's files beside those in the folder. overwrite: once the run's"
                  + " files are in place, delete the folder's other files whose names start with"
                  + " fileName (DataX truncate). nonConflict: fail when the folder holds any"
                  + " visible file.")
          .build();

  static final Option<HdfsCompression> COMPRESSION =
      Option.enumeration("compression", HdfsCompression.class)
          .defaultValue(HdfsCompression.NONE)
          .description(
              "none, gzip, bzip2, snappy or zstd. text: one stream per file, named .gz, .bz2,"
                  + " .snappy (Hadoop framing) or .zst; orc and parquet: their own column"
                  + " compression (gzip is ORC's zlib; bzip2 is text only).")
          .build();

  static final Option<List<Column>> SINK_COLUMNS =
      Option.object(
              "columns", raw -> HdfsOptions.<List<Column>>textSourceOption("columns").parse(raw))
          .description(
              "The files' columns, each \"name type\" (e.g. [\"id int8\", \"dt date\"]), as the"
                  + " Hive table declares them: source columns are matched to them by name (or by"
                  + " the job's mapping) and converted to these types. Without it the files take"
                  + " the source's columns and types.")
          .build();

  static final Option<Boolean> FIELDS_BY_POSITION =
      Option.bool("fieldsByPosition")
          .defaultValue(false)
          .description(
              "orc and parquet: read column i of columns from the file's field i (DataX's index),"
                  + " instead of the field of the same name.")
          .build();

  /** The text options that only text files take. */
  private static final Set<String> TEXT_ONLY =
      Set.of(
          "format",
          "delimiter",
          "quote",
          "header",
          "encoding",
          "nullMarker",
          "multiLine",
          "dateFormat");

  private static final List<Option<?>> TEXT_SOURCE = without(TextSourceFormat.options());
  private static final List<Option<?>> TEXT_SINK = without(TextSinkFormat.options());

  static final OptionSet SOURCE = OptionSet.of(sourceOptions());
  static final OptionSet SINK = OptionSet.of(sinkOptions());

  private static List<Option<?>> sourceOptions() {
    List<Option<?>> options = new ArrayList<>(List.of(DEFAULT_FS, HADOOP_CONFIG, SOURCE_PATH));
    options.add(FILE_TYPE);
    options.addAll(TEXT_SOURCE);
    options.add(FIELDS_BY_POSITION);
    return options;
  }

  private static List<Option<?>> sinkOptions() {
    List<Option<?>> options =
        new ArrayList<>(
            List.of(DEFAULT_FS, HADOOP_CONFIG, SINK_PATH, FILE_NAME, FILE_TYPE, WRITE_MODE));
    options.add(COMPRESSION);
    options.add(SINK_COLUMNS);
    options.addAll(TEXT_SINK);
    return options;
  }

  /** The file connector's text options without its compression (this connector has its own). */
  private static List<Option<?>> without(List<Option<?>> text) {
    return text.stream().filter(o -> !o.name().equals("compression")).toList();
  }

  /** The text source option {@code name} (columns, batchSize), which ORC and Parquet use too. */
  @SuppressWarnings("unchecked")
  static <T> Option<T> textSourceOption(String name) {
    return (Option<T>)
        TEXT_SOURCE.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * Refuses text-only options with orc or parquet.
   *
   * @throws InvalidOptionsException naming each such option
   */
  static void checkTextOnly(Options options, List<Option<?>> declared) {
    FileType type = options.get(FILE_TYPE);
    if (type == FileType.TEXT) {
      return;
    }
    List<OptionProblem> problems = new ArrayList<>();
    for (Option<?> option : declared) {
      if (TEXT_ONLY.contains(option.name()) && options.has(option)) {
        problems.add(
            new OptionProblem(
                option.name(),
                "applies to fileType text only; "
                    + type.choice()
                    + " files carry their own layout"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  /** The text sink options, as the file connector's format reads them (header off by default). */
  static Options textSink(Options options) {
    return textOptions(options, TEXT_SINK);
  }

  /** The text source options, as the file connector's format reads them (header off by default). */
  static Options textSource(Options options) {
    return textOptions(options, TEXT_SOURCE);
  }

  /**
   * The file connector's options among {@code options}, with {@code header: false} unless given:
   * files in Hive tables have no header line (DataX writes none either), unlike the file
   * connector's default.
   */
  private static Options textOptions(Options options, List<Option<?>> text) {
    Map<String, Object> raw = new LinkedHashMap<>();
    for (Option<?> option : text) {
      if (options.has(option)) {
        Object value = options.get(option);
        raw.put(option.name(), rawValue(value));
      }
    }
    raw.putIfAbsent("header", false);
    return OptionSet.of(text).parse(raw);
  }

  /** A parsed value as a job file would write it, for the file connector's options to parse. */
  private static Object rawValue(Object value) {
    if (value instanceof Option.Choice c) {
      return c.choice();
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
    if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Column) {
      return list.stream().map(c -> ((Column) c).name() + " " + ((Column) c).type()).toList();
    }
    return value;
  }

  private static Map<String, String> parseSettings(Object raw) {
    if (!(raw instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("expected a map of Hadoop client settings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?>) {
        throw new IllegalArgumentException("setting '" + key + "' needs a plain value");
      }
      String value = String.valueOf(e.getValue());
      if (key.equals("hadoop.security.authentication") && !value.equalsIgnoreCase("simple")) {
        throw new IllegalArgumentException(
            "setting '" + key + "': Kerberos (" + value + ") is not supported yet");
      }
      out.put(key, value);
    }
    return Map.copyOf(out);
  }
}
