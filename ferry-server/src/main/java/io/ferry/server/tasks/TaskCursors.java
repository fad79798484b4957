package io.ferry.server.tasks;

import io.ferry.engine.CursorState;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpec;
import io.ferry.server.shared.DomainException;
import io.ferry.spi.FerryException;
import java.time.Instant;
import org.springframework.stereotype.Service;

/**
 * The committed cursors of incremental tasks (docs/incremental.md): kept by the engine's checkpoint
 * store in the metadata database ({@code ferry_cursor}) under {@link #key}, shown on the task's
 * page, set by hand or reset there.
 */
@Service
public class TaskCursors {
  private final TaskService tasks;
  private final Engine engine;

  public TaskCursors(TaskService tasks, Engine engine) {
    this.tasks = tasks;
    this.engine = engine;
  }

  /** Where a task's committed cursor is kept: by its id, so a renamed task keeps it. */
  public static String key(long taskId) {
    return "task-" + taskId;
  }

  /**
   * A task's cursor as the API shows it.
   *
   * @param incremental the task's {@code incremental:} section as its script has it now; null when
   *     it has none (or the script does not resolve)
   * @param column the column of the committed value; null when there is none
   * @param value the committed value; null when there is none (the next run reads every row, or
   *     from the section's {@code start})
   * @param runKey the run that committed it; null when it was set by hand
   */
  public record View(
      Incremental incremental,
      String column,
      String kind,
      String value,
      String runKey,
      Instant updatedAt) {}

  /** The {@code incremental:} section of a task's script. */
  public record Incremental(String cursor, String lookBack, String start) {}

  /** The value set by hand: {@code column} defaults to the task's cursor column. */
  public record Change(String column, String value) {}

  public View get(long taskId) {
    TaskService.View task = tasks.get(taskId);
    return view(configured(task), engine.cursor(key(taskId)).orElse(null));
  }

  public View set(long taskId, Change change) {
    TaskService.View task = tasks.get(taskId);
    Incremental configured = configured(task);
    if (change == null || change.value() == null || change.value().isBlank()) {
      throw DomainException.invalid("value", "required: the cursor value the next run reads past");
    }
    String column = change.column();
    if (column == null || column.isBlank()) {
      column =
          engine
              .cursor(key(taskId))
              .map(CursorState::column)
              .orElse(configured == null ? null : configured.cursor());
    }
    if (column == null) {
      throw DomainException.invalid(
          "column", "the task has no incremental section: name the cursor column");
    }
    try {
      return view(configured, engine.setCursor(key(taskId), column, change.value()));
    } catch (FerryException e) {
      throw DomainException.invalid("value", e.getMessage());
    }
  }

  /** Forgets the task's committed cursor: its next run reads every row. */
  public View reset(long taskId) {
    TaskService.View task = tasks.get(taskId);
    engine.resetCursor(key(taskId));
    return view(configured(task), null);
  }

  /** Forgets the cursor of a task that is deleted. */
  public void forget(long taskId) {
    engine.resetCursor(key(taskId));
  }

  private Incremental configured(TaskService.View task) {
    try {
      JobSpec.IncrementalSpec inc = tasks.spec(task).incremental();
      return inc == null ? null : new Incremental(inc.cursor(), inc.lookBack(), inc.start());
    } catch (RuntimeException e) {
      return null; // a script that does not resolve now shows no section
    }
  }

  private static View view(Incremental configured, CursorState state) {
    return state == null
        ? new View(configured, null, null, null, null, null)
        : new View(
            configured,
            state.column(),
            state.kind(),
            state.value(),
            state.runKey(),
            state.updatedAt());
  }
}
