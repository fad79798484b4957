package io.ferry.engine.datax;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ferry.engine.JobSpecException;
import io.ferry.engine.JobSpecException.Problem;
import io.ferry.spi.ErrorCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates a DataX job ({@code {"job": {"setting": …, "content": [{"reader": …, "writer": …}]}}})
 * into the tree of a Ferry job file, which {@link io.ferry.engine.JobSpecLoader} then reads as if
 * the user had written it.
 *
 * <p>Every DataX parameter is either translated or reported: an unknown plug-in, an unknown
 * parameter or one without a Ferry equivalent is a problem that names its JSON path and says what
 * to use instead. DataX pairs the reader's and the writer's column lists by position; the
 * translation writes that pairing out as an explicit {@code mapping:}. {@code ${name}} placeholders
 * are left as they are: Ferry replaces them from {@code --param name=value} (DataX: {@code -p
 * "-Dname=value"}).
 */
public final class DataxJob {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final YAMLMapper YAML_OUT =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private DataxJob() {}

  /**
   * Whether a parsed job file is a DataX job: a single top-level {@code job} with {@code content}.
   */
  public static boolean isDatax(JsonNode root) {
    if (root == null || !root.isObject() || !root.has("job")) {
      return false;
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("job") && !key.equals("core") && !key.equals("setting")) {
        return false;
      }
    }
    JsonNode job = root.get("job");
    return job.isObject() && job.has("content");
  }

  /**
   * The Ferry job tree of a DataX job.
   *
   * @param name the job's name (DataX jobs have none): usually the file name without extension
   * @throws JobSpecException naming every parameter that has no translation
   */
  public static ObjectNode translate(JsonNode root, String origin, String name) {
    Translation t = new Translation();
    ObjectNode out = t.job(root, name);
    if (!t.problems.isEmpty()) {
      throw new JobSpecException(ErrorCode.JOB_INVALID, origin, t.problems);
    }
    return out;
  }

  private static final Pattern PARAMETER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

  /**
   * The DataX job with {@code ${name}} replaced where {@code params} has a value, before the
   * translation (which needs numbers such as {@code sliceRecordCount} as numbers); the others stay
   * for the loader, which reports a parameter without a value.
   */
  public static JsonNode substitute(JsonNode node, Map<String, String> params) {
    if (params.isEmpty()) {
      return node;
    }
    if (node.isTextual()) {
      String text = node.asText();
      if (!text.contains("${")) {
        return node;
      }
      Matcher m = PARAMETER.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = params.get(m.group(1));
        m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
      }
      m.appendTail(out);
      return NODES.textNode(out.toString());
    }
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), substitute(e.getValue(), params)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      node.forEach(e -> copy.add(substitute(e, params)));
      return copy;
    }
    return node;
  }

  /** The Ferry job tree as YAML text, as {@code ferry convert} prints it. */
  public static String toYaml(ObjectNode ferryJob) {
    try {
      return YAML_OUT.writeValueAsString(ferryJob);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A reader column: a source column's name, or a constant (then {@code name} is null). */
  record Col(String name, String constant, String path) {
    boolean isConstant() {
      return name == null;
    }
  }

  /** What a reader translation gives: the source section and its columns (null: all, unnamed). */
  record Source(ObjectNode spec, List<Col> columns, long rowsPerChannel, ArrayNode transforms) {
    Source(ObjectNode spec, List<Col> columns, long rowsPerChannel) {
      this(spec, columns, rowsPerChannel, NODES.arrayNode());
    }
  }

  private static List<String> texts(JsonNode v, String path) {
    List<String> out = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(e -> out.add(e.asText()));
    } else {
      out.add(v.asText());
    }
    return out;
  }

  static final class Translation {
    final List<Problem> problems = new ArrayList<>();

    /** One plug-in's parameter map: keys read are checked off, the rest are problems. */
    final class Params {
      final JsonNode node;
      final String path;
      final String plugin;
      final Set<String> used = new LinkedHashSet<>();

      Params(JsonNode node, String path, String plugin) {
        this.node = node == null || node.isNull() ? NODES.objectNode() : node;
        this.path = path;
        this.plugin = plugin;
      }

      JsonNode get(String key) {
        used.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
      }

      boolean has(String key) {
        return node.hasNonNull(key);
      }

      String text(String key) {
        JsonNode v = get(key);
        if (v == null) {
          return null;
        }
        if (!v.isValueNode()) {
          problem(key, "must be a single value");
          return null;
        }
        return v.asText();
      }

      String required(String key) {
        String v = text(key);
        if (v == null || v.isBlank()) {
          problem(key, "required by " + plugin);
        }
        return v;
      }

      /** A value that may be a single value or a list, as a list of texts. */
      List<String> list(String key) {
        JsonNode v = get(key);
        return v == null ? null : texts(v, at(key));
      }

      /** The key is recognized but has no Ferry equivalent: a problem saying what to do instead. */
      void unsupported(String key, String instead) {
        if (node.has(key)) {
          used.add(key);
          problem(key, plugin + "'s " + key + " is not supported: " + instead);
        }
      }

      String at(String key) {
        return path + "." + key;
      }

      void problem(String key, String message) {
        problems.add(new Problem(at(key), message));
      }

      /** Reports the keys nobody read. */
      void finish() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!used.contains(key)) {
            problems.add(
                new Problem(
                    at(key),
                    "unknown or unsupported parameter of "
                        + plugin
                        + "; translated parameters: "
                        + String.join(", ", used)));
          }
        }
      }
    }

    void problem(String path, String message) {
      problems.add(new Problem(path, message));
    }

    ObjectNode job(JsonNode root, String name) {
      ObjectNode out = NODES.objectNode();
      out.put("name", name);
      JsonNode topSetting = root.get("setting");
      if (topSetting != null && !(topSetting.isObject() && topSetting.isEmpty())) {
        problem("setting", "DataX reads the settings under job.setting; move them there");
      }
      if (root.has("core")) {
        problem(
            "core",
            "DataX's core settings (per-channel limits, transport) are not supported: give the"
                + " job-wide limits in job.setting.speed (Ferry: settings.bytesPerSecond,"
                + " recordsPerSecond, channelCapacity)");
      }
      JsonNode job = root.get("job");
      for (Iterator<String> it = job.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!key.equals("setting") && !key.equals("content")) {
          problem("job." + key, "unknown key of a DataX job; expected setting and content");
        }
      }
      ObjectNode settings = settings(job.get("setting"));
      JsonNode content = job.get("content");
      if (!content.isArray() || content.size() != 1) {
        problem(
            "job.content",
            "must be a list with one reader/writer pair; make one job per pair (DataX runs only"
                + " one)");
        return out;
      }
      JsonNode pair = content.get(0);
      String p = "job.content[0]";
      for (Iterator<String> it = pair.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!Set.of("reader", "writer", "transformer").contains(key)) {
          problem(p + "." + key, "unknown key; expected reader, writer and transformer");
        }
      }
      JsonNode reader = pair.get("reader");
      JsonNode writer = pair.get("writer");
      if (reader == null || !reader.isObject() || writer == null || !writer.isObject()) {
        problem(p, "needs reader and writer, each {name, parameter}");
        return out;
      }
      String readerName = pluginName(reader, p + ".reader");
      String writerName = pluginName(writer, p + ".writer");
      Params rp = new Params(reader.get("parameter"), p + ".reader.parameter", readerName);
      Params wp = new Params(writer.get("parameter"), p + ".writer.parameter", writerName);

      // The writer's column names first: sources without names (files, streamreader, HBase) take
      // the name of the writer column they pair with, so the mapping is by name.
      List<String> writerColumns = writerColumnNames(writerName, wp);
      Source source = reader(readerName, rp, writerColumns);
      ObjectNode sink = writer(writerName, wp, source);
      rp.finish();
      wp.finish();
      if (source == null || sink == null) {
        return out;
      }
      if (source.rowsPerChannel() < 0) {
        if (settings.has("channels") && !settings.get("channels").asText().equals("1")) {
          problem(
              rp.at("sliceRecordCount"),
              "DataX counts it per channel, Ferry's rows for the job: with several channels give"
                  + " its value (-p \"-Dname=value\") so that the rows can be multiplied");
        }
        settings.put("channels", 1);
      } else if (source.rowsPerChannel() > 0) {
        // streamreader's sliceRecordCount is per channel
        long channels = settings.has("channels") ? settings.get("channels").asLong() : 1;
        source.spec().put("rows", source.rowsPerChannel() * channels);
        if (!settings.has("channels")) {
          settings.put("channels", 1);
        }
      }
      out.set("source", source.spec());
      out.set("sink", sink);
      ArrayNode mapping = mapping(source, writerName, writerColumns, wp.path);
      if (mapping != null) {
        out.set("mapping", mapping);
      }
      ArrayNode transforms = source.transforms();
      JsonNode transformer = pair.get("transformer");
      if (transformer != null && !transformer.isNull()) {
        transforms.addAll(transforms(transformer, p + ".transformer", source.columns()));
      }
      if (!transforms.isEmpty()) {
        out.set("transforms", transforms);
      }
      if (!settings.isEmpty()) {
        out.set("settings", settings);
      }
      return out;
    }

    private String pluginName(JsonNode plugin, String path) {
      for (Iterator<String> it = plugin.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!key.equals("name") && !key.equals("parameter")) {
          problem(path + "." + key, "unknown key; expected name and parameter");
        }
      }
      JsonNode name = plugin.get("name");
      if (name == null || !name.isTextual()) {
        problem(path + ".name", "required: the plug-in's name");
        return "";
      }
      return name.asText().strip().toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- settings

    ObjectNode settings(JsonNode setting) {
      ObjectNode out = NODES.objectNode();
      if (setting == null || setting.isNull()) {
        return out;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = setting.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = "job.setting." + e.getKey();
        switch (e.getKey()) {
          case "speed" -> {
            if (!e.getValue().isObject()) {
              problem(
                  path, "must be a map: {\"channel\": 3, \"byte\": 1048576, \"record\": 10000}");
              continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> s = e.getValue().fields(); s.hasNext(); ) {
              Map.Entry<String, JsonNode> f = s.next();
              String sp = path + "." + f.getKey();
              switch (f.getKey()) {
                case "channel" -> out.set("channels", number(f.getValue(), sp));
                case "byte" -> {
                  if (f.getValue().asLong() > 0) {
                    out.set("bytesPerSecond", number(f.getValue(), sp));
                  }
                }
                case "record" -> {
                  if (f.getValue().asLong() > 0) {
                    out.set("recordsPerSecond", number(f.getValue(), sp));
                  }
                }
                default ->
                    problem(sp, "unknown speed setting; DataX's are channel, byte and record");
              }
            }
          }
          case "errorLimit" -> {
            if (!e.getValue().isObject()) {
              problem(path, "must be a map: {\"record\": 0, \"percentage\": 0.02}");
              continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> s = e.getValue().fields(); s.hasNext(); ) {
              Map.Entry<String, JsonNode> f = s.next();
              String sp = path + "." + f.getKey();
              switch (f.getKey()) {
                case "record" -> out.set("errorLimit", number(f.getValue(), sp));
                case "percentage" -> {
                  // DataX: a fraction 0..1; Ferry: a percentage 0..100
                  JsonNode v = number(f.getValue(), sp);
                  if (v.isNumber()) {
                    BigDecimal percent =
                        v.decimalValue().multiply(BigDecimal.valueOf(100)).stripTrailingZeros();
                    if (percent.scale() <= 0) {
                      out.put("errorPercent", percent.longValueExact());
                    } else {
                      out.put("errorPercent", percent);
                    }
                  } else {
                    out.set("errorPercent", v);
                  }
                }
                default ->
                    problem(sp, "unknown errorLimit setting; DataX's are record and percentage");
              }
            }
          }
          default ->
              problem(
                  path,
                  "unknown or unsupported job setting; translated: speed (channel, byte, record)"
                      + " and errorLimit (record, percentage)");
        }
      }
      return out;
    }

    /** A number, or a {@code ${param}} text left for the loader to substitute. */
    private JsonNode number(JsonNode v, String path) {
      if (v.isNumber()) {
        return v;
      }
      if (v.isTextual() && v.asText().strip().matches("-?[0-9]{1,18}")) {
        return NODES.numberNode(Long.parseLong(v.asText().strip()));
      }
      if (v.isTextual() && v.asText().matches("-?[0-9.]+")) {
        return NODES.numberNode(new BigDecimal(v.asText()));
      }
      if (v.isTextual() && v.asText().contains("${")) {
        return v;
      }
      problem(path, "must be a number, not " + v);
      return NODES.numberNode(0);
    }

    // ---------------------------------------------------------------- readers

    Source reader(String name, Params p, List<String> writerColumns) {
      return switch (name) {
        case "mysqlreader" -> rdbmsReader(p, "mysql");
        case "postgresqlreader" -> rdbmsReader(p, "postgresql");
        case "oraclereader" -> rdbmsReader(p, "oracle");
        case "sqlserverreader" -> rdbmsReader(p, "sqlserver");
        case "rdbmsreader" -> rdbmsReader(p, "jdbc");
        case "txtfilereader" ->
            fileReader(p, NODES.objectNode().put("connector", "file"), writerColumns, true);
        case "ftpreader" -> fileReader(p, ftp(p), writerColumns, true);
        case "streamreader" -> streamReader(p, writerColumns);
        case "mongodbreader" -> mongoReader(p, writerColumns);
        case "hbase11xreader", "hbase20xreader" -> hbaseReader(p, writerColumns);
        case "hdfsreader" -> hdfsReader(p, writerColumns);
        default -> {
          problem(
              p.path.replace(".parameter", ".name"),
              "unknown or unsupported DataX reader '"
                  + name
                  + "'; translated: mysqlreader, postgresqlreader, oraclereader, sqlserverreader,"
                  + " rdbmsreader, txtfilereader, ftpreader, streamreader, mongodbreader,"
                  + " hbase11xreader, hbase20xreader. Other databases with a JDBC driver:"
                  + " rdbmsreader, or a Ferry job file with connector: jdbc");
          markAllUsed(p);
          yield null;
        }
      };
    }

    private void markAllUsed(Params p) {
      p.node.fieldNames().forEachRemaining(p.used::add);
    }

    private static final Pattern IDENTIFIER =
        Pattern.compile("[`\"\\[]?([\\p{L}_][\\p{L}\\p{N}_$#@.]*)[`\"\\]]?");
    private static final Pattern NUMBER_CONSTANT = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern STRING_CONSTANT = Pattern.compile("'((?:[^']|'')*)'");

    /** A relational reader's column entry: a column name, a constant, or an SQL expression. */
    private Col sqlColumn(String entry, String path) {
      String s = entry.strip();
      Matcher m = IDENTIFIER.matcher(s);
      if (m.matches() && !s.equalsIgnoreCase("null")) {
        return new Col(m.group(1), null, path);
      }
      if (NUMBER_CONSTANT.matcher(s).matches()) {
        return new Col(null, s, path);
      }
      Matcher sm = STRING_CONSTANT.matcher(s);
      if (sm.matches()) {
        return new Col(null, sm.group(1).replace("''", "'"), path);
      }
      problem(
          path,
          "'"
              + entry
              + "' is an SQL expression: Ferry's columns are column names. Put the expression in"
              + " querySql (Ferry: query), or use a transform (docs/job-file.md#transforms)");
      return new Col(s, null, path);
    }

    Source rdbmsReader(Params p, String connector) {
      ObjectNode spec = NODES.objectNode().put("connector", connector);
      credentials(p, spec);
      JsonNode connection = p.get("connection");
      String query = null;
      if (connection == null || !connection.isArray() || connection.isEmpty()) {
        p.problem(
            "connection", "required: a list with one {jdbcUrl, table} or {jdbcUrl, querySql}");
        return null;
      }
      // Each connection entry is a database (DataX reads sharded databases into one target); its
      // jdbcUrl list is one database's servers, tried in turn; its tables are read there.
      List<ObjectNode> databases = new ArrayList<>();
      List<List<String>> tablesOf = new ArrayList<>();
      List<String> queries = new ArrayList<>();
      for (int i = 0; i < connection.size(); i++) {
        JsonNode c = connection.get(i);
        String cp = p.at("connection") + "[" + i + "]";
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!Set.of("jdbcUrl", "table", "querySql").contains(key)) {
            problem(cp + "." + key, "unknown key; expected jdbcUrl, table, querySql");
          }
        }
        ObjectNode database = NODES.objectNode();
        JsonNode urls = c.get("jdbcUrl");
        if (urls == null || urls.isNull()) {
          problem(cp + ".jdbcUrl", "required");
        } else {
          readerUrls(texts(urls, cp + ".jdbcUrl"), connector, cp + ".jdbcUrl", database);
        }
        databases.add(database);
        JsonNode querySql = c.get("querySql");
        JsonNode tables = c.get("table");
        if (querySql != null && !querySql.isNull()) {
          List<String> list = texts(querySql, cp + ".querySql");
          if (list.size() != 1) {
            problem(
                cp + ".querySql",
                "several queries in one job are not supported: make one job per query");
          }
          // a trailing ';' (DataX's examples have one) cannot stand inside Ferry's split queries
          queries.add(list.isEmpty() ? null : list.get(0).strip().replaceFirst(";+\\s*$", ""));
        } else if (tables == null || tables.isNull()) {
          problem(cp + ".table", "required (or querySql)");
        } else {
          tablesOf.add(texts(tables, cp + ".table"));
        }
      }
      if (!queries.isEmpty() && !tablesOf.isEmpty()) {
        p.problem("connection", "give every entry a table, or every entry a querySql, not both");
      } else if (!queries.isEmpty()) {
        if (queries.stream().distinct().count() > 1) {
          p.problem(
              "connection",
              "different querySql per database is not supported: Ferry runs one query on every"
                  + " database (shards); make one job per query");
        }
        query = queries.get(0);
      }
      if (databases.size() > 1 && connector.equals("jdbc")) {
        p.problem(
            "connection",
            "several databases (connection entries) are read by mysqlreader, postgresqlreader,"
                + " oraclereader and sqlserverreader (Ferry: shards); rdbmsreader reads one:"
                + " make one job per database");
      }
      if (databases.size() == 1) {
        spec.setAll(databases.get(0));
      } else {
        ArrayNode shards = spec.putArray("shards");
        for (int i = 0; i < databases.size(); i++) {
          ObjectNode shard = databases.get(i);
          if (i < tablesOf.size()) {
            ArrayNode names = shard.putArray("tables");
            tablesOf.get(i).forEach(names::add);
          }
          shards.add(shard);
        }
      }
      List<String> singleTables =
          databases.size() == 1 && !tablesOf.isEmpty() ? tablesOf.get(0) : null;
      List<Col> columns = null;
      List<String> column = p.list("column");
      if (query != null) {
        // DataX ignores table, column, where and splitPk beside querySql; the column list, when
        // given, names the query's result columns (as DataX-Web writes it) for the pairing.
        spec.put("query", query);
        p.get("where");
        p.get("splitPk");
        if (column != null && !isStar(column)) {
          columns = new ArrayList<>();
          for (int i = 0; i < column.size(); i++) {
            columns.add(sqlColumn(column.get(i), p.at("column") + "[" + i + "]"));
          }
        }
      } else {
        if (singleTables != null && singleTables.size() == 1) {
          spec.put("table", singleTables.get(0));
        } else if (singleTables != null) {
          ArrayNode names = spec.putArray("tables");
          singleTables.forEach(names::add);
        }
        if (column == null) {
          p.problem("column", "required by " + p.plugin + " (\"*\" for every column)");
        } else if (!isStar(column)) {
          columns = new ArrayList<>();
          ArrayNode names = spec.putArray("columns");
          for (int i = 0; i < column.size(); i++) {
            Col col = sqlColumn(column.get(i), p.at("column") + "[" + i + "]");
            columns.add(col);
            if (!col.isConstant()) {
              names.add(col.name());
            }
          }
        }
        String where = p.text("where");
        if (where != null && !where.isBlank()) {
          spec.put("where", where);
        }
        String splitPk = p.text("splitPk");
        if (splitPk != null && !splitPk.isBlank()) {
          spec.putArray("splitKey").add(splitPk.strip());
        }
      }
      JsonNode fetchSize = p.get("fetchSize");
      if (fetchSize != null) {
        spec.set("fetchSize", number(fetchSize, p.at("fetchSize")));
      }
      p.unsupported(
          "session",
          "Ferry's dialects set the session themselves (zone, character set, strict mode); driver"
              + " settings go in the connector's properties:");
      p.unsupported("hint", "put the hint into querySql (Ferry: query)");
      p.unsupported(
          "splitFactor", "Ferry's splitsPerChannel (default 4) sets the ranges per channel");
      p.unsupported("mandatoryEncoding", "Ferry reads text in the database's own character set");
      return new Source(spec, columns, 0);
    }

    private boolean isStar(List<String> column) {
      return column.size() == 1 && column.get(0).strip().equals("*");
    }

    private void credentials(Params p, ObjectNode spec) {
      String user = p.text("username");
      if (user != null) {
        spec.put("user", user);
      }
      String password = p.text("password");
      if (password != null) {
        spec.put("password", password);
      }
    }

    private static final Pattern URL =
        Pattern.compile("jdbc:(mysql|mariadb|postgresql)://([^/?;]+)/([^?;]*)(.*)");

    /** A reader's jdbcUrl list: DataX connects to the first that answers. */
    private void readerUrls(List<String> urls, String connector, String path, ObjectNode spec) {
      if (urls.size() == 1) {
        spec.put("url", urls.get(0));
        return;
      }
      if (!connector.equals("mysql") && !connector.equals("postgresql")) {
        problem(
            path,
            "several jdbcUrls are supported for mysql and postgresql (Ferry: hosts); for "
                + connector
                + " give one URL in the driver's own cluster form");
        return;
      }
      ArrayNode hosts = NODES.arrayNode();
      String database = null;
      for (String url : urls) {
        Matcher m = URL.matcher(url.strip());
        if (!m.matches()) {
          problem(path, "'" + url + "' is not a jdbc:" + connector + "://host:port/database URL");
          return;
        }
        if (database != null && !database.equals(m.group(3))) {
          problem(
              path,
              "the URLs name different databases ("
                  + database
                  + ", "
                  + m.group(3)
                  + "): DataX tries them in turn as one database's servers; put each database"
                  + " in a connection entry of its own to read them all (Ferry: shards)");
          return;
        }
        database = m.group(3);
        for (String host : m.group(2).split(",")) {
          hosts.add(host);
        }
      }
      spec.set("hosts", hosts);
      spec.put("database", database);
    }

    // files ------------------------------------------------------------------------------------

    private ObjectNode ftp(Params p) {
      String protocol = p.text("protocol");
      ObjectNode spec = NODES.objectNode();
      if (protocol == null || (!protocol.equals("ftp") && !protocol.equals("sftp"))) {
        p.problem("protocol", "required: ftp or sftp");
        spec.put("connector", "ftp");
      } else {
        spec.put("connector", protocol);
      }
      spec.put("host", p.required("host"));
      JsonNode port = p.get("port");
      if (port != null) {
        spec.set("port", number(port, p.at("port")));
      }
      credentials(p, spec);
      String timeout = p.text("timeout");
      if (timeout != null) {
        spec.put("connectTimeout", timeout + "ms");
        spec.put("readTimeout", timeout + "ms");
      }
      String pattern = p.text("connectPattern");
      if (pattern != null) {
        if (pattern.equalsIgnoreCase("PASV")) {
          spec.put("passiveMode", true);
        } else if (pattern.equalsIgnoreCase("PORT")) {
          spec.put("passiveMode", false);
        } else {
          p.problem("connectPattern", "must be PASV or PORT");
        }
      }
      p.unsupported(
          "maxTraversalLevel",
          "Ferry reads a folder's own files, without recursion: name the folder or a glob");
      return spec;
    }

    private static final Map<String, String> FILE_TYPES =
        Map.of(
            "long", "int64",
            "double", "float64",
            "string", "string",
            "date", "timestamp",
            "boolean", "boolean",
            "bytes", "bytes");

    private String fileType(String type, String path) {
      String t = FILE_TYPES.get(type == null ? "string" : type.toLowerCase(Locale.ROOT));
      if (t == null) {
        problem(path, "unknown column type '" + type + "'; DataX's: " + FILE_TYPES.keySet());
        return "string";
      }
      return t;
    }

    /**
     * DataX's date texts without a {@code format} (its {@code common.column} formats and the
     * default extra format): a pattern of the text and its ISO-8601 rewrite, tried in order.
     */
    private static final List<String[]> DATAX_DATE_TEXTS =
        List.of(
            new String[] {"^([0-9]{4}-[0-9]{2}-[0-9]{2})$", "$1 00:00:00"},
            new String[] {"^([0-9]{4})([0-9]{2})([0-9]{2})$", "$1-$2-$3 00:00:00"},
            new String[] {"^([0-9]{2}:[0-9]{2}:[0-9]{2})$", "1970-01-01 $1"});

    /**
     * @param text whether the fields are text (a DataX date is then parsed from its text, as DataX
     *     does); ORC and Parquet fields carry their own types
     */
    Source fileReader(Params p, ObjectNode spec, List<String> writerColumns, boolean text) {
      List<String> paths = p.list("path");
      if (paths == null || paths.isEmpty()) {
        p.problem("path", "required");
      } else if (paths.size() > 1) {
        p.problem(
            "path",
            "several paths in one job are not supported: give one file, folder or glob"
                + " (e.g. /data/orders-*.csv), or one job per path");
      } else {
        spec.put("path", paths.get(0));
      }
      textOptions(p, spec, true);
      String skipHeader = p.text("skipHeader");
      boolean header = skipHeader != null && Boolean.parseBoolean(skipHeader);
      spec.put("header", header);
      JsonNode column = p.get("column");
      List<Col> columns = null;
      if (column == null
          || (column.isArray() && column.size() == 1 && column.get(0).asText().equals("*"))) {
        if (!header) {
          p.problem(
              "column",
              "a file without a header needs its columns: [{index: 0, type: long}, …] (Ferry"
                  + " declares each field with a name and a type)");
        }
        return new Source(spec, null, 0);
      }
      // Declare every field up to the last index used, named after the writer column each pairs
      // with; the mapping then keeps the ones the job uses.
      Map<Integer, String[]> byIndex = new LinkedHashMap<>();
      ArrayNode transforms = NODES.arrayNode();
      columns = new ArrayList<>();
      int max = -1;
      for (int i = 0; i < column.size(); i++) {
        JsonNode c = column.get(i);
        String cp = p.at("column") + "[" + i + "]";
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!Set.of("index", "type", "value", "format").contains(key)) {
            problem(cp + "." + key, "unknown key; expected index, type, value, format");
          }
        }
        String type = fileType(c.path("type").asText("string"), cp + ".type");
        String[] date = null;
        if (c.hasNonNull("format")) {
          date = datePattern(c.get("format").asText());
          if (date == null) {
            problem(
                cp + ".format",
                "'"
                    + c.get("format").asText()
                    + "' does not translate: only numeric patterns (yyyy, MM, dd, HH, mm, ss,"
                    + " SSS and separators) do; Ferry reads dates in ISO-8601 (2024-05-01"
                    + " 13:45:00)");
          }
        }
        if (c.has("value")) {
          columns.add(new Col(null, c.get("value").asText(), cp));
          continue;
        }
        if (!c.has("index") || !c.get("index").canConvertToInt()) {
          problem(cp + ".index", "required: the field's position (from 0), or value: a constant");
          continue;
        }
        int index = c.get("index").asInt();
        String name =
            writerColumns != null && i < writerColumns.size() ? writerColumns.get(i) : "c" + index;
        if (byIndex.containsKey(index)) {
          problem(cp + ".index", "field " + index + " is read twice; Ferry reads each field once");
          continue;
        }
        if (date != null) {
          // read as text, rewritten into ISO-8601, then converted
          replace(transforms, name, date[0], date[1]);
          cast(transforms, name, date[2]);
          type = "string";
        } else if (text && type.equals("timestamp")) {
          // DataX reads a date without a format as yyyy-MM-dd HH:mm:ss, yyyy-MM-dd, HH:mm:ss
          // or yyyyMMdd; Ferry's timestamp takes only the first, so the others are rewritten
          for (String[] form : DATAX_DATE_TEXTS) {
            replace(transforms, name, form[0], form[1]);
          }
          cast(transforms, name, "timestamp(3)");
          type = "string";
        }
        byIndex.put(index, new String[] {name, type});
        max = Math.max(max, index);
        columns.add(new Col(name, null, cp));
      }
      if (header) {
        problem(
            p.at("skipHeader"),
            "with skipHeader: true Ferry matches columns to the header by name, not by index:"
                + " give column [\"*\"] and a writer column list naming the header's columns");
      }
      ArrayNode declared = spec.putArray("columns");
      for (int i = 0; i <= max; i++) {
        String[] nt = byIndex.get(i);
        declared.add(nt == null ? "_unused" + i + " string" : nt[0] + " " + nt[1]);
      }
      return new Source(spec, columns, 0, transforms);
    }

    private static void replace(ArrayNode transforms, String column, String pattern, String to) {
      transforms
          .addObject()
          .put("type", "replace")
          .put("column", column)
          .put("pattern", pattern)
          .put("replacement", to);
    }

    private static void cast(ArrayNode transforms, String column, String type) {
      transforms.addObject().put("type", "cast").putObject("columns").put(column, type);
    }

    /** The connection of hdfsreader and hdfswriter: defaultFS, hadoopConfig; no Kerberos. */
    private ObjectNode hdfs(Params p) {
      ObjectNode spec = NODES.objectNode().put("connector", "hdfs");
      spec.put("defaultFS", p.required("defaultFS"));
      JsonNode config = p.get("hadoopConfig");
      if (config != null) {
        if (config.isObject()) {
          spec.set("hadoopConfig", config);
        } else {
          p.problem("hadoopConfig", "must be a map of Hadoop settings");
        }
      }
      String kerberos = p.text("haveKerberos");
      if (kerberos != null && Boolean.parseBoolean(kerberos)) {
        p.problem("haveKerberos", "Kerberos is not supported yet by Ferry's hdfs connector");
      }
      p.unsupported("kerberosKeytabFilePath", "Kerberos is not supported yet");
      p.unsupported("kerberosPrincipal", "Kerberos is not supported yet");
      return spec;
    }

    /** DataX's fileType as Ferry's, or null (with a problem) when Ferry has none. */
    private String hdfsFileType(Params p) {
      String type = p.text("fileType");
      String t = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
      return switch (t) {
        case "text", "csv" -> "text";
        case "orc" -> "orc";
        case "parquet" -> "parquet";
        default -> {
          p.problem(
              "fileType",
              type == null
                  ? "required: text, csv, orc or parquet"
                  : "'"
                      + type
                      + "' is not supported; Ferry reads and writes text, csv, orc and"
                      + " parquet (rc and seq files are not)");
          yield null;
        }
      };
    }

    private static final Pattern HIVE_TYPE =
        Pattern.compile("(?i)\\s*(\\w+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");

    /** A Hive column type (or DataX's long / double) as a Ferry type; string with a problem. */
    private String hiveType(String type, String path) {
      Matcher m = HIVE_TYPE.matcher(type);
      String t = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
      String ferry =
          switch (t) {
            case "tinyint" -> "int8";
            case "smallint" -> "int16";
            case "int", "integer" -> "int32";
            case "bigint", "long" -> "int64";
            case "float" -> "float32";
            case "double" -> "float64";
            case "string", "varchar", "char" -> "string";
            case "boolean" -> "boolean";
            case "date" -> "date";
            case "timestamp" -> "timestamp";
            case "binary" -> "bytes";
            case "decimal" ->
                m.group(2) == null
                    ? "decimal(10,0)"
                    : "decimal(" + m.group(2) + "," + (m.group(3) == null ? "0" : m.group(3)) + ")";
            default -> null;
          };
      if (ferry == null) {
        problem(
            path + ".type",
            "'"
                + type
                + "' is not a Hive type Ferry writes: tinyint, smallint, int, bigint, float,"
                + " double, decimal(p,s), string, varchar, char, boolean, date, timestamp, binary");
        return "string";
      }
      return ferry;
    }

    /** The keys of a text file spec that ORC and Parquet do not take. */
    private static void dropTextKeys(ObjectNode spec) {
      for (String key : List.of("format", "delimiter", "nullMarker", "header", "encoding")) {
        spec.remove(key);
      }
    }

    Source hdfsReader(Params p, List<String> writerColumns) {
      ObjectNode spec = hdfs(p);
      String fileType = hdfsFileType(p);
      Source source =
          fileReader(p, spec, writerColumns, fileType == null || fileType.equals("text"));
      spec.remove("compression"); // Ferry tells a text file's codec by its name's ending
      problems.removeIf(pr -> pr.path().equals(p.at("compress")));
      p.get("compress");
      if (fileType == null) {
        return source;
      }
      spec.put("fileType", fileType);
      if (!fileType.equals("text")) {
        dropTextKeys(spec);
        if (spec.has("columns")) {
          // fileReader declared the fields by index, as ORC and Parquet fields are then read
          spec.put("fieldsByPosition", true);
        } else {
          // fileReader asks a header-less file for its columns; ORC and Parquet carry them
          problems.removeIf(pr -> pr.path().equals(p.at("column")));
        }
      }
      return source;
    }

    ObjectNode hdfsWriter(Params p) {
      ObjectNode spec = hdfs(p);
      spec.put("path", p.required("path"));
      spec.put("fileName", p.required("fileName"));
      String fileType = hdfsFileType(p);
      textOptions(p, spec, false);
      JsonNode compression = spec.remove("compression");
      // textOptions knows the file connector's codecs only; HDFS has more, decided here
      problems.removeIf(pr -> pr.path().equals(p.at("compress")));
      String compress = p.text("compress");
      if (compress != null && !compress.isBlank()) {
        String kind = compress.strip().toLowerCase(Locale.ROOT);
        if (kind.equals("none")) {
          kind = null;
        }
        if (kind != null && !Set.of("gzip", "bzip2", "snappy", "zstd").contains(kind)) {
          p.problem(
              "compress", "'" + compress + "' is not supported; use gzip, bzip2, snappy or zstd");
        } else if (kind != null) {
          spec.put("compression", kind);
        }
      } else if (compression != null) {
        spec.set("compression", compression);
      }
      JsonNode column = p.get("column");
      if (column != null && column.isArray() && !column.isEmpty()) {
        ArrayNode columns = spec.putArray("columns");
        for (int i = 0; i < column.size(); i++) {
          JsonNode c = column.get(i);
          String cp = p.at("column") + "[" + i + "]";
          if (!c.hasNonNull("name")) {
            problem(cp + ".name", "required: the Hive column's name");
            continue;
          }
          columns.add(c.get("name").asText() + " " + hiveType(c.path("type").asText(""), cp));
        }
      } else {
        p.problem("column", "required: the Hive table's columns [{name, type}, …]");
      }
      String writeMode = p.text("writeMode");
      if (writeMode == null) {
        p.problem("writeMode", "required: append, nonConflict or truncate");
      } else if (writeMode.equalsIgnoreCase("truncate")) {
        spec.put("writeMode", "overwrite");
      } else if (writeMode.equalsIgnoreCase("append")) {
        spec.put("writeMode", "append");
      } else if (writeMode.equalsIgnoreCase("nonConflict")) {
        spec.put("writeMode", "nonConflict");
      } else {
        p.problem("writeMode", "must be append, nonConflict or truncate");
      }
      String dateFormat = p.text("dateFormat");
      if (dateFormat != null && !dateFormat.isBlank()) {
        spec.put("dateFormat", dateFormat);
      }
      if (fileType != null) {
        spec.put("fileType", fileType);
        if (fileType.equals("text")) {
          spec.put("header", false);
        } else {
          dropTextKeys(spec);
          spec.remove("dateFormat");
        }
      }
      return spec;
    }

    /** The text-file parameters readers and writers share. */
    private void textOptions(Params p, ObjectNode spec, boolean reader) {
      String delimiter = p.text("fieldDelimiter");
      spec.put("format", "csv");
      spec.put("delimiter", delimiter == null ? "," : delimiter.replace("\\t", "\t"));
      String encoding = p.text("encoding");
      if (encoding != null) {
        spec.put("encoding", encoding);
      }
      String nullFormat = p.text("nullFormat");
      spec.put("nullMarker", nullFormat == null ? "\\N" : nullFormat);
      String compress = p.text("compress");
      if (compress != null && !compress.isBlank()) {
        String kind = compress.strip().toLowerCase(java.util.Locale.ROOT);
        if (kind.equals("gzip") || kind.equals("bzip2") || (reader && kind.equals("zip"))) {
          spec.put("compression", kind);
        } else {
          p.problem(
              "compress",
              "'"
                  + compress
                  + "' is not supported; Ferry reads gzip, bzip2 and zip files and writes gzip"
                  + " and bzip2 ones");
        }
      } else if (reader) {
        spec.put("compression", "none");
      }
      p.unsupported(
          "csvReaderConfig", "Ferry's file options quote and multiLine cover the CSV dialect");
    }

    /**
     * A numeric date pattern ({@code yyyy.MM.dd}, {@code dd/MM/yyyy HH:mm:ss}) as a regular
     * expression and the replacement that makes ISO-8601 of it, and the Ferry type: {@code date}
     * without time fields, else {@code timestamp(3)}; null when it does not translate.
     */
    static String[] datePattern(String format) {
      Map<Character, Integer> widths =
          Map.of('y', 4, 'M', 2, 'd', 2, 'H', 2, 'm', 2, 's', 2, 'S', 3);
      StringBuilder regex = new StringBuilder("^");
      Map<Character, Integer> group = new LinkedHashMap<>();
      int groups = 0;
      for (int i = 0; i < format.length(); ) {
        char ch = format.charAt(i);
        int j = i;
        while (j < format.length() && format.charAt(j) == ch) {
          j++;
        }
        int run = j - i;
        if (widths.containsKey(ch)) {
          if (run != widths.get(ch) || group.containsKey(ch)) {
            return null;
          }
          group.put(ch, ++groups);
          regex.append("([0-9]{").append(run).append("})");
        } else if (Character.isLetter(ch) || ch == '\'') {
          return null;
        } else {
          regex.append(Pattern.quote(format.substring(i, j)));
        }
        i = j;
      }
      regex.append("$");
      if (!group.containsKey('y') || !group.containsKey('M') || !group.containsKey('d')) {
        return null;
      }
      StringBuilder iso =
          new StringBuilder()
              .append('$')
              .append(group.get('y'))
              .append('-')
              .append('$')
              .append(group.get('M'))
              .append('-')
              .append('$')
              .append(group.get('d'));
      boolean time = group.containsKey('H');
      if (time) {
        iso.append(" $").append(group.get('H')).append(":");
        iso.append(group.containsKey('m') ? "$" + group.get('m') : "00").append(":");
        iso.append(group.containsKey('s') ? "$" + group.get('s') : "00");
        if (group.containsKey('S')) {
          iso.append(".$").append(group.get('S'));
        }
      } else if (group.size() > 3) {
        return null;
      }
      return new String[] {regex.toString(), iso.toString(), time ? "timestamp(3)" : "date"};
    }

    // stream -----------------------------------------------------------------------------------

    Source streamReader(Params p, List<String> writerColumns) {
      ObjectNode spec = NODES.objectNode().put("connector", "datagen");
      JsonNode count = p.get("sliceRecordCount");
      if (count != null && count.isTextual() && count.asText().contains("${")) {
        // a parameter without a value here (ferry convert without -p): per channel, so only
        // a single channel keeps its meaning; see job()
        spec.put("rows", count.asText());
      }
      long rows = count == null ? 0 : count.asLong();
      if (spec.has("rows")) {
        rows = -1;
      } else if (rows <= 0) {
        p.problem("sliceRecordCount", "required: the rows each channel generates (> 0)");
        rows = 1;
      }
      JsonNode column = p.get("column");
      List<Col> columns = new ArrayList<>();
      ArrayNode out = spec.putArray("columns");
      if (column == null || !column.isArray() || column.isEmpty()) {
        p.problem("column", "required: [{type, value}] or [{type, random}]");
        return null;
      }
      for (int i = 0; i < column.size(); i++) {
        JsonNode c = column.get(i);
        String cp = p.at("column") + "[" + i + "]";
        String name =
            writerColumns != null && i < writerColumns.size()
                ? writerColumns.get(i)
                : "col" + (i + 1);
        ObjectNode g = out.addObject();
        g.put("name", name);
        String type = c.path("type").asText("string").toLowerCase(Locale.ROOT);
        String ferryType =
            switch (type) {
              case "long", "int" -> "int64";
              case "double" -> "float64";
              case "string" -> "string";
              case "date" -> "timestamp(3)";
              case "bool", "boolean" -> "boolean";
              case "bytes" -> "bytes";
              default -> {
                problem(cp + ".type", "unknown type '" + type + "'");
                yield "string";
              }
            };
        g.put("type", ferryType);
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!Set.of("type", "value", "random", "incr", "dateFormat").contains(key)) {
            problem(cp + "." + key, "unknown key; expected type, value, random, incr, dateFormat");
          }
        }
        if (c.hasNonNull("dateFormat")) {
          problem(
              cp + ".dateFormat",
              "date formats are not supported: give the value in ISO-8601 (2024-05-01 13:45:00)");
        }
        if (c.hasNonNull("random")) {
          String[] range = c.get("random").asText().split(",");
          if (range.length != 2) {
            problem(cp + ".random", "must be 'min,max'");
            continue;
          }
          g.put("kind", "random");
          if (ferryType.equals("string") || ferryType.equals("bytes")) {
            g.put("minLength", Long.parseLong(range[0].strip()));
            g.put("maxLength", Long.parseLong(range[1].strip()));
          } else {
            g.put("min", range[0].strip());
            g.put("max", range[1].strip());
          }
        } else if (c.hasNonNull("incr")) {
          String[] incr = c.get("incr").asText().split(",");
          g.put("kind", "sequence");
          g.put("start", incr[0].strip());
          if (incr.length > 1) {
            g.put("step", incr[1].strip());
          }
        } else {
          g.put("kind", "constant");
          if (c.hasNonNull("value")) {
            g.put("value", c.get("value").asText());
          } else {
            g.put("nullRatio", 1);
          }
        }
        columns.add(new Col(name, null, cp));
      }
      return new Source(spec, columns, rows);
    }

    // mongodb ----------------------------------------------------------------------------------

    private void mongoConnection(Params p, ObjectNode spec) {
      List<String> address = p.list("address");
      if (address == null || address.isEmpty()) {
        p.problem("address", "required: [\"host:port\", …]");
      } else {
        ArrayNode hosts = spec.putArray("hosts");
        address.forEach(hosts::add);
      }
      String user = p.text("userName");
      if (user != null && !user.isEmpty()) {
        spec.put("user", user);
      }
      String password = p.text("userPassword");
      if (password != null && !password.isEmpty()) {
        spec.put("password", password);
      }
      String authDb = p.text("authDb");
      if (authDb != null) {
        spec.put("authSource", authDb);
      }
      spec.put("database", p.required("dbName"));
      spec.put("collection", p.required("collectionName"));
    }

    private String mongoType(String type, String path) {
      return switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
        case "string" -> "string";
        case "long", "int" -> "int64";
        case "double" -> "float64";
        case "decimal" -> "decimal(38,10)";
        case "date" -> "timestamp(3)";
        case "boolean", "bool" -> "boolean";
        case "bytes" -> "bytes";
        case "objectid" -> "string";
        case "array" -> "array<string>";
        case "document" -> "json";
        default -> {
          problem(path, "unknown type '" + type + "'");
          yield "string";
        }
      };
    }

    Source mongoReader(Params p, List<String> writerColumns) {
      ObjectNode spec = NODES.objectNode().put("connector", "mongodb");
      mongoConnection(p, spec);
      JsonNode column = p.get("column");
      List<Col> columns = null;
      if (column != null && column.isArray()) {
        columns = new ArrayList<>();
        ArrayNode out = spec.putArray("columns");
        for (int i = 0; i < column.size(); i++) {
          JsonNode c = column.get(i);
          String cp = p.at("column") + "[" + i + "]";
          String splitter =
              c.hasNonNull("splitter") ? "splitter" : c.hasNonNull("spliter") ? "spliter" : null;
          if (splitter != null) {
            problem(
                cp + "." + splitter,
                "Ferry reads arrays as array<T>, not as joined text; cast the column to string"
                    + " in a transform if text is needed");
          }
          String name = c.path("name").asText(null);
          if (name == null) {
            problem(cp + ".name", "required");
            continue;
          }
          out.add(name + " " + mongoType(c.path("type").asText(null), cp + ".type"));
          columns.add(new Col(name, null, cp));
        }
      }
      String query = p.text("query");
      if (query != null && !query.isBlank()) {
        spec.put("filter", query);
      }
      return new Source(spec, columns, 0);
    }

    // hbase ------------------------------------------------------------------------------------

    private void hbaseConnection(Params p, ObjectNode spec) {
      JsonNode config = p.get("hbaseConfig");
      if (config == null || !config.isObject()) {
        p.problem("hbaseConfig", "required: {\"hbase.zookeeper.quorum\": \"zk1,zk2:2181\"}");
      } else {
        ObjectNode properties = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          switch (e.getKey()) {
            case "hbase.zookeeper.quorum" -> spec.put("zookeeperQuorum", e.getValue().asText());
            case "hbase.zookeeper.property.clientPort" ->
                spec.set("zookeeperPort", number(e.getValue(), p.at("hbaseConfig." + e.getKey())));
            case "zookeeper.znode.parent" -> spec.put("znodeParent", e.getValue().asText());
            default -> properties.put(e.getKey(), e.getValue().asText());
          }
        }
        if (!properties.isEmpty()) {
          spec.set("properties", properties);
        }
      }
      spec.put("table", p.required("table"));
      String encoding = p.text("encoding");
      if (encoding != null
          && !encoding.equalsIgnoreCase("utf-8")
          && !encoding.equalsIgnoreCase("utf8")) {
        p.problem("encoding", "only UTF-8 is supported");
      }
      String mode = p.text("mode");
      if (mode != null && !mode.equals("normal")) {
        p.problem(
            "mode",
            "'"
                + mode
                + "' is not translated: use a Ferry job file with versions and columns marked"
                + " allVersions: true (array<T>)");
      }
    }

    private String hbaseType(String type, String path) {
      return switch (type == null ? "string" : type.toLowerCase(Locale.ROOT)) {
        case "string" -> "string";
        case "long" -> "int64";
        case "int" -> "int32";
        case "short" -> "int16";
        case "double" -> "float64";
        case "float" -> "float32";
        case "boolean" -> "boolean";
        case "date" -> "timestamp(3)";
        case "bytes" -> "bytes";
        default -> {
          problem(path, "unknown type '" + type + "'");
          yield "string";
        }
      };
    }

    Source hbaseReader(Params p, List<String> writerColumns) {
      ObjectNode spec = NODES.objectNode().put("connector", "hbase");
      hbaseConnection(p, spec);
      JsonNode column = p.get("column");
      List<Col> columns = new ArrayList<>();
      ArrayNode out = spec.putArray("columns");
      if (column == null || !column.isArray() || column.isEmpty()) {
        p.problem("column", "required: [{name: \"rowkey\" | \"cf:q\", type}]");
        return null;
      }
      for (int i = 0; i < column.size(); i++) {
        JsonNode c = column.get(i);
        String cp = p.at("column") + "[" + i + "]";
        if (c.hasNonNull("format")) {
          problem(
              cp + ".format",
              "date formats are not supported: declare the cell as string, or store dates as"
                  + " epoch milliseconds (type long)");
        }
        if (c.has("value")) {
          columns.add(new Col(null, c.get("value").asText(), cp));
          continue;
        }
        String cell = c.path("name").asText(null);
        if (cell == null) {
          problem(cp + ".name", "required: rowkey or family:qualifier");
          continue;
        }
        cell = cell.replaceAll("\\s*:\\s*", ":").strip();
        boolean key = cell.equalsIgnoreCase("rowkey");
        String name =
            writerColumns != null && i < writerColumns.size()
                ? writerColumns.get(i)
                : key ? "rowkey" : cell.substring(cell.indexOf(':') + 1);
        out.add(
            name
                + " "
                + hbaseType(c.path("type").asText(null), cp + ".type")
                + " "
                + (key ? ":key" : cell));
        columns.add(new Col(name, null, cp));
      }
      JsonNode range = p.get("range");
      if (range != null) {
        boolean bounded =
            !range.path("startRowkey").asText("").isEmpty()
                || !range.path("endRowkey").asText("").isEmpty();
        if (bounded && range.path("isBinaryRowkey").asBoolean(false)) {
          problem(
              p.at("range.isBinaryRowkey"),
              "binary row keys: give startRow/stopRow in a Ferry job file, in Bytes.toStringBinary"
                  + " form");
        }
        if (range.hasNonNull("startRowkey") && !range.get("startRowkey").asText().isEmpty()) {
          spec.put("startRow", range.get("startRowkey").asText());
        }
        if (range.hasNonNull("endRowkey") && !range.get("endRowkey").asText().isEmpty()) {
          spec.put("stopRow", range.get("endRowkey").asText());
        }
      }
      JsonNode caching = p.get("scanCacheSize");
      if (caching != null) {
        spec.set("caching", number(caching, p.at("scanCacheSize")));
      }
      JsonNode batch = p.get("scanBatchSize");
      if (batch != null) {
        spec.set("scanBatch", number(batch, p.at("scanBatchSize")));
      }
      p.unsupported("maxVersion", "use a Ferry job file with versions and allVersions columns");
      return new Source(spec, columns, 0);
    }

    // ---------------------------------------------------------------- writers

    /** The writer's column names in order (for the positional pairing); null when it has none. */
    List<String> writerColumnNames(String writer, Params p) {
      JsonNode column = p.node.get("column");
      if (writer.equals("txtfilewriter") || writer.equals("ftpwriter")) {
        JsonNode header = p.node.get("header");
        if (header != null && header.isArray() && !header.isEmpty()) {
          return texts(header, p.at("header"));
        }
        return null;
      }
      if (column == null || !column.isArray() || column.isEmpty()) {
        return null;
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < column.size(); i++) {
        JsonNode c = column.get(i);
        String name;
        if (c.isTextual()) {
          name = c.asText().strip();
          if (name.equals("*")) {
            return null;
          }
          Matcher m = IDENTIFIER.matcher(name);
          name = m.matches() ? m.group(1) : name;
        } else if (c.isObject() && c.hasNonNull("name")) {
          if (writer.startsWith("hbase")) {
            return null; // HBase writer columns pair by index, see hbaseWriter
          }
          name = c.get("name").asText();
        } else {
          return null;
        }
        names.add(name);
      }
      return names;
    }

    ObjectNode writer(String name, Params p, Source source) {
      return switch (name) {
        case "mysqlwriter" -> rdbmsWriter(p, "mysql");
        case "postgresqlwriter" -> rdbmsWriter(p, "postgresql");
        case "oraclewriter" -> rdbmsWriter(p, "oracle");
        case "sqlserverwriter" -> rdbmsWriter(p, "sqlserver");
        case "rdbmswriter" -> rdbmsWriter(p, "jdbc");
        case "txtfilewriter" -> fileWriter(p, NODES.objectNode().put("connector", "file"));
        case "ftpwriter" -> fileWriter(p, ftp(p));
        case "streamwriter" -> streamWriter(p);
        case "mongodbwriter" -> mongoWriter(p);
        case "elasticsearchwriter" -> elasticsearchWriter(p);
        case "hbase11xwriter", "hbase20xwriter" -> hbaseWriter(p, source);
        case "hdfswriter" -> hdfsWriter(p);
        default -> {
          problem(
              p.path.replace(".parameter", ".name"),
              "unknown or unsupported DataX writer '"
                  + name
                  + "'; translated: mysqlwriter, postgresqlwriter, oraclewriter, sqlserverwriter,"
                  + " rdbmswriter, txtfilewriter, ftpwriter, streamwriter, mongodbwriter,"
                  + " elasticsearchwriter, hbase11xwriter, hbase20xwriter. Other databases with a"
                  + " JDBC driver: rdbmswriter, or a Ferry job file with connector: jdbc");
          markAllUsed(p);
          yield null;
        }
      };
    }

    private static final Pattern UPDATE_MODE = Pattern.compile("(?i)update\\s*(?:\\(([^)]*)\\))?");

    ObjectNode rdbmsWriter(Params p, String connector) {
      ObjectNode spec = NODES.objectNode().put("connector", connector);
      credentials(p, spec);
      JsonNode connection = p.get("connection");
      String table = null;
      if (connection == null || !connection.isArray() || connection.isEmpty()) {
        p.problem("connection", "required: a list with one {jdbcUrl, table}");
      } else {
        if (connection.size() > 1) {
          p.problem(
              "connection",
              "several connection entries are not supported: Ferry writes one table per job");
        }
        JsonNode c = connection.get(0);
        String cp = p.at("connection") + "[0]";
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!Set.of("jdbcUrl", "table").contains(key)) {
            problem(cp + "." + key, "unknown key; expected jdbcUrl and table");
          }
        }
        JsonNode url = c.get("jdbcUrl");
        if (url == null || url.isNull()) {
          problem(cp + ".jdbcUrl", "required");
        } else {
          List<String> urls = texts(url, cp + ".jdbcUrl");
          if (urls.size() != 1) {
            problem(cp + ".jdbcUrl", "a writer takes one URL");
          } else {
            spec.put("url", urls.get(0));
          }
        }
        JsonNode tables = c.get("table");
        List<String> list = tables == null ? List.of() : texts(tables, cp + ".table");
        if (list.size() != 1) {
          problem(
              cp + ".table",
              list.isEmpty()
                  ? "required"
                  : "several tables are not supported: Ferry writes one table per job");
        } else {
          table = list.get(0);
          spec.put("table", table);
        }
      }
      List<String> column = p.list("column");
      if (column == null) {
        p.problem("column", "required by " + p.plugin + " (\"*\" for every column)");
      } else if (!isStar(column)) {
        ArrayNode names = spec.putArray("columns");
        for (String c : column) {
          Matcher m = IDENTIFIER.matcher(c.strip());
          names.add(m.matches() ? m.group(1) : c.strip());
        }
      }
      String writeMode = p.text("writeMode");
      if (writeMode != null && !writeMode.isBlank()) {
        String mode = writeMode.strip();
        Matcher update = UPDATE_MODE.matcher(mode);
        if (mode.equalsIgnoreCase("insert")) {
          spec.put("writeMode", "insert");
        } else if (mode.equalsIgnoreCase("replace") && connector.equals("mysql")) {
          spec.put("writeMode", "replace");
        } else if (update.matches() && !connector.equals("jdbc")) {
          // mysqlwriter's update: INSERT … ON DUPLICATE KEY UPDATE; postgresqlwriter's
          // "update (k1, k2)": ON CONFLICT (k1, k2) DO UPDATE
          spec.put("writeMode", "upsert");
          if (update.group(1) != null && !update.group(1).isBlank()) {
            ArrayNode keys = spec.putArray("keys");
            for (String k : update.group(1).split(",")) {
              keys.add(k.strip());
            }
          }
        } else {
          p.problem(
              "writeMode",
              "'"
                  + writeMode
                  + "' is not translated for "
                  + p.plugin
                  + "; use insert"
                  + (connector.equals("jdbc") ? "" : " or update (Ferry: upsert)")
                  + (connector.equals("mysql") ? " or replace" : ""));
        }
      }
      sqlList(p, "preSql", spec, table);
      sqlList(p, "postSql", spec, table);
      JsonNode batchSize = p.get("batchSize");
      if (batchSize != null) {
        spec.set("batchSize", number(batchSize, p.at("batchSize")));
      }
      p.unsupported(
          "session",
          "Ferry's dialects set the session themselves (zone, character set, strict mode); driver"
              + " settings go in the connector's properties:");
      p.unsupported("batchByteSize", "Ferry's batchSize counts rows");
      return spec;
    }

    /** preSql / postSql with DataX's {@code @table} placeholder filled in. */
    private void sqlList(Params p, String key, ObjectNode spec, String table) {
      List<String> sql = p.list(key);
      if (sql == null) {
        return;
      }
      ArrayNode out = NODES.arrayNode();
      for (String s : sql) {
        if (!s.isBlank()) {
          out.add(table == null ? s : s.replace("@table", table));
        }
      }
      if (!out.isEmpty()) {
        spec.set(key, out);
      }
    }

    ObjectNode fileWriter(Params p, ObjectNode spec) {
      String path = p.required("path");
      String fileName = p.required("fileName");
      if (path != null && fileName != null) {
        spec.put("path", path.endsWith("/") ? path + fileName : path + "/" + fileName);
      }
      textOptions(p, spec, false);
      String fileFormat = p.text("fileFormat");
      if (fileFormat != null
          && !fileFormat.equalsIgnoreCase("csv")
          && !fileFormat.equalsIgnoreCase("text")) {
        p.problem("fileFormat", "must be csv or text");
      }
      p.get("header"); // the names, used as the target columns of the mapping
      JsonNode header = p.node.get("header");
      spec.put("header", header != null && header.isArray() && !header.isEmpty());
      String writeMode = p.text("writeMode");
      if (writeMode == null || writeMode.equalsIgnoreCase("truncate")) {
        spec.put("overwrite", true);
      } else if (writeMode.equalsIgnoreCase("nonConflict")) {
        spec.put("overwrite", false);
      } else if (writeMode.equalsIgnoreCase("append")) {
        // DataX adds a new file beside the others; Ferry adds the rows to the end of fileName
        // (locally, or on the FTP or SFTP server).
        spec.put("append", true);
      } else {
        p.problem("writeMode", "must be truncate, append or nonConflict");
      }
      String dateFormat = p.text("dateFormat");
      if (dateFormat != null && !dateFormat.isBlank()) {
        spec.put("dateFormat", dateFormat);
      }
      p.unsupported("suffix", "the file name is path + fileName, as given");
      return spec;
    }

    ObjectNode streamWriter(Params p) {
      String print = p.text("print");
      ObjectNode spec = NODES.objectNode();
      if (print == null || Boolean.parseBoolean(print)) {
        spec.put("connector", "console");
        spec.put("format", "tsv");
      } else {
        spec.put("connector", "blackhole");
      }
      String delimiter = p.text("fieldDelimiter");
      if (delimiter != null && !delimiter.equals("\t") && !delimiter.equals("\\t")) {
        p.problem(
            "fieldDelimiter",
            "the console prints tab-separated (or JSON) lines; for another delimiter write a file"
                + " with txtfilewriter");
      }
      String encoding = p.text("encoding");
      if (encoding != null
          && !encoding.equalsIgnoreCase("utf-8")
          && !encoding.equalsIgnoreCase("utf8")) {
        p.problem("encoding", "the console prints UTF-8");
      }
      p.unsupported("path", "to write a file, use txtfilewriter");
      p.unsupported("fileName", "to write a file, use txtfilewriter");
      p.unsupported(
          "recordNumBeforeSleep", "use settings.recordsPerSecond (job.setting.speed.record)");
      p.unsupported("sleepTime", "use settings.recordsPerSecond (job.setting.speed.record)");
      return spec;
    }

    ObjectNode mongoWriter(Params p) {
      ObjectNode spec = NODES.objectNode().put("connector", "mongodb");
      mongoConnection(p, spec);
      p.get("column"); // names: the mapping's targets (the types follow the values)
      JsonNode mode = p.get("writeMode");
      if (mode != null && mode.isObject()) {
        if (mode.path("isReplace").asBoolean(false)
            || mode.path("isReplace").asText().equals("true")) {
          spec.put("writeMode", "replace");
          if (mode.hasNonNull("replaceKey")) {
            spec.putArray("keys").add(mode.get("replaceKey").asText());
          }
        }
      } else if (mode != null) {
        p.problem("writeMode", "must be {isReplace: true|false, replaceKey: field}");
      }
      JsonNode batchSize = p.get("batchSize");
      if (batchSize != null) {
        spec.set("batchSize", number(batchSize, p.at("batchSize")));
      }
      return spec;
    }

    ObjectNode elasticsearchWriter(Params p) {
      ObjectNode spec = NODES.objectNode().put("connector", "elasticsearch");
      String endpoint = p.required("endpoint");
      if (endpoint != null) {
        spec.putArray("hosts").add(endpoint);
      }
      String user = p.text("accessId");
      if (user != null && !user.isEmpty()) {
        spec.put("username", user);
      }
      String password = p.text("accessKey");
      if (password != null && !password.isEmpty()) {
        spec.put("password", password);
      }
      spec.put("index", p.required("index"));
      // Elasticsearch 7 and later have no mapping types: documents go to _doc whatever DataX's
      // type (default: the index's name) said.
      p.text("type");
      String cleanup = p.text("cleanup");
      if (cleanup != null && Boolean.parseBoolean(cleanup)) {
        p.problem(
            "cleanup",
            "deleting the live index first is not translated: Ferry's kind: fullSync loads a new"
                + " index and moves the alias to it when complete (a Ferry job file)");
      }
      JsonNode batchSize = p.get("batchSize");
      if (batchSize != null) {
        spec.set("bulkActions", number(batchSize, p.at("batchSize")));
      }
      String action = p.text("actionType");
      if (action != null) {
        if (Set.of("index", "create", "update", "upsert", "delete").contains(action)) {
          spec.put("action", action);
        } else {
          p.problem("actionType", "must be index, create, update, upsert or delete");
        }
      }
      String settings = null;
      JsonNode s = p.get("settings");
      if (s != null) {
        settings = s.isTextual() ? s.asText() : s.toString();
        spec.put("settings", settings);
      }
      JsonNode column = p.get("column");
      if (column != null && column.isArray()) {
        // DataX creates the index with a mapping of its column types: the same mapping here
        ArrayNode ids = NODES.arrayNode();
        ObjectNode properties = NODES.objectNode();
        for (int i = 0; i < column.size(); i++) {
          JsonNode c = column.get(i);
          String name = c.path("name").asText(null);
          if (name == null) {
            problem(p.at("column") + "[" + i + "].name", "required");
            continue;
          }
          String type = c.path("type").asText("keyword");
          if (type.equals("id")) {
            ids.add(name);
            continue;
          }
          ObjectNode property = properties.putObject(name);
          property.put("type", type);
          for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
              case "name", "type", "array" -> {} // arrays are values, not a mapping type
              case "format" ->
                  // Ferry sends ISO-8601; DataX sent the format's text
                  property.put("format", e.getValue().asText() + "||strict_date_optional_time");
              default -> property.set(e.getKey(), e.getValue());
            }
          }
        }
        if (!ids.isEmpty()) {
          spec.set("idColumns", ids);
        }
        if (!properties.isEmpty()) {
          spec.put("mapping", NODES.objectNode().set("properties", properties).toString());
        }
      }
      String socket = p.text("timeout");
      if (socket != null) {
        spec.put("socketTimeout", socket + "ms");
      }
      JsonNode trySize = p.get("trySize");
      if (trySize != null) {
        spec.set("maxRetries", number(trySize, p.at("trySize")));
      }
      String discovery = p.text("discovery");
      if (discovery != null && Boolean.parseBoolean(discovery)) {
        p.problem("discovery", "node discovery is not supported: list every node in endpoint");
      }
      // HTTP compression and client threads: transport choices of the client, no effect on data
      p.text("compression");
      p.text("multiThread");
      p.unsupported(
          "ignoreWriteError",
          "a rejected document is a dirty row counted against job.setting.errorLimit");
      p.unsupported(
          "ignoreParseError",
          "a rejected document is a dirty row counted against job.setting.errorLimit");
      p.unsupported("alias", "use Ferry's aliasSwitch: true (the alias is index) in a job file");
      p.unsupported("aliasMode", "use Ferry's aliasSwitch: true in a job file");
      p.unsupported("splitter", "arrays are written as arrays from array<T> columns");
      p.unsupported(
          "dynamic", "Ferry derives the mapping from the columns' types, or takes mapping:");
      return spec;
    }

    ObjectNode hbaseWriter(Params p, Source source) {
      ObjectNode spec = NODES.objectNode().put("connector", "hbase");
      hbaseConnection(p, spec);
      List<String> names = new ArrayList<>();
      if (source != null && source.columns() != null) {
        source.columns().forEach(c -> names.add(c.isConstant() ? null : c.name()));
      }
      JsonNode column = p.get("column");
      ArrayNode out = spec.putArray("columns");
      if (column == null || !column.isArray() || column.isEmpty()) {
        p.problem("column", "required: [{index, name: \"cf:q\", type}]");
        return spec;
      }
      for (int i = 0; i < column.size(); i++) {
        JsonNode c = column.get(i);
        String cp = p.at("column") + "[" + i + "]";
        String name = sourceName(names, c.path("index"), cp + ".index");
        String cell = c.path("name").asText(null);
        if (name == null || cell == null) {
          if (cell == null) {
            problem(cp + ".name", "required: family:qualifier");
          }
          continue;
        }
        out.add(name + " " + cell);
      }
      JsonNode rowkey = p.get("rowkeyColumn");
      if (rowkey == null || !rowkey.isArray() || rowkey.isEmpty()) {
        p.problem("rowkeyColumn", "required");
      } else {
        List<String> keyColumns = new ArrayList<>();
        String separator = null;
        boolean ok = true;
        for (int i = 0; i < rowkey.size(); i++) {
          JsonNode k = rowkey.get(i);
          int index = k.path("index").asInt(-1);
          if (index < 0) {
            String value = k.path("value").asText("");
            if (i % 2 == 1 && (separator == null || separator.equals(value))) {
              separator = value;
            } else {
              ok = false;
            }
          } else if (i % 2 == 0) {
            String name =
                sourceName(names, k.path("index"), p.at("rowkeyColumn") + "[" + i + "].index");
            if (name != null) {
              keyColumns.add(name);
              out.add(name + " :key");
            }
          } else {
            ok = false;
          }
        }
        if (!ok || (keyColumns.size() > 1 && separator == null)) {
          p.problem(
              "rowkeyColumn",
              "only a column, or columns joined by one constant separator, translate; other row"
                  + " keys: Ferry's rowKey {columns, widths} in a job file");
        } else if (keyColumns.size() == 1) {
          spec.put("rowKey", keyColumns.get(0));
        } else if (!keyColumns.isEmpty()) {
          ObjectNode rk = spec.putObject("rowKey");
          ArrayNode cols = rk.putArray("columns");
          keyColumns.forEach(cols::add);
          rk.put("separator", separator);
        }
      }
      String nullMode = p.text("nullMode");
      if (nullMode != null && !nullMode.equals("skip")) {
        p.problem("nullMode", "only skip translates (Ferry: nulls: skip; nulls: delete deletes)");
      }
      String wal = p.text("walFlag");
      if (wal != null && !Boolean.parseBoolean(wal)) {
        spec.put("durability", "skip-wal");
      }
      JsonNode buffer = p.get("writeBufferSize");
      if (buffer != null) {
        spec.set("writeBufferSize", number(buffer, p.at("writeBufferSize")));
      }
      p.unsupported("versionColumn", "not yet: cells get the server's time");
      return spec;
    }

    private String sourceName(List<String> names, JsonNode index, String path) {
      if (!index.canConvertToInt() || index.asInt() < 0 || index.asInt() >= names.size()) {
        problem(
            path,
            "must be the position (from 0) of a reader column; the reader has "
                + names.size()
                + " columns");
        return null;
      }
      String name = names.get(index.asInt());
      if (name == null) {
        problem(path, "reader constants cannot be written into HBase by index");
      }
      return name;
    }

    // ---------------------------------------------------------------- mapping, transforms

    /**
     * DataX pairs the reader's n-th column with the writer's n-th: that pairing, as an explicit
     * mapping. Null when there is nothing to pair (all columns, same names).
     */
    ArrayNode mapping(Source source, String writer, List<String> writerColumns, String writerPath) {
      List<Col> columns = source.columns();
      if (writer.startsWith("hbase")) {
        return null; // the sink's columns name the source columns by index
      }
      if (columns == null) {
        if (writerColumns != null && source.spec().has("query")) {
          problem(
              writerPath + ".column",
              "DataX pairs querySql's result columns with these by position: name the result"
                  + " columns in the reader's column list (Ferry pairs them by those names), or"
                  + " alias them in the query to the writer's names and give column [\"*\"]");
        }
        return null;
      }
      if (writerColumns != null && writerColumns.size() != columns.size()) {
        problem(
            writerPath + ".column",
            "has "
                + writerColumns.size()
                + " columns, the reader "
                + columns.size()
                + ": DataX pairs them by position, so the counts must be equal");
        return null;
      }
      ArrayNode mapping = NODES.arrayNode();
      boolean identity = true;
      for (int i = 0; i < columns.size(); i++) {
        Col c = columns.get(i);
        String target = writerColumns != null ? writerColumns.get(i) : c.name();
        identity &= !c.isConstant() && c.name().equals(target);
      }
      if (identity && source.spec().has("columns") && source.spec().has("table")) {
        return null; // a table's columns read into the same names: the default mapping
      }
      for (int i = 0; i < columns.size(); i++) {
        Col c = columns.get(i);
        String target = writerColumns != null ? writerColumns.get(i) : c.name();
        if (c.isConstant()) {
          if (target == null) {
            target = "col" + (i + 1); // a file or the console: the field's position counts
          }
          mapping.addObject().put("to", target).put("value", c.constant());
        } else if (c.name().equals(target)) {
          mapping.add(c.name());
        } else {
          mapping.add(c.name() + " -> " + target);
        }
      }
      return mapping;
    }

    ArrayNode transforms(JsonNode transformer, String path, List<Col> columns) {
      ArrayNode out = NODES.arrayNode();
      if (!transformer.isArray()) {
        problem(path, "must be a list");
        return out;
      }
      for (int i = 0; i < transformer.size(); i++) {
        JsonNode t = transformer.get(i);
        String tp = path + "[" + i + "]";
        String name = t.path("name").asText("");
        JsonNode parameter = t.path("parameter");
        if (name.equals("dx_groovy")) {
          problem(
              tp + ".name",
              "dx_groovy (code in a job) is not supported: Ferry runs no code from job files."
                  + " Use the transforms filter (a JEXL expression, no code), replace, substr,"
                  + " pad, cast or mask instead; docs/datax-migration.md#transformers");
          continue;
        }
        if (!Set.of("dx_substr", "dx_pad", "dx_replace", "dx_filter").contains(name)) {
          problem(
              tp + ".name",
              "unknown or unsupported transformer '"
                  + name
                  + "'; translated: dx_substr, dx_pad, dx_replace, dx_filter (dx_digest: Ferry's"
                  + " mask transform with hash: true, in a job file)");
          continue;
        }
        JsonNode index = parameter.path("columnIndex");
        String column = null;
        if (!index.canConvertToInt()
            || columns == null
            || index.asInt() < 0
            || index.asInt() >= columns.size()
            || columns.get(index.asInt()).isConstant()) {
          problem(
              tp + ".parameter.columnIndex",
              columns == null
                  ? "transformers need the reader's column list (not \"*\"): they name columns by"
                      + " position"
                  : "must be the position (from 0) of a reader column (not a constant)");
          continue;
        }
        column = columns.get(index.asInt()).name();
        List<String> paras = new ArrayList<>();
        parameter.path("paras").forEach(v -> paras.add(v.asText()));
        String pp = tp + ".parameter.paras";
        switch (name) {
          case "dx_substr" -> {
            if (paras.size() != 2 || !isInt(paras.get(0)) || !isInt(paras.get(1))) {
              problem(pp, "dx_substr takes [start, length]");
              continue;
            }
            castToString(out, column);
            out.addObject()
                .put("type", "substr")
                .put("column", column)
                .put("start", Integer.parseInt(paras.get(0)))
                .put("length", Integer.parseInt(paras.get(1)));
          }
          case "dx_pad" -> {
            if (paras.size() != 3
                || !Set.of("l", "r").contains(paras.get(0).toLowerCase(Locale.ROOT))
                || !isInt(paras.get(1))) {
              problem(pp, "dx_pad takes [l|r, length, padString]");
              continue;
            }
            castToString(out, column);
            out.addObject()
                .put("type", "pad")
                .put("column", column)
                .put("side", paras.get(0).equalsIgnoreCase("l") ? "left" : "right")
                .put("length", Integer.parseInt(paras.get(1)))
                .put("padding", paras.get(2));
          }
          case "dx_replace" -> {
            if (paras.size() != 3 || !isInt(paras.get(0)) || !isInt(paras.get(1))) {
              problem(pp, "dx_replace takes [start, length, replacement]");
              continue;
            }
            castToString(out, column);
            int start = Integer.parseInt(paras.get(0));
            int length = Integer.parseInt(paras.get(1));
            // The characters [start, start + length) replaced; DataX: a shorter value keeps its
            // first start characters and gets the replacement.
            out.addObject()
                .put("type", "replace")
                .put("column", column)
                .put("pattern", "^(?s)(.{" + start + "}).{0," + length + "}")
                .put("replacement", "$1" + paras.get(2).replace("\\", "\\\\").replace("$", "\\$"));
          }
          default -> {
            String expression = filter(column, paras, pp);
            if (expression != null) {
              out.addObject().put("type", "filter").put("expression", expression);
            }
          }
        }
      }
      return out;
    }

    private void castToString(ArrayNode out, String column) {
      // DataX's string transformers work on the value's text (Column.asString())
      ObjectNode cast = out.addObject().put("type", "cast");
      cast.putObject("columns").put(column, "string");
    }

    private boolean isInt(String s) {
      return s != null && s.strip().matches("[0-9]+");
    }

    /**
     * dx_filter removes the rows for which {@code column op value} holds; Ferry's filter keeps the
     * rows for which its expression holds: the negation, with DataX's handling of NULL.
     */
    private String filter(String column, List<String> paras, String path) {
      if (paras.size() != 2 || paras.get(1).isEmpty()) {
        problem(path, "dx_filter takes [operator, value]");
        return null;
      }
      if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        problem(
            path,
            "column '"
                + column
                + "' cannot be named in a filter expression; rename it first (Ferry's rename"
                + " transform)");
        return null;
      }
      String op = paras.get(0).strip().toLowerCase(Locale.ROOT);
      String value = paras.get(1);
      String literal =
          NUMBER_CONSTANT.matcher(value).matches()
              ? value
              : "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
      String regex = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
      boolean isNull = value.equalsIgnoreCase("null");
      return switch (op) {
        case "like" -> column + " == null || !(" + column + " =~ " + regex + ")";
        case "not like" -> column + " != null && " + column + " =~ " + regex;
        case ">", "<", ">=", "<=" ->
            column + " == null || !(" + column + " " + op + " " + literal + ")";
        case "=", "==" ->
            isNull ? column + " != null" : column + " == null || " + column + " != " + literal;
        case "!=" ->
            isNull ? column + " == null" : column + " != null && " + column + " == " + literal;
        default -> {
          problem(
              path,
              "unknown operator '"
                  + paras.get(0)
                  + "'; DataX's: like, not like, >, <, =, !=, >=, <=");
          yield null;
        }
      };
    }
  }
}
