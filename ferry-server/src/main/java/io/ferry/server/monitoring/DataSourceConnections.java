package io.ferry.server.monitoring;

import io.ferry.server.shared.FerryProperties;
import io.ferry.server.tasks.JobScripts;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code ferry_datasource_connections{datasource, state="active|idle"}}: the connections this
 * node's runs hold to each data source, read every 5 s from the connection pools themselves. The
 * JDBC connectors pool through HikariCP, which registers each pool as the JMX bean {@code
 * com.zaxxer.hikari:type=Pool (ferry-<run key>-<source|sink>-<n>)}; a run's pools are matched by
 * its run key and counted against the data source its script names on that side. Connectors that
 * keep no such pool (MongoDB, Elasticsearch, HBase, files, a change source's replication stream)
 * count 0. Every data source has its two series (label values bounded by the data sources).
 */
@Component
public class DataSourceConnections {
  private static final String POOL_PREFIX = "Pool (";

  private final JdbcClient db;
  private final String node;
  private final MultiGauge gauge;
  private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

  public DataSourceConnections(
      JdbcClient db,
      FerryProperties properties,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.db = db;
    this.node = properties.nodeId();
    this.gauge =
        MultiGauge.builder("ferry.datasource.connections")
            .description("Connections this node's runs hold to a data source, by state")
            .register(meters);
  }

  /** A pool's open connections. */
  record PoolCount(int active, int idle) {}

  @Scheduled(fixedDelay = 5000, initialDelay = 1000)
  void refresh() {
    Map<String, PoolCount> pools = pools();
    Map<String, int[]> byAlias = new HashMap<>();
    db.sql("SELECT alias FROM ferry_datasource")
        .query((rs, i) -> rs.getString(1))
        .list()
        .forEach(alias -> byAlias.put(alias, new int[2]));
    db.sql(
            "SELECT run_key, script FROM ferry_task_run WHERE node = ? AND run_key IS NOT NULL"
                + " AND state NOT IN ('QUEUED', 'SUCCEEDED', 'FAILED', 'STOPPED')")
        .param(node)
        .query(
            rs -> {
              String prefix = "ferry-" + rs.getString(1).replaceAll("[^A-Za-z0-9._-]", "_") + "-";
              JobScripts.dataSourceSides(rs.getString(2))
                  .forEach(
                      (side, alias) -> {
                        int[] sum = byAlias.get(alias);
                        if (sum == null) {
                          return; // deleted since the run started
                        }
                        pools.forEach(
                            (name, count) -> {
                              if (name.startsWith(prefix + side + "-")) {
                                sum[0] += count.active();
                                sum[1] += count.idle();
                              }
                            });
                      });
            });
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    byAlias.forEach(
        (alias, sum) -> {
          rows.add(MultiGauge.Row.of(Tags.of("datasource", alias, "state", "active"), sum[0]));
          rows.add(MultiGauge.Row.of(Tags.of("datasource", alias, "state", "idle"), sum[1]));
        });
    gauge.register(rows, true);
  }

  /** Every HikariCP pool in this JVM by name, with its connections. */
  private Map<String, PoolCount> pools() {
    Map<String, PoolCount> pools = new HashMap<>();
    try {
      for (ObjectName bean : jmx.queryNames(new ObjectName("com.zaxxer.hikari:*"), null)) {
        String type = bean.getKeyProperty("type");
        if (type == null || !type.startsWith(POOL_PREFIX) || !type.endsWith(")")) {
          continue;
        }
        try {
          pools.put(
              type.substring(POOL_PREFIX.length(), type.length() - 1),
              new PoolCount(
                  ((Number) jmx.getAttribute(bean, "ActiveConnections")).intValue(),
                  ((Number) jmx.getAttribute(bean, "IdleConnections")).intValue()));
        } catch (JMException closedMeanwhile) {
          // the pool closed between the query and the read: it holds nothing
        }
      }
    } catch (JMException e) {
      throw new IllegalStateException(e);
    }
    return pools;
  }
}
