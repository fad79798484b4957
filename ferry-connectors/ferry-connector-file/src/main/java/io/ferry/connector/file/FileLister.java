package io.ferry.connector.file;

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
   * @return the matching regular files, sorted by path so that plans are stable; empty when nothing
   *     matches
   */
  static List<Path> list(String pathOrGlob) throws IOException {
    if (!hasGlob(pathOrGlob)) {
      Path path = Path.of(pathOrGlob);
      if (Files.isRegularFile(path)) {
        return List.of(path);
      }
      if (Files.isDirectory(path)) {
        try (Stream<Path> children = Files.list(path)) {
          return children.filter(FileLister::visibleFile).sorted().toList();
        }
      }
      return List.of();
    }
    // Walk from the deepest folder without glob characters, as deep as the pattern has segments.
    Path pattern = Path.of(pathOrGlob);
    Path base = pattern.getRoot();
    int first = 0;
    for (; first < pattern.getNameCount(); first++) {
      String segment = pattern.getName(first).toString();
      if (hasGlob(segment)) {
        break;
      }
      base = base == null ? Path.of(segment) : base.resolve(segment);
    }
    if (base == null) {
      base = Path.of("");
    }
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    int depth = pattern.getNameCount() - first;
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pathOrGlob);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(base, depth)) {
      walk.filter(p -> matcher.matches(p) && visibleFile(p)).sorted().forEach(files::add);
    }
    return List.copyOf(files);
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
