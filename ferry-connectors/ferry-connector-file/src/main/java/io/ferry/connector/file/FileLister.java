package io.ferry.connector.file;

import io.ferry.spi.LocalFiles;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the files the source's {@code path} names: one file, the files directly in a directory, or
 * the files a glob matches. Hidden files (names starting with a dot) are left out of directory
 * listings and glob matches: they are temporary files, such as the sink's parts in progress.
 */
final class FileLister {
  private FileLister() {}

  /**
   * @param files the local files the job may use: the folder walked and every file found are
   *     resolved through it, so a link that leads outside its roots is refused, not followed
   * @param option the option that gave {@code pathOrGlob}, named in refusals
   * @return the matching regular files, as {@code files} resolves them, sorted by path so that
   *     plans are stable; empty when nothing matches
   */
  static List<Path> list(String pathOrGlob, LocalFiles files, String option) throws IOException {
    if (!hasGlob(pathOrGlob)) {
      Path path = files.resolve(option, pathOrGlob);
      if (Files.isRegularFile(path)) {
        return List.of(path);
      }
      if (Files.isDirectory(path)) {
        try (Stream<Path> children = Files.list(path)) {
          return children
              .filter(FileLister::visibleFile)
              .map(f -> files.resolve(option, f))
              .sorted()
              .toList();
        }
      }
      return List.of();
    }
    // Walk from the deepest folder without glob characters, as deep as the pattern has segments,
    // matching the rest of the pattern against paths relative to that folder.
    Path pattern = Path.of(pathOrGlob);
    int first = literalSegments(pattern);
    Path folder = files.resolve(option, base(pathOrGlob));
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    int depth = pattern.getNameCount() - first;
    PathMatcher matcher =
        FileSystems.getDefault()
            .getPathMatcher("glob:" + pattern.subpath(first, pattern.getNameCount()));
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder, depth)) {
      walk.filter(p -> matcher.matches(folder.relativize(p)) && visibleFile(p))
          .map(f -> files.resolve(option, f))
          .sorted()
          .forEach(found::add);
    }
    return List.copyOf(found);
  }

  /**
   * What {@code pathOrGlob} names before its first glob character: the path itself, or the folder a
   * glob walks (the current folder for a glob in its first segment).
   */
  static Path base(String pathOrGlob) {
    Path pattern = Path.of(pathOrGlob);
    int literal = literalSegments(pattern);
    if (literal == pattern.getNameCount()) {
      return pattern;
    }
    Path root = pattern.getRoot();
    if (literal == 0) {
      return root == null ? Path.of("") : root;
    }
    Path names = pattern.subpath(0, literal);
    return root == null ? names : root.resolve(names);
  }

  /** How many leading segments of {@code pattern} hold no glob character. */
  private static int literalSegments(Path pattern) {
    int n = 0;
    while (n < pattern.getNameCount() && !hasGlob(pattern.getName(n).toString())) {
      n++;
    }
    return n;
  }

  static boolean hasGlob(String text) {
    for (int i = 0; i < text.length(); i++) {
      switch (text.charAt(i)) {
        case '*', '?', '[', '{' -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  private static boolean visibleFile(Path p) {
    return Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".");
  }
}
