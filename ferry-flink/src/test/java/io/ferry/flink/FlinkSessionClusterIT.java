package io.ferry.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.flink.session.FlinkSessionCluster;
import io.ferry.spi.FerryException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private static FlinkSessionCluster cluster;

  /** The installation's folder; its jars are not on the cluster's class path. */
  private static Path home;

  private static String master;

  private CopyDatabases db;
  private Path state;
  private Engine engine;

  @BeforeAll
  static void startSessionCluster() throws Exception {
    cluster = FlinkSessionCluster.start(Path.of("target", "flink-session"), 2);
    home = cluster.home();
    master = cluster.master();
  }

  @AfterAll
  static void stopSessionCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
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
