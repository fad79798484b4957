package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.logging.Handler;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * java.util.logging records (the MySQL binlog client logs through it) go through the command line's
 * logback configuration, at its levels, instead of JUL's own console handler on stderr.
 */
class LogConfiguratorTest {
  private static final String BINLOG_CLIENT = "com.github.shyiko.mysql.binlog.BinaryLogClient";

  @Test
  void javaUtilLoggingFollowsTheCommandLinesLevelsIntoLogback() {
    ch.qos.logback.classic.Logger target =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(BINLOG_CLIENT);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    target.addAppender(seen);
    // Held here: JUL keeps its loggers weakly, and with them the levels set on them.
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger(BINLOG_CLIENT);
    try {
      new LoggingOptions().apply(); // the default: warnings only
      jul.info("connected");
      jul.warning("keepalive lost");
      assertThat(seen.list)
          .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(Level.WARN, "keepalive lost"));
      assertThat(jul.isLoggable(java.util.logging.Level.INFO)).as("dropped by JUL").isFalse();
      Handler[] handlers = java.util.logging.Logger.getLogger("").getHandlers();
      assertThat(handlers)
          .as("no JUL console handler")
          .hasOnlyElementsOfType(SLF4JBridgeHandler.class);

      LoggingOptions verbose = new LoggingOptions();
      verbose.verbose = new boolean[] {true}; // -v
      verbose.apply();
      jul.info("connected again");
      assertThat(seen.list).hasSize(2);
      assertThat(seen.list.get(1).getLevel()).isEqualTo(Level.INFO);
      assertThat(seen.list.get(1).getFormattedMessage()).isEqualTo("connected again");
    } finally {
      target.detachAppender(seen);
      new LoggingOptions().apply();
    }
  }
}
