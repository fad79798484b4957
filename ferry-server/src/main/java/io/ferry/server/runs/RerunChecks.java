package io.ferry.server.runs;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.JobSpec;
import io.ferry.server.schedule.model.PlannedScript;
import io.ferry.server.tasks.JobScripts;
import io.ferry.server.tasks.JobTemplates;
import io.ferry.spi.Option;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What running a run again would do to its target. A rerun executes the run's own script from the
 * start: rows it already wrote in {@code insert} mode are inserted a second time (a table with a
 * key refuses them, one without a key holds them twice), which a person should know before asking
 * for it.
 */
@Component
public class RerunChecks {
  static final String INSERT = "insert";

  private final RunService runs;
  private final JobScripts scripts;
  private final ConnectorRegistry connectors;

  public RerunChecks(RunService runs, JobScripts scripts, ConnectorRegistry connectors) {
    this.runs = runs;
    this.scripts = scripts;
    this.connectors = connectors;
  }

  /**
   * @param recordsWritten rows the run wrote
   * @param writeMode the write mode its script gives its sink (or the sink's default); null for a
   *     sink without write modes, or a script that no longer resolves
   * @param repeatsRows whether a rerun would insert rows the run already wrote
   * @param writeModes the write modes the sink offers, for a task edited to avoid that
   */
  public record RerunCheck(
      long runId,
      long recordsWritten,
      String writeMode,
      boolean repeatsRows,
      List<String> writeModes) {}

  public RerunCheck check(long runId) {
    RunService.View run = runs.get(runId);
    PlannedScript planned = runs.planned(runId);
    JobSpec.ConnectorSpec sink;
    try {
      sink = scripts.resolve(planned.script(), run.taskName(), planned.params()).sink();
    } catch (RuntimeException gone) {
      // e.g. a data source deleted since: the rerun itself will say what is wrong
      return new RerunCheck(runId, run.recordsWritten(), null, false, List.of());
    }
    Option<?> declared =
        connectors
            .connector(sink.connector())
            .sink()
            .map(role -> role.options().option("writeMode"))
            .orElse(null);
    if (declared == null) {
      return new RerunCheck(runId, run.recordsWritten(), null, false, List.of());
    }
    Object given = sink.options().get("writeMode");
    String mode =
        given != null ? String.valueOf(given) : JobTemplates.defaultText(declared).orElse(null);
    return new RerunCheck(
        runId,
        run.recordsWritten(),
        mode,
        INSERT.equalsIgnoreCase(mode) && run.recordsWritten() > 0,
        declared.choices());
  }
}
