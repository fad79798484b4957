package io.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code -v}: logs (on stderr) go from WARN to INFO, {@code -vv} to DEBUG. */
final class LoggingOptions {
  @Option(
      names = {"-v", "--verbose"},
      description = "Log more on stderr: -v for INFO, -vv for DEBUG. Default: warnings only.")
  boolean[] verbose = new boolean[0];

  /** Sets the root log level; called first by every command, so no earlier run's level lingers. */
  void apply() {
    Level level =
        switch (verbose.length) {
          case 0 -> Level.WARN;
          case 1 -> Level.INFO;
          default -> Level.DEBUG;
        };
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(level);
    }
  }

  boolean debug() {
    return verbose.length > 1;
  }
}
