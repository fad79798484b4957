package io.ferry.server.runs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each run's log, kept in the metadata store: the server's own lines about the run (queued,
 * started, paused, ended, statistics) and whatever the engine and connectors log on the run's
 * threads, which the engine names {@code ferry-<run key>...}.
 */
@Component
public class RunLogs {
  private static final int MAX_LINE = 4000;

  private final JdbcClient db;

  /** Run key → server run id, while the run executes. */
  private final Map<String, Long> running = new ConcurrentHashMap<>();

  public RunLogs(JdbcClient db) {
    this.db = db;
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      Appender appender = new Appender();
      appender.setContext(context);
      appender.setName("ferry-run-logs");
      appender.start();
      context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
  }

  /** Lines logged on the run's threads go to run {@code runId} from now on. */
  void attach(String runKey, long runId) {
    running.put(runKey, runId);
  }

  void detach(String runKey) {
    running.remove(runKey);
  }

  public void info(long runId, String line) {
    append(runId, "INFO", line);
  }

  public void warn(long runId, String line) {
    append(runId, "WARN", line);
  }

  void append(long runId, String level, String line) {
    String text = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
    db.sql("INSERT INTO ferry_run_log (run_id, at_time, log_level, line) VALUES (?, ?, ?, ?)")
        .params(runId, Timestamp.from(Instant.now()), level, text)
        .update();
  }

  public record Line(Instant at, String level, String line) {}

  public List<Line> lines(long runId) {
    return db.sql("SELECT at_time, log_level, line FROM ferry_run_log WHERE run_id = ? ORDER BY id")
        .param(runId)
        .query(
            (rs, i) -> new Line(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3)))
        .list();
  }

  /** The run's log as text, one line per entry. */
  public String text(long runId) {
    StringBuilder b = new StringBuilder();
    for (Line l : lines(runId)) {
      b.append(l.at()).append(' ').append(l.level()).append(' ').append(l.line()).append('\n');
    }
    return b.toString();
  }

  private final class Appender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      if (running.isEmpty() || !event.getLevel().isGreaterOrEqual(Level.INFO)) {
        return;
      }
      String thread = event.getThreadName();
      if (thread == null || !thread.startsWith("ferry-")) {
        return;
      }
      for (Map.Entry<String, Long> e : running.entrySet()) {
        String prefix = "ferry-" + e.getKey();
        if (thread.equals(prefix) || thread.startsWith(prefix + "-")) {
          String line = event.getLoggerName() + ": " + event.getFormattedMessage();
          if (event.getThrowableProxy() != null) {
            line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
          }
          try {
            RunLogs.this.append(e.getValue(), event.getLevel().toString(), line);
          } catch (RuntimeException storeDown) {
            // The metadata store failing must not fail the run; the console log has the line.
          }
          return;
        }
      }
    }
  }
}
