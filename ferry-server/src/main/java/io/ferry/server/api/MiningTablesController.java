package io.ferry.server.api;

import io.ferry.server.runs.MiningTables;
import io.ferry.server.security.AuditLog;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A mining run's tables and their stop and resume (docs/shared-mining.md). Reading and the previews
 * are for every user; stop and resume for operators, like stopping the mining run.
 */
@RestController
public class MiningTablesController {
  private final MiningTables tables;
  private final AuditLog audit;

  public MiningTablesController(MiningTables tables, AuditLog audit) {
    this.tables = tables;
    this.audit = audit;
  }

  /** A table named in a request's body: {@code {"table": "shop.orders"}}. */
  public record TableRequest(String table) {}

  @GetMapping("/api/mining/{id}/tables")
  public List<MiningTables.Table> list(@PathVariable long id) {
    return tables.tables(id);
  }

  @GetMapping("/api/mining/{id}/tables/stop-preview")
  public MiningTables.StopPreview stopPreview(
      @PathVariable long id, @RequestParam(required = false) String table) {
    return tables.stopPreview(id, table);
  }

  @PostMapping("/api/mining/{id}/tables/stop")
  public MiningTables.Table stop(
      @PathVariable long id, @RequestBody(required = false) TableRequest request) {
    MiningTables.Table t = tables.stop(id, request == null ? null : request.table());
    audit.record("stop-table", "mining", id, t.table());
    return t;
  }

  @GetMapping("/api/mining/{id}/tables/resume-preview")
  public MiningTables.ResumePreview resumePreview(
      @PathVariable long id, @RequestParam(required = false) String table) {
    return tables.resumePreview(id, table);
  }

  @PostMapping("/api/mining/{id}/tables/resume")
  public MiningTables.Table resume(
      @PathVariable long id, @RequestBody(required = false) TableRequest request) {
    MiningTables.Table t = tables.resume(id, request == null ? null : request.table());
    audit.record("resume-table", "mining", id, t.table());
    return t;
  }
}
