package io.ferry.server.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/**
 * Alert rules ({@code ferry_alert_rule}): what to watch ({@link AlertKind}), on which task (none:
 * every task, or the nodes), the kind's threshold, how often a lasting incident is sent again, and
 * the channels it goes to (none: in-app notices).
 */
@Service
public class AlertRules {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "r.id, r.name, r.kind, r.task_id, t.name, r.threshold, r.for_seconds, r.repeat_seconds,"
          + " r.channels, r.enabled, r.created_by";

  private final JdbcClient db;
  private final AlertChannels channels;
  private final AuditLog audit;

  public AlertRules(JdbcClient db, AlertChannels channels, AuditLog audit) {
    this.db = db;
    this.channels = channels;
    this.audit = audit;
  }

  /**
   * A rule.
   *
   * @param taskId the task watched; null: every task (NODE_DOWN: the nodes)
   * @param threshold dirty rows, lag seconds or rows per second, as the kind reads it
   * @param forMinutes how long throughput must stay low (THROUGHPUT_BELOW), how late a schedule may
   *     be (SCHEDULE_MISSED)
   * @param repeatMinutes a lasting incident is sent again at most this often; 0: never again
   * @param channels the channels' ids; empty: in-app notices only
   */
  public record Rule(
      long id,
      String name,
      String kind,
      Long taskId,
      String taskName,
      Double threshold,
      double forMinutes,
      double repeatMinutes,
      List<Long> channels,
      boolean enabled,
      String createdBy) {
    AlertKind alertKind() {
      return AlertKind.valueOf(kind.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    long forSeconds() {
      return Math.round(forMinutes * 60);
    }

    long repeatSeconds() {
      return Math.round(repeatMinutes * 60);
    }
  }

  /** What a client sends to create or change a rule. */
  public record Request(
      String name,
      String kind,
      Long taskId,
      Double threshold,
      Double forMinutes,
      Double repeatMinutes,
      List<Long> channels,
      Boolean enabled) {}

  public List<Rule> list(Long taskId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM ferry_alert_rule r LEFT JOIN ferry_task t ON t.id = r.task_id"
                + (taskId == null ? "" : " WHERE r.task_id = " + taskId.longValue())
                + " ORDER BY r.name")
        .query((rs, i) -> rule(rs))
        .list();
  }

  List<Rule> enabled() {
    return list(null).stream().filter(Rule::enabled).toList();
  }

  public Rule get(long id) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM ferry_alert_rule r LEFT JOIN ferry_task t ON t.id = r.task_id"
                + " WHERE r.id = ?")
        .param(id)
        .query((rs, i) -> rule(rs))
        .optional()
        .orElseThrow(() -> DomainException.notFound("alert rule", id));
  }

  public Rule create(Request r) {
    Checked c = checked(r);
    Timestamp now = Timestamp.from(Instant.now());
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    try {
      db.sql(
              "INSERT INTO ferry_alert_rule (name, kind, task_id, threshold, for_seconds,"
                  + " repeat_seconds, channels, enabled, created_by, created_at, updated_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              c.name,
              c.kind.name(),
              r.taskId(),
              r.threshold(),
              c.forSeconds,
              c.repeatSeconds,
              c.channels,
              r.enabled() == null || r.enabled(),
              AuditLog.currentUser(),
              now,
              now)
          .update(keys, "id");
    } catch (DuplicateKeyException e) {
      throw nameInUse(c.name);
    }
    long id = keys.getKey().longValue();
    audit.record("alert-rule-created", "alert-rule", id, c.name);
    return get(id);
  }

  public Rule update(long id, Request r) {
    get(id);
    Checked c = checked(r);
    try {
      db.sql(
              "UPDATE ferry_alert_rule SET name = ?, kind = ?, task_id = ?, threshold = ?,"
                  + " for_seconds = ?, repeat_seconds = ?, channels = ?, enabled = ?,"
                  + " updated_at = ? WHERE id = ?")
          .params(
              c.name,
              c.kind.name(),
              r.taskId(),
              r.threshold(),
              c.forSeconds,
              c.repeatSeconds,
              c.channels,
              r.enabled() == null || r.enabled(),
              Timestamp.from(Instant.now()),
              id)
          .update();
    } catch (DuplicateKeyException e) {
      throw nameInUse(c.name);
    }
    audit.record("alert-rule-updated", "alert-rule", id, c.name);
    return get(id);
  }

  public void delete(long id) {
    get(id);
    db.sql("DELETE FROM ferry_alert_rule WHERE id = ?").param(id).update();
    // Its incidents end without a notice: nobody watches them any more.
    db.sql(
            "UPDATE ferry_alert_incident SET open_key = NULL, closed_at = ? WHERE rule_id = ? AND"
                + " closed_at IS NULL")
        .params(Timestamp.from(Instant.now()), id)
        .update();
    audit.record("alert-rule-deleted", "alert-rule", id, null);
  }

  private record Checked(
      String name, AlertKind kind, int forSeconds, int repeatSeconds, String channels) {}

  private Checked checked(Request r) {
    List<DomainException.FieldProblem> problems = new ArrayList<>();
    if (r.name() == null || r.name().isBlank()) {
      problems.add(new DomainException.FieldProblem("name", "is required"));
    } else if (r.name().length() > 200) {
      problems.add(new DomainException.FieldProblem("name", "at most 200 characters"));
    }
    if (r.kind() == null) {
      throw DomainException.invalid("kind", "is required");
    }
    String k =
        DomainException.choice(
            "kind",
            r.kind().replace('-', '_'),
            Arrays.stream(AlertKind.values()).map(Enum::name).toList());
    AlertKind kind = AlertKind.valueOf(k);
    if (kind.needsThreshold() && (r.threshold() == null || r.threshold() < 0)) {
      problems.add(new DomainException.FieldProblem("threshold", "is required: a number >= 0"));
    }
    if (kind == AlertKind.NODE_DOWN && r.taskId() != null) {
      problems.add(new DomainException.FieldProblem("taskId", "a node-down rule watches nodes"));
    }
    if (kind.watchesMining() && r.taskId() != null) {
      problems.add(
          new DomainException.FieldProblem(
              "taskId", "a mining rule watches every shared-mining run, not a task"));
    }
    if (r.taskId() != null
        && db.sql("SELECT COUNT(*) FROM ferry_task WHERE id = ?")
                .param(r.taskId())
                .query(Integer.class)
                .single()
            == 0) {
      problems.add(new DomainException.FieldProblem("taskId", "there is no task " + r.taskId()));
    }
    double forMinutes =
        r.forMinutes() == null ? (kind == AlertKind.THROUGHPUT_BELOW ? 5 : 0) : r.forMinutes();
    if (forMinutes < 0 || forMinutes > 7 * 24 * 60) {
      problems.add(new DomainException.FieldProblem("forMinutes", "between 0 and 10080"));
    }
    double repeat = r.repeatMinutes() == null ? 60 : r.repeatMinutes();
    if (repeat < 0 || repeat > 7 * 24 * 60) {
      problems.add(new DomainException.FieldProblem("repeatMinutes", "between 0 and 10080"));
    }
    List<Long> ids = r.channels() == null ? List.of() : List.copyOf(r.channels());
    for (Long id : ids) {
      if (id == null || channels.open(id).isEmpty()) {
        problems.add(
            new DomainException.FieldProblem("channels", "there is no alert channel " + id));
      }
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    try {
      return new Checked(
          r.name().strip(),
          kind,
          (int) Math.round(forMinutes * 60),
          (int) Math.round(repeat * 60),
          JSON.writeValueAsString(ids));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DomainException nameInUse(String name) {
    return new DomainException.Conflict(
        "an alert rule named '" + name + "' exists",
        List.of(new DomainException.FieldProblem("name", "in use")));
  }

  private static Rule rule(ResultSet rs) throws SQLException {
    List<Long> channels;
    try {
      channels = List.of(JSON.readValue(rs.getString(9), Long[].class));
    } catch (IOException e) {
      channels = List.of();
    }
    return new Rule(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3).toLowerCase(Locale.ROOT).replace('_', '-'),
        rs.getObject(4, Long.class),
        rs.getString(5),
        rs.getObject(6, Double.class),
        rs.getInt(7) / 60.0,
        rs.getInt(8) / 60.0,
        channels,
        rs.getBoolean(10),
        rs.getString(11));
  }
}
