package io.ferry.server.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.schedule.model.PlannedScript;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.DomainException.FieldProblem;
import io.ferry.spi.Connector;
import io.ferry.spi.FerryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Task scripts: job YAML (see {@code docs/job-file.md}) in which {@code source:}, {@code sink:} and
 * {@code cdc.miningLog:} (shared mining's log store) may name a data source instead of a connector
 * and its connection options:
 *
 * <pre>{@code
 * source:
 *   datasource: mariadb-prod      # the data source's alias
 *   table: orders                 # the object's options beside it
 * }</pre>
 *
 * <p>A script holds no secrets: a secret option written in it is refused (it belongs in a data
 * source, where it is encrypted), and so is {@code ${env:...}}, which would hand the server's
 * environment to whoever edits tasks. Nor may it send a data source's secrets elsewhere: an option
 * that changes where the data source connects ({@link io.ferry.spi.Option#endpoint()}) is refused.
 * The data sources' options are laid in only in memory, when the script is validated or run.
 */
@Component
public class JobScripts {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          // off/no/on/yes stay words, as the job loader reads them (bulkLoad: off is not false)
          .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSourceService dataSources;
  private final ConnectorRegistry connectors;

  public JobScripts(DataSourceService dataSources, ConnectorRegistry connectors) {
    this.dataSources = dataSources;
    this.connectors = connectors;
  }

  /**
   * The form the wizard fills.
   *
   * @param source where rows come from
   * @param target where they go
   * @param mapping explicit column pairs; null or empty for same-name mapping
   * @param settings engine settings: channels, recordsPerSecond, bytesPerSecond, errorLimit...
   * @param syncMode {@code full} (null too: a batch copy), {@code incremental} (a {@code kind: cdc}
   *     job with {@code startup: latest}: changes from now on) or {@code full-incremental} ({@code
   *     kind: cdc}, {@code startup: initial}: the table, then its changes). A cdc task captures the
   *     whole source table and maps columns by name: it takes no mapping, columns or where.
   * @param incremental a batch task's cursor-based incremental reads (docs/incremental.md): each
   *     run reads the rows past the cursor its last successful run committed; null to read
   *     everything each run
   * @param sharedMining a cdc task reads the source's changes from its data source's mining log
   *     (docs/shared-mining.md) rather than opening its own log reader; null: as the source data
   *     source's shared-mining switch is
   */
  public record Wizard(
      Endpoint source,
      Endpoint target,
      List<Pair> mapping,
      Map<String, Object> settings,
      String syncMode,
      Incremental incremental,
      Boolean sharedMining) {
    /** A wizard without incremental reads, whose shared mining follows its source. */
    public Wizard(
        Endpoint source,
        Endpoint target,
        List<Pair> mapping,
        Map<String, Object> settings,
        String syncMode) {
      this(source, target, mapping, settings, syncMode, null, null);
    }

    /** Whether the task is a {@code kind: cdc} job. */
    public boolean cdc() {
      return "incremental".equals(syncMode) || "full-incremental".equals(syncMode);
    }
  }

  /**
   * One side of a wizard task.
   *
   * @param datasourceId the data source
   * @param table the table (or collection, index, path...) on it
   * @param writeMode the target's write mode (insert, upsert, ...); ignored for a source
   * @param options further object options of the connector (where, splitKey, keys, ...)
   */
  public record Endpoint(
      Long datasourceId, String table, String writeMode, Map<String, Object> options) {}

  public record Pair(String from, String to) {}

  /**
   * The job's {@code incremental:} section as the wizard fills it.
   *
   * @param cursor the cursor column (an auto-increment id or an update time)
   * @param lookBack how far before the committed value each run starts again (a duration for a time
   *     cursor, e.g. {@code 10m}; a number for an id); null for none
   * @param start the lower bound of the first run (inclusive); null to read every row first
   */
  public record Incremental(String cursor, String lookBack, String start) {}

  /** The script of a wizard task: the conversion goes one way only. */
  public String toScript(String taskName, Wizard wizard) {
    List<FieldProblem> problems = new ArrayList<>();
    if (wizard == null) {
      throw DomainException.invalid("wizard", "required in wizard mode");
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", taskName);
    if (wizard.syncMode() != null && !wizard.syncMode().equals("full") && !wizard.cdc()) {
      problems.add(
          new FieldProblem("wizard.syncMode", "full, incremental or full-incremental expected"));
    }
    if (wizard.cdc()) {
      root.put("kind", "cdc");
    }
    Map<String, Object> source = endpoint("wizard.source", wizard.source(), false, problems);
    namespaced(wizard.source(), source);
    if (wizard.cdc()) {
      // A change source captures whole tables, named in a list.
      Object table = source.remove("table");
      for (String partial : List.of("where", "columns")) {
        if (source.remove(partial) != null) {
          problems.add(
              new FieldProblem(
                  "wizard.source.options." + partial,
                  "a cdc task captures the whole table: leave " + partial + " empty"));
        }
      }
      if (table != null) {
        source.put("tables", List.of(table));
      }
    }
    root.put("source", source);
    Map<String, Object> sink = endpoint("wizard.target", wizard.target(), true, problems);
    namespaced(wizard.target(), sink);
    objectOption(wizard.target(), sink);
    if (wizard.cdc()) {
      sink.remove("writeMode"); // changes are applied by key: upserts and deletes
      changeTarget(wizard.target(), sink, problems);
    }
    root.put("sink", sink);
    if (wizard.cdc() && wizard.mapping() != null && !wizard.mapping().isEmpty()) {
      problems.add(
          new FieldProblem("wizard.mapping", "a cdc task maps columns by name: leave it empty"));
    } else if (wizard.mapping() != null && !wizard.mapping().isEmpty()) {
      List<Map<String, Object>> mapping = new ArrayList<>();
      for (int i = 0; i < wizard.mapping().size(); i++) {
        Pair p = wizard.mapping().get(i);
        if (p == null || blank(p.from()) || blank(p.to())) {
          problems.add(new FieldProblem("wizard.mapping[" + i + "]", "from and to are required"));
          continue;
        }
        mapping.add(Map.of("from", p.from(), "to", p.to()));
      }
      root.put("mapping", mapping);
    }
    if (wizard.cdc()) {
      Map<String, Object> cdc = new LinkedHashMap<>();
      cdc.put("startup", wizard.syncMode().equals("incremental") ? "latest" : "initial");
      sharedMining(wizard, cdc, problems);
      root.put("cdc", cdc);
    } else if (Boolean.TRUE.equals(wizard.sharedMining())) {
      problems.add(
          new FieldProblem(
              "wizard.sharedMining",
              "only a cdc task (incremental or full-incremental) reads a mining log"));
    }
    incremental(wizard, root, problems);
    if (wizard.settings() != null && !wizard.settings().isEmpty()) {
      root.put("settings", wizard.settings());
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the script", e);
    }
  }

  /**
   * The {@code incremental:} section of a batch task: the cursor column, and the look-back and
   * first lower bound when given (the job loader checks their values against the column's type).
   */
  private static void incremental(
      Wizard wizard, Map<String, Object> root, List<FieldProblem> problems) {
    Incremental inc = wizard.incremental();
    if (inc == null || (blank(inc.cursor()) && blank(inc.lookBack()) && blank(inc.start()))) {
      return;
    }
    if (wizard.cdc()) {
      problems.add(
          new FieldProblem(
              "wizard.incremental.cursor",
              "a cdc task reads changes, not rows past a cursor: leave the cursor empty"));
      return;
    }
    if (blank(inc.cursor())) {
      problems.add(
          new FieldProblem(
              "wizard.incremental.cursor",
              "name the cursor column (an auto-increment id or an update time) for the look-back"
                  + " and start"));
      return;
    }
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("cursor", inc.cursor().strip());
    if (!blank(inc.lookBack())) {
      section.put("lookBack", inc.lookBack().strip());
    }
    if (!blank(inc.start())) {
      section.put("start", inc.start().strip());
    }
    root.put("incremental", section);
  }

  /**
   * A cdc task's {@code sharedMining} and {@code miningLog}: the source data source's mining log,
   * by data source, when the wizard asks for it or leaves it to the data source's switch.
   */
  private void sharedMining(Wizard wizard, Map<String, Object> cdc, List<FieldProblem> problems) {
    if (Boolean.FALSE.equals(wizard.sharedMining())
        || wizard.source() == null
        || wizard.source().datasourceId() == null) {
      return;
    }
    DataSourceService.View source;
    try {
      source = dataSources.get(wizard.source().datasourceId());
    } catch (DomainException.NotFound gone) {
      return; // named by endpoint()
    }
    java.util.Optional<DataSourceService.SharedMining> mining =
        dataSources.sharedMiningOf(source.alias());
    if (mining.isEmpty()) {
      if (Boolean.TRUE.equals(wizard.sharedMining())) {
        problems.add(
            new FieldProblem(
                "wizard.sharedMining",
                "the data source '"
                    + source.alias()
                    + "' has shared mining off: switch it on in the data source (where its"
                    + " mining-log store is chosen), or leave this off"));
      }
      return;
    }
    DataSourceService.SharedMining m = mining.get();
    String object =
        "mongodb".equals(dataSources.byAlias(m.logDatasource()).connector())
            ? "collection"
            : "table";
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("datasource", m.logDatasource());
    log.put(object, m.logTable());
    cdc.put("sharedMining", true);
    cdc.put("miningLog", log);
  }

  /**
   * An HBase table picked from the catalog comes as {@code namespace.table} (the namespace as
   * schema): HBase names it {@code namespace:table}. A namespace has no dot, so the first dot is
   * the separator; a name that already has a colon is left as written.
   */
  private void namespaced(Endpoint side, Map<String, Object> section) {
    if (side == null
        || side.datasourceId() == null
        || !(section.get("table") instanceof String name)
        || name.indexOf(':') >= 0
        || name.indexOf('.') <= 0) {
      return;
    }
    try {
      if (!"hbase".equals(dataSources.get(side.datasourceId()).connector())) {
        return;
      }
    } catch (DomainException.NotFound gone) {
      return; // named by endpoint()
    }
    int dot = name.indexOf('.');
    section.put("table", name.substring(0, dot) + ":" + name.substring(dot + 1));
  }

  /**
   * The wizard's {@code table} under the option by which the target's connector names its object:
   * {@code collection} (MongoDB), {@code index} (Elasticsearch), {@code path} (file). A collection
   * picked from the catalog comes as {@code database.collection}: the data source's own database is
   * cut off.
   */
  private void objectOption(Endpoint target, Map<String, Object> sink) {
    if (target == null || target.datasourceId() == null || !sink.containsKey("table")) {
      return;
    }
    DataSourceService.View ds;
    String object;
    try {
      ds = dataSources.get(target.datasourceId());
      object = dataSources.objectOption(ds.connector());
    } catch (DomainException.NotFound | FerryException gone) {
      return; // named by endpoint()
    }
    if (object != null && !object.equals("table")) {
      Object name = sink.remove("table");
      Object database = ds.options().get("database");
      if (object.equals("collection")
          && database != null
          && name instanceof String text
          && text.startsWith(database + ".")) {
        name = text.substring(database.toString().length() + 1);
      }
      sink.putIfAbsent(object, name);
    }
  }

  /**
   * Checks that a cdc task's target applies changes, and gives it what its sink needs for that: the
   * options every such target takes ({@code format: jsonl} for a file) and those the task must name
   * ({@code idColumns}, {@code rowKey}), each missing one a problem naming it.
   */
  private void changeTarget(
      Endpoint target, Map<String, Object> sink, List<FieldProblem> problems) {
    if (target == null || target.datasourceId() == null) {
      return;
    }
    DataSourceService.ChangeRoles roles;
    String alias;
    String connector;
    try {
      DataSourceService.View ds = dataSources.get(target.datasourceId());
      alias = ds.alias();
      connector = ds.connector();
      roles = dataSources.changeRoles(target.datasourceId());
    } catch (DomainException.NotFound | FerryException gone) {
      return; // named by endpoint()
    }
    if (!roles.appliesChanges()) {
      problems.add(
          new FieldProblem(
              "wizard.target.datasourceId",
              "the "
                  + connector
                  + " data source '"
                  + alias
                  + "' cannot apply changes, so it cannot be the target of a cdc task: pick a"
                  + " data source whose sink applies them (docs/cdc.md#targets)"));
      return;
    }
    roles
        .changeOptions()
        .forEach(
            (option, value) -> {
              Object given = sink.get(option);
              if (given != null && !String.valueOf(given).equals(String.valueOf(value))) {
                problems.add(
                    new FieldProblem(
                        "wizard.target.options." + option,
                        "a cdc task into the "
                            + connector
                            + " data source '"
                            + alias
                            + "' writes change records with "
                            + option
                            + ": "
                            + value
                            + ", not "
                            + given));
              } else {
                sink.put(option, value);
              }
            });
    for (String need : roles.changeNeeds()) {
      Object given = sink.get(need);
      if (given == null
          || (given instanceof String text && text.isBlank())
          || (given instanceof List<?> list && list.isEmpty())) {
        problems.add(
            new FieldProblem(
                "wizard.target.options." + need,
                "required for a cdc task into the "
                    + connector
                    + " data source '"
                    + alias
                    + "': "
                    + switch (need) {
                      case "idColumns" ->
                          "changes are applied by document _id, made of these columns (the"
                              + " table's key columns)";
                      case "rowKey" ->
                          "changes are applied by row key, made of the table's key columns";
                      default -> "the sink applies changes only with it";
                    }));
      }
    }
  }

  private Map<String, Object> endpoint(
      String path, Endpoint e, boolean target, List<FieldProblem> problems) {
    Map<String, Object> section = new LinkedHashMap<>();
    if (e == null) {
      problems.add(new FieldProblem(path, "required"));
      return section;
    }
    if (e.datasourceId() == null) {
      problems.add(new FieldProblem(path + ".datasourceId", "required"));
    } else {
      try {
        section.put("datasource", dataSources.get(e.datasourceId()).alias());
      } catch (DomainException.NotFound notFound) {
        problems.add(new FieldProblem(path + ".datasourceId", notFound.getMessage()));
      }
    }
    if (!blank(e.table())) {
      section.put("table", e.table());
    }
    if (target && !blank(e.writeMode())) {
      section.put("writeMode", e.writeMode());
    }
    if (e.options() != null) {
      e.options().forEach(section::putIfAbsent);
    }
    return section;
  }

  /**
   * The job a script describes as a run started now would see it: scheduling parameters ({@code
   * ${bizdate}}, {@code $[yyyymmdd-1]}, ...) taken from the current time. For validation on save.
   */
  public JobSpec resolveAsOfNow(String script, String name) {
    PlannedScript p = PlannedScript.at(script, java.time.ZonedDateTime.now());
    return resolve(p.script(), name, p.params());
  }

  /**
   * The job a script describes, with its data sources' options laid in.
   *
   * @throws DomainException.Invalid naming each problem
   * @throws io.ferry.engine.JobSpecException when the job is invalid
   */
  public JobSpec resolve(String script, String name, Map<String, String> params) {
    if (script == null || script.isBlank()) {
      throw DomainException.invalid("script", "required");
    }
    if (script.contains("${env:")) {
      throw DomainException.invalid(
          "script",
          "${env:...} is not allowed on the server: put credentials in a data source instead");
    }
    JsonNode root;
    try {
      root = YAML.readTree(script);
    } catch (JsonProcessingException e) {
      throw DomainException.invalid("script", "malformed YAML: " + e.getOriginalMessage());
    }
    if (!(root instanceof ObjectNode object)) {
      throw DomainException.invalid("script", "a job is a YAML mapping");
    }
    if (io.ferry.engine.datax.DataxJob.isDatax(object)) {
      // Its connections (and passwords) would be stored in clear and bypass the data sources.
      throw DomainException.invalid(
          "script",
          "a DataX job file: import it (Import DataX jobs on the tasks page, POST"
              + " /api/tasks/import-datax), which connects it through data sources; a script"
              + " holds no passwords");
    }
    List<FieldProblem> problems = new ArrayList<>();
    for (String section : List.of("source", "sink")) {
      if (object.get(section) instanceof ObjectNode node) {
        layIn(section, node, problems);
      }
    }
    // Shared mining's log store is a connection like the source and the sink.
    if (object.get("cdc") instanceof ObjectNode cdc
        && cdc.get("miningLog") instanceof ObjectNode miningLog) {
      layIn("cdc.miningLog", miningLog, problems);
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    String text;
    try {
      text = JSON.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return JobSpecLoader.parse(text, true, null, name, params);
  }

  /** Replaces {@code datasource:} by the data source's connector and options. */
  private void layIn(String section, ObjectNode node, List<FieldProblem> problems) {
    JsonNode ref = node.remove("datasource");
    if (ref != null) {
      DataSourceService.Resolved ds;
      try {
        ds = dataSources.resolve(ref.asText());
      } catch (DomainException.NotFound notFound) {
        problems.add(new FieldProblem(section + ".datasource", notFound.getMessage()));
        return;
      }
      JsonNode connector = node.get("connector");
      if (connector != null && !connector.asText().equals(ds.connector())) {
        problems.add(
            new FieldProblem(
                section + ".connector",
                "the data source '" + ds.alias() + "' is a " + ds.connector() + " connection"));
        return;
      }
      Connector c = connectorOf(ds.connector());
      if (c != null) {
        Map<String, Object> given =
            JSON.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<>() {});
        for (String endpoint : DataSourceService.redirected(c, ds.options(), given, false)) {
          problems.add(
              new FieldProblem(
                  section + "." + endpoint,
                  "changes where the data source '"
                      + ds.alias()
                      + "' connects, and its secrets go only to the server they were stored for:"
                      + " make a data source for that server"));
        }
      }
      // The data source's options come first; the script's object options follow.
      ObjectNode merged = node.objectNode();
      merged.put("connector", ds.connector());
      ds.options()
          .forEach(
              (k, v) -> {
                if (!node.has(k)) {
                  JsonNode value = JSON.valueToTree(v);
                  // A literal "${" in a stored value is text, not a parameter.
                  merged.set(
                      k,
                      value.isTextual()
                          ? TextNode.valueOf(value.asText().replace("${", "$${"))
                          : value);
                }
              });
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        if (!f.getKey().equals("connector")) {
          merged.set(f.getKey(), f.getValue());
        }
      }
      checkNoSecrets(section, node, c, problems);
      node.removeAll();
      node.setAll(merged);
      return;
    }
    JsonNode connector = node.get("connector");
    if (connector != null) {
      Connector c = connectorOf(connector.asText());
      checkNoSecrets(section, node, c, problems);
    }
  }

  private void checkNoSecrets(
      String section, ObjectNode node, Connector connector, List<FieldProblem> problems) {
    if (connector == null) {
      return;
    }
    for (String secret : DataSourceService.secretNames(connector)) {
      if (node.has(secret) && !node.get(secret).isNull()) {
        problems.add(
            new FieldProblem(
                section + "." + secret,
                "a secret does not belong in a script, where it would be stored in clear: put it"
                    + " in a data source and name it with datasource:"));
      }
    }
  }

  private Connector connectorOf(String name) {
    try {
      return connectors.connector(name);
    } catch (FerryException unknown) {
      return null; // the job's own validation names it
    }
  }

  /**
   * The alias of the data source a section of a script names.
   *
   * @param section {@code source}, {@code sink} or {@code cdc.miningLog}
   * @return null when the section names none or the script does not parse
   */
  public static String dataSourceOf(String script, String section) {
    try {
      JsonNode node = YAML.readTree(script);
      for (String part : section.split("\\.")) {
        node = node == null ? null : node.path(part);
      }
      JsonNode ref = node == null ? null : node.get("datasource");
      return ref != null && ref.isValueNode() ? ref.asText() : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * How the server keys a script's mining log ({@code cdc.miningLog}): the data source's alias (or
   * the connector) and the table or collection, as written in the script; null when it names none
   * or does not parse.
   */
  public static String miningLogKey(String script) {
    try {
      JsonNode log = YAML.readTree(script).path("cdc").path("miningLog");
      if (!(log instanceof ObjectNode)) {
        return null;
      }
      JsonNode by = log.has("datasource") ? log.get("datasource") : log.get("connector");
      JsonNode where = log.has("table") ? log.get("table") : log.get("collection");
      if (by == null) {
        return null;
      }
      return by.asText() + (where == null || where.isNull() ? "" : " " + where.asText());
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * The option names a section of a script sets itself (besides {@code datasource}); empty when it
   * sets none or the script does not parse.
   *
   * @param section {@code source}, {@code sink} or {@code cdc.miningLog}
   */
  public static java.util.Set<String> optionsSetIn(String script, String section) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    try {
      JsonNode node = YAML.readTree(script);
      for (String part : section.split("\\.")) {
        node = node == null ? null : node.path(part);
      }
      if (node instanceof ObjectNode object) {
        object.fieldNames().forEachRemaining(names::add);
      }
    } catch (JsonProcessingException e) {
      // a script that does not parse sets nothing
    }
    names.remove("datasource");
    return names;
  }

  /** The aliases of the data sources a script names; empty when it does not parse. */
  static java.util.Set<String> dataSourcesOf(String script) {
    return new java.util.TreeSet<>(dataSourceSides(script).values());
  }

  /**
   * The data source each side of a script names ({@code source}, {@code sink}); empty when it does
   * not parse, without a side that names none.
   */
  public static Map<String, String> dataSourceSides(String script) {
    Map<String, String> sides = new LinkedHashMap<>();
    try {
      JsonNode root = YAML.readTree(script);
      for (String section : List.of("source", "sink", "cdc.miningLog")) {
        JsonNode node = root;
        for (String part : section.split("\\.")) {
          node = node == null ? null : node.path(part);
        }
        JsonNode ref = node == null ? null : node.get("datasource");
        if (ref != null && ref.isValueNode()) {
          sides.put(section, ref.asText());
        }
      }
    } catch (JsonProcessingException e) {
      // a script that does not parse names nothing
    }
    return sides;
  }

  /**
   * A side of a script that names a data source, with the objects it names there.
   *
   * @param section {@code source} or {@code sink}
   * @param objects the values of its {@code table}, {@code tables}, {@code collection}, {@code
   *     index} and {@code path} options, as written (parameters such as {@code ${bizdate}} kept)
   */
  public record SideObjects(String section, String dataSource, List<String> objects) {}

  /**
   * The source and sink of a script that name a data source, each with the objects it names; empty
   * when the script does not parse.
   */
  public static List<SideObjects> objectsOf(String script) {
    List<SideObjects> sides = new ArrayList<>();
    JsonNode root;
    try {
      root = YAML.readTree(script);
    } catch (JsonProcessingException e) {
      return sides;
    }
    if (root == null) {
      return sides;
    }
    for (String section : List.of("source", "sink")) {
      JsonNode node = root.path(section);
      JsonNode ref = node.get("datasource");
      if (ref == null || !ref.isValueNode()) {
        continue;
      }
      List<String> objects = new ArrayList<>();
      for (String option : List.of("table", "tables", "collection", "index", "path")) {
        JsonNode value = node.get(option);
        if (value == null) {
          continue;
        }
        if (value.isArray()) {
          value.forEach(
              v -> {
                if (v.isValueNode()) {
                  objects.add(v.asText());
                }
              });
        } else if (value.isValueNode()) {
          for (String part :
              option.equals("tables") ? value.asText().split(",") : new String[] {value.asText()}) {
            if (!part.isBlank()) {
              objects.add(part.trim());
            }
          }
        }
      }
      sides.add(new SideObjects(section, ref.asText(), objects));
    }
    return sides;
  }

  /** The wizard's JSON, stored as text. */
  static String json(Wizard wizard) {
    try {
      return JSON.writeValueAsString(wizard);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Wizard wizard(String json) {
    try {
      return json == null ? null : JSON.readValue(json, Wizard.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored wizard does not parse", e);
    }
  }

  /** A run's parameters as stored: a JSON object of strings (null for none). */
  public static String paramsJson(Map<String, String> params) {
    try {
      return params == null || params.isEmpty() ? null : JSON.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, String> params(String json) {
    try {
      return json == null
          ? Map.of()
          : JSON.readValue(
              json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored run parameters do not parse", e);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
