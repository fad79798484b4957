package io.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a database is reached and how each session is set up: URLs, driver properties and the
 * per-checkout session statement. One part of a {@link Dialect} ({@link Dialect#sessions()}); every
 * method has a default that fits a standard-SQL database with a JDBC 4.2 driver ({@link
 * #STANDARD}). Implementations are shared by every thread of a source or sink: keep them immutable.
 */
public interface Sessions {
  /** No URL building, no driver properties, no session setup. */
  Sessions STANDARD = new Sessions() {};

  /**
   * Whether {@link #url} can build a URL from {@code host}/{@code port}/{@code database}. When
   * false, the connector offers no such options and {@code url} is required.
   */
  default boolean buildsUrls() {
    return false;
  }

  /**
   * The URL the driver is given for the {@code url} option's value: the value itself by default; a
   * dialect whose driver spells the scheme differently from the URLs users bring (MariaDB
   * Connector/J and DataX's {@code jdbc:mysql://}) rewrites the scheme here.
   */
  default String givenUrl(String url) {
    return url;
  }

  /**
   * The JDBC URL for a host, an optional port (the database's default port when empty) and an
   * optional database (null). Only called when {@link #buildsUrls()}.
   */
  default String url(String host, OptionalInt port, String database) {
    throw new UnsupportedOperationException("this dialect builds no JDBC URLs; give url");
  }

  /**
   * The JDBC URL naming several servers of one cluster (the {@code hosts} option), in the driver's
   * multi-host form, for an optional database (null); the connector's README says how the driver
   * picks a server. Empty when the driver has no such form (the default): {@code hosts} is then a
   * problem on {@code hosts} telling to give {@code url}. Only called when {@link #buildsUrls()}.
   *
   * @param servers at least one, in the order given; a server without a port gets the default port
   *     (build each part with {@link ServerAddress#toUrlPart(int)})
   */
  default Optional<String> clusterUrl(List<ServerAddress> servers, String database) {
    return Optional.empty();
  }

  /**
   * Driver properties for a {@link #clusterUrl}, e.g. PostgreSQL's {@code
   * targetServerType=primary}: applied over {@link #driverProperties()} and {@link
   * #connectTimeoutProperties}; the {@code properties} option overrides them. Default: none.
   */
  default Map<String, String> clusterProperties(List<ServerAddress> servers) {
    return Map.of();
  }

  /**
   * Driver properties needed for speed or correctness (e.g. {@code rewriteBatchedStatements}); the
   * {@code properties} option overrides them key by key.
   */
  default Map<String, String> driverProperties() {
    return Map.of();
  }

  /**
   * Driver properties that make the driver itself give up connecting after {@code connectTimeout}
   * (the {@code connectTimeout} option), so an unreachable host fails within about that time
   * instead of the driver's own default, e.g. MariaDB {@code connectTimeout} in milliseconds,
   * PostgreSQL {@code connectTimeout} in seconds. With {@code hosts}, {@code connectTimeout} is the
   * option's value divided by the number of servers (each server's share), so the driver tries the
   * whole list in time. Applied over {@link #driverProperties()}; the {@code properties} option
   * overrides both. The pool and the live check also stop waiting after {@code connectTimeout}
   * whatever the driver does. Default: none.
   */
  default Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    return Map.of();
  }

  /**
   * Prepares every connection Ferry takes from its pool: at least set the session time zone to
   * {@code zone} where the database has one, so that zone-less values are read and written the same
   * whatever the JVM's or server's default. Called on each checkout; keep it to one round trip.
   * Never closes or commits the connection.
   */
  default void initSession(Connection connection, ZoneId zone) throws SQLException {}

  /**
   * Has the database abort a transaction of this session that stays idle (nothing sent) for longer
   * than {@code limit}: the second half of a run's {@link io.ferry.spi.WriteFence}, so a process
   * frozen between its fence check and its commit cannot commit once it wakes. Called on a sink
   * writer's connection before it writes; commits what it ran when the connection is not in
   * autocommit. The default does nothing: a database that cannot do this is fenced by the check
   * before each commit alone (its connector's README says so).
   */
  default void limitIdleTransactions(Connection connection, Duration limit) throws SQLException {}
}
