package io.ferry.flink.session;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink session cluster for the tests, in a JVM of its own whose class path holds Flink and none
 * of Ferry: a JobManager with its REST endpoint on a free port of 127.0.0.1 and one TaskManager.
 * Prints {@code rest URI} on standard output once it serves, and stops when its standard input
 * closes (the test ended, or died).
 *
 * <p>Arguments: the folder for temporary files, the TaskManager's slots. (The settings are those of
 * {@code FlinkRunner.localConfiguration}, which this JVM cannot load: it has no Ferry.)
 */
public final class SessionCluster {
  private SessionCluster() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.HOST, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(CoreOptions.TMP_DIRS, Path.of(args[0]).toAbsolutePath().toString());
    conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    try (MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(Integer.parseInt(args[1]))
                .build())) {
      cluster.start();
      System.out.println("rest " + cluster.getRestAddress().get());
      System.out.flush();
      while (System.in.read() != -1) {
        // Serves until the test closes the pipe.
      }
    }
  }
}
