package io.ferry.connector.jdbc;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One database server of the {@code host} or {@code hosts} option: a host name or address, and a
 * port when one was given (empty: the dialect's default port).
 *
 * @param host a name, an IPv4 address, or an IPv6 address without brackets
 */
public record ServerAddress(String host, OptionalInt port) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");
  private static final Pattern ENTRY =
      Pattern.compile("(?:\\[(?<v6>[^\\]]*)\\]|(?<name>[^:\\[\\]]*))(?::(?<port>[^:]*))?");

  public ServerAddress {
    Objects.requireNonNull(host, "host is null");
    Objects.requireNonNull(port, "port is null");
  }

  /**
   * The server of the {@code host} option: {@code host} as given (an IPv6 address with or without
   * brackets), with {@code port}.
   */
  public static ServerAddress of(String host, OptionalInt port) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return new ServerAddress(h, port);
  }

  /**
   * One entry of the {@code hosts} option: {@code host}, {@code host:port}, {@code [ipv6]} or
   * {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException saying what is wrong with the entry
   */
  public static ServerAddress parse(String entry) {
    String text = entry.trim();
    Matcher m = ENTRY.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          text.chars().filter(c -> c == ':').count() > 1 && !text.startsWith("[")
              ? "'" + entry + "': write an IPv6 address in brackets, e.g. [::1] or [::1]:5432"
              : "'" + entry + "' is not host or host:port (IPv6 in brackets: [::1]:5432)");
    }
    String host = m.group("v6") != null ? m.group("v6") : m.group("name");
    Pattern allowed = m.group("v6") != null ? IPV6 : NAME;
    if (!allowed.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "'" + entry + "' is not host or host:port (IPv6 in brackets: [::1]:5432)");
    }
    String port = m.group("port");
    if (port == null) {
      return new ServerAddress(host, OptionalInt.empty());
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException(
          "'" + entry + "': the port must be a number between 1 and 65535, got '" + port + "'");
    }
    return new ServerAddress(host, OptionalInt.of(Integer.parseInt(port)));
  }

  /** This server with {@code port} when it names none. */
  public ServerAddress withDefaultPort(OptionalInt port) {
    return this.port.isPresent() ? this : new ServerAddress(host, port);
  }

  /** {@code host:port} for a URL, an IPv6 address in brackets, {@code defaultPort} when none. */
  public String toUrlPart(int defaultPort) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return h + ":" + port.orElse(defaultPort);
  }

  /** {@code h1:port,h2:port} for a multi-host URL, in the order given. */
  public static String toUrlPart(List<ServerAddress> servers, int defaultPort) {
    StringJoiner joined = new StringJoiner(",");
    servers.forEach(s -> joined.add(s.toUrlPart(defaultPort)));
    return joined.toString();
  }
}
