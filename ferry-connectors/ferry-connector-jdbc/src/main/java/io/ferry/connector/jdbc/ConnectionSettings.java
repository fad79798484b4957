package io.ferry.connector.jdbc;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * How to reach the database, from the connection options.
 *
 * @param urlOption the option a failed connection is reported on: {@code url} when given, else
 *     {@code host}
 */
record ConnectionSettings(
    String url,
    String urlOption,
    String user,
    String password,
    Map<String, String> properties,
    Duration connectTimeout,
    int maxRetries,
    Duration retryBackoff) {

  private static final Pattern SECRET_IN_URL =
      Pattern.compile("(?i)((?:password|pwd|passwd)\\s*=)[^&;:]*");

  static ConnectionSettings of(Options options, Dialect dialect) {
    String url;
    String urlOption;
    if (!dialect.buildsUrls() || options.has(JdbcOptions.URL)) {
      url = options.get(dialect.buildsUrls() ? JdbcOptions.URL : JdbcOptions.URL_REQUIRED);
      urlOption = "url";
    } else if (options.has(JdbcOptions.HOST)) {
      Integer port = options.get(JdbcOptions.PORT);
      url =
          dialect.url(
              options.get(JdbcOptions.HOST),
              port == null ? OptionalInt.empty() : OptionalInt.of(port),
              options.get(JdbcOptions.DATABASE));
      urlOption = "host";
    } else {
      throw new InvalidOptionsException(
          ErrorCode.OPTION_MISSING,
          List.of(new OptionProblem("url", "give url, or host (with port and database)")));
    }
    Duration connectTimeout = options.get(JdbcOptions.CONNECT_TIMEOUT);
    Map<String, String> properties = new LinkedHashMap<>(dialect.driverProperties());
    properties.putAll(dialect.connectTimeoutProperties(connectTimeout));
    properties.putAll(options.get(JdbcOptions.PROPERTIES));
    return new ConnectionSettings(
        url,
        urlOption,
        options.get(JdbcOptions.USER),
        options.get(JdbcOptions.PASSWORD),
        Map.copyOf(properties),
        connectTimeout,
        options.get(JdbcOptions.MAX_RETRIES),
        options.get(JdbcOptions.RETRY_BACKOFF));
  }

  /** The data source for messages: the URL with any password in it masked, and the user. */
  String description() {
    return mask(url) + (user == null ? "" : " as " + user);
  }

  /** Masks {@code password=...} in URLs and messages. */
  static String mask(String text) {
    return text == null ? null : SECRET_IN_URL.matcher(text).replaceAll("$1****");
  }

  @Override
  public String toString() {
    return description();
  }
}
