package io.ferry.server.monitoring;

import io.ferry.server.shared.FerryProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This node's resource meters and samples. Micrometer's own binders (which Spring Boot registers)
 * give {@code process_cpu_usage}, {@code system_cpu_usage}, {@code process_cpu_time_ns_total},
 * {@code jvm_memory_used_bytes}, {@code jvm_threads_live_threads}; this adds the one they lack,
 * {@code ferry_process_resident_memory_bytes}.
 *
 * <p>Every {@code ferry.monitoring.sample-interval} (default 60 s) the node writes one sample to
 * {@code ferry_node_sample} — CPU, heap, RSS, threads, runs executing and queued — for the node
 * charts and the node-down alert; samples older than {@code ferry.monitoring.retention} (default 7
 * days) are deleted.
 */
@Component
public class NodeMetrics {
  private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);

  private final JdbcClient db;
  private final MeterRegistry meters;
  private final String node;
  private final Duration retention;

  public NodeMetrics(
      JdbcClient db,
      MeterRegistry meters,
      FerryProperties properties,
      @Value("${ferry.monitoring.retention:7d}") Duration retention) {
    this.db = db;
    this.meters = meters;
    this.node = properties.nodeId();
    this.retention = retention;
    Gauge.builder("ferry.process.resident.memory", NodeFigures::residentSetSize)
        .description("Resident set size of the server's process (Linux; -1 elsewhere)")
        .baseUnit("bytes")
        .register(meters);
  }

  /** One sample of a node; a CPU load is null when the JVM did not tell it. */
  public record Sample(
      Instant at,
      Double processCpu,
      Double systemCpu,
      long heapUsed,
      long heapMax,
      long rss,
      int threads,
      int runsExecuting,
      int runsQueued) {}

  @Scheduled(
      fixedRateString = "${ferry.monitoring.sample-interval:60s}",
      initialDelayString = "${ferry.monitoring.sample-interval:60s}")
  void sample() {
    try {
      NodeFigures f = NodeFigures.now();
      Instant now = Instant.now();
      db.sql(
              "INSERT INTO ferry_node_sample (node, sampled_at, process_cpu, system_cpu, heap_used,"
                  + " heap_max, rss, threads, runs_executing, runs_queued)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              node,
              Timestamp.from(now),
              finite(f.processCpu()),
              finite(f.systemCpu()),
              f.heapUsed(),
              f.heapMax(),
              f.rss(),
              f.threads(),
              (int) gauge("ferry.runs.executing"),
              (int) gauge("ferry.runs.queued"))
          .update();
      db.sql("DELETE FROM ferry_node_sample WHERE sampled_at < ?")
          .param(Timestamp.from(now.minus(retention)))
          .update();
    } catch (RuntimeException e) {
      log.warn("Could not save this node's sample: {}", e.toString());
    }
  }

  /** A node's samples since {@code since}, oldest first. */
  public List<Sample> samples(String node, Instant since) {
    return db.sql(
            "SELECT sampled_at, process_cpu, system_cpu, heap_used, heap_max, rss, threads,"
                + " runs_executing, runs_queued FROM ferry_node_sample"
                + " WHERE node = ? AND sampled_at >= ? ORDER BY sampled_at")
        .params(node, Timestamp.from(since))
        .query(
            (rs, i) ->
                new Sample(
                    rs.getTimestamp(1).toInstant(),
                    rs.getObject(2, Double.class),
                    rs.getObject(3, Double.class),
                    rs.getLong(4),
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getInt(7),
                    rs.getInt(8),
                    rs.getInt(9)))
        .list();
  }

  /**
   * A node: alive while its heartbeat is fresh (see {@code ClusterNodes}); a node that stopped or
   * died is listed while its samples are kept.
   */
  public record Node(
      String node, String group, boolean alive, Instant startedAt, Instant heartbeatAt) {}

  /** The nodes alive now (heartbeat since {@code aliveSince}) and those with samples kept. */
  public List<Node> nodes(Instant aliveSince) {
    java.util.Map<String, Node> all = new java.util.TreeMap<>();
    for (String n : sampledNodes(Instant.EPOCH)) {
      all.put(n, new Node(n, null, false, null, null));
    }
    joined(null, aliveSince).forEach(n -> all.put(n.node(), n));
    return List.copyOf(all.values());
  }

  /** The nodes in {@code ferry_node}: all, or those of one resource group. */
  private List<Node> joined(String group, Instant aliveSince) {
    return db.sql(
            "SELECT node, group_name, started_at, heartbeat_at FROM ferry_node"
                + (group == null ? "" : " WHERE group_name = ?")
                + " ORDER BY node")
        .params(group == null ? List.of() : List.of(group))
        .query(
            (rs, i) -> {
              Instant beat = rs.getTimestamp(4).toInstant();
              return new Node(
                  rs.getString(1),
                  rs.getString(2),
                  !beat.isBefore(aliveSince),
                  rs.getTimestamp(3).toInstant(),
                  beat);
            })
        .list();
  }

  /**
   * A node of a resource group with its latest sample (the Nodes page's figures; null before its
   * first) and the runs executing on it now.
   */
  public record GroupNode(Node node, Sample latest, int runsRunning) {}

  /** The nodes that joined a resource group and have not left it (alive or not yet forgotten). */
  public List<GroupNode> nodesOf(String group, Instant aliveSince) {
    return joined(group, aliveSince).stream()
        .map(
            n ->
                new GroupNode(
                    n,
                    latest(n.node()),
                    db.sql(
                            "SELECT COUNT(*) FROM ferry_task_run WHERE node = ?"
                                + " AND state IN ('CREATED', 'RUNNING')")
                        .param(n.node())
                        .query(Integer.class)
                        .single()))
        .toList();
  }

  /** A node's newest sample, or null when it wrote none. */
  private Sample latest(String node) {
    Timestamp newest =
        db.sql("SELECT MAX(sampled_at) FROM ferry_node_sample WHERE node = ?")
            .param(node)
            .query(Timestamp.class)
            .optional()
            .orElse(null);
    if (newest == null) {
      return null;
    }
    List<Sample> s = samples(node, newest.toInstant());
    return s.isEmpty() ? null : s.get(s.size() - 1);
  }

  /** Nodes that wrote a sample since {@code since}. */
  public List<String> sampledNodes(Instant since) {
    return db.sql("SELECT DISTINCT node FROM ferry_node_sample WHERE sampled_at >= ? ORDER BY node")
        .param(Timestamp.from(since))
        .query(String.class)
        .list();
  }

  private double gauge(String name) {
    var g = Search.in(meters).name(name).gauge();
    return g == null ? 0 : g.value();
  }

  private static Double finite(double v) {
    return Double.isFinite(v) && v >= 0 ? v : null;
  }
}
