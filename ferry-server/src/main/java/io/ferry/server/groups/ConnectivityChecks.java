package io.ferry.server.groups;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.spi.OptionProblem;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * "Test connectivity" from a resource group's node to a data source. The node that receives the
 * request may be in another network than the group's nodes, so it does not connect itself: it
 * writes a request row ({@code ferry_connectivity_check}), which a node of the group takes (a
 * conditional update, as runs are taken) and answers with the outcome of the data source's
 * connection test made there. The requester waits for the answer up to {@code
 * ferry.connectivity-timeout} (default 30 s); a request nobody answered in time is withdrawn.
 *
 * <p>The answer holds whether the connection worked and the store's problems, each naming its
 * option; the data source's secret values are masked in them, whatever the store's message repeats.
 */
@Service
public class ConnectivityChecks {
  private static final Logger log = LoggerFactory.getLogger(ConnectivityChecks.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final JdbcClient db;
  private final ResourceGroups groups;
  private final DataSourceService dataSources;
  private final ConnectorRegistry connectors;
  private final FerryProperties properties;
  private final Duration timeout;

  public ConnectivityChecks(
      JdbcClient db,
      ResourceGroups groups,
      DataSourceService dataSources,
      ConnectorRegistry connectors,
      FerryProperties properties,
      @Value("${ferry.connectivity-timeout:30s}") Duration timeout) {
    this.db = db;
    this.groups = groups;
    this.dataSources = dataSources;
    this.connectors = connectors;
    this.properties = properties;
    this.timeout = timeout;
  }

  /**
   * The outcome of a check.
   *
   * @param node the node that connected; null when none answered in time
   * @param message the problems found (each {@code option: message}), or why nobody answered; null
   *     when the connection worked
   */
  public record Result(
      boolean ok, String group, String dataSource, String node, String message, Instant at) {}

  /**
   * Asks a node of the group to connect to the data source and waits for its answer.
   *
   * @throws DomainException.NotFound when the group or the data source does not exist
   * @throws DomainException.Conflict for a {@code flink} group (its TaskManagers are Flink's)
   */
  public Result check(long groupId, long dataSourceId, String user) throws InterruptedException {
    ResourceGroups.Group group = groups.get(groupId);
    if (!group.kind().equals(ResourceGroups.NODES)) {
      throw DomainException.conflict(
          "resource group '"
              + group.name()
              + "' is a Flink cluster: only a group of Ferry nodes tests connectivity");
    }
    String alias = dataSources.get(dataSourceId).alias();
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_connectivity_check (group_name, datasource_id, requested_by,"
                + " requested_at) VALUES (?, ?, ?, ?)")
        .params(group.name(), dataSourceId, user, Timestamp.from(Instant.now()))
        .update(keys, "id");
    long id = keys.getKey().longValue();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Result> answer = answer(id, group.name(), alias);
      if (answer.isPresent()) {
        return answer.get();
      }
      Thread.sleep(POLL.toMillis());
    }
    // Withdrawn: a node that takes it now writes its answer to no row.
    db.sql("DELETE FROM ferry_connectivity_check WHERE id = ?").param(id).update();
    Optional<Result> late = answer(id, group.name(), alias);
    return late.orElse(
        new Result(
            false,
            group.name(),
            alias,
            null,
            "no node of resource group '"
                + group.name()
                + "' answered within "
                + timeout.toSeconds()
                + " s: is one running, and does it reach the metadata database?",
            Instant.now()));
  }

  private Optional<Result> answer(long id, String group, String alias) {
    return db.sql(
            "SELECT node, ok, message, answered_at FROM ferry_connectivity_check"
                + " WHERE id = ? AND answered_at IS NOT NULL")
        .param(id)
        .query(
            (rs, i) ->
                new Result(
                    rs.getBoolean(2),
                    group,
                    alias,
                    rs.getString(1),
                    rs.getString(3),
                    rs.getTimestamp(4).toInstant()))
        .optional();
  }

  /**
   * Answers the requests of this node's group, each taken by one node; deletes requests older than
   * an hour.
   */
  @Scheduled(fixedDelay = 1000, initialDelay = 1000)
  void answerRequests() {
    try {
      List<Object[]> open =
          db.sql(
                  "SELECT id, datasource_id FROM ferry_connectivity_check"
                      + " WHERE group_name = ? AND node IS NULL ORDER BY id")
              .param(properties.group())
              .query((rs, i) -> new Object[] {rs.getLong(1), rs.getLong(2)})
              .list();
      for (Object[] r : open) {
        if (db.sql("UPDATE ferry_connectivity_check SET node = ? WHERE id = ? AND node IS NULL")
                .params(properties.nodeId(), r[0])
                .update()
            == 1) {
          Outcome o = test((Long) r[1]);
          db.sql(
                  "UPDATE ferry_connectivity_check SET ok = ?, message = ?, answered_at = ?"
                      + " WHERE id = ?")
              .params(o.ok(), o.message(), Timestamp.from(Instant.now()), r[0])
              .update();
        }
      }
      db.sql("DELETE FROM ferry_connectivity_check WHERE requested_at < ?")
          .param(Timestamp.from(Instant.now().minus(Duration.ofHours(1))))
          .update();
    } catch (RuntimeException e) {
      log.warn("Could not answer connectivity checks; trying again in a second: {}", e.toString());
    }
  }

  private record Outcome(boolean ok, String message) {}

  /** The data source's connection test made here, its secrets masked in what it says. */
  private Outcome test(long dataSourceId) {
    DataSourceService.Resolved ds;
    try {
      ds = dataSources.resolve(dataSourceId);
    } catch (DomainException e) {
      return new Outcome(false, e.getMessage()); // deleted meanwhile
    }
    String message;
    boolean ok;
    try {
      DataSourceService.TestResult r = dataSources.test(dataSourceId, null, null);
      ok = r.ok();
      message =
          r.problems().isEmpty()
              ? null
              : r.problems().stream()
                  .map(ConnectivityChecks::describe)
                  .collect(Collectors.joining("; "));
    } catch (RuntimeException e) {
      ok = false;
      message = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    return new Outcome(ok, message == null ? null : masked(ds, message));
  }

  private static String describe(OptionProblem p) {
    return p.option() == null || p.option().isBlank()
        ? p.message()
        : p.option() + ": " + p.message();
  }

  /** The message with every secret value of the data source masked. */
  private String masked(DataSourceService.Resolved ds, String message) {
    String out = message;
    for (String name : DataSourceService.secretNames(connectors.connector(ds.connector()))) {
      Object value = ds.options().get(name);
      if (value instanceof String s && !s.isEmpty()) {
        out = out.replace(s, DataSourceService.MASK);
      }
    }
    return out;
  }
}
