package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.JdbcCheckpointStore;
import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.Progress;
import io.ferry.engine.RunResources;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.server.runs.ChildRunProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A run in a JVM of its own, sized by its resources: MariaDB → PostgreSQL read back exact; its heap
 * and processors on its command line, no secret there nor in its environment; a stop ends it; the
 * death of the JVM that started it (kill -9) ends it at once.
 */
class ChildRunProcessIT {
  /** The job's and the metadata database's password: it must not show in /proc. */
  private static final String SECRET = "s3cret-" + Long.toHexString(System.nanoTime());

  private String source;
  private String target;
  private String metadata;
  private Path dataDir;

  @BeforeEach
  void databases() throws Exception {
    source = TestDatabases.newName("h22b_child_src");
    target = TestDatabases.newName("h22b_child_dst");
    metadata = TestDatabases.newName("h22b_child_meta");
    TestDatabases.createMariadb(source);
    TestDatabases.createPostgres(target);
    TestDatabases.createPostgres(metadata);
    JdbcCheckpointStore.createTables(metadataSource(metadata));
    dataDir = Files.createTempDirectory(Path.of("target"), "child-run");
  }

  @AfterEach
  void drop() throws Exception {
    TestDatabases.dropMariadb(source);
    TestDatabases.dropPostgres(target);
    TestDatabases.dropPostgres(metadata);
  }

  @Test
  void aRunInItsOwnJvmCopiesExactlyWithTheHeapAndCoresOfItsResources() throws Exception {
    rows(20_000);
    List<Progress> seen = new CopyOnWriteArrayList<>();
    List<String> log = new CopyOnWriteArrayList<>();
    // The job asks for 4 channels; the run has 1 core: it gets 1.
    ChildRunProcess child =
        ChildRunProcess.start(
            launch(job(target, source, 4, 10_000), new RunResources(1, 192)),
            log::add,
            Duration.ofSeconds(20),
            Duration.ofMinutes(2));
    child.listen(
        new ChildRunProcess.Events() {
          @Override
          public void progress(Progress progress) {
            seen.add(progress);
          }
        });
    String cmdline = proc(child.pid(), "cmdline");
    String environ = proc(child.pid(), "environ");

    RunResult result = child.await(Duration.ofMinutes(3)).orElseThrow();

    assertThat(result.state())
        .as(String.valueOf(result.failure()) + log)
        .isEqualTo(RunState.SUCCEEDED);
    assertThat(result.progress().recordsWritten()).isEqualTo(20_000);
    assertThat(child.channels()).isEqualTo(1);
    assertThat(child.runKey()).startsWith("child-copy-");
    assertThat(seen).as("progress while it ran, and its last").isNotEmpty();
    assertThat(targetSums()).isEqualTo(sourceSums());
    // Its size on its command line; the secrets went through its stdin.
    assertThat(cmdline.split("\0")).contains("-Xmx192m", "-XX:ActiveProcessorCount=1");
    assertThat(cmdline).doesNotContain(SECRET);
    assertThat(environ).doesNotContain(SECRET).doesNotContain("FERRY_SECRET_KEY");
    for (String variable : environ.split("\0")) {
      assertThat(variable.substring(0, variable.indexOf('='))).isIn(ChildRunProcess.ENVIRONMENT);
    }
    // Its run is in the server's checkpoint store, recorded as ended.
    try (Connection c = TestDatabases.postgres(metadata);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT record FROM ferry_run WHERE run_key = '" + child.runKey() + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).contains("SUCCEEDED");
    }
  }

  @Test
  void aStopEndsTheChild() throws Exception {
    rows(50_000);
    ChildRunProcess child =
        ChildRunProcess.start(
            launch(job(target, source, 1, 2000), new RunResources(1, 192)),
            line -> {},
            Duration.ofSeconds(20),
            Duration.ofMinutes(2));
    waitForRows(1);

    child.stop();
    RunResult result = child.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.state()).isEqualTo(RunState.STOPPED);
    assertThat(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(targetCount()).isLessThan(50_000);
  }

  @Test
  void killingTheJvmThatStartedTheRunKillsTheRunsJvm() throws Exception {
    rows(50_000);
    Path job = dataDir.resolve("job.yaml");
    Files.writeString(job, job(target, source, 1, 2000));
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Parent.class.getName());
    command.add(job.toString());
    command.add(TestDatabases.POSTGRES + metadata);
    command.add(dataDir.toString());
    Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
    long childPid;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
        assertThat(line).as("the parent's report of its child").isNotNull();
      } while (!line.startsWith("child "));
      childPid = Long.parseLong(line.substring(6).trim());
      ProcessHandle childHandle = ProcessHandle.of(childPid).orElseThrow();
      waitForRows(1);

      parent.destroyForcibly(); // kill -9: no shutdown hook, nothing the parent could do
      parent.waitFor(10, TimeUnit.SECONDS);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (childHandle.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(childHandle.isAlive()).as("the child outlived its parent").isFalse();
    }
    // It writes no more.
    long after = targetCount();
    Thread.sleep(1500);
    assertThat(targetCount()).isEqualTo(after).isLessThan(50_000);
  }

  @Test
  void aChildThatDoesNotStartTheRunInTimeIsKilled() throws Exception {
    // A metadata database that takes the connection and never answers: the child hangs there.
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      ChildRunProcess.Launch hanging =
          new ChildRunProcess.Launch(
              JobSpecLoader.parse(job(target, source, 1, 0), false, null, "child-copy", Map.of()),
              null,
              Map.of(),
              new RunResources(1, 128),
              new ChildRunProcess.Metadata(
                  "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/none",
                  "postgres",
                  SECRET,
                  Duration.ofSeconds(30)),
              dataDir,
              null,
              List.of());
      ChildRunProcess child = ChildRunProcess.spawn(hanging, line -> {}, Duration.ofSeconds(20));

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> child.awaitStarted(Duration.ofSeconds(3)))
          .isInstanceOfSatisfying(
              io.ferry.spi.FerryException.class,
              e -> assertThat(e.code()).isEqualTo(ChildRunProcess.PROCESS_FAILED))
          .hasMessage(
              "the run's process (pid "
                  + child.pid()
                  + ") did not start the run within 3 s (ferry.runs.start-timeout) and was"
                  + " killed");
      ProcessHandle handle = ProcessHandle.of(child.pid()).orElse(null);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (handle != null && handle.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(handle == null || !handle.isAlive()).as("the child was killed").isTrue();
    }
  }

  /** A server stand-in in a JVM of its own: starts the run's JVM, says its pid, waits. */
  public static final class Parent {
    public static void main(String[] args) throws Exception {
      JobSpec spec = JobSpecLoader.load(Path.of(args[0]), Map.of());
      ChildRunProcess child =
          ChildRunProcess.start(
              new ChildRunProcess.Launch(
                  spec,
                  null,
                  Map.of(),
                  new RunResources(1, 128),
                  new ChildRunProcess.Metadata(args[1], "postgres", SECRET, Duration.ofSeconds(30)),
                  Path.of(args[2]),
                  null,
                  List.of()),
              System.err::println,
              Duration.ofSeconds(20),
              Duration.ofMinutes(2));
      System.out.println("child " + child.pid());
      System.out.flush();
      child.await();
    }
  }

  private ChildRunProcess.Launch launch(String yaml, RunResources resources) throws Exception {
    Path job = dataDir.resolve("job.yaml");
    Files.writeString(job, yaml);
    return new ChildRunProcess.Launch(
        JobSpecLoader.load(job, Map.of()),
        null,
        Map.of(),
        resources,
        new ChildRunProcess.Metadata(
            TestDatabases.POSTGRES + metadata, "postgres", SECRET, Duration.ofSeconds(30)),
        dataDir,
        null,
        List.of());
  }

  private static String job(String target, String source, int channels, int perSecond) {
    return """
        name: child-copy
        source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: src, splitsPerChannel: 2}
        sink: {connector: postgresql, host: 127.0.0.1, port: 5432, user: postgres, password: "%s", database: %s, table: dst}
        settings: {channels: %d, progressInterval: 500ms, flushInterval: 500ms, verify: off%s}
        """
        .formatted(
            source,
            SECRET,
            target,
            channels,
            perSecond > 0 ? ", recordsPerSecond: " + perSecond : "");
  }

  private void rows(int n) throws Exception {
    try (Connection c = TestDatabases.mariadb(source);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE src (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(12,2))");
      s.execute(
          "INSERT INTO src SELECT seq, CONCAT('name-', seq), (seq % 100000) / 7 FROM seq_1_to_"
              + n);
    }
    try (Connection c = TestDatabases.postgres(target);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE dst (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount NUMERIC(12,2))");
    }
  }

  private List<String> sourceSums() throws Exception {
    try (Connection c = TestDatabases.mariadb(source)) {
      return sums(c, "src");
    }
  }

  private List<String> targetSums() throws Exception {
    try (Connection c = TestDatabases.postgres(target)) {
      return sums(c, "dst");
    }
  }

  /** Count, sums and total name length: equal in both stores only when every row arrived. */
  private static List<String> sums(Connection c, String table) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*), SUM(id), SUM(amount), SUM(LENGTH(name)) FROM " + table)) {
      rs.next();
      return List.of(
          rs.getString(1), rs.getString(2), rs.getBigDecimal(3).toPlainString(), rs.getString(4));
    }
  }

  private long targetCount() throws Exception {
    try (Connection c = TestDatabases.postgres(target);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dst")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void waitForRows(long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (targetCount() < n) {
      assertThat(System.nanoTime()).as("rows in the target in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String proc(long pid, String file) throws Exception {
    return new String(
        Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)), StandardCharsets.UTF_8);
  }

  private static DriverManagerDataSource metadataSource(String database) {
    return new DriverManagerDataSource(TestDatabases.POSTGRES + database, "postgres", "");
  }
}
