package io.ferry.server.api;

import io.ferry.server.monitoring.NodeMetrics;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The server nodes and their resource samples (the node page's charts). */
@RestController
public class MonitoringController {
  private final NodeMetrics nodes;
  private final FerryProperties properties;

  public MonitoringController(NodeMetrics nodes, FerryProperties properties) {
    this.nodes = nodes;
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
}
