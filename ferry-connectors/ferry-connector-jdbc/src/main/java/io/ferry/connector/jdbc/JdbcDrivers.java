package io.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Finds the JDBC driver of a URL where a distribution puts it: a distribution loads each connector,
 * and its drivers, with a class loader of its own, which {@link DriverManager} never scans, so
 * connections come from the driver object itself, never from {@code DriverManager.getConnection}.
 */
public final class JdbcDrivers {
  private JdbcDrivers() {}

  /**
   * The driver that accepts {@code url}: one registered with DriverManager (drivers on the
   * application class path), else one found with ServiceLoader in the connectors' class loader.
   */
  public static Driver driver(String url) throws SQLException {
    try {
      return DriverManager.getDriver(url);
    } catch (SQLException notRegistered) {
      for (Driver driver : ServiceLoader.load(Driver.class, JdbcDrivers.class.getClassLoader())) {
        if (driver.acceptsURL(url)) {
          return driver;
        }
      }
      throw new SQLException(
          "no JDBC driver accepts " + url + "; put the driver's jar beside the connector", "08001");
    }
  }

  /** A connection to {@code url} from its driver. */
  public static Connection connect(String url, Properties properties) throws SQLException {
    return driver(url).connect(url, properties);
  }
}
