package io.ferry.connector.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables a DDL statement of the binlog changes: {@code ALTER TABLE}, {@code CREATE TABLE},
 * {@code DROP TABLE} (several), {@code RENAME TABLE a TO b} (several), {@code TRUNCATE}. Comments
 * before the statement and MariaDB's {@code IF [NOT] EXISTS}, {@code ONLINE}, {@code IGNORE} are
 * understood; names may be quoted with backticks and qualified with their database. Other
 * statements name no table.
 */
final class BinlogDdl {
  private BinlogDdl() {}

  /**
   * @param dropped whether the table is gone after the statement (DROP, the old name of RENAME)
   */
  record Target(String database, String table, boolean dropped) {}

  private static final String NAME =
      "(`(?:[^`]|``)+`|[\\w$]+)(?:\\s*\\.\\s*(`(?:[^`]|``)+`|[\\w$]+))?";

  private static final Pattern ALTER =
      Pattern.compile(
          "^ALTER\\s+(?:ONLINE\\s+)?(?:IGNORE\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?" + NAME,
          Pattern.CASE_INSENSITIVE);
  private static final Pattern CREATE =
      Pattern.compile(
          "^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
              + NAME,
          Pattern.CASE_INSENSITIVE);
  private static final Pattern TRUNCATE =
      Pattern.compile("^TRUNCATE\\s+(?:TABLE\\s+)?" + NAME, Pattern.CASE_INSENSITIVE);
  private static final Pattern DROP =
      Pattern.compile(
          "^DROP\\s+(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?(.*)$",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern RENAME =
      Pattern.compile("^RENAME\\s+TABLES?\\s+(.*)$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ONE_NAME = Pattern.compile(NAME);

  static List<Target> targets(String sql, String defaultDatabase) {
    String s = stripComments(sql).strip();
    List<Target> out = new ArrayList<>();
    Matcher m;
    if ((m = ALTER.matcher(s)).find()
        || (m = CREATE.matcher(s)).find()
        || (m = TRUNCATE.matcher(s)).find()) {
      out.add(target(m, defaultDatabase, false));
      if (s.toUpperCase(Locale.ROOT).startsWith("ALTER")) {
        // ALTER TABLE a RENAME [TO] b: a is gone, b appears.
        Matcher r =
            Pattern.compile(
                    "\\bRENAME\\s+(?!COLUMN\\b|INDEX\\b|KEY\\b)(?:TO\\s+|AS\\s+)?" + NAME,
                    Pattern.CASE_INSENSITIVE)
                .matcher(s.substring(m.end()));
        if (r.find()) {
          Target from = out.remove(0);
          out.add(new Target(from.database(), from.table(), true));
          out.add(target(r, defaultDatabase, false));
        }
      }
      return out;
    }
    if ((m = DROP.matcher(s)).find()) {
      for (String part : m.group(1).split(",")) {
        Matcher n = ONE_NAME.matcher(part.strip());
        if (n.lookingAt()) {
          out.add(target(n, defaultDatabase, true));
        }
      }
      return out;
    }
    if ((m = RENAME.matcher(s)).find()) {
      for (String pair : m.group(1).split(",")) {
        String[] names = pair.strip().split("(?i)\\s+TO\\s+");
        if (names.length == 2) {
          Matcher a = ONE_NAME.matcher(names[0].strip());
          Matcher b = ONE_NAME.matcher(names[1].strip());
          if (a.lookingAt() && b.lookingAt()) {
            out.add(target(a, defaultDatabase, true));
            out.add(target(b, defaultDatabase, false));
          }
        }
      }
    }
    return out;
  }

  private static Target target(Matcher m, String defaultDatabase, boolean dropped) {
    String first = unquote(m.group(1));
    String second = m.group(2) == null ? null : unquote(m.group(2));
    return second == null
        ? new Target(defaultDatabase, first, dropped)
        : new Target(first, second, dropped);
  }

  private static String unquote(String name) {
    return name.startsWith("`") ? name.substring(1, name.length() - 1).replace("``", "`") : name;
  }

  /** Leading {@code /* ... *}{@code /} and {@code -- } comments (MariaDB adds some). */
  private static String stripComments(String sql) {
    String s = sql.strip();
    while (true) {
      if (s.startsWith("/*") && !s.startsWith("/*!")) {
        int end = s.indexOf("*/");
        if (end < 0) {
          return s;
        }
        s = s.substring(end + 2).strip();
      } else if (s.startsWith("-- ") || s.startsWith("#")) {
        int end = s.indexOf('\n');
        if (end < 0) {
          return "";
        }
        s = s.substring(end + 1).strip();
      } else {
        return s;
      }
    }
  }
}
