package io.ferry.server.shared;

import io.ferry.spi.LocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The server's data directory, readable by the server's account only: it holds the H2 metadata
 * database ({@code metadata/}), {@code secret.key}, run state and dirty rows ({@code state/}) and
 * scratch files ({@code tmp/}). Prepared before anything opens it: created owner-only ({@code
 * rwx------}) with those folders; an existing one keeps its mode (it may be a folder others share)
 * but its folders are made owner-only, and a warning says that others can list it.
 *
 * <p>Jobs reach no file in it: {@link #jobFiles} refuses file roots that hold it or lie in it.
 */
public final class DataDirectory
    implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final List<String> FOLDERS = List.of("metadata", "state", "tmp");

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    prepare(Path.of(event.getEnvironment().getProperty("ferry.data-dir", "data")));
  }

  static void prepare(Path dataDir) {
    try {
      if (!Files.isDirectory(dataDir)) {
        Path parent = dataDir.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        createOwnerOnly(dataDir);
      } else if (posix(dataDir) && !ownerOnly(dataDir)) {
        log.warn(
            "The data directory {} can be listed by other users; its folders are owner-only, but"
                + " make it so too (chmod 700)",
            dataDir.toAbsolutePath());
      }
      for (String folder : FOLDERS) {
        Path f = dataDir.resolve(folder);
        if (!Files.isDirectory(f)) {
          createOwnerOnly(f);
        } else if (posix(f)) {
          Files.setPosixFilePermissions(f, OWNER_ONLY);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data directory " + dataDir, e);
    }
  }

  private static void createOwnerOnly(Path dir) throws IOException {
    if (posix(dir.toAbsolutePath().getParent())) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      // The umask may have taken bits away, never added any; set exactly.
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    } else {
      Files.createDirectory(dir);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static boolean ownerOnly(Path dir) throws IOException {
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
    return p.stream().allMatch(x -> x.name().startsWith("OWNER_"));
  }

  /**
   * The files server-run jobs may use: those under {@code ferry.file-roots} (none by default).
   *
   * @throws IllegalStateException when a root is not an existing folder, or holds the data
   *     directory or lies in it
   */
  public static LocalFiles jobFiles(FerryProperties properties) {
    LocalFiles files;
    try {
      files = LocalFiles.within(properties.fileRoots(), "ferry.file-roots");
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("ferry.file-roots: " + e.getMessage(), e);
    }
    Path data;
    try {
      data = properties.dataDir().toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the data directory", e);
    }
    for (Path root : files.roots()) {
      if (data.startsWith(root) || root.startsWith(data)) {
        throw new IllegalStateException(
            "ferry.file-roots: "
                + root
                + (data.startsWith(root) ? " holds" : " lies in")
                + " the data directory "
                + data
                + ", whose secret key and metadata jobs must not reach");
      }
    }
    return files;
  }
}
