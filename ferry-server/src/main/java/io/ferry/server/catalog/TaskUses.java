package io.ferry.server.catalog;

import io.ferry.server.tasks.JobScripts;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The sync tasks that read or write a collected table: wizard and script tasks alike, by their
 * script, whose {@code source:} or {@code sink:} names the table's data source ({@code datasource:
 * alias}) and, in its {@code table}, {@code tables}, {@code collection}, {@code index} or {@code
 * path} option, the table. Names are compared exactly (case-sensitively): {@code db.table} (or
 * {@code namespace:table}), or the bare table name when the table is in the data source's own
 * database or schema (its {@code schema} option; PostgreSQL's {@code public}; HBase's {@code
 * default}; its {@code database} option or the database of its JDBC URL; any, when none of these
 * says). A name with a parameter ({@code orders_${bizdate}}) or a glob ({@code *}, {@code ?})
 * matches the names it can make.
 */
@Component
public final class TaskUses {
  private static final Pattern MYSQL_URL = Pattern.compile("(?i)jdbc:(mysql|mariadb):");
  private static final Pattern PARAMETER = Pattern.compile("\\$\\{[^}]*}|\\$\\[[^\\]]*\\]");

  private final JdbcClient db;

  TaskUses(JdbcClient db) {
    this.db = db;
  }

  /**
   * A task that reads ({@code source}) or writes ({@code sink}) the table.
   *
   * @param object the name the task gives the table
   */
  public record TaskUse(long taskId, String name, String mode, String side, String object) {}

  /**
   * The tasks that read or write a table.
   *
   * @param alias the table's data source's alias
   * @param connector its connector
   * @param options its options (for its own database or schema)
   */
  List<TaskUse> of(
      String alias, String connector, Map<String, Object> options, String database, String table) {
    String home = homeDatabase(connector, options);
    List<TaskUse> uses = new ArrayList<>();
    db.sql("SELECT id, name, edit_mode, script FROM ferry_task ORDER BY name, id")
        .query(
            rs -> {
              for (JobScripts.SideObjects side : JobScripts.objectsOf(rs.getString(4))) {
                if (!side.dataSource().equals(alias)) {
                  continue;
                }
                for (String object : side.objects()) {
                  if (names(object, home, database, table)) {
                    uses.add(
                        new TaskUse(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            side.section(),
                            object));
                    break;
                  }
                }
              }
            });
    return uses;
  }

  /**
   * Whether {@code object}, as a task writes it, names {@code database}.{@code table}.
   *
   * @param home the data source's own database or schema; null when unknown (a bare name then names
   *     the table in any database)
   */
  static boolean names(String object, String home, String database, String table) {
    String name = object.trim();
    if (PARAMETER.matcher(name).find() || name.indexOf('*') >= 0 || name.indexOf('?') >= 0) {
      Pattern glob = glob(name);
      return glob.matcher(database + "." + table).matches()
          || glob.matcher(database + ":" + table).matches()
          || ((home == null || home.equals(database)) && glob.matcher(table).matches());
    }
    if (name.equals(database + "." + table) || name.equals(database + ":" + table)) {
      return true;
    }
    return name.equals(table) && (home == null || home.equals(database));
  }

  private static Pattern glob(String name) {
    StringBuilder regex = new StringBuilder();
    String[] parts = PARAMETER.split(name, -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".+");
      }
      for (char ch : parts[i].toCharArray()) {
        switch (ch) {
          case '*' -> regex.append(".*");
          case '?' -> regex.append('.');
          default -> regex.append(Pattern.quote(String.valueOf(ch)));
        }
      }
    }
    return Pattern.compile(regex.toString());
  }

  /** The database or schema a bare table name is in on this data source; null when unknown. */
  static String homeDatabase(String connector, Map<String, Object> options) {
    if (options.get("schema") instanceof String schema && !schema.isBlank()) {
      return schema;
    }
    switch (connector) {
      case "postgresql":
        return "public";
      case "hbase":
        return "default";
      default:
        break;
    }
    if (options.get("database") instanceof String database && !database.isBlank()) {
      return database;
    }
    // MySQL's databases are the catalog's: the one its URL names is its own.
    if (options.get("url") instanceof String url && MYSQL_URL.matcher(url).lookingAt()) {
      try {
        String path = URI.create(url.substring(5)).getPath();
        if (path != null && path.length() > 1 && path.indexOf('/', 1) < 0) {
          return path.substring(1);
        }
      } catch (IllegalArgumentException notAUri) {
        return null;
      }
    }
    return null;
  }
}
