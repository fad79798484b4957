package io.ferry.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.spi.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ferry jobs on a Flink mini cluster of 2 task managers × 2 slots: MariaDB → PostgreSQL exact, also
 * when a task manager dies mid-job, and into files. Rows are made inside MariaDB and compared by
 * count and sums read back from the target.
 */
class FlinkRunIT {
  private static MiniCluster cluster;

  private CopyDatabases db;
  private Path state;

  @BeforeAll
  static void startCluster() throws Exception {
    Path tmp = Path.of("target", "flink-it-tmp");
    Files.createDirectories(tmp);
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(FlinkRunner.localConfiguration(tmp))
                .setNumTaskManagers(2)
                .setNumSlotsPerTaskManager(2)
                .build());
    cluster.start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void createDatabases() throws Exception {
    db = new CopyDatabases();
    state = Files.createDirectories(Path.of("target", "flink-it-state", db.name));
  }

  @AfterEach
  void dropDatabases() throws Exception {
    db.close();
  }

  @Test
  void copiesAMillionRowsFromMariaDbToPostgreSqlExactly() throws Exception {
    int rows = 1_000_000;
    db.sourceAndTarget(rows);
    long started = System.nanoTime();
    java.util.concurrent.atomic.AtomicLong seenWhileRunning =
        new java.util.concurrent.atomic.AtomicLong();
    RunResult result =
        run(
            job(4, "1s"),
            run ->
                run.addListener(
                    p -> {
                      if (p.state() == RunState.RUNNING) {
                        seenWhileRunning.accumulateAndGet(p.recordsWritten(), Math::max);
                      }
                    }));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    System.out.println(
        "FlinkRunIT: 1,000,000 rows MariaDB -> PostgreSQL on 4 slots in " + seconds + " s");

    assertThat(result.state()).as(String.valueOf(result.failure())).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.progress().recordsRead()).isEqualTo(rows);
    assertThat(result.progress().recordsWritten()).isEqualTo(rows);
    assertThat(result.progress().dirtyRecords()).isZero();
    assertThat(db.targetSums()).isEqualTo(db.sourceSums());
    // The tasks' counts reached the driver while the job ran, not only at its end.
    assertThat(seenWhileRunning.get()).isPositive().isLessThanOrEqualTo(rows);
  }

  @Test
  void aTaskManagerThatDiesMidJobIsReplacedAndTheCopyEndsExact() throws Exception {
    int rows = 300_000;
    db.sourceAndTarget(rows);
    long started = System.nanoTime();
    RunResult result =
        run(
            job(4, "300ms"),
            run -> {
              // Once rows are in the target (a checkpoint or more behind them), a task manager
              // dies.
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
              while (db.count() < 60_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
              }
              assertThat(db.count()).as("rows written before the failure").isLessThan(rows);
              cluster.terminateTaskManager(0).get();
              cluster.startTaskManager();
            });
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    System.out.println("FlinkRunIT: 300,000 rows with a task manager killed in " + seconds + " s");

    assertThat(result.state()).as(String.valueOf(result.failure())).isEqualTo(RunState.SUCCEEDED);
    assertThat(db.targetSums()).isEqualTo(db.sourceSums());
    assertThat(result.progress().recordsWritten()).isEqualTo(rows);
    assertThat(result.progress().recordsRead()).isEqualTo(rows);
  }

  @Test
  void writesFilesOnFlink() throws Exception {
    int rows = 20_000;
    db.mariadb(
        "CREATE TABLE src (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(12,2))",
        "INSERT INTO src SELECT seq, CONCAT('name-', seq), (seq % 100000) / 7 FROM seq_1_to_"
            + rows);
    Path out = state.resolve("out").resolve("orders.csv");
    String yaml =
        """
        name: flink-file
        source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: src, splitsPerChannel: 3}
        sink: {connector: file, path: "%s", format: csv, header: false}
        settings: {channels: 3, flushInterval: 500ms}
        """
            .formatted(db.name, out.toAbsolutePath());
    RunResult result = run(yaml, null);

    assertThat(result.state()).as(String.valueOf(result.failure())).isEqualTo(RunState.SUCCEEDED);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(rows);
    long sumOfIds = lines.stream().mapToLong(l -> Long.parseLong(l.split(",")[0])).sum();
    assertThat(sumOfIds).isEqualTo((long) rows * (rows + 1) / 2);
    assertThat(lines.stream().map(l -> l.split(",")[0]).distinct().count()).isEqualTo(rows);
    try (Stream<Path> left = Files.list(out.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("orders.csv");
    }
    // Flink restarts its tasks from its own checkpoints: Ferry never resumes such a run.
    Engine engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
    assertThatThrownBy(() -> engine.resume(result.progress().runKey(), Map.of()))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("ran on flink");
  }

  @Test
  void dirtyRowsGoToTheDirtyDataFileAndTheWholeRunsErrorLimitHolds() throws Exception {
    db.codes();
    String yaml = db.copyJob("channels: 2, flushInterval: 500ms, errorLimit: %d");

    RunResult within = run(yaml.formatted(10), null);
    assertThat(within.state()).as(String.valueOf(within.failure())).isEqualTo(RunState.SUCCEEDED);
    assertThat(within.progress().counts().dirtyOnConvert()).isEqualTo(10);
    assertThat(within.progress().recordsWritten()).isEqualTo(3990).isEqualTo(db.count());
    assertThat(within.dirtyDataFile()).isNotNull();
    assertThat(Files.readAllLines(within.dirtyDataFile()))
        .hasSize(10)
        .allMatch(line -> line.contains("\"column\":\"code\""));

    db.pg("TRUNCATE dst");
    // Whether one task passes the limit of 4 or only all tasks together do, the run fails.
    RunResult over = run(yaml.formatted(4), null);
    assertThat(over.state()).isEqualTo(RunState.FAILED);
    assertThat(over.failure().code().code()).isEqualTo("error-limit.exceeded");
    assertThat(over.failure().getMessage()).contains("settings.errorLimit");
  }

  /** Something to do while the run runs, given the run. */
  interface During {
    void accept(FlinkRun run) throws Exception;
  }

  private RunResult run(String yaml, During during) throws Exception {
    Path file = Files.writeString(state.resolve("job.yaml"), yaml);
    JobSpec spec = JobSpecLoader.load(file, Map.of());
    Engine engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
    FlinkRun run = new FlinkRunner(engine, null).onCluster(cluster).start(spec);
    if (during != null) {
      during.accept(run);
    }
    RunResult result = run.completion().get(300, TimeUnit.SECONDS);
    assertThat(engine.runOf(run.runKey()).orElseThrow().state()).isEqualTo(result.state());
    assertThat(engine.runOf(run.runKey()).orElseThrow().recordsWritten())
        .isEqualTo(result.progress().recordsWritten());
    return result;
  }

  private String job(int channels, String flushInterval) {
    return db.copyJob(
        "channels: %d, flushInterval: %s, maxRetries: 3, retryBackoff: 200ms"
            .formatted(channels, flushInterval));
  }
}
