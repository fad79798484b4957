package io.ferry.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.flink.session.SessionCluster;
import io.ferry.spi.FerryException;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ferry jobs submitted to a Flink session cluster over its REST API ({@code --flink-master}). The
 * cluster runs in a JVM of its own whose class path has Flink but neither Ferry, nor its libraries,
 * nor the connectors and their JDBC drivers: the job runs only if the runner shipped them.
 */
class FlinkSessionClusterIT {
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

  /** The installation's folder; its jars are not on the cluster's class path. */
  private static Path home;

  private static Process cluster;
  private static String master;

  private CopyDatabases db;
  private Path state;
  private Engine engine;

  @BeforeAll
  static void startSessionCluster() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "flink-session").toAbsolutePath());
    home = dir.resolve("ferry-home");
    List<String> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      boolean installed = false;
      for (var folder : INSTALLATION.entrySet()) {
        if (folder.getValue().matcher(name).matches()) {
          Path copy = Files.createDirectories(home.resolve(folder.getKey())).resolve(name);
          Files.copy(path, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          installed = true;
        }
      }
      // Ferry, its libraries, the connectors and their drivers: only as shipped with a job.
      // (commons-compress is Flink's own library too.)
      boolean flinks = name.startsWith("commons-compress-");
      if ((!installed || flinks) && !name.startsWith("ferry-") && !name.equals("classes")) {
        classPath.add(entry);
      }
    }
    assertThat(home.resolve("lib")).isDirectoryContaining("glob:**/ferry-flink-*.jar");
    cluster =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // Quick compilation only: the cluster starts in less time on a busy machine.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + dir,
                "-cp",
                String.join(File.pathSeparator, classPath),
                SessionCluster.class.getName(),
                dir.toString(),
                "2")
            .redirectError(dir.resolve("cluster.log").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
    String rest =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                      if (line.startsWith("rest ")) {
                        return line.substring(5);
                      }
                    }
                    return null;
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .get(90, TimeUnit.SECONDS);
    assertThat(rest)
        .as("the session cluster's REST address; see " + dir.resolve("cluster.log"))
        .isNotNull();
    master = "127.0.0.1:" + URI.create(rest).getPort();
  }

  @AfterAll
  static void stopSessionCluster() throws Exception {
    if (cluster != null) {
      cluster.getOutputStream().close();
      if (!cluster.waitFor(30, TimeUnit.SECONDS)) {
        cluster.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @BeforeEach
  void createDatabases() throws Exception {
    db = new CopyDatabases();
    state = Files.createDirectories(Path.of("target", "flink-session-state", db.name));
    engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
  }

  @AfterEach
  void dropDatabases() throws Exception {
    db.close();
  }

  @Test
  void copiesMariaDbToPostgreSqlOnTheSessionClusterExactly() throws Exception {
    int rows = 20_000;
    db.sourceAndTarget(rows);

    FlinkRun run = start(db.copyJob("channels: 2, flushInterval: 500ms"));
    RunResult result = run.completion().get(120, TimeUnit.SECONDS);

    assertThat(result.state()).as(String.valueOf(result.failure())).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.progress().recordsRead()).isEqualTo(rows);
    assertThat(result.progress().recordsWritten()).isEqualTo(rows);
    assertThat(db.targetSums()).isEqualTo(db.sourceSums());
    var record = engine.runOf(run.runKey()).orElseThrow();
    assertThat(record.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(record.recordsWritten()).isEqualTo(rows);
    assertThat(jobStatus(run)).isEqualTo(JobStatus.FINISHED);
  }

  @Test
  void aTaskFailureOnTheClusterEndsTheRunWithFerrysError() throws Exception {
    db.codes();

    FlinkRun run = start(db.copyJob("channels: 2, flushInterval: 500ms, errorLimit: 4"));
    RunResult result = run.completion().get(120, TimeUnit.SECONDS);

    assertThat(result.state()).isEqualTo(RunState.FAILED);
    assertThat(result.failure().code().code()).isEqualTo("error-limit.exceeded");
    assertThat(result.failure().getMessage()).contains("settings.errorLimit");
    assertThat(jobStatus(run)).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void stoppingTheRunCancelsTheJobOnTheCluster() throws Exception {
    Path out = state.resolve("out").resolve("rows.csv");
    String job =
        """
        name: flink-stop
        source: {connector: datagen, rows: 100000000, seed: 1}
        sink: {connector: file, path: "%s", format: csv}
        settings: {channels: 2, flushInterval: 500ms, progressInterval: 200ms}
        """
            .formatted(out.toAbsolutePath());
    FlinkRun run = start(job);
    AtomicBoolean written = new AtomicBoolean();
    run.addListener(p -> written.compareAndSet(false, p.recordsWritten() > 0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!written.get() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(written).as("rows written before the stop").isTrue();

    run.stop();
    RunResult result = run.completion().get(60, TimeUnit.SECONDS);

    assertThat(result.state()).isEqualTo(RunState.STOPPED);
    assertThat(result.progress().recordsWritten()).isPositive().isLessThan(100_000_000);
    assertThat(jobStatus(run)).isEqualTo(JobStatus.CANCELED);
  }

  @Test
  void aMasterThatDoesNotAnswerIsNamedAndNoRunIsRecorded() throws Exception {
    db.sourceAndTarget(10);
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    for (String wrong : List.of("127.0.0.1:" + port, "127.0.0.1:3306")) {
      assertThatThrownBy(() -> start(db.copyJob("channels: 1"), wrong))
          .as(wrong)
          .isInstanceOfSatisfying(
              FerryException.class,
              e -> {
                assertThat(e.code().code()).isEqualTo("flink.master-unreachable");
                assertThat(e.option()).isEqualTo("--flink-master");
              })
          .hasMessageContaining(
              "no Flink session cluster answers at " + wrong + " (--flink-master");
    }
    assertThat(engine.runs()).isEmpty();
  }

  private FlinkRun start(String yaml) throws Exception {
    return start(yaml, master);
  }

  private FlinkRun start(String yaml, String at) throws Exception {
    Path file = Files.writeString(state.resolve("job.yaml"), yaml);
    return new FlinkRunner(engine, null)
        .onSessionCluster(FlinkCluster.at(at, "--flink-master", JobJars.installation(home)))
        .start(JobSpecLoader.load(file, Map.of()));
  }

  /** The job's state as the cluster reports it. */
  private static JobStatus jobStatus(FlinkRun run) throws Exception {
    try (var client = FlinkCluster.at(master, "test", JobJars.of(List.of())).connect()) {
      return client.getJobStatus(run.jobId()).get(30, TimeUnit.SECONDS);
    }
  }
}
