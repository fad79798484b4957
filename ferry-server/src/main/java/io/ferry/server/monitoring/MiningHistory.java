package io.ferry.server.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.server.runs.MiningRuns;
import io.ferry.server.shared.FerryProperties;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The history of the shared-mining runs (docs/shared-mining.md), for the charts of their monitor:
 * like {@link NodeMetrics}, every {@code ferry.monitoring.mining-sample-interval} (default 10 s)
 * the node writes one sample of each mining run it runs to {@code ferry_mining_sample} — events
 * appended and their rate, the rate its tasks read, the latency, the log's head and size, the
 * events by table — and deletes the samples older than {@code ferry.monitoring.retention} (default
 * 7 days). A mining run that is stopped or runs nowhere has no samples: its charts show the gap.
 */
@Component
public class MiningHistory {
  private static final Logger log = LoggerFactory.getLogger(MiningHistory.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The most samples one answer holds: a longer window is thinned evenly to fit. */
  static final int MAX_SAMPLES = 720;

  private final JdbcClient db;
  private final MiningRuns mining;
  private final String node;
  private final Duration retention;

  public MiningHistory(
      JdbcClient db,
      MiningRuns mining,
      FerryProperties properties,
      @Value("${ferry.monitoring.retention:7d}") Duration retention) {
    this.db = db;
    this.mining = mining;
    this.node = properties.nodeId();
    this.retention = retention;
  }

  /**
   * One sample of a mining run.
   *
   * @param at when it was taken
   * @param node the node that ran the mining run then
   * @param eventsAppended events appended since the mining run last started
   * @param appendedPerSecond events read from the source and appended, per second
   * @param readPerSecond changes its tasks applied from its log, per second
   * @param lagMillis from the newest appended event's commit to its append; null before the first
   * @param head the mining log's head
   * @param storeBytes the space its mining log takes in its store; null when unknown
   * @param tableEvents events appended since it last started, by {@code schema.table}
   */
  public record Sample(
      Instant at,
      String node,
      long eventsAppended,
      double appendedPerSecond,
      double readPerSecond,
      Long lagMillis,
      long head,
      Long storeBytes,
      Map<String, Long> tableEvents) {}

  @Scheduled(
      fixedRateString = "${ferry.monitoring.mining-sample-interval:10s}",
      initialDelayString = "${ferry.monitoring.mining-sample-interval:10s}")
  void sample() {
    try {
      Instant now = Instant.now();
      for (MiningRuns.View v : mining.heldHere()) {
        if (!v.state().equals("RUNNING")) {
          continue;
        }
        db.sql(
                "INSERT INTO ferry_mining_sample (mining_id, sampled_at, node, events_appended,"
                    + " appended_per_sec, read_per_sec, lag_millis, head, store_bytes,"
                    + " table_events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(
                v.id(),
                Timestamp.from(now),
                node,
                v.eventsAppended(),
                v.eventsPerSecond(),
                v.readPerSecond(),
                v.lagMillis(),
                v.head(),
                v.storeBytes(),
                JSON.writeValueAsString(v.tableEvents()))
            .update();
      }
      db.sql("DELETE FROM ferry_mining_sample WHERE sampled_at < ?")
          .param(Timestamp.from(now.minus(retention)))
          .update();
    } catch (RuntimeException | JsonProcessingException e) {
      log.warn("Could not save the mining runs' samples: {}", e.toString());
    }
  }

  /**
   * A mining run's samples taken in {@code [from, to]}, oldest first; at most {@link #MAX_SAMPLES},
   * every n-th one when the window holds more (the newest always kept).
   */
  public List<Sample> samples(long miningId, Instant from, Instant to) {
    int count =
        db.sql(
                "SELECT COUNT(*) FROM ferry_mining_sample"
                    + " WHERE mining_id = ? AND sampled_at >= ? AND sampled_at <= ?")
            .params(miningId, Timestamp.from(from), Timestamp.from(to))
            .query(Integer.class)
            .single();
    int every = Math.max(1, (count + MAX_SAMPLES - 1) / MAX_SAMPLES);
    List<Sample> samples = new ArrayList<>(Math.min(count, MAX_SAMPLES));
    int[] index = {0};
    db.sql(
            "SELECT sampled_at, node, events_appended, appended_per_sec, read_per_sec, lag_millis,"
                + " head, store_bytes, table_events FROM ferry_mining_sample"
                + " WHERE mining_id = ? AND sampled_at >= ? AND sampled_at <= ?"
                + " ORDER BY sampled_at")
        .params(miningId, Timestamp.from(from), Timestamp.from(to))
        .query(
            rs -> {
              int i = index[0]++;
              if ((count - 1 - i) % every != 0) {
                return;
              }
              long lag = rs.getLong(6);
              Long lagMillis = rs.wasNull() ? null : lag;
              long size = rs.getLong(8);
              Long storeBytes = rs.wasNull() ? null : size;
              samples.add(
                  new Sample(
                      rs.getTimestamp(1).toInstant(),
                      rs.getString(2),
                      rs.getLong(3),
                      rs.getDouble(4),
                      rs.getDouble(5),
                      lagMillis,
                      rs.getLong(7),
                      storeBytes,
                      counts(rs.getString(9))));
            });
    return samples;
  }

  private static Map<String, Long> counts(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<TreeMap<String, Long>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a mining sample's counts do not parse", e);
    }
  }
}
