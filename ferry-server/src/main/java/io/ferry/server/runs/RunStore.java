package io.ferry.server.runs;

import io.ferry.engine.Progress;
import io.ferry.engine.RunState;
import io.ferry.server.runs.RunService.View;
import io.ferry.server.schedule.model.PlannedScript;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.Page;
import io.ferry.server.shared.SqlText;
import io.ferry.server.tasks.JobScripts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runs' rows ({@code ferry_task_run}): what the API lists, and each state and progress a run
 * reaches. A run executes on one node ({@code node} in its row); the writes said to be "held"
 * change the row only while it is this node's, so that a node that lost the run to another ({@link
 * RunRecovery}) cannot overwrite what the other does with it.
 */
@Component
class RunStore {
  static final String QUEUED = "QUEUED";

  /** The states a run can be in: the server's QUEUED, then the engine's. */
  static final Set<String> STATES =
      Stream.concat(Stream.of(QUEUED), Arrays.stream(RunState.values()).map(RunState::name))
          .collect(Collectors.toUnmodifiableSet());

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private static final String COLUMNS =
      "id, task_id, task_name, run_key, state, started_by, created_at, started_at, ended_at,"
          + " records_read, records_written, bytes_written, dirty_records, percent_done, message,"
          + " rerun_of, script, dirty_file, params, instance_id, node, requested, active_millis,"
          + " resource_group";

  private final JdbcClient db;
  private final String node;

  /**
   * The resources the run may use: its instance's spec (cores, memory), or the default spec of a
   * run no schedule fired.
   */
  io.ferry.engine.RunResources resources(Row row) {
    if (row.instanceId() != null) {
      java.util.Optional<io.ferry.engine.RunResources> spec =
          db.sql("SELECT cpu_cores, memory_mb FROM ferry_instance WHERE id = ?")
              .param(row.instanceId())
              .query((rs, i) -> new io.ferry.engine.RunResources(rs.getInt(1), rs.getInt(2)))
              .optional();
      if (spec.isPresent()) {
        return spec.get();
      }
    }
    return new io.ferry.engine.RunResources(
        io.ferry.server.schedule.model.Schedule.DEFAULT_CPU_CORES,
        io.ferry.server.schedule.model.Schedule.DEFAULT_MEMORY_MB);
  }

  RunStore(JdbcClient db, FerryProperties properties) {
    this.db = db;
    this.node = properties.nodeId();
  }

  /** A stored run with what the API does not show. */
  record Row(
      View view,
      String script,
      String dirtyFile,
      Map<String, String> params,
      Long instanceId,
      String node,
      String requested) {}

  static boolean isFinal(String state) {
    return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("STOPPED");
  }

  /** Whether the run executes on this node. */
  boolean isMine(Row row) {
    return node.equals(row.node());
  }

  // ---- reading ----------------------------------------------------------------------------

  Page<View> list(Long taskId, String state, int page, int size) {
    Page.Where where =
        new Page.Where()
            .andIf(taskId, "task_id = ?")
            .andIf(DomainException.choice("state", state, STATES), "state = ?");
    return Page.query(
            db, COLUMNS, "ferry_task_run", where, "id DESC", page, size, (rs, i) -> row(rs))
        .map(Row::view);
  }

  /**
   * @throws DomainException.NotFound when there is no such run
   */
  Row stored(long id) {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_task_run WHERE id = ?")
        .param(id)
        .query((rs, i) -> row(rs))
        .optional()
        .orElseThrow(() -> DomainException.notFound("run", id));
  }

  /** The progress saved with the run; empty when it has none. */
  Map<String, Object> savedProgress(long id) {
    return db.sql("SELECT progress FROM ferry_task_run WHERE id = ?")
        .param(id)
        .query(String.class)
        .optional()
        .map(json -> JSON.readValue(json, OBJECT))
        .orElse(Map.of());
  }

  /** How many times the run was continued without a person. */
  int takeovers(long id) {
    return db.sql("SELECT takeovers FROM ferry_task_run WHERE id = ?")
        .param(id)
        .query(Integer.class)
        .single();
  }

  private static Row row(ResultSet rs) throws SQLException {
    long task = rs.getLong(2);
    Long taskId = rs.wasNull() ? null : task;
    Instant started = instant(rs.getTimestamp(8));
    Instant ended = instant(rs.getTimestamp(9));
    Long duration =
        started == null
            ? null
            : Duration.between(started, ended == null ? Instant.now() : ended).toMillis();
    long written = rs.getLong(11);
    long bytes = rs.getLong(12);
    Long active = rs.getObject(23, Long.class);
    double seconds = active != null ? active / 1000.0 : duration == null ? 0 : duration / 1000.0;
    double percent = rs.getDouble(14);
    Double pct = rs.wasNull() ? null : percent;
    long rerun = rs.getLong(16);
    Long rerunOf = rs.wasNull() ? null : rerun;
    return new Row(
        new View(
            rs.getLong(1),
            taskId,
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            instant(rs.getTimestamp(7)),
            started,
            ended,
            duration,
            active,
            rs.getLong(10),
            written,
            bytes,
            rs.getLong(13),
            pct,
            seconds > 0 ? written / seconds : null,
            seconds > 0 ? bytes / seconds : null,
            rs.getString(15),
            rerunOf,
            (Long) rs.getObject(20, Long.class),
            rs.getString(21),
            rs.getString(24) == null ? FerryProperties.DEFAULT_GROUP : rs.getString(24),
            null,
            null),
        rs.getString(17),
        rs.getString(18),
        JobScripts.params(rs.getString(19)),
        (Long) rs.getObject(20, Long.class),
        rs.getString(21),
        rs.getString(22));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  // ---- writing ----------------------------------------------------------------------------

  /**
   * A new QUEUED run; returns its id.
   *
   * @param group its resource group; null for the default group
   * @param here whether it is this node's (it serves the group), or waits for a node of the group
   *     to take it ({@code node} NULL, {@code message} saying so)
   */
  long insert(
      Long taskId,
      String name,
      PlannedScript planned,
      String startedBy,
      Long rerunOf,
      Long instanceId,
      String group,
      boolean here) {
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_task_run (task_id, task_name, state, script, started_by,"
                + " created_at, records_read, records_written, bytes_written, dirty_records,"
                + " rerun_of, params, instance_id, node, resource_group, message)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?)")
        .params(
            taskId,
            name,
            QUEUED,
            planned.script(),
            startedBy,
            Timestamp.from(Instant.now()),
            rerunOf,
            JobScripts.paramsJson(planned.params()),
            instanceId,
            here ? node : null,
            group,
            here ? null : waiting(group))
        .update(keys, "id");
    return keys.getKey().longValue();
  }

  /** QUEUED again on this node, with its message; counts one more automatic continuation. */
  void continuing(long id, String message) {
    db.sql(
            "UPDATE ferry_task_run SET state = ?, message = ?, requested = NULL,"
                + " takeovers = takeovers + 1 WHERE id = ? AND node = ?")
        .params(QUEUED, message, id, node)
        .update();
  }

  /**
   * A paused run QUEUED to resume: on this node, or (not {@code here}) on the node of its group
   * that takes it.
   */
  void resuming(long id, boolean here, String group) {
    db.sql(
            "UPDATE ferry_task_run SET state = ?, message = ?, requested = NULL, node = ?"
                + " WHERE id = ?")
        .params(QUEUED, here ? null : waiting(group), here ? node : null, id)
        .update();
  }

  /** The message of a run that waits for a node of its group. */
  static String waiting(String group) {
    return "waits for a node of resource group "
        + (group == null ? FerryProperties.DEFAULT_GROUP : group);
  }

  /**
   * Takes a run that waits for a node of its group (see {@link #insert}).
   *
   * @return whether this node has it now (false: another node took it first)
   */
  boolean take(long id) {
    return db.sql(
                "UPDATE ferry_task_run SET node = ?, message = NULL WHERE id = ? AND node IS NULL"
                    + " AND state = ?")
            .params(node, id, QUEUED)
            .update()
        == 1;
  }

  /** A pause or stop for the node that executes the run, which reads it within a second. */
  void request(long id, String action) {
    db.sql("UPDATE ferry_task_run SET requested = ? WHERE id = ?").params(action, id).update();
  }

  /**
   * The pause and stop requests that other nodes wrote for runs this node executes, each cleared as
   * it is taken.
   *
   * @return the action ({@code pause} or {@code stop}) by run id
   */
  Map<Long, String> takeRequests() {
    List<Object[]> requests =
        db.sql("SELECT id, requested FROM ferry_task_run WHERE node = ? AND requested IS NOT NULL")
            .param(node)
            .query((rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)})
            .list();
    Map<Long, String> taken = new LinkedHashMap<>();
    for (Object[] r : requests) {
      long id = (Long) r[0];
      db.sql("UPDATE ferry_task_run SET requested = NULL WHERE id = ?").param(id).update();
      taken.put(id, (String) r[1]);
    }
    return taken;
  }

  /**
   * RUNNING as {@code runKey}, held.
   *
   * @return whether the run is still this node's
   */
  boolean started(long id, String runKey) {
    return db.sql(
                "UPDATE ferry_task_run SET run_key = ?, state = ?, message = NULL,"
                    + " started_at = COALESCE(started_at, ?) WHERE id = ? AND node = ?")
            .params(runKey, "RUNNING", Timestamp.from(Instant.now()), id, node)
            .update()
        == 1;
  }

  /**
   * The state an attempt ended in, held, with its message and dirty-row file; a final state is the
   * run's end.
   *
   * @return whether the run is still this node's
   */
  boolean attemptEnded(long id, RunState state, String message, String dirtyFile) {
    return db.sql(
                "UPDATE ferry_task_run SET state = ?, message = ?, dirty_file = ?, ended_at = ?"
                    + " WHERE id = ? AND node = ?")
            .params(
                state.name(),
                message,
                dirtyFile,
                state.isFinal() ? Timestamp.from(Instant.now()) : null,
                id,
                node)
            .update()
        == 1;
  }

  /** The run's figures and its saved progress message, held. */
  void saveProgress(long id, Progress p, Map<String, Object> saved) {
    db.sql(
            "UPDATE ferry_task_run SET records_read = ?, records_written = ?, bytes_written = ?,"
                + " dirty_records = ?, percent_done = ?, progress = ?, active_millis = ?"
                + " WHERE id = ? AND node = ?")
        .params(
            p.recordsRead(),
            p.recordsWritten(),
            p.bytesWritten(),
            p.dirtyRecords(),
            p.percent().isPresent() ? p.percent().getAsDouble() : null,
            JSON.writeValueAsString(saved),
            p.elapsed().toMillis(),
            id,
            node)
        .update();
  }

  /**
   * A state and its message; {@code ended} also sets the end time (once).
   *
   * @param held only while the run is this node's; otherwise whichever node has it
   * @return whether it was written
   */
  boolean writeState(long id, String state, String message, boolean ended, boolean held) {
    List<Object> params = new ArrayList<>(List.of(state, SqlText.orNull(message)));
    if (ended) {
      params.add(Timestamp.from(Instant.now()));
    }
    params.add(id);
    if (held) {
      params.add(node);
    }
    return db.sql(
                "UPDATE ferry_task_run SET state = ?, message = ?"
                    + (ended ? ", ended_at = COALESCE(ended_at, ?)" : "")
                    + " WHERE id = ?"
                    + (held ? " AND node = ?" : ""))
            .params(params)
            .update()
        == 1;
  }
}
