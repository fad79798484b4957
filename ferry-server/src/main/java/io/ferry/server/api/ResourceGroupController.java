package io.ferry.server.api;

import io.ferry.server.groups.ConnectivityChecks;
import io.ferry.server.groups.ResourceGroups;
import io.ferry.server.monitoring.NodeMetrics;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resource groups: everyone signed in reads them and their nodes; admins create, edit and delete
 * them; operators and admins test a group's connectivity to a data source (see SecurityConfig).
 */
@RestController
public class ResourceGroupController {
  private final ResourceGroups groups;
  private final ConnectivityChecks checks;
  private final NodeMetrics nodes;
  private final FerryProperties properties;
  private final AuditLog audit;

  public ResourceGroupController(
      ResourceGroups groups,
      ConnectivityChecks checks,
      NodeMetrics nodes,
      FerryProperties properties,
      AuditLog audit) {
    this.groups = groups;
    this.checks = checks;
    this.nodes = nodes;
    this.properties = properties;
    this.audit = audit;
  }

  @GetMapping("/api/resource-groups")
  public List<ResourceGroups.Group> list() {
    return groups.list();
  }

  @GetMapping("/api/resource-groups/{id}")
  public ResourceGroups.Group get(@PathVariable long id) {
    return groups.get(id);
  }

  @PostMapping("/api/resource-groups")
  @ResponseStatus(HttpStatus.CREATED)
  public ResourceGroups.Group create(@RequestBody ResourceGroups.Request r) {
    ResourceGroups.Group g = groups.create(r);
    audit.record("create", "resource-group", g.id(), g.name() + " (" + g.kind() + ")");
    return g;
  }

  @PutMapping("/api/resource-groups/{id}")
  public ResourceGroups.Group update(@PathVariable long id, @RequestBody ResourceGroups.Request r) {
    ResourceGroups.Group g = groups.update(id, r);
    audit.record("update", "resource-group", id, g.name());
    return g;
  }

  @DeleteMapping("/api/resource-groups/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable long id) {
    ResourceGroups.Group g = groups.delete(id);
    audit.record("delete", "resource-group", id, g.name());
  }

  /**
   * The nodes that joined a group of kind {@code nodes} (none for a {@code flink} group), each with
   * its heartbeat, latest resource sample and runs executing.
   */
  @GetMapping("/api/resource-groups/{id}/nodes")
  public List<NodeMetrics.GroupNode> nodes(@PathVariable long id) {
    ResourceGroups.Group g = groups.get(id);
    return nodes.nodesOf(g.name(), Instant.now().minus(properties.lease().multipliedBy(2)));
  }

  /**
   * @param dataSourceId the data source a node of the group connects to
   */
  public record ConnectivityRequest(Long dataSourceId) {}

  /** Asks a node of the group to connect to the data source; answers once it did, or timed out. */
  @PostMapping("/api/resource-groups/{id}/connectivity")
  public ConnectivityChecks.Result connectivity(
      @PathVariable long id, @RequestBody ConnectivityRequest r) throws InterruptedException {
    if (r == null || r.dataSourceId() == null) {
      throw DomainException.invalid("dataSourceId", "the data source to connect to expected");
    }
    ConnectivityChecks.Result result = checks.check(id, r.dataSourceId(), AuditLog.currentUser());
    audit.record(
        "test-connectivity",
        "resource-group",
        id,
        result.group() + " to " + result.dataSource() + ": " + (result.ok() ? "ok" : "failed"));
    return result;
  }
}
