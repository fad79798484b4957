package io.ferry.flink;

import io.ferry.engine.JobSpec;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars a job ships to a Flink session cluster, which has Flink and nothing of Ferry: Ferry's
 * own jars (this module, the engine, the SPI and their libraries) and the jars of the job's source
 * and sink connectors with their libraries. The cluster's task managers load them with the job's
 * class loader.
 */
public final class JobJars {
  private final List<Path> ferryJars;
  private final Path connectorsDirectory;

  private JobJars(List<Path> ferryJars, Path connectorsDirectory) {
    this.ferryJars = List.copyOf(ferryJars);
    this.connectorsDirectory = connectorsDirectory;
  }

  /**
   * In an installation: every jar of {@code lib/} (not {@code lib/flink/}: the cluster has Flink)
   * and, per connector of the job, the jars of {@code connectors/<name>/}.
   */
  public static JobJars installation(Path home) {
    return new JobJars(jarsIn(home.resolve("lib")), home.resolve("connectors"));
  }

  /**
   * Outside an installation (an IDE, the tests, an application embedding Ferry): every entry of
   * this JVM's class path except Flink's own jars ({@code flink-*.jar}), since connectors on the
   * class path cannot be told apart from the rest. A folder of classes is shipped as a jar of it.
   */
  public static JobJars classPath() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry);
      String name = path.getFileName() == null ? "" : path.getFileName().toString();
      if (Files.exists(path) && !(name.startsWith("flink-") && name.endsWith(".jar"))) {
        entries.add(path);
      }
    }
    return new JobJars(entries, null);
  }

  /** Exactly these jars (and folders of classes), connectors included. */
  public static JobJars of(List<Path> jars) {
    return new JobJars(jars, null);
  }

  /**
   * The files to ship for this job: Ferry's jars, then its connectors' folders' jars; a library
   * found twice under the same file name (two connectors of one family share their base) is shipped
   * once. The job's two connectors share one class loader on the cluster, unlike in a local run.
   *
   * @param scratch where folders of classes are packed into jars
   */
  List<Path> forJob(JobSpec spec, Path scratch) throws IOException {
    Map<String, Path> byName = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>();
    for (Path entry : ferryJars) {
      files.add(Files.isDirectory(entry) ? packed(entry, scratch) : entry);
    }
    if (connectorsDirectory != null) {
      for (String connector : List.of(spec.source().connector(), spec.sink().connector())) {
        Path folder = connectorsDirectory.resolve(connector);
        if (Files.isDirectory(folder)) {
          files.addAll(jarsIn(folder));
        }
      }
    }
    for (Path file : files) {
      byName.putIfAbsent(file.getFileName().toString(), file);
    }
    return List.copyOf(byName.values());
  }

  private static List<Path> jarsIn(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.toString().endsWith(".jar") && Files.isRegularFile(f))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + folder, e);
    }
  }

  /** A folder of classes as a jar in {@code scratch}, named after the folder's path. */
  private static Path packed(Path folder, Path scratch) throws IOException {
    Files.createDirectories(scratch);
    Path jar = scratch.resolve("classes-" + hash(folder.toAbsolutePath().toString()) + ".jar");
    Path partial = Files.createTempFile(scratch, "classes-", ".part");
    try (OutputStream out = Files.newOutputStream(partial);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(
            new JarEntry(folder.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
    return Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
