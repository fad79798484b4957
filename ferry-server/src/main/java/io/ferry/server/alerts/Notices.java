package io.ferry.server.alerts;

import io.ferry.server.runs.ProgressSocket;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.Page;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/**
 * In-app notices ({@code ferry_notice}): every user sees every notice; each marks what they read
 * ({@code ferry_notice_read}). A new notice is pushed to every WebSocket as {@code {"type":
 * "notice", ...}}, so the bell counts up without a poll.
 */
@Service
public class Notices {
  private final JdbcClient db;
  private final ProgressSocket socket;

  public Notices(JdbcClient db, ProgressSocket socket) {
    this.db = db;
    this.socket = socket;
  }

  /**
   * A notice.
   *
   * @param event {@code firing}, {@code repeat} or {@code recovered}
   * @param read whether the user asking has read it
   */
  public record Notice(
      long id,
      Instant createdAt,
      String event,
      Long ruleId,
      Long taskId,
      String title,
      String body,
      boolean read) {}

  /** Stores a notice and pushes it. */
  Notice add(String event, Long ruleId, Long incidentId, Long taskId, String title, String body) {
    Instant now = Instant.now();
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_notice (created_at, event, rule_id, incident_id, task_id, title, body)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(Timestamp.from(now), event, ruleId, incidentId, taskId, cut(title, 500), body)
        .update(keys, "id");
    Notice n =
        new Notice(
            keys.getKey().longValue(), now, event, ruleId, taskId, cut(title, 500), body, false);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "notice");
    m.put("id", n.id());
    m.put("createdAt", n.createdAt().toString());
    m.put("event", n.event());
    m.put("ruleId", n.ruleId());
    m.put("taskId", n.taskId());
    m.put("title", n.title());
    m.put("body", n.body());
    socket.publishAll(m);
    return n;
  }

  /** The user's notices, newest first; {@code unreadOnly} leaves out those they read. */
  public Page<Notice> list(String user, boolean unreadOnly, int page, int size) {
    Page.check(page, size);
    String from =
        " FROM ferry_notice n LEFT JOIN ferry_notice_read r ON r.notice_id = n.id AND r.username = ?"
            + (unreadOnly ? " WHERE r.notice_id IS NULL" : "");
    long total = db.sql("SELECT COUNT(*)" + from).param(user).query(Long.class).single();
    List<Notice> items =
        db.sql(
                "SELECT n.id, n.created_at, n.event, n.rule_id, n.task_id, n.title, n.body,"
                    + " r.notice_id"
                    + from
                    + " ORDER BY n.id DESC LIMIT ? OFFSET ?")
            .params(user, size, (long) page * size)
            .query(
                (rs, i) ->
                    new Notice(
                        rs.getLong(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getString(3),
                        rs.getObject(4, Long.class),
                        rs.getObject(5, Long.class),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getObject(8) != null))
            .list();
    return new Page<>(items, total, page, size);
  }

  public long unread(String user) {
    return db.sql(
            "SELECT COUNT(*) FROM ferry_notice n WHERE NOT EXISTS (SELECT 1 FROM ferry_notice_read"
                + " r WHERE r.notice_id = n.id AND r.username = ?)")
        .param(user)
        .query(Long.class)
        .single();
  }

  public void markRead(String user, long id) {
    if (db.sql("SELECT COUNT(*) FROM ferry_notice WHERE id = ?")
            .param(id)
            .query(Integer.class)
            .single()
        == 0) {
      throw DomainException.notFound("notice", id);
    }
    try {
      db.sql("INSERT INTO ferry_notice_read (notice_id, username, read_at) VALUES (?, ?, ?)")
          .params(id, user, Timestamp.from(Instant.now()))
          .update();
    } catch (DuplicateKeyException alreadyRead) {
      // read before: nothing to do
    }
  }

  public void markAllRead(String user) {
    // The ids first, then one insert each: an INSERT ... SELECT with parameters in its select list
    // is typed differently by each database.
    List<Long> unread =
        db.sql(
                "SELECT n.id FROM ferry_notice n WHERE NOT EXISTS (SELECT 1 FROM ferry_notice_read"
                    + " r WHERE r.notice_id = n.id AND r.username = ?)")
            .param(user)
            .query(Long.class)
            .list();
    for (long id : unread) {
      markRead(user, id);
    }
  }

  /** Deletes notices (and their read marks) older than {@code before}. */
  void purge(Instant before) {
    Timestamp t = Timestamp.from(before);
    db.sql(
            "DELETE FROM ferry_notice_read WHERE notice_id IN (SELECT id FROM ferry_notice WHERE"
                + " created_at < ?)")
        .param(t)
        .update();
    db.sql("DELETE FROM ferry_notice WHERE created_at < ?").param(t).update();
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
