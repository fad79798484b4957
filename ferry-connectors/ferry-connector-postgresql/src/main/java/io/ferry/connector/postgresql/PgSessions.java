package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.ServerAddress;
import io.ferry.connector.jdbc.Sessions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How Ferry connects to PostgreSQL through pgjdbc: URLs (several hosts, primary first), driver
 * properties, and a session in the job's time zone with ISO-8601 intervals.
 */
final class PgSessions implements Sessions {
  static final PgSessions INSTANCE = new PgSessions();

  static final int DEFAULT_PORT = 5432;

  private PgSessions() {}

  @Override
  public boolean buildsUrls() {
    return true;
  }

  @Override
  public String url(String host, OptionalInt port, String database) {
    return clusterUrl(List.of(ServerAddress.of(host, port)), database).orElseThrow();
  }

  /**
   * {@code jdbc:postgresql://h1:5432,h2:5432/db}: pgjdbc tries the servers in order and takes the
   * first that answers and has the wanted role, {@code targetServerType} (see {@link
   * #clusterProperties}).
   */
  @Override
  public Optional<String> clusterUrl(List<ServerAddress> servers, String database) {
    return Optional.of(
        "jdbc:postgresql://"
            + ServerAddress.toUrlPart(servers, DEFAULT_PORT)
            + "/"
            + (database == null ? "" : URLEncoder.encode(database, StandardCharsets.UTF_8)));
  }

  /**
   * {@code targetServerType=primary}: the server that takes writes, for sources, sinks and catalogs
   * alike. A source can read from standbys with {@code properties: {targetServerType:
   * preferSecondary}} (add {@code loadBalanceHosts: true} to spread its connections).
   */
  @Override
  public Map<String, String> clusterProperties(List<ServerAddress> servers) {
    return Map.of("targetServerType", "primary");
  }

  /**
   * pgjdbc's {@code connectTimeout}, in whole seconds (at least 1; its default is 10 s): how long
   * it waits for each server's TCP connection before trying the next.
   */
  @Override
  public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    return Map.of("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
  }

  @Override
  public Map<String, String> driverProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("ApplicationName", "ferry");
    // Strings bound as parameters take the target column's type: uuid, enum, json, inet, interval.
    p.put("stringtype", "unspecified");
    // The batched fallback sends multi-row INSERTs.
    p.put("reWriteBatchedInserts", "true");
    p.put("tcpKeepAlive", "true");
    return p;
  }

  @Override
  public void initSession(Connection connection, ZoneId zone) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT set_config('TimeZone', ?, false), set_config('IntervalStyle', 'iso_8601',"
                + " false), set_config('lc_monetary', 'C', false)")) {
      s.setString(1, timeZoneName(zone));
      s.executeQuery().close();
    }
  }

  /** PostgreSQL ends the session of a transaction idle for longer than the limit. */
  @Override
  public void limitIdleTransactions(Connection connection, Duration limit) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET idle_in_transaction_session_timeout = " + Math.max(1, limit.toMillis()));
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
  }

  /**
   * The zone as PostgreSQL's {@code TimeZone} setting reads it. A fixed offset is written in POSIX
   * form, whose sign is the inverse of ISO's: {@code +08:00} is {@code <+08:00>-08:00}.
   */
  static String timeZoneName(ZoneId zone) {
    ZoneId z = zone.normalized();
    if (z instanceof ZoneOffset offset) {
      if (offset.getTotalSeconds() == 0) {
        return "UTC";
      }
      String iso = offset.getId();
      String posix = iso.startsWith("+") ? "-" + iso.substring(1) : "+" + iso.substring(1);
      return "<" + iso.replace(":", "") + ">" + posix;
    }
    return z.getId();
  }
}
