package io.ferry.server.schedule;

import io.ferry.server.schedule.model.Schedule;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The graph of scheduled tasks and the upstream tasks their instances wait for (seed 003): what an
 * operator looks at when a nightly chain breaks. Every task with a schedule is a node, and every
 * task a schedule names as upstream; each node carries its latest instance (by planned time), so
 * the page can colour it and offer that instance's log and rerun.
 */
@Service
public class DependencyGraph {
  private final JdbcClient db;

  public DependencyGraph(JdbcClient db) {
    this.db = db;
  }

  /**
   * A task in the graph.
   *
   * @param scheduled whether it has a schedule (an upstream task may have none)
   * @param online whether its schedule fires
   * @param latestInstanceId its latest instance; null when it has none
   * @param latestState that instance's state; null when it has none
   */
  public record Node(
      long taskId,
      String name,
      boolean scheduled,
      boolean online,
      Long latestInstanceId,
      String latestState,
      Instant latestPlannedTime) {}

  /** {@code taskId}'s instances wait for {@code upstreamTaskId}'s instance of the same cycle. */
  public record Edge(long upstreamTaskId, long taskId) {}

  /** The whole graph, nodes ordered by task id. */
  public record Graph(List<Node> nodes, List<Edge> edges) {}

  private record Planned(long instanceId, String state, Instant plannedTime) {}

  public Graph graph() {
    Map<Long, Boolean> online = new HashMap<>();
    List<Edge> edges = new ArrayList<>();
    db.sql("SELECT task_id, spec, online FROM ferry_schedule")
        .query(
            rs -> {
              long task = rs.getLong(1);
              online.put(task, rs.getBoolean(3));
              List<Long> upstream = Schedule.fromJson(rs.getString(2)).upstreamTaskIds();
              if (upstream != null) {
                upstream.forEach(u -> edges.add(new Edge(u, task)));
              }
            });
    Map<Long, String> names = new HashMap<>();
    db.sql("SELECT id, name FROM ferry_task")
        .query((RowCallbackHandler) rs -> names.put(rs.getLong(1), rs.getString(2)));
    Map<Long, Planned> latest = latestInstances();

    Map<Long, Node> nodes = new TreeMap<>();
    online.keySet().forEach(id -> nodes.put(id, node(id, names, online, latest)));
    // An upstream task that was deleted keeps its edge out: the schedule check refuses new ones.
    edges.removeIf(e -> !names.containsKey(e.upstreamTaskId()) || !names.containsKey(e.taskId()));
    edges.forEach(
        e -> nodes.computeIfAbsent(e.upstreamTaskId(), id -> node(id, names, online, latest)));
    nodes.values().removeIf(n -> !names.containsKey(n.taskId()));
    return new Graph(List.copyOf(nodes.values()), List.copyOf(edges));
  }

  private static Node node(
      long id, Map<Long, String> names, Map<Long, Boolean> online, Map<Long, Planned> latest) {
    Planned p = latest.get(id);
    return new Node(
        id,
        names.get(id),
        online.containsKey(id),
        online.getOrDefault(id, false),
        p == null ? null : p.instanceId(),
        p == null ? null : p.state(),
        p == null ? null : p.plannedTime());
  }

  /** Each task's latest instance: the latest planned time, the latest created among equals. */
  private Map<Long, Planned> latestInstances() {
    Map<Long, Planned> latest = new HashMap<>();
    db.sql(
            "SELECT i.task_id, i.id, i.state, i.planned_time FROM ferry_instance i"
                + " JOIN (SELECT task_id, MAX(planned_time) AS planned FROM ferry_instance"
                + " GROUP BY task_id) m ON m.task_id = i.task_id AND m.planned = i.planned_time"
                + " ORDER BY i.id")
        .query(
            rs -> {
              Timestamp planned = rs.getTimestamp(4);
              latest.put(
                  rs.getLong(1), new Planned(rs.getLong(2), rs.getString(3), planned.toInstant()));
            });
    return latest;
  }
}
