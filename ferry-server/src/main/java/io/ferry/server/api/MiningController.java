package io.ferry.server.api;

import io.ferry.server.runs.MiningRuns;
import io.ferry.server.security.AuditLog;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shared mining (docs/shared-mining.md): this node's mining runs, which the cdc tasks with {@code
 * sharedMining: true} start. Reading is for every user, stop and start for operators.
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
