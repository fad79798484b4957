package io.ferry.connector.jdbc;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * How to reach the database, from the connection options: {@code url}, or {@code host} (one server)
 * or {@code hosts} (a cluster) with {@code port} and {@code database}.
 *
 * @param serverOption the option naming the server(s): {@code url}, {@code host} or {@code hosts}
 * @param portOption the option a refused connection is reported on: {@code port} when given with
 *     {@code host}, else {@link #serverOption}
 * @param databaseOption the option naming the database: {@code url} or {@code database}
 */
record ConnectionSettings(
    String url,
    String serverOption,
    String portOption,
    String databaseOption,
    String user,
    String password,
    Map<String, String> properties,
    Duration connectTimeout) {

  /** The least driver connect timeout a server of {@code hosts} gets, as {@code connectTimeout}. */
  private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);

  private static final Pattern SECRET_IN_URL =
      Pattern.compile("(?i)((?:password|pwd|passwd)\\s*=)[^&;:]*");

  /**
   * The URL is {@code url} when given; else {@link Sessions#url} of {@code host}, or {@link
   * Sessions#clusterUrl} of {@code hosts} (each entry without a port gets {@code port}), with the
   * dialect's {@link Sessions#clusterProperties} and, so that the whole list is tried within {@code
   * connectTimeout}, a driver connect timeout of {@code connectTimeout} / the number of servers.
   * Driver properties: the dialect's, then its connect timeout's, then the cluster's, then the
   * {@code properties} option's.
   *
   * @param localFiles the local files the job may use: an in-process database and driver properties
   *     naming files are checked against it ({@link DriverFiles})
   * @throws InvalidOptionsException when no server is named, when both host and hosts are, or when
   *     hosts is given to a dialect without a multi-host URL
   * @throws io.ferry.spi.FerryException naming {@code url} or {@code properties} when the
   *     connection would reach a local file the job may not use
   */
  static ConnectionSettings of(Options options, Dialect dialect, LocalFiles localFiles) {
    return of(options, options, dialect, localFiles);
  }

  /**
   * As {@link #of(Options, Dialect, LocalFiles)}, with the server and database ({@code url}, {@code
   * host}, {@code hosts}, {@code port}, {@code database}) from {@code options} and the rest ({@code
   * user}, {@code password}, {@code properties}, {@code connectTimeout}) from {@code common}: one
   * shard of a source over several databases.
   */
  static ConnectionSettings of(
      Options options, Options common, Dialect dialect, LocalFiles localFiles) {
    Duration connectTimeout = common.get(JdbcOptions.CONNECT_TIMEOUT);
    Integer port = options.get(JdbcOptions.PORT);
    OptionalInt givenPort = port == null ? OptionalInt.empty() : OptionalInt.of(port);
    String database = dialect.sessions().buildsUrls() ? options.get(JdbcOptions.DATABASE) : null;
    Map<String, String> properties = new LinkedHashMap<>(dialect.sessions().driverProperties());
    String url;
    String serverOption;
    String portOption;
    String databaseOption = "database";
    if (!dialect.sessions().buildsUrls() || options.has(JdbcOptions.URL)) {
      url =
          dialect
              .sessions()
              .givenUrl(
                  options.get(
                      dialect.sessions().buildsUrls()
                          ? JdbcOptions.URL
                          : JdbcOptions.URL_REQUIRED));
      serverOption = portOption = databaseOption = "url";
      properties.putAll(dialect.sessions().connectTimeoutProperties(connectTimeout));
    } else if (options.has(JdbcOptions.HOST) && options.has(JdbcOptions.HOSTS)) {
      String both = "give host (one server) or hosts (several), not both";
      throw new InvalidOptionsException(
          ErrorCode.OPTION_INVALID,
          List.of(new OptionProblem("host", both), new OptionProblem("hosts", both)));
    } else if (options.has(JdbcOptions.HOSTS)) {
      List<ServerAddress> servers = new ArrayList<>();
      for (String entry : options.get(JdbcOptions.HOSTS)) {
        servers.add(ServerAddress.parse(entry).withDefaultPort(givenPort));
      }
      url = clusterUrl(dialect, List.copyOf(servers), database);
      serverOption = portOption = "hosts";
      Duration perServer = connectTimeout.dividedBy(servers.size());
      properties.putAll(
          dialect.sessions().connectTimeoutProperties(max(perServer, MIN_CONNECT_TIMEOUT)));
      properties.putAll(dialect.sessions().clusterProperties(List.copyOf(servers)));
    } else if (options.has(JdbcOptions.HOST)) {
      url = dialect.sessions().url(options.get(JdbcOptions.HOST), givenPort, database);
      serverOption = "host";
      portOption = port == null ? "host" : "port";
      properties.putAll(dialect.sessions().connectTimeoutProperties(connectTimeout));
    } else {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_MISSING,
          List.of(
              new OptionProblem(
                  "url",
                  "give url, or host (one server) or hosts (several) with port and database")));
    }
    properties.putAll(common.get(JdbcOptions.PROPERTIES));
    return new ConnectionSettings(
        url,
        serverOption,
        portOption,
        databaseOption,
        common.get(JdbcOptions.USER),
        common.get(JdbcOptions.PASSWORD),
        Map.copyOf(DriverFiles.confine(url, serverOption, properties, localFiles)),
        connectTimeout);
  }

  private static String clusterUrl(Dialect dialect, List<ServerAddress> servers, String database) {
    return dialect
        .sessions()
        .clusterUrl(servers, database)
        .orElseThrow(
            () ->
                new InvalidOptionsException(
                    ErrorCode.OPTION_INVALID,
                    List.of(
                        new OptionProblem(
                            "hosts",
                            "the "
                                + dialect.name()
                                + " connector builds no URL for several servers: give url, in"
                                + " the multi-server form of its JDBC driver"))));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** These settings with every connection failure reported on {@code option}. */
  ConnectionSettings reportedOn(String option) {
    return new ConnectionSettings(
        url, option, option, option, user, password, properties, connectTimeout);
  }

  /** The data source for messages: the URL with any password in it masked, and the user. */
  String description() {
    return mask(url) + (user == null ? "" : " as " + user);
  }

  /** Masks {@code password=...} in URLs and messages. */
  static String mask(String text) {
    return text == null ? null : SECRET_IN_URL.matcher(text).replaceAll("$1****");
  }

  /** A driver's message fit to show: {@link #mask masked}, and the password never in it. */
  String scrub(String message) {
    String masked = mask(message);
    return password == null || password.length() < 4 || masked == null
        ? masked
        : masked.replace(password, "****");
  }

  @Override
  public String toString() {
    return description();
  }
}
