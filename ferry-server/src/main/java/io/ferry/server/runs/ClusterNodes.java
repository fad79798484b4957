package io.ferry.server.runs;

import io.ferry.server.groups.ResourceGroups;
import io.ferry.server.shared.FerryProperties;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The server nodes that share the metadata store, one row each in {@code ferry_node}. A node renews
 * its heartbeat every second; it is <em>alive</em> while its heartbeat is younger than {@link
 * #deadAfter()} (two leases), and dead once it is older or its row is gone (a node that left in
 * good order deletes its row). Two leases, not one: the dead node's run claims (one lease each)
 * have surely lapsed by then, with a lease to spare for clocks that differ between nodes.
 *
 * <p>Each node belongs to one resource group of kind {@code nodes} ({@code group_name}: {@code
 * default} for the servers, the {@code --group} of a worker) and takes only the runs of its group;
 * the servers take the runs of the {@code flink} groups too, and submit them to Flink.
 */
@Service
public class ClusterNodes implements org.springframework.beans.factory.InitializingBean {
  private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);

  /**
   * A condition on a column that names a node: the node is dead. One parameter, {@link
   * #aliveSince()}.
   */
  static final String DEAD = " NOT IN (SELECT node FROM ferry_node WHERE heartbeat_at >= ?)";

  private final JdbcClient db;
  private final FerryProperties properties;
  private final ResourceGroups groups;

  public ClusterNodes(JdbcClient db, FerryProperties properties, ResourceGroups groups) {
    this.db = db;
    this.properties = properties;
    this.groups = groups;
  }

  /** This node's name. */
  String me() {
    return properties.nodeId();
  }

  /** This node's resource group. */
  String group() {
    return properties.group();
  }

  /**
   * The resource groups whose runs this node takes: its own, and for a node of the default group
   * the {@code flink} groups too, whose runs it submits to their Flink clusters.
   */
  List<String> servedGroups() {
    if (!group().equals(FerryProperties.DEFAULT_GROUP)) {
      return List.of(group());
    }
    List<String> served = new java.util.ArrayList<>(List.of(group()));
    served.addAll(groups.flinkGroupNames());
    return served;
  }

  /**
   * The Flink REST address of a run's group (null: the default group) when it is a {@code flink}
   * group; empty for a group of nodes.
   */
  java.util.Optional<String> flinkAddress(String runGroup) {
    return runGroup == null
        ? java.util.Optional.empty()
        : groups
            .byName(runGroup)
            .filter(g -> ResourceGroups.FLINK.equals(g.kind()))
            .map(ResourceGroups.Group::flinkAddress);
  }

  /** Whether this node takes the runs of a group (null: the default group). */
  boolean serves(String runGroup) {
    return servedGroups().contains(runGroup == null ? FerryProperties.DEFAULT_GROUP : runGroup);
  }

  /**
   * A condition on {@code ferry_task_run}: the run's group is one this node serves. Its parameters
   * are {@link #servedGroups()}.
   */
  static String servedCondition(List<String> served) {
    return " COALESCE(resource_group, '"
        + FerryProperties.DEFAULT_GROUP
        + "') IN ("
        + String.join(", ", java.util.Collections.nCopies(served.size(), "?"))
        + ")";
  }

  /**
   * Whether a node that takes the group's runs is alive: a node of the group (null: the default
   * group); for a {@code flink} group, a node of the default group.
   */
  boolean anyAlive(String group) {
    String nodes =
        group == null || flinkAddress(group).isPresent() ? FerryProperties.DEFAULT_GROUP : group;
    return db.sql("SELECT COUNT(*) FROM ferry_node WHERE group_name = ? AND heartbeat_at >= ?")
            .params(nodes, aliveSince())
            .query(Integer.class)
            .single()
        > 0;
  }

  /** How long a node may stay silent before it counts as dead: two leases. */
  Duration deadAfter() {
    return properties.lease().multipliedBy(2);
  }

  /** The oldest heartbeat of a node that is alive. */
  Timestamp aliveSince() {
    return Timestamp.from(Instant.now().minus(deadAfter()));
  }

  /**
   * Checks this node's group before anything starts (the scheduler, the run queue).
   *
   * @throws IllegalStateException when its group does not exist or is no group of nodes: the node
   *     does not start
   */
  @Override
  public void afterPropertiesSet() {
    String kind = groups.byName(group()).map(ResourceGroups.Group::kind).orElse(null);
    if (!ResourceGroups.NODES.equals(kind)) {
      throw new IllegalStateException(
          kind == null
              ? "there is no resource group '"
                  + group()
                  + "'; an admin creates it first"
                  + " (Resource groups page, or POST /api/resource-groups)"
              : "resource group '"
                  + group()
                  + "' is a "
                  + kind
                  + " group; nodes join only a"
                  + " group of kind nodes");
    }
  }

  /** Adds this node, or marks it started again. */
  void join() {
    Timestamp now = Timestamp.from(Instant.now());
    if (db.sql(
                "UPDATE ferry_node SET started_at = ?, heartbeat_at = ?, group_name = ?"
                    + " WHERE node = ?")
            .params(now, now, group(), me())
            .update()
        == 0) {
      db.sql(
              "INSERT INTO ferry_node (node, started_at, heartbeat_at, group_name)"
                  + " VALUES (?, ?, ?, ?)")
          .params(me(), now, now, group())
          .update();
    }
  }

  /**
   * Renews this node's heartbeat. A node whose row is gone was declared dead (it was frozen or cut
   * off for longer than {@link #deadAfter()}); it joins again, and the runs it held were taken over
   * meanwhile (the run claims and the run rows keep it from writing them).
   */
  void beat() {
    if (db.sql("UPDATE ferry_node SET heartbeat_at = ? WHERE node = ?")
            .params(Timestamp.from(Instant.now()), me())
            .update()
        == 0) {
      log.warn(
          "Node {} was silent for longer than {} and counted as dead; it joins again",
          me(),
          deadAfter());
      join();
    }
  }

  /** Forgets dead nodes: what they held is taken over by then. */
  void forgetDead() {
    db.sql("DELETE FROM ferry_node WHERE heartbeat_at < ? AND node <> ?")
        .params(aliveSince(), me())
        .update();
  }

  /** Removes this node: it stops in good order, and its queue may be taken over at once. */
  void leave() {
    db.sql("DELETE FROM ferry_node WHERE node = ?").param(me()).update();
  }
}
