package io.ferry.engine;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.ferry.engine.JobSpec.ConnectorSpec;
import io.ferry.engine.JobSpec.FieldMapping;
import io.ferry.engine.JobSpec.TransformSpec;
import io.ferry.engine.JobSpecException.Problem;
import io.ferry.spi.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads job files (YAML, or JSON when the name ends in {@code .json}) into {@link JobSpec}s.
 *
 * <p>Parameters: {@code ${name}} inside any text value is replaced by the parameter's value —
 * given by the caller (the command line's {@code --param name=value}) or by the job's own {@code
 * params:} defaults. {@code ${env:NAME}} is the environment variable NAME, for secrets that
 * belong neither in the file nor on a command line. {@code $${} writes a literal {@code ${}. A
 * parameter without a value is an error naming it.
 */
public final class JobSpecLoader {
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "name",
          "description",
          "kind",
          "params",
          "source",
          "sink",
          "mapping",
          "transforms",
          "settings",
          "cdc",
          "incremental");
  private static final Pattern PARAMETER =
      Pattern.compile("\\$\\$\\{|\\$\\{(env:)?([A-Za-z0-9_.-]+)}");

  /**
   * YAML with only {@code true} and {@code false} as booleans, as YAML 1.2 has it: YAML 1.1's
   * {@code off}, {@code no}, {@code on}, {@code yes} stay the words the user wrote, so {@code
   * bulkLoad: off} reaches the enumeration as {@code off} (not as {@code false}) and a text option
   * keeps its text; boolean options accept those words as text.
   */
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private JobSpecLoader() {}

  /**
   * @param params parameter values that override the job's defaults
   * @throws JobSpecException naming the file and each problem
   */
  public static JobSpec load(Path file, Map<String, String> params) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new JobSpecException(file.toString(), "", "job file not found");
    } catch (IOException e) {
      throw new JobSpecException(file.toString(), "", "cannot read job file: " + e.getMessage());
    }
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    return parse(text, json, file, stem, params);
  }

  /**
   * Parses job text.
   *
   * @param file recorded in the spec and used in messages; may be null
   * @param defaultName the job name when the text gives none
   */
  public static JobSpec parse(
      String text, boolean json, Path file, String defaultName, Map<String, String> params) {
    return parse(text, json, file, defaultName, params, System::getenv);
  }

  /** As {@link #parse(String, boolean, Path, String, Map)}, with the environment given. */
  static JobSpec parse(
      String text,
      boolean json,
      Path file,
      String defaultName,
      Map<String, String> params,
      java.util.function.Function<String, String> environment) {
    String origin = file != null ? file.toString() : defaultName;
    JsonNode root;
    try {
      root = (json ? JSON : YAML).readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new JobSpecException(
          origin + where,
          "",
          "malformed " + (json ? "JSON" : "YAML") + ": " + oneLine(e.getOriginalMessage()));
    }
    if (io.ferry.engine.datax.DataxJob.isDatax(root)) {
      // A DataX job file: translated into the Ferry job it stands for, then read like one.
      root =
          io.ferry.engine.datax.DataxJob.translate(
              io.ferry.engine.datax.DataxJob.substitute(root, params), origin, defaultName);
    }
    return new Reader(origin, params, environment).read(root, file, defaultName);
  }

  /**
   * The Ferry job file (YAML) a DataX job file stands for, as {@code ferry convert} prints it;
   * {@code ${name}} placeholders stay in it.
   *
   * @throws JobSpecException when the file cannot be read, is not a DataX job, or uses a parameter
   *     without a translation (each named)
   */
  public static String convertDatax(Path file) {
    return convertDatax(file, Map.of());
  }

  /**
   * As {@link #convertDatax(Path)}, with the parameters that have values replaced in the result
   * (the others stay {@code ${name}}).
   */
  public static String convertDatax(Path file, Map<String, String> params) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new JobSpecException(file.toString(), "", "job file not found");
    } catch (IOException e) {
      throw new JobSpecException(file.toString(), "", "cannot read job file: " + e.getMessage());
    }
    String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    return convertDatax(text, file.toString(), stem, params);
  }

  /** As {@link #convertDatax(Path, Map)}, for job text. */
  public static String convertDatax(
      String text, String origin, String name, Map<String, String> params) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new JobSpecException(
          origin + where, "", "malformed JSON: " + oneLine(e.getOriginalMessage()));
    }
    if (!io.ferry.engine.datax.DataxJob.isDatax(root)) {
      throw new JobSpecException(
          origin, "", "not a DataX job: expected {\"job\": {\"content\": [{reader, writer}]}}");
    }
    return io.ferry.engine.datax.DataxJob.toYaml(
        io.ferry.engine.datax.DataxJob.translate(
            io.ferry.engine.datax.DataxJob.substitute(root, params), origin, name));
  }

  /** A parser message without its multi-line excerpt of the text: the location is in front. */
  private static String oneLine(String message) {
    return message
        .lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.equals("^"))
        .collect(java.util.stream.Collectors.joining(" "));
  }

  /** One pass over a job tree, collecting every problem before failing. */
  private static final class Reader {
    private final String origin;
    private final Map<String, String> given;
    private final java.util.function.Function<String, String> environment;
    private final Map<String, String> params = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    /** Where {@code ${table}} was left for a cdc run to fill in per table; null when nowhere. */
    private String tablePlaceholder;

    Reader(
        String origin,
        Map<String, String> given,
        java.util.function.Function<String, String> environment) {
      this.origin = origin;
      this.given = given;
      this.environment = environment;
    }

    private JobSpec.Kind kind(JsonNode node) {
      if (node == null || node.isNull()) {
        return JobSpec.Kind.COPY;
      }
      for (JobSpec.Kind kind : JobSpec.Kind.values()) {
        if (node.isTextual() && kind.spelling().equals(node.asText())) {
          return kind;
        }
      }
      problems.add(new Problem("kind", "must be copy, fullSync or cdc, not " + node));
      return JobSpec.Kind.COPY;
    }

    JobSpec read(JsonNode root, Path file, String defaultName) {
      if (root == null || !root.isObject()) {
        throw new JobSpecException(origin, "", "a job file must be a map with source: and sink:");
      }
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!TOP_LEVEL.contains(key)) {
          problems.add(
              new Problem(key, "unknown section; known sections: " + String.join(", ", TOP_LEVEL)));
        }
      }
      readParams(root.get("params"));
      String name = root.hasNonNull("name") ? text(root.get("name"), "name") : defaultName;
      ConnectorSpec source = connector(root.get("source"), "source");
      ConnectorSpec sink = connector(root.get("sink"), "sink");
      List<FieldMapping> mapping = mapping(root.get("mapping"));
      List<TransformSpec> transforms = transforms(root.get("transforms"));
      JobSpec.Kind kind = kind(root.get("kind"));
      Map<String, Object> settings = new LinkedHashMap<>();
      JsonNode settingsNode = root.get("settings");
      if (settingsNode != null && !settingsNode.isNull()) {
        if (!settingsNode.isObject()) {
          problems.add(new Problem("settings", "must be a map"));
        } else {
          settings = map(settingsNode, "settings");
        }
      }
      JobSpec.CdcSpec cdc = null;
      if (kind == JobSpec.Kind.CDC) {
        cdc = cdc(root.get("cdc"));
        if (mapping != null) {
          problems.add(
              new Problem("mapping", "kind: cdc maps columns by name; a mapping is not supported"));
        }
        if (!transforms.isEmpty()) {
          problems.add(new Problem("transforms", "kind: cdc does not take transforms"));
        }
      } else {
        if (root.hasNonNull("cdc")) {
          problems.add(new Problem("cdc", "only a job of kind: cdc has a cdc section"));
        }
        if (tablePlaceholder != null) {
          problems.add(new Problem(tablePlaceholder, missing("table")));
        }
      }
      JobSpec.IncrementalSpec incremental = incremental(root.get("incremental"), kind);
      if (!problems.isEmpty()) {
        throw new JobSpecException(ErrorCode.JOB_INVALID, origin, problems);
      }
      return new JobSpec(
          file, given, name, source, sink, mapping, transforms, settings, kind, cdc, incremental);
    }

    private static final Set<String> INCREMENTAL_KEYS = Set.of("cursor", "lookBack", "start");

    private JobSpec.IncrementalSpec incremental(JsonNode node, JobSpec.Kind kind) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isObject()) {
        problems.add(
            new Problem(
                "incremental", "must be a map with cursor: and optionally lookBack:, start:"));
        return null;
      }
      if (kind == JobSpec.Kind.CDC) {
        problems.add(
            new Problem(
                "incremental",
                "kind: cdc captures every change already; incremental reads are for copy jobs"));
        return null;
      }
      Map<String, Object> m = map(node, "incremental");
      for (String key : m.keySet()) {
        if (!INCREMENTAL_KEYS.contains(key)) {
          problems.add(
              new Problem(
                  "incremental." + key,
                  "unknown key; known keys: " + String.join(", ", INCREMENTAL_KEYS)));
        }
      }
      Object cursor = m.get("cursor");
      if (cursor == null
          || cursor.toString().isBlank()
          || cursor instanceof Map<?, ?>
          || cursor instanceof List<?>) {
        problems.add(new Problem("incremental.cursor", "names the cursor column; it is missing"));
        return null;
      }
      Object lookBack = m.get("lookBack");
      Object start = m.get("start");
      return new JobSpec.IncrementalSpec(
          cursor.toString().trim(),
          lookBack == null ? null : lookBack.toString().trim(),
          start == null ? null : start.toString().trim(),
          null);
    }

    private static final Set<String> CDC_KEYS =
        Set.of(
            "startup",
            "deleteMode",
            "softDelete",
            "schemaChanges",
            "keys",
            "sharedMining",
            "miningLog");

    private JobSpec.CdcSpec cdc(JsonNode node) {
      JobSpec.CdcSpec defaults = JobSpec.CdcSpec.defaults();
      if (node == null || node.isNull()) {
        return defaults;
      }
      if (!node.isObject()) {
        problems.add(new Problem("cdc", "must be a map"));
        return defaults;
      }
      Map<String, Object> m = map(node, "cdc");
      for (String key : m.keySet()) {
        if (!CDC_KEYS.contains(key)) {
          problems.add(
              new Problem("cdc." + key, "unknown key; known keys: " + String.join(", ", CDC_KEYS)));
        }
      }
      JobSpec.CdcSpec.Startup startup =
          choice(
              m.get("startup"), "cdc.startup", JobSpec.CdcSpec.Startup.class, defaults.startup());
      io.ferry.spi.ChangeWriter.DeleteMode deleteMode =
          choice(
              m.get("deleteMode"),
              "cdc.deleteMode",
              io.ferry.spi.ChangeWriter.DeleteMode.class,
              defaults.deleteMode());
      JobSpec.CdcSpec.SchemaChanges schemaChanges =
          choice(
              m.get("schemaChanges"),
              "cdc.schemaChanges",
              JobSpec.CdcSpec.SchemaChanges.class,
              defaults.schemaChanges());
      String flag = null;
      String time = null;
      Object soft = m.get("softDelete");
      if (soft != null) {
        if (!(soft instanceof Map<?, ?> sm)) {
          problems.add(
              new Problem("cdc.softDelete", "must be a map with flagColumn and timeColumn"));
        } else {
          for (Object k : sm.keySet()) {
            if (!Set.of("flagColumn", "timeColumn").contains(k)) {
              problems.add(
                  new Problem(
                      "cdc.softDelete." + k, "unknown key; expected flagColumn, timeColumn"));
            }
          }
          flag = sm.get("flagColumn") == null ? null : sm.get("flagColumn").toString();
          time = sm.get("timeColumn") == null ? null : sm.get("timeColumn").toString();
        }
      }
      Map<String, List<String>> keys = new LinkedHashMap<>();
      Object k = m.get("keys");
      if (k != null) {
        if (!(k instanceof Map<?, ?> km)) {
          problems.add(
              new Problem("cdc.keys", "must map table names to their key columns, e.g. t: [a, b]"));
        } else {
          for (Map.Entry<?, ?> e : km.entrySet()) {
            List<String> columns = new ArrayList<>();
            if (e.getValue() instanceof List<?> list) {
              list.forEach(c -> columns.add(String.valueOf(c).trim()));
            } else if (e.getValue() != null) {
              for (String c : e.getValue().toString().split(",")) {
                columns.add(c.trim());
              }
            }
            columns.removeIf(String::isEmpty);
            if (columns.isEmpty()) {
              problems.add(new Problem("cdc.keys." + e.getKey(), "needs at least one column"));
            }
            keys.put(e.getKey().toString(), columns);
          }
        }
      }
      boolean shared = false;
      Object sharedNode = m.get("sharedMining");
      if (sharedNode != null) {
        if (sharedNode instanceof Boolean b) {
          shared = b;
        } else if (sharedNode.toString().equalsIgnoreCase("true")
            || sharedNode.toString().equalsIgnoreCase("false")) {
          shared = Boolean.parseBoolean(sharedNode.toString());
        } else {
          problems.add(
              new Problem("cdc.sharedMining", "must be true or false, got '" + sharedNode + "'"));
        }
      }
      JobSpec.ConnectorSpec miningLog = null;
      Object logNode = m.get("miningLog");
      if (logNode != null) {
        if (!(logNode instanceof Map<?, ?> lm) || !(lm.get("connector") instanceof String c)) {
          problems.add(
              new Problem(
                  "cdc.miningLog",
                  "must be a map with the store's connector and its options, e.g. {connector:"
                      + " postgresql, host: db1, database: ferry, table: mining_shop}"));
        } else {
          Map<String, Object> options = new LinkedHashMap<>();
          lm.forEach(
              (key, value) -> {
                if (!"connector".equals(key)) {
                  options.put(String.valueOf(key), value);
                }
              });
          miningLog = new JobSpec.ConnectorSpec("cdc.miningLog", c, options);
        }
      }
      if (shared && miningLog == null && logNode == null) {
        problems.add(
            new Problem(
                "cdc.miningLog",
                "sharedMining: true needs the mining-log store: cdc.miningLog: {connector:"
                    + " postgresql, host: db1, database: ferry, table: mining_shop}"));
        shared = false;
      } else if (shared && miningLog == null) {
        shared = false; // its problem is reported above
      }
      return new JobSpec.CdcSpec(
          startup, deleteMode, flag, time, schemaChanges, keys, shared, miningLog);
    }

    private <E extends Enum<E>> E choice(Object value, String path, Class<E> type, E fallback) {
      if (value == null) {
        return fallback;
      }
      List<String> spellings = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        String spelling = e.name().toLowerCase(Locale.ROOT);
        spellings.add(spelling);
        if (spelling.equals(value.toString())) {
          return e;
        }
      }
      problems.add(new Problem(path, "must be " + String.join(", ", spellings) + ", not " + value));
      return fallback;
    }

    private static String missing(String name) {
      return "parameter '"
          + name
          + "' has no value: pass --param "
          + name
          + "=... or give a default under params:";
    }

    private void readParams(JsonNode node) {
      if (node != null && !node.isNull()) {
        if (!node.isObject()) {
          problems.add(new Problem("params", "must be a map of parameter names to default values"));
        } else {
          for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
              problems.add(new Problem("params." + e.getKey(), "a default must be a single value"));
            } else {
              params.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
          }
        }
      }
      params.putAll(given);
    }

    private ConnectorSpec connector(JsonNode node, String section) {
      if (node == null || node.isNull()) {
        problems.add(new Problem(section, "section is missing"));
        return new ConnectorSpec(section, "", Map.of());
      }
      if (!node.isObject()) {
        problems.add(new Problem(section, "must be a map with connector: and its options"));
        return new ConnectorSpec(section, "", Map.of());
      }
      Map<String, Object> options = map(node, section);
      Object connector = options.remove("connector");
      if (!(connector instanceof String name) || name.isBlank()) {
        problems.add(new Problem(section + ".connector", "required: the connector's name"));
        return new ConnectorSpec(section, "", options);
      }
      return new ConnectorSpec(section, name, options);
    }

    private List<FieldMapping> mapping(JsonNode node) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (node.isTextual() && node.asText().equals("auto")) {
        return null;
      }
      if (!node.isArray()) {
        problems.add(new Problem("mapping", "must be 'auto' or a list of column mappings"));
        return null;
      }
      List<FieldMapping> list = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        String path = "mapping[" + i + "]";
        JsonNode item = node.get(i);
        if (item.isTextual()) {
          // "id" or "id -> order_id"
          String[] parts = substitute(item.asText(), path).split("\\s*->\\s*", -1);
          if (parts.length > 2 || parts[0].isBlank() || parts[parts.length - 1].isBlank()) {
            problems.add(
                new Problem(
                    path, "expected 'column' or 'from -> to', got '" + item.asText() + "'"));
            continue;
          }
          list.add(new FieldMapping(parts[0].trim(), parts[parts.length - 1].trim(), null, path));
        } else if (item.isObject()) {
          Map<String, Object> m = map(item, path);
          for (String key : m.keySet()) {
            if (!Set.of("from", "to", "value").contains(key)) {
              problems.add(
                  new Problem(path + "." + key, "unknown key; expected from, to or value"));
            }
          }
          Object from = m.get("from");
          Object to = m.get("to");
          boolean hasValue = m.containsKey("value");
          if (from == null && !hasValue) {
            problems.add(new Problem(path, "needs from: (a source column) or value: (a constant)"));
          } else if (from != null && hasValue) {
            problems.add(new Problem(path, "give either from: or value:, not both"));
          } else if (from == null && to == null) {
            problems.add(new Problem(path + ".to", "a constant needs to: (the target column)"));
          } else {
            Object value = m.get("value");
            list.add(
                new FieldMapping(
                    from == null ? null : from.toString(),
                    to == null ? from.toString() : to.toString(),
                    value == null ? null : value.toString(),
                    path));
          }
        } else {
          problems.add(new Problem(path, "expected a column name or a map"));
        }
      }
      return list;
    }

    private List<TransformSpec> transforms(JsonNode node) {
      List<TransformSpec> list = new ArrayList<>();
      if (node == null || node.isNull()) {
        return list;
      }
      if (!node.isArray()) {
        problems.add(new Problem("transforms", "must be a list"));
        return list;
      }
      for (int i = 0; i < node.size(); i++) {
        String path = "transforms[" + i + "]";
        if (!node.get(i).isObject()) {
          problems.add(new Problem(path, "must be a map with type: and its options"));
          continue;
        }
        Map<String, Object> options = map(node.get(i), path);
        Object type = options.remove("type");
        if (!(type instanceof String t)) {
          problems.add(
              new Problem(
                  path + ".type", "required: rename, cast, replace, substr, pad, mask or filter"));
          continue;
        }
        list.add(new TransformSpec(t, options, path));
      }
      return list;
    }

    private String text(JsonNode node, String path) {
      return substitute(node.asText(), path);
    }

    private Map<String, Object> map(JsonNode node, String path) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), value(e.getValue(), path + "." + e.getKey()));
      }
      return map;
    }

    private Object value(JsonNode node, String path) {
      if (node.isObject()) {
        return map(node, path);
      }
      if (node.isArray()) {
        List<Object> list = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
          list.add(value(node.get(i), path + "[" + i + "]"));
        }
        return list;
      }
      if (node.isNull()) {
        return null;
      }
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      if (node.isIntegralNumber()) {
        return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
      }
      if (node.isNumber()) {
        return node.decimalValue();
      }
      return substitute(node.asText(), path);
    }

    private String substitute(String text, String path) {
      if (text.indexOf('$') < 0) {
        return text;
      }
      Matcher m = PARAMETER.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String replacement;
        if (m.group(2) == null) {
          replacement = "${";
        } else if (m.group(1) != null) {
          // ${env:NAME}: secrets stay out of job files and command lines (visible to ps).
          String name = m.group(2);
          replacement = environment.apply(name);
          if (replacement == null) {
            problems.add(new Problem(path, "environment variable " + name + " is not set"));
            replacement = "";
          }
        } else {
          String name = m.group(2);
          replacement = params.get(name);
          if (replacement == null && name.equals("table")) {
            // A cdc run fills it in with each captured table's name; other kinds report it.
            tablePlaceholder = tablePlaceholder == null ? path : tablePlaceholder;
            replacement = "${table}";
          } else if (replacement == null) {
            problems.add(
                new Problem(
                    path,
                    "parameter '"
                        + name
                        + "' has no value: pass --param "
                        + name
                        + "=... or give a default under params:"));
            replacement = "";
          }
        }
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return out.toString();
    }
  }
}
