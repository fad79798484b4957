package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows as documents with {@code _bulk}. See the module README for options, the alias switch
 * and resume.
 */
final class EsSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(EsSink.class);

  private final Options options;
  private final ConnectorContext context;
  private final EsClient client;
  private final String index;
  private final boolean aliasSwitch;
  private final String targetIndex;
  private final BulkAction action;
  private final List<String> idColumns;
  private final boolean idFromKey;
  private final String routingColumn;

  private Schema schema;
  private int[] idIndexes;
  private int routingIndex = -1;

  /** The refresh interval to restore at the end; "null" (JSON) resets it to the default. */
  private JsonNode restoreRefresh;

  private boolean refreshPaused;

  EsSink(Options options, ConnectorContext context) {
    this.options = options;
    this.context = context;
    this.index = options.get(EsOptions.SINK_INDEX);
    this.aliasSwitch = options.get(EsOptions.ALIAS_SWITCH);
    this.action = options.get(EsOptions.ACTION);
    this.idColumns = options.get(EsOptions.ID_COLUMNS);
    this.idFromKey = idColumns == null && options.get(EsOptions.ID_FROM_KEY);
    this.routingColumn = options.get(EsOptions.ROUTING_COLUMN);
    List<OptionProblem> problems = new ArrayList<>();
    EsSource.checkAuthOptions(options, problems);
    if (action.needsId() && idColumns == null && !idFromKey) {
      problems.add(
          new OptionProblem(
              EsOptions.ID_COLUMNS.name(),
              "action "
                  + action.name().toLowerCase(Locale.ROOT)
                  + " needs idColumns to name the"
                  + " documents"));
    }
    if (aliasSwitch && (action == BulkAction.UPDATE || action == BulkAction.DELETE)) {
      problems.add(
          new OptionProblem(
              EsOptions.ALIAS_SWITCH.name(),
              "loads a new, empty index: action "
                  + action.name().toLowerCase(Locale.ROOT)
                  + " has nothing to change there"));
    }
    if (options.get(EsOptions.DELETE_OLD_INDEXES) && !aliasSwitch) {
      problems.add(
          new OptionProblem(EsOptions.DELETE_OLD_INDEXES.name(), "applies with aliasSwitch only"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    this.targetIndex = aliasSwitch ? newIndexName(index, context.runKey()) : index;
    this.client = EsClient.create(options, context.localFiles());
  }

  /** The index an alias switch loads: the alias and the run key, as a valid index name. */
  static String newIndexName(String alias, String runKey) {
    StringBuilder key = new StringBuilder();
    for (char c : runKey.toLowerCase(Locale.ROOT).toCharArray()) {
      key.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '-');
    }
    String name = alias + "-" + key;
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 255) {
      name =
          alias.substring(0, Math.min(alias.length(), 180))
              + "-"
              + Integer.toHexString(runKey.hashCode());
    }
    return name;
  }

  @Override
  public List<OptionProblem> check() {
    List<OptionProblem> problems = new ArrayList<>();
    if (!EsSource.checkConnection(client, problems)) {
      return problems;
    }
    IndexKind kind = kind(index);
    if (!aliasSwitch && kind == IndexKind.MISSING && !options.get(EsOptions.CREATE_INDEX)) {
      problems.add(
          new OptionProblem(
              EsOptions.SINK_INDEX.name(),
              "no index or alias '"
                  + index
                  + "' at "
                  + client.hosts()
                  + " and createIndex is false"));
    }
    if (!aliasSwitch && kind == IndexKind.ALIAS) {
      JsonNode aliased = client.get("/_alias/" + EsClient.encode(index));
      if (aliased.size() > 1) {
        problems.add(
            new OptionProblem(
                EsOptions.SINK_INDEX.name(),
                "'"
                    + index
                    + "' is an alias of several indexes; name one of them, or set"
                    + " aliasSwitch"));
      }
    }
    if (aliasSwitch && kind == IndexKind.INDEX && !options.get(EsOptions.DELETE_OLD_INDEXES)) {
      problems.add(
          new OptionProblem(
              EsOptions.SINK_INDEX.name(),
              "'"
                  + index
                  + "' is an index, not an alias: the alias switch can replace it by an"
                  + " alias only with deleteOldIndexes: true"));
    }
    return problems;
  }

  enum IndexKind {
    MISSING,
    INDEX,
    ALIAS
  }

  IndexKind kind(String name) {
    EsClient.Reply reply = client.exchange("GET", "/_alias/" + EsClient.encode(name), null);
    if (reply.status() == 200 && reply.body().size() > 0) {
      return IndexKind.ALIAS;
    }
    EsClient.Reply exists = client.exchange("HEAD", "/" + EsClient.encode(name), null);
    return exists.status() == 200 ? IndexKind.INDEX : IndexKind.MISSING;
  }

  @Override
  public SinkResume resumeModel() {
    // Documents are written by id, so rows written again overwrite themselves: nothing to remove.
    return (idColumns != null || idFromKey) && action.idempotent()
        ? SinkResume.byKeyRange(this::reopen, range -> {})
        : SinkResume.none();
  }

  @Override
  public void prepare(Schema schema) {
    bind(schema);
    if (aliasSwitch) {
      // A fresh run: a leftover index of this run key is an earlier, discarded attempt.
      deleteIndex(targetIndex, true);
      createIndex(schema);
    } else if (kind(index) == IndexKind.MISSING) {
      if (options.get(EsOptions.CREATE_INDEX)) {
        createIndex(schema);
      }
    } else {
      pauseRefresh(false);
    }
  }

  private void reopen(Schema schema) {
    bind(schema);
    if (kind(targetIndex) == IndexKind.MISSING) {
      if (aliasSwitch || options.get(EsOptions.CREATE_INDEX)) {
        createIndex(schema);
      }
    } else {
      pauseRefresh(true);
    }
  }

  private void bind(Schema schema) {
    this.schema = schema;
    List<OptionProblem> problems = new ArrayList<>();
    List<String> ids = idColumns;
    if (idFromKey) {
      if (schema.key().isEmpty()) {
        throw new InvalidOptionsException(
            ErrorCode.OPTION_INVALID,
            List.of(
                new OptionProblem(
                    EsOptions.ID_FROM_KEY.name(),
                    "the source names no key for its rows (a table without a primary key, a"
                        + " query): set idColumns to the columns that identify a document")));
      }
      ids = schema.key();
      LOG.info("Documents of {} get their _id from the source's key {}", index, ids);
    }
    if (ids != null) {
      idIndexes = new int[ids.size()];
      for (int i = 0; i < ids.size(); i++) {
        idIndexes[i] = schema.indexOf(ids.get(i));
        if (idIndexes[i] < 0) {
          problems.add(
              new OptionProblem(
                  EsOptions.ID_COLUMNS.name(),
                  "no column '" + ids.get(i) + "' among " + schema.names()));
        }
      }
    }
    if (routingColumn != null) {
      routingIndex = schema.indexOf(routingColumn);
      if (routingIndex < 0) {
        problems.add(
            new OptionProblem(
                EsOptions.ROUTING_COLUMN.name(),
                "no column '" + routingColumn + "' among " + schema.names()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  private void createIndex(Schema schema) {
    createIndex(schema, options.get(EsOptions.PAUSE_REFRESH));
  }

  private void createIndex(Schema schema, boolean pauseRefresh) {
    ObjectNode body = JsonValues.mapper().createObjectNode();
    ObjectNode settings = body.putObject("settings");
    if (options.get(EsOptions.SETTINGS) != null) {
      settings.setAll((ObjectNode) readJson(options.get(EsOptions.SETTINGS)));
    }
    if (options.get(EsOptions.SHARDS) != null) {
      settings.put("number_of_shards", options.get(EsOptions.SHARDS));
    }
    if (options.get(EsOptions.REPLICAS) != null) {
      settings.put("number_of_replicas", options.get(EsOptions.REPLICAS));
    }
    if (pauseRefresh) {
      JsonNode given = settings.path("refresh_interval");
      if (given.isMissingNode()) {
        given = settings.path("index").path("refresh_interval");
      }
      restoreRefresh = given.isMissingNode() ? JsonValues.mapper().nullNode() : given;
      settings.put("refresh_interval", "-1");
      if (settings.get("index") instanceof ObjectNode indexSettings) {
        indexSettings.remove("refresh_interval");
        if (indexSettings.isEmpty()) {
          settings.remove("index");
        }
      }
      refreshPaused = true;
    }
    body.set(
        "mappings",
        options.get(EsOptions.MAPPING) != null
            ? readJson(options.get(EsOptions.MAPPING))
            : EsTypes.mappingFor(schema));
    EsClient.Reply reply = client.exchange("PUT", "/" + EsClient.encode(targetIndex), body);
    if (reply.status() >= 300) {
      if (EsClient.hasErrorType(reply.body(), "resource_already_exists_exception")) {
        if (pauseRefresh) {
          pauseRefresh(false); // another process created it first
        }
        return;
      }
      FerryException e = client.error("PUT", "/" + targetIndex, reply);
      throw new FerryException(
          e.code(),
          "cannot create index '" + targetIndex + "': " + EsClient.reason(reply.body()),
          options.get(EsOptions.MAPPING) != null
              ? EsOptions.MAPPING.name()
              : EsOptions.SETTINGS.name(),
          e);
    }
    LOG.info("created index {}", targetIndex);
  }

  private void pauseRefresh(boolean resuming) {
    if (!options.get(EsOptions.PAUSE_REFRESH)) {
      return;
    }
    JsonNode reply =
        client.get("/" + EsClient.encode(targetIndex) + "/_settings/index.refresh_interval");
    JsonNode current = JsonValues.mapper().nullNode();
    for (JsonNode idx : reply) {
      JsonNode value = idx.path("settings").path("index").path("refresh_interval");
      if (!value.isMissingNode()) {
        current = value;
      }
    }
    // An interrupted attempt left -1 behind: restore the default then.
    restoreRefresh =
        resuming && "-1".equals(current.asText()) ? JsonValues.mapper().nullNode() : current;
    putRefresh(JsonValues.mapper().getNodeFactory().textNode("-1"));
    refreshPaused = true;
  }

  private void putRefresh(JsonNode value) {
    ObjectNode body = JsonValues.mapper().createObjectNode();
    body.putObject("index").set("refresh_interval", value);
    client.send("PUT", "/" + EsClient.encode(targetIndex) + "/_settings", body);
  }

  private void restoreRefresh() {
    if (refreshPaused) {
      putRefresh(restoreRefresh == null ? JsonValues.mapper().nullNode() : restoreRefresh);
      refreshPaused = false;
    }
  }

  private static JsonNode readJson(String text) {
    try {
      return JsonValues.mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("validated JSON no longer parses", e);
    }
  }

  /**
   * A cdc job indexes and deletes documents by {@code _id}: only with ids ({@code idFromKey} or
   * {@code idColumns}, so the snapshot's copy makes the same ids) and without {@code aliasSwitch}.
   * Answering here makes {@code ferry validate} refuse such a job before a snapshot is written.
   */
  @Override
  public boolean appliesChanges() {
    return (idColumns != null || idFromKey) && !aliasSwitch;
  }

  @Override
  public List<OptionProblem> changeProblems() {
    List<OptionProblem> problems = new java.util.ArrayList<>();
    if (idColumns == null && !idFromKey) {
      problems.add(
          new OptionProblem(
              EsOptions.ID_COLUMNS.name(),
              "changes are indexed and deleted by document _id: name the columns that make it"
                  + " (the table's key columns), or set idFromKey: true"));
    }
    if (aliasSwitch) {
      problems.add(
          new OptionProblem(
              EsOptions.ALIAS_SWITCH.name(), "a cdc run has no end to switch the alias at"));
    }
    return problems;
  }

  /**
   * A writer of changes by {@code _id} ({@link EsChangeWriter}): ids from {@code idColumns}, or
   * else the table's key columns. The index is created when missing and {@code createIndex} is on
   * (with the table's columns and the soft-delete fields mapped, refresh left as the index has it);
   * {@code action} does not apply (each change decides), {@code aliasSwitch} cannot (a cdc run has
   * no end to switch at).
   */
  @Override
  public ChangeWriter changeWriter(ChangeWriter.Target target) {
    if (aliasSwitch) {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(
              new OptionProblem(
                  EsOptions.ALIAS_SWITCH.name(),
                  "a cdc job changes the index in place; it has no end to switch an alias at")));
    }
    List<OptionProblem> problems = new ArrayList<>();
    if (idColumns == null && !idFromKey) {
      // Without either, a snapshot (a copy) would index documents under generated ids that no
      // change could find again.
      problems.add(
          new OptionProblem(
              EsOptions.ID_FROM_KEY.name(),
              "a cdc job changes documents by _id: set idFromKey: true (the table's key) or"
                  + " idColumns"));
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    List<String> ids = idColumns != null ? idColumns : target.keys();
    for (String id : ids) {
      if (target.schema().indexOf(id) < 0) {
        problems.add(
            new OptionProblem(
                EsOptions.ID_COLUMNS.name(),
                "no column '" + id + "' among " + target.schema().names()));
      }
    }
    if (routingColumn != null && target.schema().indexOf(routingColumn) < 0) {
      problems.add(
          new OptionProblem(
              EsOptions.ROUTING_COLUMN.name(),
              "no column '" + routingColumn + "' among " + target.schema().names()));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    if (kind(index) == IndexKind.MISSING) {
      if (!options.get(EsOptions.CREATE_INDEX)) {
        throw FerryException.option(
            ErrorCode.NOT_FOUND,
            EsOptions.SINK_INDEX.name(),
            "no index or alias '" + index + "' at " + client.hosts() + " and createIndex is false");
      }
      Schema schema = target.schema();
      if (target.deleteMode() == ChangeWriter.DeleteMode.SOFT) {
        List<Column> columns = new ArrayList<>(schema.columns());
        columns.add(Column.of(target.softDeleteFlag(), DataType.BOOLEAN));
        columns.add(Column.of(target.softDeleteTime(), DataType.TIMESTAMP_TZ));
        schema = Schema.of(columns);
      }
      createIndex(schema, false);
    }
    LOG.info("{}: applying changes by _id from {}", index, ids);
    return new EsChangeWriter(this, target, ids, routingColumn);
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    if (schema == null) {
      throw new IllegalStateException("prepare or resume first");
    }
    return new EsSinkWriter(this, writerIndex);
  }

  @Override
  public void commit() {
    restoreRefresh();
    EsClient.Reply refreshed =
        client.exchange("POST", "/" + EsClient.encode(targetIndex) + "/_refresh", null);
    if (refreshed.status() >= 300 && refreshed.status() != 404) {
      throw client.error("POST", "/" + targetIndex + "/_refresh", refreshed);
    }
    if (aliasSwitch) {
      switchAlias();
    }
  }

  private void switchAlias() {
    List<String> old = new ArrayList<>();
    boolean concrete = false;
    EsClient.Reply aliased = client.exchange("GET", "/_alias/" + EsClient.encode(index), null);
    if (aliased.status() == 200) {
      for (Iterator<String> it = aliased.body().fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!name.equals(targetIndex)) {
          old.add(name);
        }
      }
    } else if (kind(index) == IndexKind.INDEX) {
      concrete = true;
    }
    ObjectNode body = JsonValues.mapper().createObjectNode();
    ArrayNode actions = body.putArray("actions");
    if (concrete) {
      // An index of the alias's name gives way to the alias in the same atomic step.
      actions.addObject().putObject("remove_index").put("index", index);
    }
    for (String name : old) {
      actions.addObject().putObject("remove").put("index", name).put("alias", index);
    }
    actions.addObject().putObject("add").put("index", targetIndex).put("alias", index);
    client.send("POST", "/_aliases", body);
    LOG.info("alias {} now points at {} (was {})", index, targetIndex, concrete ? index : old);
    if (options.get(EsOptions.DELETE_OLD_INDEXES)) {
      for (String name : old) {
        deleteIndex(name, false);
      }
    }
  }

  private void deleteIndex(String name, boolean quiet) {
    EsClient.Reply reply = client.exchange("DELETE", "/" + EsClient.encode(name), null);
    if (reply.status() >= 300 && reply.status() != 404) {
      if (quiet) {
        throw client.error("DELETE", "/" + name, reply);
      }
      LOG.warn("cannot delete old index {}: {}", name, EsClient.reason(reply.body()));
    }
  }

  @Override
  public void abort() {
    try {
      if (aliasSwitch) {
        deleteIndex(targetIndex, true);
        refreshPaused = false;
      } else {
        restoreRefresh();
      }
    } catch (RuntimeException e) {
      LOG.warn("cleaning up after an aborted run on {}: {}", targetIndex, e.toString());
    }
  }

  @Override
  public void close() {
    client.close();
  }

  // ---- what writers share ---------------------------------------------------------------------

  EsClient client() {
    return client;
  }

  ConnectorContext context() {
    return context;
  }

  Options options() {
    return options;
  }

  Schema schema() {
    return schema;
  }

  String targetIndex() {
    return targetIndex;
  }

  BulkAction action() {
    return action;
  }

  int[] idIndexes() {
    return idIndexes;
  }

  int routingIndex() {
    return routingIndex;
  }
}
