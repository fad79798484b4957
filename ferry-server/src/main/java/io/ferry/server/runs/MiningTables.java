package io.ferry.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.MiningRun;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.tasks.JobScripts;
import io.ferry.server.tasks.TaskService;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.MiningLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The tables of a mining run and their stop and resume (docs/shared-mining.md, "Per-table stop and
 * resume"). The wish and the state live in the run's mining log, not on a node: any node asks, the
 * node running the mining run carries it out within a second or so, and a stopped table stays
 * stopped across restarts and take-overs.
 */
@Component
public class MiningTables {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final MiningRuns runs;
  private final TaskService tasks;
  private final ConnectorRegistry connectors;
  private final LocalFiles files;
  private final Path work;

  public MiningTables(
      MiningRuns runs,
      TaskService tasks,
      ConnectorRegistry connectors,
      LocalFiles files,
      FerryProperties properties) {
    this.runs = runs;
    this.tasks = tasks;
    this.connectors = connectors;
    this.files = files;
    this.work = properties.dataDir().resolve("mining").resolve("tables");
  }

  /**
   * A table of a mining run.
   *
   * @param table {@code schema.table}
   * @param state {@code CAPTURING}; {@code WAITING} (asked for, not captured yet); {@code STOPPING}
   *     (a stop asked for, not done yet); {@code STOPPED}; {@code RESUMING} (a resume asked for,
   *     not done yet)
   * @param events events appended since the mining run (re)started
   * @param stoppedAt the source position it stopped at; null unless stopped
   * @param stoppedHead the mining log's head when it stopped; null unless stopped
   * @param tasks the tasks that read it from this mining run
   */
  public record Table(
      String table,
      String state,
      long events,
      String stoppedAt,
      Long stoppedHead,
      List<TaskRef> tasks) {}

  /** A task, by id and name. */
  public record TaskRef(long id, String name) {}

  /**
   * What stopping a table affects, told before it is asked for.
   *
   * @param tasks the tasks reading it: they wait (their lag grows) while it is stopped
   */
  public record StopPreview(String table, List<TaskRef> tasks) {}

  /** The mining run's tables, by name. */
  public List<Table> tables(long id) {
    MiningRuns.View view = runs.get(id);
    MiningLog.State st = state(id);
    List<Reader> readers = readers(view.source());
    List<Table> out = new ArrayList<>();
    st.tables().keySet().stream()
        .sorted(java.util.Comparator.comparing(TableRef::toString))
        .forEach(t -> out.add(table(view, st, t, readers)));
    return out;
  }

  private Table table(MiningRuns.View view, MiningLog.State st, TableRef t) {
    return table(view, st, t, readers(view.source()));
  }

  private Table table(MiningRuns.View view, MiningLog.State st, TableRef t, List<Reader> readers) {
    MiningLog.Stop stop = st.stopped().get(t);
    boolean asked = st.stopAsked().contains(t);
    String state;
    if (stop != null) {
      state = asked ? "STOPPED" : "RESUMING";
    } else if (asked) {
      state = "STOPPING";
    } else {
      state = st.tables().getOrDefault(t, -1L) >= 0 ? "CAPTURING" : "WAITING";
    }
    return new Table(
        t.toString(),
        state,
        view.tableEvents().getOrDefault(t.toString(), 0L),
        stop == null ? null : stop.at().description(),
        stop == null ? null : stop.head(),
        readersOf(readers, t));
  }

  /** What stopping {@code table} affects. */
  public StopPreview stopPreview(long id, String table) {
    MiningRuns.View view = runs.get(id);
    TableRef t = captured(id, table);
    return new StopPreview(t.toString(), readersOf(readers(view.source()), t));
  }

  /**
   * Asks the mining run to stop reading {@code table}: it appends what it read and stops there; the
   * tasks reading the table wait.
   */
  public Table stop(long id, String table) {
    TableRef t = captured(id, table);
    ask(id, t, true);
    MiningLog.State st = state(id);
    return table(runs.get(id), st, t);
  }

  /**
   * What resuming a table would do, told before it is asked for.
   *
   * @param fromStop true when the source's log still holds {@code stoppedAt}: no change is lost;
   *     false when the table is captured again from the mining log's head and the tasks reading it
   *     fail with {@code mining.offset-expired} (a new snapshot)
   * @param message the same for people
   */
  public record ResumePreview(
      String table,
      String stoppedAt,
      long stoppedHead,
      boolean fromStop,
      String message,
      List<TaskRef> tasks) {}

  /** What resuming {@code table} would do: from its stop, or from the head with a new snapshot. */
  public ResumePreview resumePreview(long id, String table) {
    TableRef t = captured(id, table);
    try {
      MiningRun.ResumePreview p =
          MiningRun.previewResume(connectors, runs.spec(id), files, work, t);
      return new ResumePreview(
          t.toString(),
          p.stoppedAt(),
          p.stoppedHead(),
          p.fromStop(),
          p.message(),
          readersOf(readers(runs.get(id).source()), t));
    } catch (FerryException e) {
      throw translate(e, table);
    }
  }

  /** Asks the mining run to resume {@code table} (see {@link #resumePreview}). */
  public Table resume(long id, String table) {
    TableRef t = captured(id, table);
    if (!state(id).stopped().containsKey(t) && !state(id).stopAsked().contains(t)) {
      throw DomainException.conflict(t + " is not stopped");
    }
    ask(id, t, false);
    return table(runs.get(id), state(id), t);
  }

  private void ask(long id, TableRef t, boolean stop) {
    try {
      log(id).askStopped(t, stop);
    } catch (FerryException e) {
      throw translate(e, t.toString());
    }
  }

  private MiningLog.State state(long id) {
    try {
      return log(id).state();
    } catch (FerryException e) {
      throw translate(e, null);
    }
  }

  /** A mining log kept open for the panel's polling, while its options stay the same. */
  private record Open(java.util.Map<String, Object> options, MiningLog log) {}

  private final java.util.Map<Long, Open> open = new java.util.HashMap<>();

  /** The mining run's log, opened once and again only when its data source changed. */
  private synchronized MiningLog log(long id) {
    MiningRun.Spec spec = runs.spec(id);
    Open o = open.get(id);
    if (o != null && o.options().equals(spec.miningLog().options())) {
      return o.log();
    }
    if (o != null) {
      o.log().close();
    }
    MiningLog log = MiningRun.openLog(connectors, spec, files, work);
    open.put(id, new Open(spec.miningLog().options(), log));
    return log;
  }

  @jakarta.annotation.PreDestroy
  synchronized void close() {
    open.values().forEach(o -> o.log().close());
    open.clear();
  }

  /** The table among the run's, by {@code schema.table}; else 400 naming {@code table}. */
  private TableRef captured(long id, String table) {
    if (table == null || table.isBlank()) {
      throw DomainException.invalid("table", "the table is missing: schema.table expected");
    }
    for (TableRef t : state(id).tables().keySet()) {
      if (t.toString().equals(table.trim())) {
        return t;
      }
    }
    throw DomainException.invalid(
        "table", "mining run " + id + " does not capture '" + table + "'");
  }

  private static RuntimeException translate(FerryException e, String table) {
    if (e.code().equals(ErrorCode.NOT_FOUND)) {
      return DomainException.invalid(table == null ? "id" : "table", e.getMessage());
    }
    return e;
  }

  /** A task reading from a mining run, with the objects its source names. */
  private record Reader(TaskRef task, List<String> objects) {}

  /**
   * The tasks that may read from the mining run of {@code source}: cdc tasks with {@code
   * cdc.sharedMining: true} whose source is that data source.
   */
  private List<Reader> readers(String source) {
    List<Reader> out = new ArrayList<>();
    for (TaskService.DataSourceUse use : tasks.dataSourceUses()) {
      if (!use.side().equals("source") || !use.alias().equals(source)) {
        continue;
      }
      String script = tasks.find(use.taskId()).map(TaskService.View::script).orElse(null);
      if (script == null || !sharedMining(script)) {
        continue;
      }
      for (JobScripts.SideObjects side : JobScripts.objectsOf(script)) {
        if (side.section().equals("source")) {
          out.add(new Reader(new TaskRef(use.taskId(), use.taskName()), side.objects()));
        }
      }
    }
    return out;
  }

  /** Those whose {@code tables} name {@code table} ({@code schema.table}, or {@code table}). */
  private static List<TaskRef> readersOf(List<Reader> readers, TableRef table) {
    return readers.stream()
        .filter(r -> r.objects().stream().anyMatch(o -> names(o, table)))
        .map(Reader::task)
        .distinct()
        .toList();
  }

  private static boolean names(String object, TableRef table) {
    return object.equals(table.toString()) || object.equals(table.name());
  }

  private static boolean sharedMining(String script) {
    try {
      JsonNode root = YAML.readTree(script);
      return root != null && root.path("cdc").path("sharedMining").asBoolean(false);
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
