package io.ferry.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.server.tasks.JobScripts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The cdc task runs that read a mining run's log (docs/shared-mining.md): the runs RUNNING or
 * PAUSED (a paused run resumes from its offset, so it still needs the events after it) whose script
 * reads the mining log of the same source data source and the same store, with their offset and the
 * changes they applied, as their last saved progress has them (every 5 seconds).
 */
@Component
class MiningReaders {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OFFSET = Pattern.compile("^mining log #(\\d+)");

  private final JdbcClient db;

  MiningReaders(JdbcClient db) {
    this.db = db;
  }

  /**
   * A run reading a mining log.
   *
   * @param runId the run
   * @param task its task's name
   * @param offset the seq of the last event it took; -1 before its first checkpoint in the log
   * @param changesApplied the changes it applied, over its attempts
   */
  record Reader(long runId, String task, long offset, long changesApplied) {}

  private record Candidate(long id, String task, String script, String progress) {}

  /** The readers of the mining log of {@code source} kept as {@code logKey}. */
  List<Reader> of(String source, String logKey) {
    List<Reader> readers = new ArrayList<>();
    for (Candidate c :
        db.sql(
                "SELECT id, task_name, script, progress FROM ferry_task_run"
                    + " WHERE state IN ('RUNNING', 'PAUSED') ORDER BY id")
            .query(
                (rs, i) ->
                    new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
            .list()) {
      if (!c.script().contains("sharedMining")
          || !source.equals(JobScripts.dataSourceOf(c.script(), "source"))
          || !logKey.equals(JobScripts.miningLogKey(c.script()))) {
        continue;
      }
      long offset = -1;
      long applied = 0;
      if (c.progress() != null) {
        try {
          JsonNode changes = JSON.readTree(c.progress()).path("changes");
          Matcher m = OFFSET.matcher(changes.path("position").asText(""));
          if (m.find()) {
            offset = Long.parseLong(m.group(1));
          }
          applied = changes.path("changesApplied").asLong(0);
        } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
          // a progress that does not parse says nothing about the offset
        }
      }
      readers.add(new Reader(c.id(), Objects.requireNonNullElse(c.task(), ""), offset, applied));
    }
    return readers;
  }
}
