package io.ferry.connector.jdbc;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local files a JDBC connection reaches, kept within the job's {@link LocalFiles}. Two ways
 * lead there:
 *
 * <ul>
 *   <li>a database that runs inside this process (H2, HSQLDB, Derby, SQLite and DuckDB without a
 *       server): its SQL reads and writes the process's files ({@code FILE_READ}, {@code CSVREAD},
 *       {@code SCRIPT TO}, ...), so a confined job may not open one at all;
 *   <li>driver properties that name a key store or certificate file, in {@code properties} or in
 *       the URL: each is a local path like any other.
 * </ul>
 */
final class DriverFiles {
  private DriverFiles() {}

  /** URLs whose driver runs the database in this process; those with a server are excluded. */
  private static final Pattern IN_PROCESS =
      Pattern.compile(
          "(?i)jdbc:(?:h2:(?!tcp:|ssl:)|hsqldb:(?!hsqls?:|https?:)|derby:(?!//)|sqlite:|duckdb:).*");

  /**
   * Driver properties whose value is a local file (PostgreSQL, MariaDB, MySQL, SQL Server and the
   * JVM's TLS settings), in lower case. A {@code file:} URL names a file too.
   */
  private static final Set<String> FILE_PROPERTIES =
      Set.of(
          "sslcert",
          "sslkey",
          "sslrootcert",
          "serversslcert",
          "keystore",
          "truststore",
          "trustcertificatekeystoreurl",
          "clientcertificatekeystoreurl",
          "javax.net.ssl.keystore",
          "javax.net.ssl.truststore");

  /**
   * {@code key=value} pairs of a URL's query ({@code ?a=b&c=d}) or SQL Server form ({@code ;a=b}).
   */
  private static final Pattern URL_PROPERTY = Pattern.compile("[?&;]([^=?&;]+)=([^&;]*)");

  /**
   * Checks the URL and the driver properties against {@code files}.
   *
   * @param urlOption the option that gave the URL ({@code url}, or {@code host} when built)
   * @return the properties with each file resolved to the path to open
   * @throws FerryException naming {@code url} or {@code properties} when the connection would reach
   *     a local file the job may not use
   */
  static Map<String, String> confine(
      String url, String urlOption, Map<String, String> properties, LocalFiles files) {
    if (!files.confined()) {
      return properties;
    }
    if (IN_PROCESS.matcher(url).matches()) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          urlOption,
          "a database that runs inside this process reads and writes its files; here only"
              + " databases with a server of their own are allowed (e.g. jdbc:h2:tcp://...)");
    }
    Matcher m = URL_PROPERTY.matcher(url);
    while (m.find()) {
      if (namesFile(m.group(1))) {
        String value = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        if (isPath(value)) {
          files.resolve(urlOption, path(value));
        }
      }
    }
    Map<String, String> resolved = new LinkedHashMap<>(properties);
    properties.forEach(
        (key, value) -> {
          if (namesFile(key) && value != null && isPath(value)) {
            resolved.put(key, files.resolve(JdbcOptions.PROPERTIES.name(), path(value)).toString());
          }
        });
    return resolved;
  }

  private static boolean namesFile(String key) {
    return FILE_PROPERTIES.contains(key.trim().toLowerCase(Locale.ROOT));
  }

  /** Whether a value names a file: not blank, and not a certificate given inline (PEM). */
  private static boolean isPath(String value) {
    return !value.isBlank() && !value.strip().startsWith("-----BEGIN");
  }

  /** The path a property value names: itself, or the path of a {@code file:} URL. */
  private static String path(String value) {
    String v = value.trim();
    return v.regionMatches(true, 0, "file:", 0, 5) ? v.substring(5).replaceFirst("^//", "") : v;
  }
}
