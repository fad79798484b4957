package io.ferry.flink;

import io.ferry.engine.Engine;
import io.ferry.engine.ExternalRun;
import io.ferry.engine.JobSpec;
import io.ferry.engine.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.MiniClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Runs Ferry jobs on Apache Flink: the job becomes a DataStream job of Ferry's source ({@link
 * FerrySource}), a counter and Ferry's sink ({@link FerrySink}), chained in each of {@code
 * settings.channels} parallel tasks; Flink checkpoints every {@code settings.flushInterval} and
 * restarts failed tasks from the last checkpoint up to {@code settings.maxRetries} times, {@code
 * settings.retryBackoff} apart. By default each run gets a local Flink mini cluster in this JVM;
 * {@link #onSessionCluster} submits the runs to a Flink session cluster instead.
 */
public final class FlinkRunner {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FlinkRunner.class);

  private final Engine engine;
  private final Path connectorsDirectory;
  private MiniCluster sharedCluster;
  private FlinkCluster session;
  private int taskManagers = 1;
  private io.ferry.engine.RunResources resources;

  /**
   * @param connectorsDirectory the distribution's connectors folder the tasks load connectors from,
   *     or null for connectors on the class path only
   */
  public FlinkRunner(Engine engine, Path connectorsDirectory) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.connectorsDirectory = connectorsDirectory;
  }

  /** Runs on this mini cluster instead of starting one per run (tests; the caller stops it). */
  public FlinkRunner onCluster(MiniCluster cluster) {
    this.sharedCluster = cluster;
    return this;
  }

  /**
   * Submits the runs to this Flink session cluster over its REST endpoint, with the jars the job
   * needs, instead of running them in this JVM.
   */
  public FlinkRunner onSessionCluster(FlinkCluster cluster) {
    this.session = Objects.requireNonNull(cluster, "cluster");
    return this;
  }

  /** Task managers of a mini cluster the runner starts itself; its slots are shared among them. */
  public FlinkRunner taskManagers(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("taskManagers must be at least 1");
    }
    this.taskManagers = count;
    return this;
  }

  /**
   * Asks Flink for these resources for each run, shared among its parallel tasks: each task's slot
   * gets {@code cpuCores / parallelism} cores and {@code memoryMb / parallelism} MB of task heap
   * (Flink's fine-grained resource management, {@link #slotSharingGroup}). A cluster whose task
   * managers cannot offer such a slot makes the job wait for one, then fail. Without it the job
   * takes Flink's default slots, as many as its parallelism.
   */
  public FlinkRunner resources(io.ferry.engine.RunResources resources) {
    this.resources = Objects.requireNonNull(resources, "resources");
    return this;
  }

  /** The name of the slot sharing group that carries a run's resources. */
  static final String SLOT_GROUP = "ferry";

  /**
   * The slot sharing group of one of a run's {@code parallelism} tasks, whose slot holds a task's
   * source, count and sink (chained in one thread): its share of the run's resources.
   */
  static org.apache.flink.api.common.operators.SlotSharingGroup slotSharingGroup(
      io.ferry.engine.RunResources resources, int parallelism) {
    return org.apache.flink.api.common.operators.SlotSharingGroup.newBuilder(SLOT_GROUP)
        .setCpuCores((double) resources.cpuCores() / parallelism)
        .setTaskHeapMemoryMB(Math.max(1, resources.memoryMb() / parallelism))
        .build();
  }

  /**
   * The settings every mini cluster needs here: loopback only, temporary files under {@code tmp}.
   */
  public static Configuration localConfiguration(Path tmp) {
    Configuration conf = new Configuration();
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.HOST, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(CoreOptions.TMP_DIRS, tmp.toAbsolutePath().toString());
    // Tasks hand their counts (accumulators) to the job manager with each heartbeat: every second
    // rather than Flink's 10 s, so that the run's progress moves as often as a local run's.
    conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofSeconds(1));
    return conf;
  }

  /**
   * Starts the job as a new run on Flink; returns once the Flink job is submitted.
   *
   * @throws io.ferry.engine.JobSpecException when the job is invalid; nothing was started
   * @throws io.ferry.spi.FerryException when the job cannot run on Flink, or the session cluster
   *     does not answer ({@link FlinkCluster#UNREACHABLE}; no run was recorded)
   */
  public FlinkRun start(JobSpec spec) throws Exception {
    int parallelism;
    try (io.ferry.engine.PreparedJob prepared = engine.prepare(spec)) {
      parallelism = prepared.settings().channels();
    }
    // A session cluster that does not answer fails the start before the run is recorded.
    ClusterClient<?> client = session == null ? null : session.connect();
    ExternalRun run;
    try {
      run = engine.startExternal(spec, parallelism, "flink");
    } catch (Exception | Error e) {
      if (client != null) {
        client.close();
      }
      throw e;
    }
    MiniCluster own = null;
    try {
      StreamGraph graph = graph(run, parallelism, session == null);
      if (session == null) {
        Path tmp = engine.stateDirectory().resolve("flink-tmp");
        java.nio.file.Files.createDirectories(tmp);
        Configuration conf = localConfiguration(tmp);
        if (sharedCluster == null) {
          own = startMiniCluster(conf, parallelism);
        }
        client = new MiniClusterClient(conf, own != null ? own : sharedCluster);
      } else {
        ship(graph, spec);
      }
      JobID id = client.submitJob(graph).get();
      if (session != null) {
        log.info("Run {}: Flink job {} submitted to {}", run.runKey(), id, session.master());
      }
      FlinkRun flinkRun = new FlinkRun(run, client, id, own);
      flinkRun.start();
      return flinkRun;
    } catch (Exception | Error e) {
      if (session != null && client != null) {
        client.close();
      }
      if (own != null) {
        own.close();
      }
      String where = session == null ? "" : " to " + session.master();
      run.finish(
          io.ferry.engine.RowCounts.ZERO,
          0,
          new io.ferry.spi.FerryException(
              FlinkRun.FLINK_FAILED,
              "the Flink job could not be submitted" + where + ": " + Failures.describe(e),
              e),
          false);
      throw e;
    }
  }

  /** A mini cluster of {@link #taskManagers} whose slots together are the run's parallelism. */
  private MiniCluster startMiniCluster(Configuration conf, int parallelism) throws Exception {
    int slots = Math.max(1, (parallelism + taskManagers - 1) / taskManagers);
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
    return cluster;
  }

  /** Readies the graph for the session cluster: the jars it needs, its functions as bytes. */
  private void ship(StreamGraph graph, JobSpec spec) throws java.io.IOException {
    Path scratch = engine.stateDirectory().resolve("flink-jars");
    for (Path jar : session.jars().forJob(spec, scratch)) {
      graph.addJar(new org.apache.flink.core.fs.Path(jar.toUri()));
    }
    // Its functions, sources and sinks are serialized here and opened on the cluster with the
    // class loader of the shipped jars.
    graph.serializeUserDefinedInstances();
  }

  /**
   * @param local whether the tasks run in this JVM, and so share its state directory and find the
   *     connectors as this JVM does; a session cluster's tasks find them among the shipped jars
   */
  StreamGraph graph(ExternalRun run, int parallelism, boolean local) {
    Settings settings = run.settings();
    Configuration conf = new Configuration();
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    conf.set(PipelineOptions.NAME, "ferry " + run.runKey());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
        Math.max(0, settings.maxRetries()));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, settings.retryBackoff());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(Math.max(100, settings.flushInterval().toMillis()));
    ShippedJob shipped =
        new ShippedJob(
            run.spec(),
            run.runKey(),
            local ? engine.stateDirectory() : null,
            local ? connectorsDirectory : null,
            run.splitCodecVersion());
    List<FerrySplit> splits = new ArrayList<>();
    for (ExternalRun.Planned p : run.splits()) {
      splits.add(new FerrySplit(p.ordinal(), p.id(), p.encoded(), null, false));
    }
    TypeInformation<Chunk> type = TypeInformation.of(Chunk.class);
    var source =
        env.fromSource(
            new FerrySource(shipped, splits),
            WatermarkStrategy.noWatermarks(),
            "ferry source " + run.spec().source().connector(),
            type);
    if (resources != null) {
      // The count and the sink are in the source's group: they inherit it.
      source.slotSharingGroup(slotSharingGroup(resources, parallelism));
    }
    source
        .map(new TaskCounter(run.runKey()))
        .returns(type)
        .name("ferry counts")
        .sinkTo(new FerrySink(shipped))
        .name("ferry sink " + run.spec().sink().connector());
    StreamGraph graph = env.getStreamGraph();
    graph.setJobId(new JobID());
    return graph;
  }
}
