package io.ferry.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The local file system as a job may use it. Every local path a connector takes from an option (a
 * file to read or write, a glob's folder, a key or certificate file) goes through {@link
 * #resolve(String, String)} before it is opened, and the connector opens the path that returns.
 *
 * <p>{@link #unrestricted()} allows every path: the command line runs a job with the rights of the
 * user who wrote it. {@link #within} allows only paths under its roots: the server runs jobs with
 * its own rights for whoever wrote them, and its own files (the secret key, the metadata database)
 * must stay out of their reach. A confined path is judged on its real path: made absolute, {@code
 * ..} removed, and symbolic links followed, also for the part that does not exist yet, which will
 * be created under the deepest folder that does.
 *
 * <p>What a check cannot close: a symbolic link put in place between the check and the open by
 * someone who can write in a root on the host itself (jobs cannot make links).
 */
public final class LocalFiles {
  /** A local path outside the folders jobs may use. */
  public static final ErrorCode OUTSIDE_ROOTS = ErrorCode.user("file.outside-roots");

  private static final LocalFiles UNRESTRICTED = new LocalFiles(null, null);

  /** The real paths of the roots; null when every path is allowed. */
  private final List<Path> roots;

  /** How an administrator allows folders, for messages, e.g. {@code ferry.file-roots}. */
  private final String setting;

  private LocalFiles(List<Path> roots, String setting) {
    this.roots = roots;
    this.setting = setting;
  }

  /** Every path is allowed, as given. */
  public static LocalFiles unrestricted() {
    return UNRESTRICTED;
  }

  /**
   * Only paths under {@code roots} (each an existing folder; none allows no local file at all).
   *
   * @param setting how an administrator changes the roots, named in refusals
   * @throws IllegalArgumentException when a root is not an existing folder
   */
  public static LocalFiles within(Collection<Path> roots, String setting) {
    List<Path> real = new ArrayList<>();
    for (Path root : roots) {
      try {
        Path r = root.toRealPath();
        if (!Files.isDirectory(r)) {
          throw new IllegalArgumentException(root + " is not a folder");
        }
        real.add(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(root + " does not exist or cannot be read", e);
      }
    }
    return new LocalFiles(List.copyOf(real), Objects.requireNonNull(setting, "setting is null"));
  }

  /** Whether paths are limited to {@link #roots()}. */
  public boolean confined() {
    return roots != null;
  }

  /** The allowed folders as real paths; empty when unrestricted (or when nothing is allowed). */
  public List<Path> roots() {
    return roots == null ? List.of() : roots;
  }

  /**
   * The path to open for {@code path}: as given when unrestricted, else its real path.
   *
   * @param option the option that gave the path, named in a refusal
   * @throws FerryException (a user error naming {@code option}) when the path is outside the roots,
   *     is not a valid path, or cannot be resolved (a broken link, a folder that cannot be read)
   */
  public Path resolve(String option, String path) {
    Objects.requireNonNull(path, "path is null");
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID, option, "'" + path + "' is not a valid path");
    }
    return resolve(option, p);
  }

  /** The path to open for {@code path}; see {@link #resolve(String, String)}. */
  public Path resolve(String option, Path path) {
    Objects.requireNonNull(path, "path is null");
    if (roots == null) {
      return path;
    }
    Path real = realPath(option, path);
    for (Path root : roots) {
      if (real.startsWith(root)) {
        return real;
      }
    }
    throw FerryException.option(
        OUTSIDE_ROOTS,
        option,
        "'"
            + path
            + "' is outside the folders jobs may use here"
            + (roots.isEmpty()
                ? " (none: an administrator can allow some with " + setting + ")"
                : ": " + String.join(", ", roots.stream().map(Path::toString).toList())));
  }

  /**
   * The real path of the deepest existing ancestor (links followed), with the names that do not
   * exist yet appended.
   */
  private static Path realPath(String option, Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Deque<Path> missing = new ArrayDeque<>();
    Path existing = absolute;
    // NOFOLLOW: a link that leads nowhere exists; toRealPath refuses it below instead of letting a
    // sink create its target wherever it points.
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      missing.push(existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID, option, "'" + path + "' is on no existing file system root");
    }
    Path real;
    try {
      real = existing.toRealPath();
    } catch (NoSuchFileException e) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          option,
          "'" + path + "' cannot be resolved: " + existing + " is a link that leads nowhere");
    } catch (IOException e) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          option,
          "'" + path + "' cannot be resolved: " + existing + ": " + e.getMessage());
    }
    while (!missing.isEmpty()) {
      real = real.resolve(missing.pop());
    }
    return real;
  }

  @Override
  public String toString() {
    return roots == null ? "LocalFiles[unrestricted]" : "LocalFiles" + roots;
  }
}
