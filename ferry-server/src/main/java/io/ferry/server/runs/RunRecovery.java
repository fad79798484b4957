package io.ferry.server.runs;

import io.ferry.engine.Engine;
import io.ferry.engine.RunRecord;
import io.ferry.engine.RunState;
import io.ferry.server.shared.FerryProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Keeps runs going when the node executing them stops: at start, the runs this node's previous
 * process left; every second, the runs of nodes that died ({@link ClusterNodes}). A run found so
 *
 * <ul>
 *   <li>QUEUED: is queued again here (it had not started);
 *   <li>RUNNING: continues here from its checkpoint, without a person ({@link
 *       RunLauncher#continueFromCheckpoint}). The engine refuses to continue a run whose sink
 *       cannot take up an earlier attempt's output exactly ({@code Sink.resumeModel()} none: the
 *       console sink, Elasticsearch without document ids); such a run FAILS with that reason, and
 *       its instance retries when its schedule allows. A pause or stop asked of the dead node is
 *       done instead, a run that ended before its node could note it gets that end, and a run
 *       continued {@link RunLauncher#MAX_CONTINUATIONS} times already waits PAUSED for a person;
 *   <li>PAUSED: stays paused (by a person, or by a fault a retry may mend: resume continues it).
 * </ul>
 *
 * One node takes each run: a conditional update of the run's row (the node and state it was read
 * with), then the engine's claim on the run. A run whose claim is still renewed is not taken: its
 * node is alive after all, or still pausing it.
 *
 * <p>Runs belong to resource groups: a node takes only runs of the groups it serves ({@link
 * ClusterNodes#servedGroups()}) — the runs queued for a node of its group (QUEUED without a node,
 * see {@link RunService}) and those of its group's dead nodes. A run of a dead node whose group has
 * no live node waits, its message saying so, and never executes elsewhere.
 */
@Service
public class RunRecovery implements ApplicationRunner, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(RunRecovery.class);

  private final JdbcClient db;
  private final Engine engine;
  private final RunLauncher launcher;
  private final ClusterNodes nodes;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-server-node");
            t.setDaemon(true);
            return t;
          });

  /** The mining runs' upkeep, apart: stopping one may take seconds, the heartbeat may not wait. */
  private final ScheduledExecutorService miningTicker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-server-mining");
            t.setDaemon(true);
            return t;
          });

  private final MiningRuns mining;

  public RunRecovery(
      JdbcClient db, Engine engine, RunLauncher launcher, ClusterNodes nodes, MiningRuns mining) {
    this.mining = mining;
    this.db = db;
    this.engine = engine;
    this.launcher = launcher;
    this.nodes = nodes;
  }

  /** An unfinished run as its row has it. */
  private record Open(long id, String state, String node, String runKey) {}

  private static final String OPEN =
      "SELECT id, state, node, run_key FROM ferry_task_run"
          + " WHERE state IN ('QUEUED', 'CREATED', 'RUNNING')";

  /**
   * Joins the nodes, takes up what this node's previous process left (its claims lapsed with it),
   * then every second: the heartbeat, pause and stop requests for runs held here, and the runs of
   * dead nodes.
   */
  @Override
  public void run(ApplicationArguments args) {
    String me = nodes.me();
    nodes.join();
    // Runs without a node: this node's own (a version before clusters wrote none), except those
    // QUEUED for a node of their group, which takeWaiting() hands out.
    String mine =
        " (node = ? OR (node IS NULL AND resource_group IS NULL AND state <> 'QUEUED'"
            + " AND ? = '"
            + FerryProperties.DEFAULT_GROUP
            + "'))";
    db.sql(
            "DELETE FROM ferry_run_claim WHERE run_key IN"
                + " (SELECT run_key FROM ferry_task_run WHERE"
                + mine
                + ")")
        .params(me, nodes.group())
        .update();
    List<Open> left =
        db.sql(OPEN + " AND" + mine + " ORDER BY id")
            .params(me, nodes.group())
            .query((rs, i) -> new Open(rs.getLong(1), rs.getString(2), me, rs.getString(4)))
            .list();
    db.sql("UPDATE ferry_task_run SET node = ? WHERE" + mine.replace("node = ? OR ", ""))
        .params(me, nodes.group())
        .update();
    for (Open o : left) {
      recover(o, "the server stopped");
    }
    AtomicInteger ticks = new AtomicInteger();
    ticker.scheduleWithFixedDelay(
        () -> {
          try {
            nodes.beat();
            launcher.applyRequests();
            takeWaiting();
            takeOverDeadNodes();
            if (ticks.incrementAndGet() % 60 == 0) {
              nodes.forgetDead();
            }
          } catch (RuntimeException e) {
            log.warn("Node upkeep failed; trying again in a second", e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    miningTicker.scheduleWithFixedDelay(
        () -> {
          try {
            mining.upkeep();
          } catch (RuntimeException e) {
            log.warn("Mining runs' upkeep failed; trying again in a second", e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  @Override
  public void destroy() {
    ticker.shutdownNow();
    miningTicker.shutdownNow();
  }

  /**
   * The runs queued for a node of a group this node serves become this node's, oldest first, while
   * its queue has room: started, or resumed from their checkpoints when they ran before.
   */
  private void takeWaiting() {
    List<String> served = nodes.servedGroups();
    List<Object> params = new ArrayList<>(List.of(RunStore.QUEUED));
    params.addAll(served);
    List<Open> waiting =
        db.sql(
                "SELECT id, state, node, run_key FROM ferry_task_run WHERE state = ?"
                    + " AND node IS NULL AND"
                    + ClusterNodes.servedCondition(served)
                    + " ORDER BY id")
            .params(params)
            .query((rs, i) -> new Open(rs.getLong(1), rs.getString(2), null, rs.getString(4)))
            .list();
    for (Open o : waiting) {
      if (!launcher.queueHasRoom()) {
        return; // the rest: a later tick, or another node of the group
      }
      if (launcher.take(o.id())) {
        launcher.requeue(
            o.id(),
            o.runKey(),
            "taken by node " + nodes.me() + " of resource group " + nodes.group());
      }
    }
  }

  /**
   * The unfinished runs of dead nodes in the groups this node serves become this node's, one by
   * one. Those of groups with no live node are told so: they wait.
   */
  private void takeOverDeadNodes() {
    String me = nodes.me();
    List<String> served = nodes.servedGroups();
    List<Object> params = new ArrayList<>(List.of(me, nodes.aliveSince()));
    params.addAll(served);
    List<Open> open =
        db.sql(
                OPEN
                    + " AND node <> ? AND node"
                    + ClusterNodes.DEAD
                    + " AND"
                    + ClusterNodes.servedCondition(served)
                    + " ORDER BY id")
            .params(params)
            .query(
                (rs, i) ->
                    new Open(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
            .list();
    markOrphans(served);
    for (Open o : open) {
      if (!launcher.queueHasRoom()) {
        return; // the rest: a later tick, or another node
      }
      if (!o.state().equals(RunStore.QUEUED) && heldElsewhere(o)) {
        continue;
      }
      if (db.sql("UPDATE ferry_task_run SET node = ? WHERE id = ? AND node = ? AND state = ?")
              .params(me, o.id(), o.node(), o.state())
              .update()
          == 0) {
        continue; // another node took it
      }
      log.warn("Node {} stopped; run {} ({}) is node {}'s now", o.node(), o.id(), o.state(), me);
      recover(
          o,
          "node "
              + o.node()
              + " stopped (no heartbeat for "
              + nodes.deadAfter().toSeconds()
              + " s)");
    }
  }

  /**
   * Runs of dead nodes in groups this node does not serve and that have no live node: their message
   * says that they wait for a node of their group (a run never executes outside it).
   */
  private void markOrphans(List<String> served) {
    List<Object> params = new ArrayList<>(List.of(nodes.aliveSince()));
    params.addAll(served);
    List<Object[]> orphans =
        db.sql(
                OPEN.replace("SELECT id, state, node, run_key", "SELECT id, node, resource_group")
                    + " AND node"
                    + ClusterNodes.DEAD
                    + " AND NOT"
                    + ClusterNodes.servedCondition(served))
            .params(params)
            .query((rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)})
            .list();
    for (Object[] o : orphans) {
      String group = (String) o[2];
      if (nodes.anyAlive(group)) {
        continue; // a node of its group takes it over
      }
      String message =
          "node "
              + o[1]
              + " stopped; the run "
              + RunStore.waiting(group)
              + " to continue it from its checkpoint";
      db.sql(
              "UPDATE ferry_task_run SET message = ? WHERE id = ? AND node = ?"
                  + " AND (message IS NULL OR message <> ?)")
          .params(message, o[0], o[1], message)
          .update();
    }
  }

  /** Whether a live process still renews the engine's claim on the run. */
  private boolean heldElsewhere(Open o) {
    return o.runKey() != null
        && engine
            .runOf(o.runKey())
            .map(r -> r.state() == RunState.RUNNING || r.state() == RunState.CREATED)
            .orElse(false);
  }

  /**
   * Does with a run of this node's whose executing process stopped what {@link RunRecovery} says.
   *
   * @param why what happened, for the run's message and log
   */
  private void recover(Open o, String why) {
    long id = o.id();
    String requested =
        db.sql("SELECT requested FROM ferry_task_run WHERE id = ?")
            .param(id)
            .query(String.class)
            .optional()
            .orElse(null);
    if (requested != null) {
      db.sql("UPDATE ferry_task_run SET requested = NULL WHERE id = ?").param(id).update();
    }
    Optional<RunRecord> record = o.runKey() == null ? Optional.empty() : engine.runOf(o.runKey());
    boolean paused = record.map(r -> r.state() == RunState.PAUSED).orElse(false);
    if ("stop".equals(requested)) {
      if (paused) {
        engine.stopPaused(o.runKey(), "stopped as asked after its node stopped");
      }
      launcher.settle(id, "STOPPED", "stopped as asked: " + why + " before it could stop the run");
    } else if (o.state().equals(RunStore.QUEUED)) {
      launcher.requeue(id, o.runKey(), why + " before the run started");
    } else if ("pause".equals(requested)) {
      launcher.settle(
          id,
          "PAUSED",
          "paused as asked: "
              + why
              + " before it could pause the run; resume continues from the last checkpoint");
    } else if (record.isEmpty()) {
      launcher.settle(id, "FAILED", why + " before the run began");
    } else if (record.get().state().isFinal()) {
      launcher.settle(id, record.get().state().name(), record.get().message());
    } else if (paused) {
      launcher.continueFromCheckpoint(id, why + " while the run was " + o.state());
    } else {
      // The engine's claim is renewed again: this node's own previous process cannot be it, so
      // a live process holds the run; a later tick looks again.
      log.info("Run {} is held by a live process; left as it is", id);
    }
  }
}
