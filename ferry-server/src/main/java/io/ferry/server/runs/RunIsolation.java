package io.ferry.server.runs;

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
 */
@ConfigurationProperties("ferry.runs")
public record RunIsolation(Mode isolation, Duration stopGrace) {
  /** See {@code isolation}. */
  public enum Mode {
    THREAD,
    PROCESS
  }

  public RunIsolation {
    isolation = isolation == null ? Mode.THREAD : isolation;
    stopGrace = stopGrace == null ? Duration.ofSeconds(30) : stopGrace;
  }
}
