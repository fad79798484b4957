package io.ferry.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JdbcCheckpointStore;
import io.ferry.engine.JobSpec;
import io.ferry.engine.Progress;
import io.ferry.engine.RunResources;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.server.shared.DataDirectory;
import io.ferry.server.shared.FerryProperties;
import io.ferry.spi.FerryException;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of a run's own JVM ({@link ChildRunProcess} starts it). It reads its launch from
 * stdin — the job with its credentials, the metadata database with its password: nothing secret is
 * on its command line or in its environment — runs the job with the engine against the same
 * checkpoint store as the server — or, for a run of a {@code flink} resource group, submits it to
 * the group's Flink session cluster and follows it there ({@link FlinkChildRun}) — and reports on
 * stdout, one JSON object a line ({@link ChildRunProcess} reads them). Its logging goes to stderr.
 *
 * <p>Further stdin lines are the parent's requests ({@code stop}, {@code pause}). The end of stdin
 * means the parent is gone (it ended, or was killed): this JVM halts at once, without a last write,
 * so that no run writes on after another node took it over; its claim lapses and the run resumes
 * from its last checkpoint.
 */
public final class ChildRunMain {
  private ChildRunMain() {}

  public static void main(String[] args) throws Exception {
    // stdout carries the reports: nothing else may write there, logging included.
    PrintStream reports =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    quietLogging();
    BufferedReader requests =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String first = requests.readLine();
    if (first == null) {
      Runtime.getRuntime().halt(ChildRunProcess.EXIT_PARENT_GONE);
    }
    JsonNode launch = ChildRunProcess.JSON.readTree(first);
    Reporter reporter = new Reporter(reports);
    HeldRun run;
    JdbcCheckpointStore store = null;
    try {
      store = checkpointStore(launch.get("metadata"));
      Engine engine = engine(launch, store);
      JobSpec spec = ChildRunProcess.JSON.treeToValue(launch.get("spec"), JobSpec.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> overrides =
          ChildRunProcess.JSON.treeToValue(launch.get("overrides"), Map.class);
      String resumeKey =
          launch.path("resumeKey").isTextual() ? launch.get("resumeKey").asText() : null;
      JsonNode flink = launch.path("flink");
      if (flink.isObject() && resumeKey == null) {
        run =
            FlinkChildRun.start(
                engine,
                connectorsDir(launch),
                flink.get("group").asText(),
                flink.get("master").asText(),
                flink.path("home").isTextual() ? Path.of(flink.get("home").asText()) : null,
                new RunResources(flink.get("cpuCores").asInt(), flink.get("memoryMb").asInt()),
                spec.withSettings(overrides));
      } else {
        // A run on Flink is not resumed: the engine refuses it, naming why (run.not-resumable).
        run =
            HeldRun.inThread(
                resumeKey == null
                    ? engine.start(spec.withSettings(overrides))
                    : engine.resume(resumeKey, spec, overrides));
      }
    } catch (Exception | Error e) {
      FerryException f =
          e instanceof FerryException fe
              ? fe
              : new FerryException(
                  io.ferry.spi.ErrorCode.INTERNAL,
                  e.getMessage() == null ? e.toString() : e.getMessage(),
                  e);
      e.printStackTrace(System.err);
      reporter.send("refused", Map.of("failure", ChildRunProcess.failure(f)));
      reports.flush();
      Runtime.getRuntime().halt(ChildRunProcess.EXIT_REFUSED);
      return;
    }
    HeldRun started = run;
    Thread watcher = new Thread(() -> serve(requests, started), "ferry-child-requests");
    watcher.setDaemon(true);
    watcher.start();
    Map<String, Object> hello = new LinkedHashMap<>();
    hello.put("runKey", run.runKey());
    hello.put("pausable", run.pausable());
    hello.put("channels", run.channels());
    hello.put("carriedOver", run.carriedOver());
    reporter.send("started", hello);
    run.listen(
        new ChildRunProcess.Events() {
          @Override
          public void state(RunState to) {
            reporter.send("state", Map.of("to", to.name()));
          }

          @Override
          public void progress(Progress progress) {
            reporter.send("progress", Map.of("progress", progress));
          }
        });
    RunResult result = run.await();
    Map<String, Object> end = new LinkedHashMap<>();
    end.put("state", result.state().name());
    end.put("progress", result.progress());
    end.put("failure", result.failure() == null ? null : ChildRunProcess.failure(result.failure()));
    end.put(
        "dirtyDataFile", result.dirtyDataFile() == null ? null : result.dirtyDataFile().toString());
    // The server records the verification and writes its summary to the run's log.
    end.put("verification", ChildRunProcess.verification(result.verification()));
    reporter.send("ended", end);
    store.close();
    reports.flush();
    System.exit(0);
  }

  /**
   * Carries out the parent's requests; the end of stdin (the parent is gone) halts this JVM, once a
   * run that writes elsewhere (Flink) was ended there.
   */
  private static void serve(BufferedReader requests, HeldRun run) {
    try {
      String line;
      while ((line = requests.readLine()) != null) {
        switch (line.trim()) {
          case "stop" -> run.stop();
          case "pause" -> {
            if (run.pausable()) {
              run.pause();
            }
          }
          default -> System.err.println("ferry child: unknown request " + line);
        }
      }
    } catch (java.io.IOException e) {
      // As gone as an end of file.
    }
    run.beforeHalt();
    Runtime.getRuntime().halt(ChildRunProcess.EXIT_PARENT_GONE);
  }

  private static JdbcCheckpointStore checkpointStore(JsonNode metadata) {
    // A pool, as the server's: the claim's renewal every third of the lease must not wait for a
    // new connection each time.
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(metadata.get("url").asText());
    config.setUsername(metadata.path("user").asText(null));
    config.setPassword(metadata.path("password").asText(null));
    config.setMaximumPoolSize(3);
    config.setPoolName("ferry-child-metadata");
    javax.sql.DataSource dataSource = new com.zaxxer.hikari.HikariDataSource(config);
    return new JdbcCheckpointStore(dataSource, lease(metadata));
  }

  private static java.time.Duration lease(JsonNode metadata) {
    return java.time.Duration.parse(metadata.get("lease").asText());
  }

  /**
   * The engine as the server makes it ({@code MetadataStoreConfig}), from the launch's settings.
   */
  private static Engine engine(JsonNode launch, JdbcCheckpointStore store) {
    Path dataDir = Path.of(launch.get("dataDir").asText());
    Path connectorsDir = connectorsDir(launch);
    java.util.List<Path> fileRoots = new java.util.ArrayList<>();
    launch.path("fileRoots").forEach(r -> fileRoots.add(Path.of(r.asText())));
    FerryProperties properties =
        new FerryProperties(
            dataDir,
            connectorsDir,
            1,
            1,
            lease(launch.get("metadata")),
            "child",
            1,
            64,
            null,
            fileRoots,
            null,
            null);
    ConnectorRegistry connectors =
        ConnectorRegistry.load(ChildRunMain.class.getClassLoader(), connectorsDir);
    return new Engine(
        connectors, dataDir.resolve("state"), store, DataDirectory.jobFiles(properties));
  }

  /**
   * The connectors folder: the server's {@code ferry.connectors-dir}, else the installation's
   * {@code connectors/}, else none (the class path's connectors only).
   */
  private static Path connectorsDir(JsonNode launch) {
    if (launch.path("connectorsDir").isTextual()) {
      return Path.of(launch.get("connectorsDir").asText());
    }
    String home = System.getProperty("ferry.home");
    return home == null ? null : Path.of(home, "connectors");
  }

  /** INFO and above: the server's level (logback would log DEBUG without a configuration). */
  private static void quietLogging() {
    if (org.slf4j.LoggerFactory.getILoggerFactory()
        instanceof ch.qos.logback.classic.LoggerContext context) {
      context
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }

  /** Writes the reports, one JSON object a line, from any thread. */
  private record Reporter(PrintStream out) {
    synchronized void send(String event, Map<String, Object> fields) {
      ObjectNode node = ChildRunProcess.JSON.createObjectNode();
      node.put("event", event);
      fields.forEach((k, v) -> node.set(k, ChildRunProcess.JSON.valueToTree(v)));
      out.println(node.toString());
    }
  }
}
