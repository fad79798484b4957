package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.Sessions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How Ferry connects to Oracle through ojdbc: service-name or SID URLs, driver properties, and one
 * {@code ALTER SESSION} per checkout (job time zone, ISO text formats, binary sorting).
 */
final class OracleSessions implements Sessions {
  static final int DEFAULT_PORT = 1521;

  /** Sets up a session: Oracle's ALTER SESSION, or what a test stand-in accepts instead. */
  @FunctionalInterface
  interface SessionSetup {
    void apply(Connection connection, ZoneId zone) throws SQLException;
  }

  private final boolean sid;
  private final SessionSetup sessionSetup;

  /**
   * @param sid whether {@code database} names an instance SID rather than a service
   * @param sessionSetup runs on each checkout; {@link #alterSession} against Oracle
   */
  OracleSessions(boolean sid, SessionSetup sessionSetup) {
    this.sid = sid;
    this.sessionSetup = Objects.requireNonNull(sessionSetup, "sessionSetup is null");
  }

  /** Oracle sessions set up with its ALTER SESSION. */
  OracleSessions(boolean sid) {
    this(sid, OracleSessions::alterSession);
  }

  OracleSessions withSessionSetup(SessionSetup setup) {
    return new OracleSessions(sid, setup);
  }

  /** These sessions with {@code database} read as a SID ({@code true}) or a service name. */
  OracleSessions withSid(boolean sid) {
    return new OracleSessions(sid, sessionSetup);
  }

  @Override
  public boolean buildsUrls() {
    return true;
  }

  @Override
  public String url(String host, OptionalInt port, String database) {
    int p = port.orElse(DEFAULT_PORT);
    if (sid) {
      if (database == null) {
        throw new IllegalArgumentException("sid: true needs database (the SID)");
      }
      return "jdbc:oracle:thin:@" + host + ":" + p + ":" + database;
    }
    return "jdbc:oracle:thin:@//" + host + ":" + p + (database == null ? "" : "/" + database);
  }

  /**
   * {@code oracle.jdbc.timezoneAsRegion=false}: ojdbc otherwise sends the JVM's zone region at
   * logon, which a server with an older time zone file refuses (ORA-01882); Ferry sets the session
   * zone itself. {@code remarksReporting=true}: table and column comments for the catalog.
   */
  @Override
  public Map<String, String> driverProperties() {
    return Map.of("oracle.jdbc.timezoneAsRegion", "false", "remarksReporting", "true");
  }

  /** ojdbc gives up connecting after {@code oracle.net.CONNECT_TIMEOUT} milliseconds. */
  @Override
  public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    return Map.of("oracle.net.CONNECT_TIMEOUT", Long.toString(connectTimeout.toMillis()));
  }

  @Override
  public void initSession(Connection connection, ZoneId zone) throws SQLException {
    sessionSetup.apply(connection, zone);
  }

  /**
   * The one ALTER SESSION Ferry runs on each connection: the time zone of the job; ISO formats for
   * text conversions in user filters; and binary sorting, so that {@code ORDER BY key} and {@code
   * key > ?} agree on string keys (a linguistic NLS_SORT would order differently from the
   * comparison, and a resumed split would skip or repeat rows).
   */
  static String alterSessionSql(ZoneId zone) {
    return "ALTER SESSION SET TIME_ZONE = '"
        + oracleZone(zone)
        + "' NLS_DATE_FORMAT = 'YYYY-MM-DD HH24:MI:SS'"
        + " NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9'"
        + " NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM'"
        + " NLS_NUMERIC_CHARACTERS = '.,'"
        + " NLS_SORT = BINARY NLS_COMP = BINARY";
  }

  /** Oracle's spelling of a zone: {@code +08:00} for offsets (Oracle rejects {@code Z}). */
  static String oracleZone(ZoneId zone) {
    ZoneId normalized = zone.normalized();
    if (normalized instanceof ZoneOffset offset) {
      int seconds = offset.getTotalSeconds();
      int minutes = Math.abs(seconds) / 60;
      return String.format("%s%02d:%02d", seconds < 0 ? "-" : "+", minutes / 60, minutes % 60);
    }
    return zone.getId();
  }

  private static void alterSession(Connection connection, ZoneId zone) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(alterSessionSql(zone));
    }
  }
}
