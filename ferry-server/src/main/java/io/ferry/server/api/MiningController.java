package io.ferry.server.api;

import io.ferry.server.monitoring.MiningHistory;
import io.ferry.server.runs.MiningRuns;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shared mining (docs/shared-mining.md): this node's mining runs, which the cdc tasks with {@code
 * sharedMining: true} start. Reading is for every user; stop, start and edit for operators.
 */
@RestController
public class MiningController {
  private final MiningRuns mining;
  private final AuditLog audit;
  private final MiningHistory history;

  public MiningController(MiningRuns mining, AuditLog audit, MiningHistory history) {
    this.mining = mining;
    this.audit = audit;
    this.history = history;
  }

  @GetMapping("/api/mining")
  public List<MiningRuns.View> list() {
    return mining.list();
  }

  @GetMapping("/api/mining/{id}")
  public MiningRuns.View get(@PathVariable long id) {
    return mining.get(id);
  }

  /**
   * A mining run's samples (events/s appended and read, latency, log size, events by table) taken
   * from {@code from} to {@code to} (ISO-8601 with an offset; by default the last hour up to now),
   * oldest first, thinned evenly to at most {@value MiningHistory#MAX_SAMPLES}.
   */
  @GetMapping("/api/mining/{id}/history")
  public List<MiningHistory.Sample> history(
      @PathVariable long id,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    mining.get(id);
    Instant end = to == null || to.isBlank() ? Instant.now() : instant("to", to);
    Instant start =
        from == null || from.isBlank() ? end.minus(Duration.ofHours(1)) : instant("from", from);
    if (start.isAfter(end)) {
      throw DomainException.invalid("from", "is after 'to' (" + end + ")");
    }
    return history.samples(id, start, end);
  }

  private static Instant instant(String parameter, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw DomainException.invalid(
          parameter, "is not a time in ISO-8601 with an offset, like 2026-12-07T08:00:00Z");
    }
  }

  /**
   * An edit of a mining run that does not run.
   *
   * @param name its new name, or null to keep it
   * @param retentionHours how long its log keeps events, in hours; null to keep it
   * @param startAt where its next start reads the source's log from: the first change committed at
   *     or after this time (ISO-8601 with an offset); null to keep it, empty to clear it
   * @param writeThreads how many threads encode what it appends, 1 to 16; null to keep it
   * @param fillUpdates whether an update lacking values gets them from the source's row before it
   *     is appended; null to keep it
   */
  public record Edit(
      String name,
      Long retentionHours,
      String startAt,
      Integer writeThreads,
      Boolean fillUpdates) {}

  @PutMapping("/api/mining/{id}")
  public MiningRuns.View edit(@PathVariable long id, @RequestBody Edit edit) {
    MiningRuns.View v =
        mining.edit(
            id,
            edit.name(),
            edit.retentionHours(),
            edit.startAt(),
            edit.writeThreads(),
            edit.fillUpdates());
    audit.record("edit", "mining", id, v.name());
    return v;
  }

  @PostMapping("/api/mining/{id}/stop")
  public MiningRuns.View stop(@PathVariable long id) throws InterruptedException {
    MiningRuns.View v = mining.stop(id);
    audit.record("stop", "mining", id, v.name());
    return v;
  }

  @PostMapping("/api/mining/{id}/start")
  public MiningRuns.View start(@PathVariable long id) {
    MiningRuns.View v = mining.start(id);
    audit.record("start", "mining", id, v.name());
    return v;
  }
}
