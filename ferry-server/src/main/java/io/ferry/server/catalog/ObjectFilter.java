package io.ferry.server.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A task's include and exclude patterns: comma-separated globs ({@code *} any characters, {@code ?}
 * one), case-sensitive. A pattern without a dot names databases (all their tables); with one,
 * {@code database.table}. Nothing included means everything; an exclusion wins.
 */
record ObjectFilter(List<String> includes, List<String> excludes) {

  static ObjectFilter of(String includes, String excludes) {
    return new ObjectFilter(split(includes), split(excludes));
  }

  static List<String> split(String patterns) {
    return patterns == null
        ? List.of()
        : Arrays.stream(patterns.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Whether any table of the database may be covered: the database is read. */
  boolean readsDatabase(String database) {
    boolean included =
        includes.isEmpty()
            || includes.stream().anyMatch(p -> glob(databasePart(p)).matcher(database).matches());
    return included
        && excludes.stream()
            .noneMatch(p -> p.indexOf('.') < 0 && glob(p).matcher(database).matches());
  }

  boolean covers(String database, String table) {
    return readsDatabase(database)
        && (includes.isEmpty() || includes.stream().anyMatch(p -> matches(p, database, table)))
        && excludes.stream().noneMatch(p -> matches(p, database, table));
  }

  private static boolean matches(String pattern, String database, String table) {
    int dot = pattern.indexOf('.');
    return dot < 0
        ? glob(pattern).matcher(database).matches()
        : glob(pattern).matcher(database + "." + table).matches();
  }

  private static String databasePart(String pattern) {
    int dot = pattern.indexOf('.');
    return dot < 0 ? pattern : pattern.substring(0, dot);
  }

  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char ch : glob.toCharArray()) {
      switch (ch) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
