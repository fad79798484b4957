package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Elasticsearch (or OpenSearch) node for the tests: one per version and test JVM, started on
 * first use from the distribution zip the build unpacked into {@code target/elasticsearch/} (see
 * the pom), bound to 127.0.0.1 on free ports, with data and logs under {@code target/es-run/}, and
 * stopped with SIGTERM when the JVM exits. Both refuse to run as root: as root the node runs as uid
 * 65534 through {@code setpriv} (util-linux), its folders handed to that user. A node that does not
 * start fails the test with the end of its log: never a silent skip.
 */
public final class EsServer {
  static final String ES8 = System.getProperty("ferry.es8.version", "8.19.4");
  static final String ES7 = System.getProperty("ferry.es7.version", "7.17.29");

  /** OpenSearch's node key: the folder the build unpacks it into. */
  static final String OS2 = "opensearch-" + System.getProperty("ferry.os2.version", "2.19.1");

  private static final int NOBODY = 65534;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Map<String, EsServer> RUNNING = new ConcurrentHashMap<>();

  /** The superuser of {@link #secured()}. */
  static final String USER = "ferry";

  static final String PASSWORD = "ferry-secret-pw";

  private final String version;
  private final boolean secure;
  private final String url;
  private final Process process;
  private final Path log;

  private EsServer(String version, boolean secure, String url, Process process, Path log) {
    this.version = version;
    this.secure = secure;
    this.url = url;
    this.process = process;
    this.log = log;
  }

  /** The node of {@code version}, started if it is not yet. */
  static synchronized EsServer get(String version) {
    return get(version, false);
  }

  private static synchronized EsServer get(String version, boolean secure) {
    String key = version + (secure ? "-secure" : "");
    EsServer server = RUNNING.get(key);
    if (server == null) {
      server = start(version, secure);
      RUNNING.put(key, server);
    }
    return server;
  }

  /**
   * An 8.x node with security on (plain HTTP): basic authentication as {@link #USER} / {@link
   * #PASSWORD}, a superuser made with {@code elasticsearch-users}, and API keys.
   */
  static EsServer secured() {
    return get(ES8, true);
  }

  /**
   * Stops the node of a test class that alone uses it, so that no more than two nodes run at once;
   * a later user starts it again.
   */
  static synchronized void release(String version, boolean secure) {
    EsServer server = RUNNING.remove(version + (secure ? "-secure" : ""));
    if (server != null) {
      server.stop();
    }
  }

  /** The Elasticsearch 8 node of this JVM, started on first use (other modules' tests use it). */
  public static EsServer es8() {
    return get(ES8);
  }

  static EsServer es7() {
    return get(ES7);
  }

  /** OpenSearch 2 (no security plugin in the integ-test zip). */
  static EsServer openSearch2() {
    return get(OS2);
  }

  boolean openSearch() {
    return version.startsWith("opensearch-");
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  String version() {
    return version;
  }

  boolean secure() {
    return secure;
  }

  private static EsServer start(String version, boolean secure) {
    // OpenSearch: its own folder, binary, environment prefix and settings.
    boolean os = version.startsWith("opensearch-");
    String product = os ? "opensearch" : "elasticsearch";
    String env = os ? "OPENSEARCH_" : "ES_";
    Path home =
        Path.of(System.getProperty("ferry.es.home", "target/elasticsearch"))
            .toAbsolutePath()
            .resolve(os ? version : "elasticsearch-" + version);
    if (!Files.isExecutable(home.resolve("bin/" + product))) {
      throw new IllegalStateException(
          "no "
              + product
              + " "
              + version
              + " at "
              + home
              + ": run the tests through Maven, which unpacks it (maven-dependency-plugin)");
    }
    try {
      Path run =
          Files.createDirectories(
              Path.of(
                      "target",
                      "es-run",
                      version + (secure ? "-secure-" : "-") + ProcessHandle.current().pid())
                  .toAbsolutePath());
      Path data = Files.createDirectories(run.resolve("data"));
      Path logs = Files.createDirectories(run.resolve("logs"));
      Path tmp = Files.createDirectories(run.resolve("tmp"));
      Path console = run.resolve("console.log");
      // A configuration folder of this node's own: the users file is written into it.
      Path config = run.resolve("config");
      if (!Files.isDirectory(config)) {
        try (var files = Files.walk(home.resolve("config"))) {
          for (Path source : (Iterable<Path>) files::iterator) {
            Files.copy(
                source, config.resolve(home.resolve("config").relativize(source).toString()));
          }
        }
      }
      int httpPort = freePort();
      int transportPort = freePort();
      List<String> command = new ArrayList<>();
      boolean root = "root".equals(System.getProperty("user.name"));
      if (root) {
        chown(home);
        chown(run);
        command.addAll(
            List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
      }
      List<String> prefix = List.copyOf(command);
      Map<String, String> environment =
          Map.of(
              env + "JAVA_HOME", System.getProperty("java.home"),
              // C1 only: a test node lives for minutes and indexes thousands of documents, not
              // millions; without C2 an 8.19 node took a third less CPU to become healthy (15.8 s
              // against 22.0-24.5 s) and indexed 3,000 documents in less time.
              env + "JAVA_OPTS", "-Xms512m -Xmx512m -XX:TieredStopAtLevel=1",
              env + "TMPDIR", tmp.toString(),
              env + "PATH_CONF", config.toString());
      if (secure) {
        List<String> users = new ArrayList<>(prefix);
        users.addAll(
            List.of(
                home.resolve("bin/elasticsearch-users").toString(),
                "useradd",
                USER,
                "-p",
                PASSWORD,
                "-r",
                "superuser"));
        ProcessBuilder add =
            new ProcessBuilder(users).directory(home.toFile()).redirectErrorStream(true);
        add.environment().putAll(environment);
        add.environment().put("ES_JAVA_OPTS", "-Xms64m -Xmx128m");
        Process p = add.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
          if (p.waitFor() != 0) {
            throw new IllegalStateException("elasticsearch-users useradd failed: " + out);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      command.add(home.resolve("bin/" + product).toString());
      List<String> settings =
          new ArrayList<>(
              List.of(
                  "network.host=127.0.0.1",
                  "http.port=" + httpPort,
                  "transport.port=" + transportPort,
                  "discovery.type=single-node",
                  "cluster.name=ferry-test-" + version,
                  "path.data=" + data,
                  "path.logs=" + logs,
                  // A nearly full disk must not turn test indexes read-only.
                  "cluster.routing.allocation.disk.threshold_enabled=false"));
      if (!os) {
        settings.add("xpack.security.enabled=" + secure);
      } else if (Files.isDirectory(home.resolve("plugins/opensearch-security"))) {
        settings.add("plugins.security.disabled=true");
      }
      for (String setting : settings) {
        command.add("-E");
        command.add(setting);
      }
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(console.toFile());
      builder.environment().putAll(environment);
      builder.environment().remove("JAVA_TOOL_OPTIONS");
      Process process = builder.start();
      String url = "http://127.0.0.1:" + httpPort;
      EsServer server = new EsServer(version, secure, url, process, console);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(server::stop, "stop-elasticsearch-" + version));
      server.awaitHealthy();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Elasticsearch " + version, e);
    }
  }

  private static void chown(Path path) throws IOException {
    try {
      Process p =
          new ProcessBuilder("chown", "-R", NOBODY + ":" + NOBODY, path.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("chown " + path + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitHealthy() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Elasticsearch " + version + " exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create(url + "/_cluster/health?wait_for_status=yellow&timeout=5s")
                    .toURL()
                    .openConnection();
        c.setConnectTimeout(1000);
        if (secure) {
          c.setRequestProperty("Authorization", basicAuth());
        }
        c.setReadTimeout(10_000);
        if (c.getResponseCode() == 200) {
          try (InputStream in = c.getInputStream()) {
            JsonNode health = JsonValues.mapper().readTree(in);
            if (!"red".equals(health.path("status").asText())) {
              return;
            }
            last = health.toString();
          }
        } else {
          last = "HTTP " + c.getResponseCode();
        }
      } catch (IOException e) {
        last = e.toString();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
      }
    }
    stop();
    throw new IllegalStateException(
        "Elasticsearch "
            + version
            + " not healthy after "
            + START_TIMEOUT
            + " ("
            + last
            + "):\n"
            + tail());
  }

  static String basicAuth() {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM, as Elasticsearch expects; forcibly after 30 s. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    // The logs stay for a look after the run; the data goes.
    Path data = log.resolveSibling("data");
    try (var files = Files.walk(data)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // target/ is cleaned anyway
    }
  }
}
