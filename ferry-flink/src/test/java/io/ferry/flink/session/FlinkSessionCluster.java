package io.ferry.flink.session;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A Flink session cluster for the tests ({@link SessionCluster} in a JVM of its own) and the Ferry
 * installation its jobs ship their jars from. The cluster's class path is this JVM's without Ferry,
 * its libraries, the connectors and their drivers: a job runs there only if its submission shipped
 * them. Used by ferry-flink's FlinkSessionClusterIT, ferry-server's FlinkGroupIT and ferry-dist's
 * FlinkGroupDistributionIT (test-jar; the last ships the real distribution, not {@link #home()}).
 */
public final class FlinkSessionCluster implements AutoCloseable {
  /**
   * A Ferry installation made of this JVM's class path: {@code lib/} and one folder per connector
   * the tests use, as ferry-dist lays them out (without the libraries of change capture, which
   * these copies do not use).
   */
  private static final Map<String, Pattern> INSTALLATION =
      Map.of(
          "lib",
          Pattern.compile(
              "ferry-(engine|spi|flink|connector-support)-.*|jackson-.*|snakeyaml-2.*|failsafe-.*"
                  + "|commons-jexl3-.*|commons-logging-.*|bucket4j.*"),
          "connectors/mysql",
          Pattern.compile(
              "ferry-connector-(mysql|jdbc)-.*|HikariCP-.*|mariadb-java-client-.*"
                  + "|mysql-binlog-connector-java-.*"),
          "connectors/postgresql",
          Pattern.compile("ferry-connector-(postgresql|jdbc)-.*|HikariCP-.*|postgresql-.*"),
          "connectors/datagen",
          Pattern.compile("ferry-connector-datagen-.*"),
          "connectors/file",
          Pattern.compile(
              "ferry-connector-file-.*|fastcsv-.*|commons-compress-1.28.*|commons-codec-.*"));

  private final Process process;
  private final Path home;
  private final String master;

  private FlinkSessionCluster(Process process, Path home, String master) {
    this.process = process;
    this.home = home;
    this.master = master;
  }

  /**
   * Builds the installation under {@code dir/ferry-home} and starts the cluster (its log in {@code
   * dir/cluster.log}); returns once its REST endpoint serves.
   *
   * @param slots the TaskManager's slots
   */
  public static FlinkSessionCluster start(Path dir, int slots) throws Exception {
    Files.createDirectories(dir);
    Path home = dir.toAbsolutePath().resolve("ferry-home");
    // The cluster's main class, from test classes or ferry-flink's test-jar.
    String main =
        Path.of(SessionCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    List<String> classPath = new ArrayList<>(List.of(main));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      if (entry.equals(main) || name.endsWith("-tests.jar")) {
        continue;
      }
      boolean installed = false;
      for (var folder : INSTALLATION.entrySet()) {
        if (folder.getValue().matcher(name).matches()) {
          Path copy = Files.createDirectories(home.resolve(folder.getKey())).resolve(name);
          Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
          installed = true;
        }
      }
      // Ferry, its libraries, the connectors and their drivers: only as shipped with a job.
      // (commons-compress is Flink's own library too.) Folders of classes are Ferry's.
      boolean flinks = name.startsWith("commons-compress-");
      if ((!installed || flinks) && !name.startsWith("ferry-") && !Files.isDirectory(path)) {
        classPath.add(entry);
      }
    }
    try (var lib = Files.list(home.resolve("lib"))) {
      if (lib.noneMatch(f -> f.getFileName().toString().startsWith("ferry-flink-"))) {
        throw new IllegalStateException("no ferry-flink jar on the class path for " + home);
      }
    }
    // Logback, when the class path has it (ferry-server's tests), logs INFO to stderr, the log
    // file: by default it would log DEBUG to stdout.
    Path logback =
        Files.writeString(
            dir.toAbsolutePath().resolve("cluster-logback.xml"),
            """
            <configuration>
              <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="ERR"/></root>
            </configuration>
            """);
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // Quick compilation only: the cluster starts in less time on a busy machine.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + dir.toAbsolutePath(),
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                String.join(File.pathSeparator, classPath),
                SessionCluster.class.getName(),
                dir.toAbsolutePath().toString(),
                Integer.toString(slots))
            .redirectError(dir.resolve("cluster.log").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    // Reads its stdout to the end, so that nothing it prints there can block it on a full pipe.
    CompletableFuture<String> address = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith("rest ")) {
                    address.complete(line.substring(5));
                  }
                }
              } catch (IOException e) {
                address.completeExceptionally(new UncheckedIOException(e));
              }
              address.complete(null);
            },
            "flink-session-cluster-stdout");
    reader.setDaemon(true);
    reader.start();
    String rest;
    try {
      rest = address.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
    if (rest == null) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "the session cluster did not start; see " + dir.resolve("cluster.log"));
    }
    return new FlinkSessionCluster(process, home, "127.0.0.1:" + URI.create(rest).getPort());
  }

  /** The installation: {@code lib/} and {@code connectors/<name>/}; not on the cluster. */
  public Path home() {
    return home;
  }

  /** The REST address, {@code 127.0.0.1:port}. */
  public String master() {
    return master;
  }

  /** Stops the cluster: its stdin closes. */
  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
