package io.ferry.server.runs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.engine.JobSpec;
import io.ferry.engine.Progress;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunResources;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.spi.ErrorCategory;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One run executing in a JVM of its own ({@link ChildRunMain}), sized by the run's resources: a
 * heap of its memory ({@code -Xmx}), its cores as the JVM's processors ({@code
 * -XX:ActiveProcessorCount}, so that the default channels, GC and pool threads follow them) and at
 * most one channel per core. A run that runs out of memory or spins ends its own JVM, not the
 * server's, nor its neighbours'.
 *
 * <p>The child gets its launch — the job with its credentials and the metadata database's — on its
 * stdin: its command line has only JVM options and the class path, and its environment only the few
 * variables of {@link #ENVIRONMENT} (never {@code FERRY_SECRET_KEY}, {@code FERRY_ADMIN_PASSWORD}
 * or a datasource password), since both are visible to other users in {@code ps} and {@code /proc}.
 * It claims and checkpoints the run in the server's checkpoint store like a run in the server's
 * JVM, so pause, resume and takeover work alike. Its state, progress and end come back on its
 * stdout; its log lines on its stderr.
 *
 * <p>A run of a {@code flink} resource group executes on its Flink cluster: the child only submits
 * and follows it ({@link Launch#flink()}, {@link FlinkChildRun}), its class path the server's plus
 * Flink's ({@link FlinkLaunch}), and its channels not capped by its cores.
 *
 * <p>The child halts when its stdin ends: when this JVM ends, however it ends (even {@code kill
 * -9}), the pipe closes and the child stops at once, without writing more — no orphan writes on
 * after another node took the run over.
 */
public final class ChildRunProcess implements HeldRun {
  /**
   * The child's JVM ended without reporting the end of its run (a crash, out of memory, killed).
   */
  public static final ErrorCode PROCESS_FAILED = ErrorCode.external("run.process-failed", true);

  static final int EXIT_PARENT_GONE = 3;
  static final int EXIT_REFUSED = 4;

  /** The variables the child keeps from the server's environment; no other. */
  public static final List<String> ENVIRONMENT =
      List.of("PATH", "LANG", "LC_ALL", "TZ", "HOME", "TMPDIR");

  /** The codec of the launch and the reports (records, java.time values). */
  static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * What the child needs to run.
   *
   * @param resumeKey the run to resume, or null for a new run
   * @param dataDir the server's data directory (state, dirty rows)
   * @param connectorsDir the connectors folder, or null as the server has it
   * @param fileRoots the folders the job's local files may be in ({@code ferry.file-roots})
   * @param flink where a run of a {@code flink} resource group is submitted; null for a run the
   *     child executes itself
   */
  public record Launch(
      JobSpec spec,
      String resumeKey,
      Map<String, Object> overrides,
      RunResources resources,
      Metadata metadata,
      Path dataDir,
      Path connectorsDir,
      List<Path> fileRoots,
      Flink flink) {
    /** A run the child executes itself. */
    public Launch(
        JobSpec spec,
        String resumeKey,
        Map<String, Object> overrides,
        RunResources resources,
        Metadata metadata,
        Path dataDir,
        Path connectorsDir,
        List<Path> fileRoots) {
      this(
          spec, resumeKey, overrides, resources, metadata, dataDir, connectorsDir, fileRoots, null);
    }
  }

  /**
   * A run of a {@code flink} resource group: the child submits it to the group's Flink session
   * cluster ({@link FlinkChildRun}).
   *
   * @param group the resource group's name
   * @param master the cluster's REST address {@code host:port}
   * @param home the Ferry installation whose {@code lib/} and connector folders the job ships
   *     (null: the child's class path)
   * @param classPath what the child's class path needs beside the server's for Flink: the
   *     installation's {@code lib/*} and {@code lib/flink/*} (none when the server's own class path
   *     has Flink)
   */
  public record Flink(String group, String master, Path home, List<String> classPath) {}

  /**
   * The metadata database the child keeps the run's checkpoints and claim in: the server's. It must
   * be reachable from two processes (PostgreSQL or MySQL/MariaDB; not the default embedded H2
   * file).
   */
  public record Metadata(String url, String user, String password, Duration lease) {}

  /** What the child reports while the run executes. */
  public interface Events {
    default void state(RunState to) {}

    default void progress(Progress progress) {}
  }

  private final Process process;
  private final Duration stopGrace;
  private final OutputStream requests;
  private final CompletableFuture<JsonNode> hello = new CompletableFuture<>();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private volatile Events events = new Events() {};
  private volatile RunState state = RunState.CREATED;
  private volatile Progress last;

  private ChildRunProcess(Process process, Duration stopGrace) {
    this.process = process;
    this.stopGrace = stopGrace;
    this.requests = process.getOutputStream();
  }

  /**
   * Starts the run in its own JVM and returns once the child started (or resumed) it: {@link
   * #spawn}, then {@link #awaitStarted}.
   *
   * @param log receives each line the child logs
   * @param stopGrace how long a stop may take before the child is killed
   * @param startTimeout how long the child may take to start the run
   * @throws FerryException why the child could not start the run (as the engine would have thrown
   *     it in this JVM), or {@link #PROCESS_FAILED}
   */
  public static ChildRunProcess start(
      Launch launch, Consumer<String> log, Duration stopGrace, Duration startTimeout)
      throws IOException, InterruptedException {
    ChildRunProcess child = spawn(launch, log, stopGrace);
    child.awaitStarted(startTimeout);
    return child;
  }

  /**
   * Starts the run's JVM and hands it the launch; {@link #awaitStarted} waits for the run to start
   * there, {@link #kill} ends it meanwhile.
   *
   * @param log receives each line the child logs
   * @param stopGrace how long a stop may take before the child is killed
   */
  public static ChildRunProcess spawn(Launch launch, Consumer<String> log, Duration stopGrace)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command(launch));
    Map<String, String> env = builder.environment();
    Map<String, String> kept = new LinkedHashMap<>();
    for (String name : ENVIRONMENT) {
      if (env.containsKey(name)) {
        kept.put(name, env.get(name));
      }
    }
    env.clear();
    env.putAll(kept);
    ChildRunProcess child = new ChildRunProcess(builder.start(), stopGrace);
    child.pump(log);
    child.send(launchJson(launch));
    return child;
  }

  /**
   * Waits until the child started (or resumed) the run. A child that has not within {@code timeout}
   * is killed (it hung: a database or cluster that does not answer, a JVM that cannot start).
   *
   * @throws FerryException why the child could not start the run (as the engine would have thrown
   *     it in this JVM), or {@link #PROCESS_FAILED}: it ended, or did not start the run in time
   */
  public void awaitStarted(Duration timeout) throws InterruptedException {
    JsonNode started;
    try {
      started = hello.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new FerryException(
          PROCESS_FAILED,
          "the run's process (pid "
              + process.pid()
              + ") did not start the run within "
              + timeout.toSeconds()
              + " s (ferry.runs.start-timeout) and was killed");
    } catch (ExecutionException e) {
      process.destroyForcibly();
      throw e.getCause() instanceof FerryException f
          ? f
          : new FerryException(PROCESS_FAILED, e.getCause().toString(), e.getCause());
    }
    state = RunState.RUNNING;
    startedWith = started;
  }

  private volatile JsonNode startedWith;

  /**
   * The child's command line: JVM options and the class path only. The heap is the run's memory:
   * what the run's buffers, drivers and batches may take, beside the JVM's own few tens of MB.
   */
  static List<String> command(Launch launch) {
    RunResources resources = launch.resources();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx" + resources.memoryMb() + "m");
    command.add("-XX:ActiveProcessorCount=" + resources.cpuCores());
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(moduleOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    for (String property : List.of("ferry.home", "java.io.tmpdir", "file.encoding")) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.add("-cp");
    List<String> classPath = new ArrayList<>(List.of(System.getProperty("java.class.path")));
    if (launch.flink() != null) {
      classPath.addAll(launch.flink().classPath());
    }
    command.add(String.join(java.io.File.pathSeparator, classPath));
    command.add(ChildRunMain.class.getName());
    return command;
  }

  /**
   * The server's own options that open JDK modules to libraries (what bin/ferry gives every JVM it
   * starts, for the HBase client): a run in its own JVM runs the same connectors, so it gets them
   * too. Each as one argument ({@code --add-opens=...}), in whichever form the server got it.
   */
  static List<String> moduleOptions(List<String> serverOptions) {
    List<String> options = new ArrayList<>();
    for (int i = 0; i < serverOptions.size(); i++) {
      String option = serverOptions.get(i);
      boolean module =
          MODULE_OPTIONS.stream().anyMatch(o -> option.equals(o) || option.startsWith(o + "="));
      if (module && option.indexOf('=') < 0 && i + 1 < serverOptions.size()) {
        options.add(option + "=" + serverOptions.get(++i));
      } else if (module || option.startsWith("-Dorg.apache.hbase.thirdparty.")) {
        options.add(option);
      }
    }
    return options;
  }

  private static final List<String> MODULE_OPTIONS =
      List.of("--add-opens", "--add-exports", "--add-modules", "--add-reads");

  private static String launchJson(Launch launch) {
    ObjectNode node = JSON.createObjectNode();
    JobSpec spec = launch.spec();
    int channels = spec.settings().get("channels") instanceof Number n ? n.intValue() : 0;
    Map<String, Object> overrides = new LinkedHashMap<>(launch.overrides());
    Object asked = overrides.getOrDefault("channels", channels > 0 ? channels : null);
    if (asked instanceof Number n && launch.flink() == null) {
      // At most one channel per core; without a number the child's processors are its default. (On
      // Flink the channels are the job's parallel tasks on the cluster, not the child's.)
      overrides.put("channels", launch.resources().channels(n.intValue()));
    }
    node.set("spec", JSON.valueToTree(spec));
    node.put("resumeKey", launch.resumeKey());
    node.set("overrides", JSON.valueToTree(overrides));
    ObjectNode metadata = node.putObject("metadata");
    metadata.put("url", launch.metadata().url());
    metadata.put("user", launch.metadata().user());
    metadata.put("password", launch.metadata().password());
    metadata.put("lease", launch.metadata().lease().toString());
    node.put("dataDir", launch.dataDir().toAbsolutePath().toString());
    node.put(
        "connectorsDir",
        launch.connectorsDir() == null ? null : launch.connectorsDir().toAbsolutePath().toString());
    launch.fileRoots().forEach(r -> node.withArray("fileRoots").add(r.toString()));
    if (launch.flink() != null) {
      ObjectNode flink = node.putObject("flink");
      flink.put("group", launch.flink().group());
      flink.put("master", launch.flink().master());
      flink.put("home", launch.flink().home() == null ? null : launch.flink().home().toString());
      // The run's spec becomes its Flink slots' resources (FlinkRunner#resources).
      flink.put("cpuCores", launch.resources().cpuCores());
      flink.put("memoryMb", launch.resources().memoryMb());
    }
    return node.toString();
  }

  /** Reads the child's reports and log lines, each on a thread of its own. */
  private void pump(Consumer<String> log) {
    Thread reports =
        new Thread(
            () -> {
              try (BufferedReader in = reader(process.getInputStream())) {
                String line;
                while ((line = in.readLine()) != null) {
                  report(JSON.readTree(line));
                }
              } catch (IOException | RuntimeException e) {
                log.accept("cannot read the run's process: " + e);
              }
              ended(log);
            },
            "ferry-child-" + process.pid() + "-reports");
    Thread logs =
        new Thread(
            () -> {
              try (BufferedReader in = reader(process.getErrorStream())) {
                String line;
                while ((line = in.readLine()) != null) {
                  log.accept(line);
                }
              } catch (IOException e) {
                // The process ended.
              }
            },
            "ferry-child-" + process.pid() + "-log");
    reports.setDaemon(true);
    logs.setDaemon(true);
    reports.start();
    logs.start();
  }

  private static BufferedReader reader(java.io.InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private void report(JsonNode node) throws IOException {
    switch (node.path("event").asText()) {
      case "started" -> hello.complete(node);
      case "refused" -> hello.completeExceptionally(failure(node.get("failure")));
      case "state" -> {
        state = RunState.valueOf(node.get("to").asText());
        events.state(state);
      }
      case "progress" -> {
        last = JSON.treeToValue(node.get("progress"), Progress.class);
        events.progress(last);
      }
      case "ended" -> {
        Progress p = JSON.treeToValue(node.get("progress"), Progress.class);
        last = p;
        JsonNode dirty = node.get("dirtyDataFile");
        state = RunState.valueOf(node.get("state").asText());
        reported =
            new RunResult(
                state,
                p,
                node.hasNonNull("failure") ? failure(node.get("failure")) : null,
                dirty == null || dirty.isNull() ? null : Path.of(dirty.asText()),
                verification(node.get("verification")));
      }
      default -> throw new IOException("unknown report " + node);
    }
  }

  /** The run's end as the child reported it; the run's result once the child's JVM is gone. */
  private volatile RunResult reported;

  /**
   * The child's reports ended: its JVM is ending. Once it is gone, the run has the end the child
   * reported; a run it did not end failed with it.
   */
  private void ended(Consumer<String> log) {
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = -1;
    }
    FerryException died =
        new FerryException(
            PROCESS_FAILED,
            "the run's process (pid "
                + process.pid()
                + ") ended with exit code "
                + code
                + " before the run did"
                + (code == 3 ? " (its parent was gone)" : "")
                + "; it continues from its last checkpoint when resumed");
    hello.completeExceptionally(died);
    if (reported != null) {
      result.complete(reported);
    } else {
      log.accept(died.getMessage());
      state = RunState.FAILED;
      Progress p = last;
      result.complete(new RunResult(RunState.FAILED, p, died, null));
    }
  }

  static Map<String, Object> failure(FerryException e) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("code", e.code().code());
    f.put("category", e.code().category().name());
    f.put("retriable", e.code().retriable());
    f.put("message", e.getMessage());
    return f;
  }

  /**
   * The verification after the run as the child reports it with the run's end (null when there was
   * none): the server records it and names it in the run's message, as for a run in the server's
   * JVM.
   */
  static Map<String, Object> verification(RunResult.Verification v) {
    if (v == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("result", v.result());
    m.put("failure", v.failure() == null ? null : failure(v.failure()));
    return m;
  }

  /** The verification {@link #verification(RunResult.Verification)} reported, or null. */
  static RunResult.Verification verification(JsonNode v) throws IOException {
    if (v == null || v.isNull()) {
      return null;
    }
    return new RunResult.Verification(
        v.hasNonNull("result")
            ? JSON.treeToValue(v.get("result"), io.ferry.engine.verify.VerifyResult.class)
            : null,
        v.hasNonNull("failure") ? failure(v.get("failure")) : null);
  }

  private static FerryException failure(JsonNode f) {
    ErrorCode code =
        new ErrorCode(
            f.get("code").asText(),
            ErrorCategory.valueOf(f.get("category").asText()),
            f.get("retriable").asBoolean());
    return new FerryException(code, f.get("message").asText());
  }

  private synchronized void send(String line) throws IOException {
    requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    requests.flush();
  }

  // ---- the run ---------------------------------------------------------------------------

  public long pid() {
    return process.pid();
  }

  @Override
  public String runKey() {
    return startedWith.get("runKey").asText();
  }

  /** The channels the run has in the child: at most its cores (on Flink: its parallel tasks). */
  @Override
  public int channels() {
    return startedWith.get("channels").asInt();
  }

  @Override
  public boolean pausable() {
    return startedWith.get("pausable").asBoolean();
  }

  @Override
  public RowCounts carriedOver() {
    try {
      return JSON.treeToValue(startedWith.get("carriedOver"), RowCounts.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public RunState state() {
    return state;
  }

  /** The child's reports go to {@code events} from now on. */
  @Override
  public void listen(Events events) {
    this.events = events;
  }

  @Override
  public void pause() {
    request("pause");
  }

  /**
   * Asks the run to stop; a child that has not ended after the stop grace is killed (the run then
   * ends FAILED with {@link #PROCESS_FAILED}, resumable from its last checkpoint).
   */
  @Override
  public void stop() {
    request("stop");
    CompletableFuture.delayedExecutor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (process.isAlive()) {
                process.destroyForcibly();
              }
            });
  }

  private void request(String what) {
    try {
      send(what);
    } catch (IOException e) {
      // The child is gone: its end is (or will be) reported by ended().
    }
  }

  @Override
  public RunResult await() throws InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public Optional<RunResult> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Kills the child at once (its run resumes from its last checkpoint). */
  public void kill() {
    process.destroyForcibly();
  }
}
