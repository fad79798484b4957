package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.support.ChangeEventJson;
import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A mining log's connections are its own, and each one's session is set up once, as it connects —
 * not again for each read and append, a round trip each time (bench/README.md, "Where a shared
 * job's CPU goes"). Counted in the general query log of a MariaDB of this test's own: every
 * statement of each of the log's connections, before and after they are killed (the new ones are
 * set up as they connect).
 */
class MySqlMiningLogSessionIT {
  private static final TableRef ORDERS = new TableRef("shop", "orders");
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("note", DataType.STRING))
          .withKey(List.of("id"));

  @Test
  void eachConnectionsSessionIsSetUpOnceAsItConnects() throws Exception {
    try (BinlogMariaDb server = BinlogMariaDb.start(Path.of("target"));
        Connection monitor =
            DriverManager.getConnection(server.jdbcUrl(""), server.user(), server.password());
        Statement s = monitor.createStatement()) {
      s.execute("CREATE DATABASE mining_sessions");
      s.execute("SET GLOBAL log_output = 'TABLE'");
      s.execute("SET GLOBAL general_log = 1");
      var role = new MySqlConnector().miningLog().orElseThrow();
      Map<String, Object> options = new java.util.LinkedHashMap<>();
      options.put("host", server.host());
      options.put("port", server.port());
      options.put("user", server.user());
      options.put("database", "mining_sessions");
      options.put("table", "mining_events");
      try (MiningLog log =
          role.create(role.options().parse(options), new TestConnectorContext("sessions"))) {
        log.prepare();
        log.request(List.of(ORDERS));
        log.cover(List.of(ORDERS));
        long head = uses(log, 0, 20);
        Map<Long, long[]> first = sessions(s);
        assertThat(first).isNotEmpty();
        assertThat(first.values().stream().mapToLong(n -> n[1]).sum())
            .as("statements of the log's connections")
            .isGreaterThan(100);
        assertThat(first.values())
            .allSatisfy(n -> assertThat(n[0]).as("session set-ups of a connection").isOne());

        // Its connections lost: the new ones are set up as they connect, once each.
        for (long thread : first.keySet()) {
          s.execute("KILL CONNECTION " + thread);
        }
        Thread.sleep(1_000); // past the pool's window without a liveness check
        uses(log, head, 20);
        Map<Long, long[]> then = sessions(s);
        then.keySet().removeAll(first.keySet());
        assertThat(then).isNotEmpty();
        assertThat(then.values())
            .allSatisfy(n -> assertThat(n[0]).as("session set-ups of a connection").isOne());
      }
    }
  }

  /** {@code times} appends of one event, each read back, and the log's state: returns the head. */
  private static long uses(MiningLog log, long head, int times) {
    for (int i = 1; i <= times; i++) {
      long n = head + 1;
      ChangeEvent event =
          new ChangeEvent.RowChange(
              ChangeEvent.Kind.INSERT,
              ORDERS,
              SCHEMA,
              null,
              new Object[] {n, "n" + n},
              position(n),
              Instant.parse("2026-12-07T06:00:00Z"));
      head = log.append(head, ChangeEventJson.encoded(List.of(event)), position(n));
      assertThat(log.read(head - 1, List.of(ORDERS), 10).events())
          .extracting(MiningLog.Entry::seq)
          .containsExactly(head);
      assertThat(log.state().head()).isEqualTo(head);
    }
    return head;
  }

  private static Position position(long n) {
    return new Position(7, new byte[] {(byte) n, 1}, "binlog.000001:" + n);
  }

  /**
   * By connection of the mining log (those that touched its tables), from the general query log:
   * how many times its session was set up ({@code SET NAMES …, time_zone …}), and its statements.
   */
  private static Map<Long, long[]> sessions(Statement s) throws SQLException {
    Map<Long, long[]> sessions = new TreeMap<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT thread_id, SUM(CONVERT(argument USING utf8mb4) LIKE 'SET NAMES %time_zone%'),"
                + " COUNT(*) FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')"
                + " AND thread_id <> CONNECTION_ID() GROUP BY thread_id HAVING"
                + " SUM(CONVERT(argument USING utf8mb4) LIKE '%mining_events%') > 0")) {
      while (rs.next()) {
        sessions.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
      }
    }
    return sessions;
  }
}
