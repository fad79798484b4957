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
 * settings.retryBackoff} apart. By default each run gets a local Flink mini cluster in this JVM.
 */
public final class FlinkRunner {
  private final Engine engine;
  private final Path connectorsDirectory;
  private MiniCluster sharedCluster;
  private int taskManagers = 1;

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

  /** Task managers of a mini cluster the runner starts itself; its slots are shared among them. */
  public FlinkRunner taskManagers(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("taskManagers must be at least 1");
    }
    this.taskManagers = count;
    return this;
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
   * @throws io.ferry.spi.FerryException when the job cannot run on Flink
   */
  public FlinkRun start(JobSpec spec) throws Exception {
    int parallelism;
    try (io.ferry.engine.PreparedJob prepared = engine.prepare(spec)) {
      parallelism = prepared.settings().channels();
    }
    ExternalRun run = engine.startExternal(spec, parallelism, "flink");
    MiniCluster own = null;
    ClusterClient<?> client;
    try {
      Path tmp = engine.stateDirectory().resolve("flink-tmp");
      java.nio.file.Files.createDirectories(tmp);
      Configuration conf = localConfiguration(tmp);
      MiniCluster cluster = sharedCluster;
      if (cluster == null) {
        int slots = Math.max(1, (parallelism + taskManagers - 1) / taskManagers);
        own =
            new MiniCluster(
                new MiniClusterConfiguration.Builder()
                    .setConfiguration(conf)
                    .setNumTaskManagers(taskManagers)
                    .setNumSlotsPerTaskManager(slots)
                    .build());
        own.start();
        cluster = own;
      }
      client = new MiniClusterClient(conf, cluster);
      StreamGraph graph = graph(run, parallelism);
      JobID id = client.submitJob(graph).get();
      FlinkRun flinkRun = new FlinkRun(run, client, id, own);
      flinkRun.start();
      return flinkRun;
    } catch (Exception | Error e) {
      if (own != null) {
        own.close();
      }
      run.finish(
          io.ferry.engine.RowCounts.ZERO,
          0,
          new io.ferry.spi.FerryException(
              FlinkRun.FLINK_FAILED, "the Flink job could not be submitted: " + e, e),
          false);
      throw e;
    }
  }

  private StreamGraph graph(ExternalRun run, int parallelism) {
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
            engine.stateDirectory(),
            connectorsDirectory,
            run.splitCodecVersion());
    List<FerrySplit> splits = new ArrayList<>();
    for (ExternalRun.Planned p : run.splits()) {
      splits.add(new FerrySplit(p.ordinal(), p.id(), p.encoded(), null, false));
    }
    TypeInformation<Chunk> type = TypeInformation.of(Chunk.class);
    env.fromSource(
            new FerrySource(shipped, splits),
            WatermarkStrategy.noWatermarks(),
            "ferry source " + run.spec().source().connector(),
            type)
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
