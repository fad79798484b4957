package io.ferry.server.api;

import io.ferry.server.alerts.AlertChannels;
import io.ferry.server.alerts.AlertRules;
import io.ferry.server.alerts.Notices;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.Page;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alert rules (operators and admins write them), alert channels (admins write them; secrets never
 * shown) and each user's in-app notices.
 */
@RestController
public class AlertController {
  private final AlertRules rules;
  private final AlertChannels channels;
  private final Notices notices;

  public AlertController(AlertRules rules, AlertChannels channels, Notices notices) {
    this.rules = rules;
    this.channels = channels;
    this.notices = notices;
  }

  @GetMapping("/api/alert-rules")
  public List<AlertRules.Rule> rules(@RequestParam(required = false) Long taskId) {
    return rules.list(taskId);
  }

  @GetMapping("/api/alert-rules/{id}")
  public AlertRules.Rule rule(@PathVariable long id) {
    return rules.get(id);
  }

  @PostMapping("/api/alert-rules")
  @ResponseStatus(HttpStatus.CREATED)
  public AlertRules.Rule createRule(@RequestBody AlertRules.Request r) {
    return rules.create(r);
  }

  @PutMapping("/api/alert-rules/{id}")
  public AlertRules.Rule updateRule(@PathVariable long id, @RequestBody AlertRules.Request r) {
    return rules.update(id, r);
  }

  @DeleteMapping("/api/alert-rules/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void deleteRule(@PathVariable long id) {
    rules.delete(id);
  }

  @GetMapping("/api/alert-channels")
  public List<AlertChannels.View> channels() {
    return channels.list();
  }

  @GetMapping("/api/alert-channels/{id}")
  public AlertChannels.View channel(@PathVariable long id) {
    return channels.get(id);
  }

  @PostMapping("/api/alert-channels")
  @ResponseStatus(HttpStatus.CREATED)
  public AlertChannels.View createChannel(@RequestBody AlertChannels.Request r) {
    return channels.create(r);
  }

  @PutMapping("/api/alert-channels/{id}")
  public AlertChannels.View updateChannel(
      @PathVariable long id, @RequestBody AlertChannels.Request r) {
    return channels.update(id, r);
  }

  @DeleteMapping("/api/alert-channels/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void deleteChannel(@PathVariable long id) {
    channels.delete(id);
  }

  /** Sends a test message through the channel: 204, or 409 with the reason. */
  @PostMapping("/api/alert-channels/{id}/test")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void testChannel(@PathVariable long id) {
    channels.sendTest(id);
  }

  @GetMapping("/api/notices")
  public Page<Notices.Notice> notices(
      @RequestParam(defaultValue = "false") boolean unread,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return notices.list(AuditLog.currentUser(), unread, page, size);
  }

  @GetMapping("/api/notices/unread-count")
  public Map<String, Long> unreadCount() {
    return Map.of("unread", notices.unread(AuditLog.currentUser()));
  }

  @PostMapping("/api/notices/{id}/read")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void read(@PathVariable long id) {
    notices.markRead(AuditLog.currentUser(), id);
  }

  @PostMapping("/api/notices/read-all")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void readAll() {
    notices.markAllRead(AuditLog.currentUser());
  }
}
