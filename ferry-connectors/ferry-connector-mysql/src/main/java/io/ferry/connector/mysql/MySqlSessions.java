package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.ServerAddress;
import io.ferry.connector.jdbc.Sessions;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.Options;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Ferry connects to MySQL and MariaDB through MariaDB Connector/J: URLs ({@code sequential} for
 * clusters), driver properties, and one session statement per checkout that sets the character set,
 * the job's time zone (or its offset on a server without time zone tables) and a strict {@code
 * sql_mode}. One instance per configured source, sink or catalog: it learns from the server whether
 * the zone's name is known.
 */
final class MySqlSessions implements Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlSessions.class);
  private static final int UNKNOWN_SYSTEM_VARIABLE = 1193;

  static final int DEFAULT_PORT = 3306;

  /**
   * Strict, so a value the column cannot hold fails instead of being cut; no zero auto-increment
   * surprise; engine substitution refused. Backslash escapes stay on: LOAD DATA relies on them.
   */
  static final String SQL_MODE =
      "STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO";

  /** The job's time zone, from {@link MySqlDialect#configure(Options, ConnectorContext)}. */
  private final ZoneId zone;

  /**
   * The offset sessions use instead of {@link #zone} on a server without time zone tables: the
   * zone's offset when this instance was configured, the same for every connection of it.
   */
  private final ZoneOffset fallbackOffset;

  /**
   * Whether the server turned out not to know {@link #zone}'s name (error 1298), so sessions run at
   * {@link #fallbackOffset}. Learnt from the server on the first connection; it only ever turns
   * true, and it belongs to this configured instance (one source, sink or catalog), not to the
   * connector's shared dialect.
   */
  private final AtomicBoolean serverLacksZone = new AtomicBoolean();

  private final AtomicBoolean lacksIdleTimeout = new AtomicBoolean();

  /** The job's time zone sessions are set to (see {@link #sessionZone()} for the one they use). */
  ZoneId zone() {
    return zone;
  }

  /** Sessions in {@code zone}, the job's time zone. */
  MySqlSessions(ZoneId zone) {
    this.zone = zone;
    this.fallbackOffset = zone.getRules().getOffset(Instant.now());
  }

  @Override
  public boolean buildsUrls() {
    return true;
  }

  /**
   * {@code jdbc:mysql:...} (MySQL Connector/J's scheme, the one DataX jobs and most tools use) as
   * {@code jdbc:mariadb:...}: MariaDB Connector/J, which Ferry ships for both servers, refuses the
   * MySQL scheme unless told to accept it. The rest of the URL stays as given; parameters the
   * driver does not know are ignored by it.
   */
  @Override
  public String givenUrl(String url) {
    return url.regionMatches(true, 0, "jdbc:mysql:", 0, "jdbc:mysql:".length())
        ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length())
        : url;
  }

  @Override
  public String url(String host, OptionalInt port, String database) {
    return "jdbc:mariadb://"
        + ServerAddress.of(host, port).toUrlPart(DEFAULT_PORT)
        + "/"
        + (database == null ? "" : database);
  }

  /**
   * {@code jdbc:mariadb:sequential://h1:3306,h2:3306/db}: Connector/J's {@code sequential} mode
   * connects to the first server that answers, in the order given, and fails over the same way when
   * a connection is lost; every connection of a source or sink goes to that one server, so writes
   * and a snapshot's readers stay together. For load balancing ({@code loadbalance}) or
   * primary/replica routing ({@code replication}), give {@code url}.
   */
  @Override
  public Optional<String> clusterUrl(List<ServerAddress> servers, String database) {
    return Optional.of(
        "jdbc:mariadb:sequential://"
            + ServerAddress.toUrlPart(servers, DEFAULT_PORT)
            + "/"
            + (database == null ? "" : database));
  }

  /**
   * {@code retriesAllDown} = the number of servers: each is tried once per connection attempt (then
   * each denied one once more, 250 ms apart), instead of the driver's 120 attempts, which keep a
   * connection to a cluster that is all down waiting for half a minute.
   */
  @Override
  public Map<String, String> clusterProperties(List<ServerAddress> servers) {
    return Map.of("retriesAllDown", String.valueOf(servers.size()));
  }

  @Override
  public Map<String, String> driverProperties() {
    return Map.of(
        // LOAD DATA LOCAL INFILE from the statement's stream.
        "allowLocalInfile", "true",
        // Reads run as server-side prepared statements: the binary protocol sends FLOAT as 4
        // bytes (the text protocol rounds it to 6 digits) and integers without parsing.
        "useServerPrepStmts", "true",
        // tinyint(1) is reported as BOOLEAN (also by getColumns); tinyInt1IsBoolean decides.
        "tinyInt1isBit", "true",
        "yearIsDateType", "false");
  }

  /** MariaDB Connector/J's {@code connectTimeout}, in milliseconds (its default is 30 s). */
  @Override
  public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    return Map.of("connectTimeout", String.valueOf(connectTimeout.toMillis()));
  }

  /**
   * One round trip: character set, time zone, strict sql_mode, every warning kept (LOAD DATA
   * problems are reported as warnings), a long net_write_timeout so a slow sink does not make the
   * server drop a streaming read.
   */
  @Override
  public void initSession(Connection connection, ZoneId jobZone) throws SQLException {
    // jobZone is the context's zone this instance was configured with.
    ZoneId named = zone.normalized();
    try (Statement s = connection.createStatement()) {
      if (named instanceof ZoneOffset o) {
        s.execute(sessionSql(offsetText(o)));
        return;
      }
      if (!serverLacksZone.get()) {
        try {
          s.execute(sessionSql(zone.getId()));
          return;
        } catch (SQLException e) {
          if (e.getErrorCode() != 1298) {
            throw e;
          }
          if (serverLacksZone.compareAndSet(false, true)) {
            LOG.warn(
                "the server does not know time zone '{}' (load its time zone tables with"
                    + " mysql_tzinfo_to_sql); sessions use the fixed offset {} instead, so"
                    + " TIMESTAMP values are exact instants but carry that offset, and NOW() or"
                    + " TIMESTAMP literals in filters follow it",
                zone.getId(),
                offsetText(fallbackOffset));
          }
        }
      }
      s.execute(sessionSql(offsetText(fallbackOffset)));
    }
  }

  /**
   * MariaDB (10.3 and later) ends the session of a transaction idle for longer than the limit, in
   * whole seconds (rounded up). MySQL has no such setting (it answers "unknown system variable"):
   * its sessions are fenced by the check before each commit alone.
   */
  @Override
  public void limitIdleTransactions(Connection connection, Duration limit) throws SQLException {
    long seconds = Math.max(1, (limit.toMillis() + 999) / 1000);
    try (Statement s = connection.createStatement()) {
      s.execute("SET SESSION idle_transaction_timeout = " + seconds);
    } catch (SQLException e) {
      if (e.getErrorCode() != UNKNOWN_SYSTEM_VARIABLE) {
        throw e;
      }
      if (lacksIdleTimeout.compareAndSet(false, true)) {
        LOG.info(
            "the server has no idle_transaction_timeout (MySQL): a run's writes are fenced by the"
                + " check before each commit alone");
      }
      return;
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
  }

  private static String sessionSql(String zone) {
    return "SET NAMES utf8mb4, time_zone = '"
        + zone.replace("'", "''")
        + "', sql_mode = '"
        + SQL_MODE
        + "', max_error_count = 65535, net_write_timeout = 600";
  }

  private static String offsetText(ZoneOffset offset) {
    String id = offset.getId();
    return id.equals("Z") ? "+00:00" : id;
  }

  /**
   * The zone sessions convert TIMESTAMP values in: the job zone, or {@link #fallbackOffset} once
   * the server said it does not know the zone's name (always before any value is read or written:
   * every connection runs {@link #initSession} first).
   */
  ZoneId sessionZone() {
    return serverLacksZone.get() ? fallbackOffset : zone;
  }
}
