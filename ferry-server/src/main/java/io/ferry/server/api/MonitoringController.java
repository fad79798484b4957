package io.ferry.server.api;

import io.ferry.server.monitoring.NodeMetrics;
import io.ferry.server.monitoring.RunHistory;
import io.ferry.server.monitoring.SyncStatus;
import io.ferry.server.schedule.DependencyGraph;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the monitoring pages show: the server nodes and their resource samples, runs over time, the
 * sync status of each data source and the graph of task dependencies.
 */
@RestController
public class MonitoringController {
  private final NodeMetrics nodes;
  private final RunHistory history;
  private final SyncStatus sync;
  private final DependencyGraph dependencies;
  private final FerryProperties properties;

  public MonitoringController(
      NodeMetrics nodes,
      RunHistory history,
      SyncStatus sync,
      DependencyGraph dependencies,
      FerryProperties properties) {
    this.nodes = nodes;
    this.history = history;
    this.sync = sync;
    this.dependencies = dependencies;
    this.properties = properties;
  }

  @GetMapping("/api/nodes")
  public List<NodeMetrics.Node> nodes() {
    return nodes.nodes(Instant.now().minus(properties.lease().multipliedBy(2)));
  }

  /** A node's samples of the last {@code hours} (1 to 168), oldest first. */
  @GetMapping("/api/nodes/{node}/samples")
  public List<NodeMetrics.Sample> samples(
      @PathVariable String node, @RequestParam(defaultValue = "6") int hours) {
    if (hours < 1 || hours > 168) {
      throw DomainException.invalid("hours", "must be between 1 and 168");
    }
    return nodes.samples(node, Instant.now().minus(Duration.ofHours(hours)));
  }

  /** The runs that ended in the last {@code hours} (1 to 720), by interval and result. */
  @GetMapping("/api/monitoring/history")
  public RunHistory.Timeline history(@RequestParam(defaultValue = "24") int hours) {
    if (hours < 1 || hours > 720) {
      throw DomainException.invalid("hours", "must be between 1 and 720");
    }
    return history.last(hours, Instant.now());
  }

  /** Each data source with its tasks' latest results. */
  @GetMapping("/api/monitoring/sync-status")
  public List<SyncStatus.DataSourceSync> syncStatus() {
    return sync.all();
  }

  /** Scheduled tasks, the upstream tasks they wait for, and each one's latest instance. */
  @GetMapping("/api/monitoring/dependencies")
  public DependencyGraph.Graph dependencies() {
    return dependencies.graph();
  }
}
