package io.ferry.connector.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One database of the {@code shards} source option: where it is (the connection options {@code
 * url}, or {@code host} / {@code hosts} with {@code port} and {@code database}, as given) and,
 * optionally, the tables read there instead of the source's {@code table} / {@code tables}.
 *
 * @param location the entry's connection options, unparsed (parsed by {@link ShardedSource})
 * @param tables the shard's own tables, or null for the source's
 */
record Shard(Map<String, Object> location, List<String> tables) {
  private static final Set<String> LOCATION = Set.of("url", "host", "hosts", "port", "database");

  /** A list of maps; a bare string is a shard's URL. */
  static List<Shard> parseList(Object raw) {
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(
          "expected a list of databases, e.g. [{url: jdbc:mysql://db1/shop}, {url:"
              + " jdbc:mysql://db2/shop}]");
    }
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      shards.add(parse(list.get(i), "shards[" + i + "]"));
    }
    return List.copyOf(shards);
  }

  private static Shard parse(Object raw, String path) {
    if (raw instanceof String url) {
      return new Shard(Map.of("url", url), null);
    }
    if (!(raw instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(path + ": expected {url: ...} or {host, port, database}");
    }
    Map<String, Object> location = new LinkedHashMap<>();
    List<String> tables = null;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      Object value = e.getValue();
      if (value == null) {
        throw new IllegalArgumentException(path + "." + key + " has no value");
      }
      if (LOCATION.contains(key)) {
        location.put(key, value);
      } else if (key.equals("table") || key.equals("tables")) {
        if (tables != null) {
          throw new IllegalArgumentException(path + ": give table or tables, not both");
        }
        tables = texts(value, path + "." + key);
      } else if (key.equals("user") || key.equals("password") || key.equals("properties")) {
        throw new IllegalArgumentException(
            path
                + "."
                + key
                + ": shards share the source's user, password and properties; give them beside"
                + " shards");
      } else {
        throw new IllegalArgumentException(
            path + "." + key + ": unknown; expected url, host, hosts, port, database, tables");
      }
    }
    if (location.isEmpty()) {
      throw new IllegalArgumentException(
          path + ": name the database: url, or host (or hosts) with port and database");
    }
    return new Shard(Map.copyOf(location), tables);
  }

  private static List<String> texts(Object value, String path) {
    List<?> items = value instanceof List<?> l ? l : List.of(value);
    List<String> texts = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(path + ": expected table names, got " + item);
      }
      texts.add(s);
    }
    if (texts.isEmpty()) {
      throw new IllegalArgumentException(path + ": name at least one table");
    }
    return List.copyOf(texts);
  }
}
