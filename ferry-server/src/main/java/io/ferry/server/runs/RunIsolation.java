package io.ferry.server.runs;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where this node executes its runs, under {@code ferry.runs.} (docs/scheduling.md, "Resources").
 *
 * @param isolation {@code thread}: in the server's JVM, sharing its heap and processors (the
 *     default of a single server with the embedded metadata database); {@code process}: each run in
 *     a JVM of its own sized by its resources ({@link ChildRunProcess}), which needs a metadata
 *     database two processes can share (PostgreSQL, MySQL/MariaDB)
 * @param stopGrace how long a stopped run's own JVM may take to end before it is killed (default 30
 *     s)
 * @param startTimeout how long a run's own JVM may take to start its run (connect, plan the splits,
 *     prepare the sink; on Flink, submit the job) before it is killed and the run fails (default 5
 *     min)
 * @param flinkHome the Ferry installation whose {@code lib/} and {@code lib/flink/} the run
 *     processes of {@code flink} resource groups run with, and whose {@code lib/} and connector
 *     folders their jobs ship to the cluster; default: the server's own ({@code ferry.home}, which
 *     {@code bin/ferry} sets)
 */
@ConfigurationProperties("ferry.runs")
public record RunIsolation(
    Mode isolation, Duration stopGrace, Duration startTimeout, Path flinkHome) {
  /** See {@code isolation}. */
  public enum Mode {
    THREAD,
    PROCESS
  }

  public RunIsolation {
    isolation = isolation == null ? Mode.THREAD : isolation;
    stopGrace = stopGrace == null ? Duration.ofSeconds(30) : stopGrace;
    startTimeout = startTimeout == null ? Duration.ofMinutes(5) : startTimeout;
    if (flinkHome == null && System.getProperty("ferry.home") != null) {
      flinkHome = Path.of(System.getProperty("ferry.home"));
    }
  }
}
