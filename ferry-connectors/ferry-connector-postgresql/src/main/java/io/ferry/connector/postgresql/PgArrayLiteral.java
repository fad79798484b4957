package io.ferry.connector.postgresql;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses PostgreSQL's array output, {@code {1,NULL,"a \"b\"",""}}, into element texts (null for
 * NULL). One dimension only: a nested brace is a multi-dimensional array, which Ferry's {@code
 * array<...>} of a PostgreSQL column type cannot announce in advance.
 */
final class PgArrayLiteral {
  private PgArrayLiteral() {}

  /**
   * @throws IllegalArgumentException for a multi-dimensional array or malformed text
   */
  static List<String> parse(String text) {
    int start = 0;
    if (text.startsWith("[")) {
      // Explicit lower bounds, "[0:2]={1,2,3}": Ferry arrays are plain lists.
      start = text.indexOf('=') + 1;
    }
    if (start >= text.length() || text.charAt(start) != '{' || !text.endsWith("}")) {
      throw new IllegalArgumentException("not an array literal: " + abbreviate(text));
    }
    List<String> out = new ArrayList<>();
    int end = text.length() - 1;
    int i = start + 1;
    if (i == end) {
      return out;
    }
    StringBuilder sb = new StringBuilder();
    while (i <= end) {
      char c = text.charAt(i);
      if (c == '{') {
        throw new IllegalArgumentException(
            "multi-dimensional array "
                + abbreviate(text)
                + ": read it with a query that flattens it or casts it to json");
      }
      sb.setLength(0);
      if (c == '"') {
        i++;
        while (true) {
          char q = text.charAt(i++);
          if (q == '\\') {
            sb.append(text.charAt(i++));
          } else if (q == '"') {
            break;
          } else {
            sb.append(q);
          }
        }
        out.add(sb.toString());
      } else {
        while (i < end && text.charAt(i) != ',') {
          sb.append(text.charAt(i++));
        }
        String raw = sb.toString().trim();
        out.add(raw.equalsIgnoreCase("NULL") ? null : raw);
      }
      // now at ',' or the closing brace
      i++;
    }
    return out;
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
