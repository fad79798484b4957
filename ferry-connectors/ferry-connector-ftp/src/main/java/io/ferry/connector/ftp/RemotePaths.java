package io.ferry.connector.ftp;

import java.util.regex.Pattern;

/** Paths on a server: segments separated by '/', absolute or relative to the login folder. */
final class RemotePaths {
  private RemotePaths() {}

  /** The folder of {@code path}: "/" for a file in the root, "." for a bare relative name. */
  static String parent(String path) {
    String p = trimSlashes(path);
    int slash = p.lastIndexOf('/');
    if (slash < 0) {
      return p.startsWith("/") ? "/" : ".";
    }
    return slash == 0 ? "/" : p.substring(0, slash);
  }

  /** The last segment of {@code path}; empty for the root. */
  static String name(String path) {
    String p = trimSlashes(path);
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** {@code name} in {@code folder}. */
  static String join(String folder, String name) {
    if (folder.equals(".")) {
      return name;
    }
    return folder.endsWith("/") ? folder + name : folder + "/" + name;
  }

  private static String trimSlashes(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Whether {@code text} holds a wildcard: {@code *} or {@code ?}. */
  static boolean hasWildcard(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  /** A file name pattern: {@code *} any run of characters, {@code ?} one character. */
  static Pattern wildcard(String pattern) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
