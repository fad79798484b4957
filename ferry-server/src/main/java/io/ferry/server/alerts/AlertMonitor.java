package io.ferry.server.alerts;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Checks every enabled rule every {@code ferry.alerts.check-interval} (default 15 s) on a thread of
 * its own (a slow webhook delays no other scheduled work) and turns what it finds into incidents:
 *
 * <ul>
 *   <li>the condition holds and no incident is open for the rule and subject: one opens ({@code
 *       firing} sent once);
 *   <li>it still holds: sent again ({@code repeat}) when the rule's {@code repeatMinutes} have
 *       passed since the last sending (0: never again);
 *   <li>it no longer holds: the incident closes ({@code recovered} sent);
 *   <li>the subject is gone (a deleted task): the incident closes without a notice.
 * </ul>
 *
 * Several nodes may check at once: opening inserts a row whose {@code open_key} is unique, and
 * repeating and closing are conditional updates, so exactly one node sends each message.
 */
@Component
class AlertMonitor implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(AlertMonitor.class);

  private final JdbcClient db;
  private final AlertRules rules;
  private final AlertChannels channels;
  private final Conditions conditions;
  private final AlertSender sender;
  private final Duration interval;
  private final Duration retention;
  private final Notices notices;
  private ScheduledExecutorService executor;
  private Instant lastPurge = Instant.EPOCH;

  AlertMonitor(
      JdbcClient db,
      AlertRules rules,
      AlertChannels channels,
      Conditions conditions,
      AlertSender sender,
      Notices notices,
      @Value("${ferry.alerts.check-interval:15s}") Duration interval,
      @Value("${ferry.alerts.retention:30d}") Duration retention) {
    this.db = db;
    this.rules = rules;
    this.channels = channels;
    this.conditions = conditions;
    this.sender = sender;
    this.interval = interval;
    this.notices = notices;
    this.retention = retention;
  }

  private record Incident(long id, Instant lastSentAt, String detail) {}

  /** One check of every rule; once an hour, notices and closed incidents past the retention go. */
  void check() {
    Instant now = Instant.now();
    if (Duration.between(lastPurge, now).toHours() >= 1) {
      lastPurge = now;
      notices.purge(now.minus(retention));
      db.sql("DELETE FROM ferry_alert_incident WHERE closed_at < ?")
          .param(Timestamp.from(now.minus(retention)))
          .update();
    }
    for (AlertRules.Rule rule : rules.enabled()) {
      try {
        check(rule, now);
      } catch (RuntimeException e) {
        log.warn("Alert rule {} could not be checked: {}", rule.name(), e.toString());
      }
    }
  }

  private void check(AlertRules.Rule rule, Instant now) {
    Map<String, Conditions.Finding> findings = conditions.evaluate(rule, now);
    for (Map.Entry<String, Conditions.Finding> e : findings.entrySet()) {
      String subject = e.getKey();
      Conditions.Finding f = e.getValue();
      Optional<Incident> open = open(rule.id(), subject);
      if (f.firing() && open.isEmpty()) {
        Long id = openIncident(rule, subject, f, now);
        if (id != null) {
          dispatch(rule, "firing", id, f, now);
        }
      } else if (f.firing()) {
        Incident i = open.get();
        if (rule.repeatSeconds() > 0
            && !now.isBefore(i.lastSentAt().plusSeconds(rule.repeatSeconds()))
            && db.sql(
                        "UPDATE ferry_alert_incident SET last_sent_at = ?, sent = sent + 1, detail = ?"
                            + " WHERE id = ? AND last_sent_at = ? AND closed_at IS NULL")
                    .params(Timestamp.from(now), f.detail(), i.id(), Timestamp.from(i.lastSentAt()))
                    .update()
                == 1) {
          dispatch(rule, "repeat", i.id(), f, now);
        }
      } else if (open.isPresent() && close(open.get().id(), now)) {
        dispatch(rule, "recovered", open.get().id(), f, now);
      }
    }
    // Subjects no longer watched (a deleted task, a forgotten node): closed without a word.
    for (Object[] i :
        db.sql(
                "SELECT id, subject FROM ferry_alert_incident WHERE rule_id = ? AND closed_at IS"
                    + " NULL")
            .param(rule.id())
            .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)})
            .list()) {
      if (!findings.containsKey((String) i[1])) {
        close((Long) i[0], now);
      }
    }
  }

  private Optional<Incident> open(long rule, String subject) {
    return db.sql("SELECT id, last_sent_at, detail FROM ferry_alert_incident WHERE open_key = ?")
        .param(rule + ":" + subject)
        .query(
            (rs, i) -> new Incident(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3)))
        .optional();
  }

  /** Opens the incident; null when another node opened it first. */
  private Long openIncident(
      AlertRules.Rule rule, String subject, Conditions.Finding f, Instant now) {
    try {
      db.sql(
              "INSERT INTO ferry_alert_incident (rule_id, subject, open_key, detail, opened_at,"
                  + " last_sent_at, sent) VALUES (?, ?, ?, ?, ?, ?, 1)")
          .params(
              rule.id(),
              subject,
              rule.id() + ":" + subject,
              f.detail(),
              Timestamp.from(now),
              Timestamp.from(now))
          .update();
    } catch (DuplicateKeyException e) {
      return null;
    }
    return open(rule.id(), subject).map(Incident::id).orElse(null);
  }

  private boolean close(long id, Instant now) {
    return db.sql(
                "UPDATE ferry_alert_incident SET open_key = NULL, closed_at = ? WHERE id = ? AND"
                    + " closed_at IS NULL")
            .params(Timestamp.from(now), id)
            .update()
        == 1;
  }

  private void dispatch(
      AlertRules.Rule rule, String event, long incident, Conditions.Finding f, Instant now) {
    AlertSender.Message m =
        new AlertSender.Message(
            event,
            rule.id(),
            rule.name(),
            rule.kind(),
            incident,
            f.taskId(),
            f.subjectName(),
            f.detail(),
            now);
    List<Long> ids = rule.channels();
    if (ids.isEmpty()) {
      sender.notice(m);
      return;
    }
    for (Long id : ids) {
      Optional<AlertChannels.Channel> c = channels.open(id);
      if (c.isEmpty()) {
        continue; // deleted since
      }
      try {
        channels.checkSendable(c.get());
        sender.send(c.get(), m);
      } catch (RuntimeException e) {
        log.warn(
            "Alert {} of rule {} could not go to channel {}: {}",
            event,
            rule.name(),
            c.get().name(),
            e.getMessage());
      }
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  @Override
  public synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-alerts");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(100, interval.toMillis());
    executor.scheduleWithFixedDelay(this::checkSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("Checking the alert rules failed: {}", e.toString());
    }
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}
