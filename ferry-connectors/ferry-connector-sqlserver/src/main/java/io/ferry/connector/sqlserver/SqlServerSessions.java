package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.Sessions;
import io.ferry.connector.sqlserver.SqlServerDialect.Encrypt;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How Ferry connects to SQL Server through mssql-jdbc: {@code host:port;databaseName=} URLs (named
 * instances too), streaming and time-type properties, and the encryption options.
 */
final class SqlServerSessions implements Sessions {
  static final int DEFAULT_PORT = 1433;

  private final Encrypt encrypt;
  private final boolean trustServerCertificate;

  SqlServerSessions(Encrypt encrypt, boolean trustServerCertificate) {
    this.encrypt = encrypt;
    this.trustServerCertificate = trustServerCertificate;
  }

  @Override
  public boolean buildsUrls() {
    return true;
  }

  /**
   * {@code jdbc:sqlserver://host:1433;databaseName=sales}. A named instance is {@code host:
   * 'db1\SQLEXPRESS'} without a port. Encryption settings travel as driver properties (see {@link
   * #driverProperties()}), so they apply to a given {@code url} too.
   */
  @Override
  public String url(String host, OptionalInt port, String database) {
    StringBuilder url = new StringBuilder("jdbc:sqlserver://").append(host);
    if (port.isPresent() || !host.contains("\\")) {
      url.append(':').append(port.orElse(DEFAULT_PORT));
    }
    if (database != null) {
      url.append(";databaseName=").append(escapeUrlValue(database));
    }
    return url.toString();
  }

  /** A connection-string value in braces when it holds a separator (the driver's own escape). */
  static String escapeUrlValue(String value) {
    return value.contains(";") || value.contains("=") || value.contains("{")
        ? "{" + value.replace("}", "}}") + "}"
        : value;
  }

  /**
   * {@code responseBuffering=adaptive} (stream results instead of reading them whole), {@code
   * sendTimeAsDatetime=false} (a time is sent as TIME, not as a 1970 datetime), and the encryption
   * options.
   */
  @Override
  public Map<String, String> driverProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("responseBuffering", "adaptive");
    properties.put("sendTimeAsDatetime", "false");
    properties.put("encrypt", encrypt.choice());
    properties.put("trustServerCertificate", Boolean.toString(trustServerCertificate));
    return Map.copyOf(properties);
  }

  /**
   * mssql-jdbc gives up logging in after {@code loginTimeout} whole seconds (at least 1: 0 would
   * mean the driver's default of 15).
   */
  @Override
  public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    long seconds = Math.max(1, (connectTimeout.toMillis() + 999) / 1000);
    return Map.of("loginTimeout", Long.toString(seconds));
  }
}
