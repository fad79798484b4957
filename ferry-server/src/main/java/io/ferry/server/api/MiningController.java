package io.ferry.server.api;

import io.ferry.server.runs.MiningRuns;
import io.ferry.server.security.AuditLog;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shared mining (docs/shared-mining.md): this node's mining runs, which the cdc tasks with {@code
 * sharedMining: true} start. Reading is for every user; stop, start and edit for operators.
 */
@RestController
public class MiningController {
  private final MiningRuns mining;
  private final AuditLog audit;

  public MiningController(MiningRuns mining, AuditLog audit) {
    this.mining = mining;
    this.audit = audit;
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
