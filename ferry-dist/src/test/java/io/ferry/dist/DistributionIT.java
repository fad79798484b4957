package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the assembled {@code target/ferry} as a user would: bin/ferry in a real process. */
class DistributionIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path WORK = Path.of("target/it").toAbsolutePath();

  @BeforeAll
  static void createWorkDirectory() throws IOException {
    Files.createDirectories(WORK);
  }

  @Test
  void quickstartWritesOneMillionRowsAsDatagenGeneratesThem() throws Exception {
    Path csv = WORK.resolve("quickstart/orders.csv").toAbsolutePath();
    Files.deleteIfExists(csv);

    Result run =
        ferry(
            Duration.ofMinutes(5),
            "run",
            DIST.resolve("examples/quickstart.yaml").toString(),
            "--param",
            "output=" + csv);

    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).isEmpty();
    assertThat(run.err).contains("SUCCEEDED").containsPattern("Records written +1,000,000");

    // Rows 1..10 as datagen generates them for seed 42, printed by the console sink.
    Result console =
        ferry(
            Duration.ofMinutes(1),
            "run",
            DIST.resolve("examples/datagen-to-console.yaml").toString());
    assertThat(console.exitCode).as(console.err).isZero();
    List<String> printed = console.out.lines().toList();
    assertThat(printed).hasSize(11);
    List<String> header = List.of(printed.get(0).split("\t"));
    List<String> first = List.of(printed.get(1).split("\t", -1));
    assertThat(first.get(0)).isEqualTo("1");

    long rows = 0;
    Set<Long> ids = new HashSet<>();
    CSVRecord rowOne = null;
    try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser parser =
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
      assertThat(parser.getHeaderNames()).isEqualTo(header);
      for (CSVRecord record : parser) {
        rows++;
        long id = Long.parseLong(record.get("id"));
        ids.add(id);
        if (id == 1) {
          rowOne = record;
        }
      }
    }
    assertThat(rows).isEqualTo(1_000_000);
    assertThat(ids).hasSize(1_000_000);
    assertThat(rowOne).isNotNull();
    // id, customer_id, sku, qty, price, status: identical text in TSV and CSV.
    assertThat(rowOne.toList().subList(0, 6)).isEqualTo(first.subList(0, 6));
  }

  @Test
  void connectorsComeFromTheirOwnFolders() throws Exception {
    Set<String> lib = jarNames(DIST.resolve("lib"));
    Set<String> file = jarNames(DIST.resolve("connectors/file"));
    Set<String> datagen = jarNames(DIST.resolve("connectors/datagen"));

    assertThat(lib)
        .anyMatch(j -> j.startsWith("ferry-cli-"))
        .anyMatch(j -> j.startsWith("ferry-engine-"))
        .anyMatch(j -> j.startsWith("ferry-spi-"))
        .anyMatch(j -> j.startsWith("ferry-connector-support-"))
        .noneMatch(
            j -> j.startsWith("ferry-connector-file") || j.startsWith("ferry-connector-datagen"))
        .noneMatch(j -> j.startsWith("fastcsv"));
    assertThat(file)
        .anyMatch(j -> j.startsWith("ferry-connector-file-"))
        .anyMatch(j -> j.startsWith("fastcsv-"));
    assertThat(datagen).anyMatch(j -> j.startsWith("ferry-connector-datagen-"));
    for (Set<String> connector : List.of(file, datagen)) {
      assertThat(connector).doesNotContainAnyElementsOf(lib);
    }

    Result list = ferry(Duration.ofMinutes(1), "connectors");

    assertThat(list.exitCode).as(list.err).isZero();
    assertThat(list.out.lines())
        .anyMatch(line -> line.matches("datagen +source +.*"))
        .anyMatch(line -> line.matches("file +source, sink +.*"));
  }

  /**
   * Flink and the libraries only it uses stay in lib/flink, on the class path of `--engine flink`
   * runs only: in lib/ they would shadow the connectors' own versions of common libraries.
   */
  @Test
  void flinkIsOnTheClassPathOfFlinkRunsOnly() throws Exception {
    Set<String> lib = jarNames(DIST.resolve("lib"));
    Set<String> flink = jarNames(DIST.resolve("lib/flink"));
    assertThat(lib)
        .anyMatch(j -> j.startsWith("ferry-flink-"))
        .noneMatch(j -> j.startsWith("flink-"))
        .noneMatch(j -> j.startsWith("commons-io-") || j.startsWith("commons-compress-"));
    assertThat(flink)
        .anyMatch(j -> j.startsWith("flink-runtime-"))
        .doesNotContainAnyElementsOf(lib);

    Path dir = Files.createTempDirectory(WORK, "flink");
    Path job =
        Files.writeString(
            dir.resolve("job.yaml"),
            "source: {connector: datagen, rows: 3000}\n"
                + "sink: {connector: file, path: '"
                + dir.resolve("out.csv")
                + "'}\n"
                + "settings: {channels: 2}\n");
    Result run = ferry(Duration.ofMinutes(3), "run", job.toString(), "--engine", "flink");
    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(Files.readAllLines(dir.resolve("out.csv"))).hasSize(3001);
  }

  @Test
  void validateRejectsABadJobWithExitTwo() throws Exception {
    Path job =
        Files.writeString(
            WORK.resolve("bad.yaml"),
            "source: {connector: datagen, rows: lots}\nsink: {connector: blackhole}\n");

    Result result = ferry(Duration.ofMinutes(1), "validate", job.toString());

    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err.lines()).singleElement().asString().startsWith(job + ": source.rows: ");
  }

  @Test
  void sigtermPausesTheRunAndResumeFinishesIt() throws Exception {
    Process process = start("run", "-v", pacedJob("sigterm").toString());
    String key = runKeyOnceCheckpointed();

    process.destroy(); // SIGTERM

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(WORK.resolve("slow.err"));
    assertThat(process.exitValue()).as(err).isEqualTo(5);
    assertThat(err).contains("PAUSED").contains("Resume with: ferry resume " + key);

    Result resumed = ferry(Duration.ofMinutes(2), "resume", key);
    assertThat(resumed.exitCode).as(resumed.err).isZero();
    assertThat(resumed.err).contains("SUCCEEDED").containsPattern("Records written +8,000");
  }

  @Test
  void aKilledRunIsListedAsInterruptedAndResumes() throws Exception {
    Process process = start("run", "-v", pacedJob("killed").toString());
    String key = runKeyOnceCheckpointed();

    process.destroyForcibly(); // SIGKILL: no chance to pause or to write anything more
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Result runs = ferry(Duration.ofMinutes(1), "runs");
    assertThat(runs.out).contains(key).contains("PAUSED").contains("interrupted");
    Result resumed = ferry(Duration.ofMinutes(2), "resume", key);
    assertThat(resumed.exitCode).as(resumed.err).isZero();
    assertThat(resumed.err).contains("SUCCEEDED").containsPattern("Records written +8,000");
  }

  /**
   * 8,000 rows at 2,000 rows/s (1,000 per channel) into a blackhole: a run that lasts about four
   * seconds, long enough to be signalled once its first checkpoint is written (100 ms flushes,
   * polled every 100 ms), and a resume that finishes the rest in about as long (was 20,000 rows,
   * ten seconds each way: waiting, not testing).
   */
  private static Path pacedJob(String name) throws IOException {
    return Files.writeString(
        WORK.resolve(name + ".yaml"),
        """
        source: {connector: datagen, rows: 8000, rowsPerSecond: 1000, batchSize: 100}
        sink: {connector: blackhole}
        settings: {channels: 2, flushInterval: 100ms}
        """);
  }

  /** Waits until the run started by {@link #start} logged its key and wrote a checkpoint. */
  private static String runKeyOnceCheckpointed() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    java.util.regex.Pattern started = java.util.regex.Pattern.compile("Run (\\S+): \\d+ splits");
    while (System.nanoTime() < deadline) {
      java.util.regex.Matcher m = started.matcher(Files.readString(WORK.resolve("slow.err")));
      if (m.find()) {
        Path checkpoint = WORK.resolve("state/runs").resolve(m.group(1)).resolve("checkpoint.json");
        if (Files.exists(checkpoint)
            && Files.readString(checkpoint).contains("\"committed\" : {")) {
          return m.group(1);
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "the run did not checkpoint: " + Files.readString(WORK.resolve("slow.err")));
  }

  @Test
  void theFirstRunWritesAClassDataArchiveThatLaterCommandsMap() throws Exception {
    Path state = WORK.resolve("cds-state");
    deleteTree(state);
    Path cds = state.resolve("cds");
    Map<String, String> env = Map.of("FERRY_STATE_DIR", state.toString());

    Result version = run(Duration.ofMinutes(1), DIST.resolve("bin/ferry"), env, "version");
    assertThat(version.exitCode).as(version.err).isZero();
    assertThat(cds).doesNotExist(); // only run and resume write the archive

    Result first =
        run(
            Duration.ofMinutes(2),
            DIST.resolve("bin/ferry"),
            env,
            "run",
            DIST.resolve("examples/quickstart.yaml").toString(),
            "--param",
            "rows=1000",
            "--param",
            "output=" + WORK.resolve("cds/orders.csv"));
    assertThat(first.exitCode).as(first.err).isZero();
    // The data is whole: writing the archive at exit comes after the run's commit.
    List<String> lines = Files.readAllLines(WORK.resolve("cds/orders.csv"));
    assertThat(lines).hasSize(1001);
    assertThat(lines.get(1)).startsWith("1,");
    // Written as the JVM exited, under the name of its process; nothing on stdout or stderr.
    assertThat(first.out).isEmpty();
    assertThat(first.err).doesNotContain("cds", "CDS");
    assertThat(files(cds)).singleElement().asString().matches("ferry-\\d+\\.jsa\\.\\d+");

    // The next command checks it and puts it in place, in place of archives of an earlier
    // installation, and maps Ferry's classes from it.
    Files.writeString(cds.resolve("ferry-1.jsa"), "an archive of an earlier installation");
    Map<String, String> logClasses = new HashMap<>(env);
    logClasses.put("FERRY_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -Xlog:class+load=info:stdout");
    Result mapped = run(Duration.ofMinutes(1), DIST.resolve("bin/ferry"), logClasses, "version");
    assertThat(mapped.exitCode).as(mapped.err).isZero();
    String archive = files(cds).get(0);
    assertThat(files(cds)).singleElement().asString().matches("ferry-\\d+\\.jsa");
    assertThat(mapped.out).contains("io.ferry.cli.Ferry source: shared objects file (top)");

    // A leftover that is not a valid archive (a run killed while writing one) is removed.
    Files.delete(cds.resolve(archive));
    Files.writeString(cds.resolve(archive + ".2147483646"), "not an archive");
    Result cleaned = run(Duration.ofMinutes(1), DIST.resolve("bin/ferry"), env, "version");
    assertThat(cleaned.exitCode).as(cleaned.err).isZero();
    assertThat(files(cds)).isEmpty();
  }

  @Test
  void launcherFollowsSymlinksToItsInstallation() throws Exception {
    Path links = WORK.resolve("links");
    Files.createDirectories(links);
    Path link = links.resolve("ferry");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, DIST.resolve("bin/ferry").toAbsolutePath());

    Result result = run(Duration.ofMinutes(1), link, "version");

    assertThat(result.exitCode).as(result.err).isZero();
    assertThat(result.out.lines().toList().get(0)).matches("Ferry \\d+\\.\\d+\\.\\d+.*");
  }

  /**
   * {@code ferry server} starts from the installation (server/, the connectors' folders) on
   * 127.0.0.1, answers health without a login and refuses the API without one; the command line's
   * own class path holds no Spring.
   */
  @Test
  void theServerStartsFromTheInstallationAndRequiresALogin() throws Exception {
    assertThat(jarNames(DIST.resolve("lib"))).noneMatch(n -> n.startsWith("spring-"));
    int port;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path data = WORK.resolve("server-data");
    ProcessBuilder builder =
        processBuilder(
            List.of(
                DIST.resolve("bin/ferry").toAbsolutePath().toString(),
                "server",
                "--server.port=" + port));
    builder.environment().put("FERRY_DATA_DIR", data.toString());
    builder.environment().put("FERRY_ADMIN_PASSWORD", "it-admin-password");
    Process server =
        builder
            .redirectOutput(WORK.resolve("server.out").toFile())
            .redirectError(WORK.resolve("server.err").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> health = null;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline && server.isAlive()) {
        // Connections are refused, then health answers 503 until the server is ready.
        try {
          health =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (health.statusCode() == 200) {
            break;
          }
        } catch (java.net.ConnectException notYet) {
          // not listening yet
        }
        Thread.sleep(250);
      }
      assertThat(health)
          .as("health answered; log: %s", Files.readString(WORK.resolve("server.out")))
          .isNotNull();
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/connectors")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      String basic =
          java.util.Base64.getEncoder()
              .encodeToString(
                  "admin:it-admin-password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      HttpResponse<String> connectors =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/connectors"))
                  .header("Authorization", "Basic " + basic)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(connectors.statusCode()).as(connectors.body()).isEqualTo(200);
      // The connectors come from the installation's folders.
      assertThat(connectors.body()).contains("\"mysql\"").contains("\"elasticsearch\"");
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result ferry(Duration timeout, String... args) throws Exception {
    return run(timeout, DIST.resolve("bin/ferry"), args);
  }

  private static Result run(Duration timeout, Path launcher, String... args) throws Exception {
    return run(timeout, launcher, Map.of(), args);
  }

  /** Runs {@code launcher} with {@code env} added to (or replacing) the test's environment. */
  private static Result run(
      Duration timeout, Path launcher, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(launcher.toAbsolutePath().toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(WORK, "ferry", ".out");
    Path err = Files.createTempFile(WORK, "ferry", ".err");
    ProcessBuilder builder = processBuilder(command);
    builder.environment().putAll(env);
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("ferry " + String.join(" ", args) + " did not end in " + timeout);
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(DIST.resolve("bin/ferry").toAbsolutePath().toString());
    command.addAll(List.of(args));
    return processBuilder(command)
        .redirectOutput(WORK.resolve("slow.out").toFile())
        .redirectError(WORK.resolve("slow.err").toFile())
        .start();
  }

  /** Runs in target/it, keeping run state there too rather than in the installation. */
  private static ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile());
    builder.environment().put("FERRY_STATE_DIR", WORK.resolve("state").toString());
    return builder;
  }

  /** The names of the files in {@code dir}, sorted; none when it does not exist. */
  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static Set<String> jarNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".jar"))
          .collect(java.util.stream.Collectors.toSet());
    }
  }
}
