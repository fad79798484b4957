package io.ferry.server.runs;

import io.ferry.server.shared.FerryProperties;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
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
 */
@Service
public class ClusterNodes {
  private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);

  /**
   * A condition on a column that names a node: the node is dead. One parameter, {@link
   * #aliveSince()}.
   */
  static final String DEAD = " NOT IN (SELECT node FROM ferry_node WHERE heartbeat_at >= ?)";

  private final JdbcClient db;
  private final FerryProperties properties;

  public ClusterNodes(JdbcClient db, FerryProperties properties) {
    this.db = db;
    this.properties = properties;
  }

  /** This node's name. */
  String me() {
    return properties.nodeId();
  }

  /** How long a node may stay silent before it counts as dead: two leases. */
  Duration deadAfter() {
    return properties.lease().multipliedBy(2);
  }

  /** The oldest heartbeat of a node that is alive. */
  Timestamp aliveSince() {
    return Timestamp.from(Instant.now().minus(deadAfter()));
  }

  /** Adds this node, or marks it started again. */
  void join() {
    Timestamp now = Timestamp.from(Instant.now());
    if (db.sql("UPDATE ferry_node SET started_at = ?, heartbeat_at = ? WHERE node = ?")
            .params(now, now, me())
            .update()
        == 0) {
      db.sql("INSERT INTO ferry_node (node, started_at, heartbeat_at) VALUES (?, ?, ?)")
          .params(me(), now, now)
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
