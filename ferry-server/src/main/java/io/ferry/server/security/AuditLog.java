package io.ferry.server.security;

import io.ferry.server.shared.Page;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** Who started, paused, stopped, created, edited or deleted what, and when. */
@Component
public class AuditLog {
  private final JdbcClient db;

  public AuditLog(JdbcClient db) {
    this.db = db;
  }

  /**
   * Records an action of the current user.
   *
   * @param detail a short description; never option values
   */
  public void record(String action, String targetKind, Object targetId, String detail) {
    insert(currentUser(), action, targetKind, targetId, detail);
  }

  /** A wrong password for {@code username} (as typed, perhaps no user) from {@code address}. */
  public void loginFailed(String username, String address) {
    String name = truncate(String.valueOf(username), 100);
    insert(name, "login-failed", "user", name, "from " + address);
  }

  private void insert(
      String username, String action, String targetKind, Object targetId, String detail) {
    db.sql(
            "INSERT INTO ferry_audit (at_time, username, action, target_kind, target_id, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
        .params(
            Timestamp.from(Instant.now()),
            username,
            action,
            targetKind,
            targetId == null ? null : truncate(String.valueOf(targetId), 200),
            detail == null ? null : truncate(detail, 2000))
        .update();
  }

  /** Audit entries, newest first, one page. */
  public Page<Entry> recent(int page, int size) {
    return Page.query(
        db,
        "id, at_time, username, action, target_kind, target_id, detail",
        "ferry_audit",
        new Page.Where(),
        "id DESC",
        page,
        size,
        (rs, i) ->
            new Entry(
                rs.getLong(1),
                rs.getTimestamp(2).toInstant(),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7)));
  }

  public static String currentUser() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth == null ? "system" : auth.getName();
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }

  public record Entry(
      long id,
      Instant at,
      String username,
      String action,
      String targetKind,
      String targetId,
      String detail) {}
}
