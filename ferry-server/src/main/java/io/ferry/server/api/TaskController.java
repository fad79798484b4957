package io.ferry.server.api;

import io.ferry.server.runs.Verifications;
import io.ferry.server.schedule.ScheduleService;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.Page;
import io.ferry.server.tasks.DataxImport;
import io.ferry.server.tasks.JobScripts;
import io.ferry.server.tasks.TaskCursors;
import io.ferry.server.tasks.TaskService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tasks, batch operations on them, and the folder tree. */
@RestController
public class TaskController {
  private final TaskService tasks;
  private final ScheduleService schedules;
  private final AuditLog audit;
  private final Verifications verifications;
  private final TaskCursors cursors;
  private final DataxImport dataxImport;

  public TaskController(
      TaskService tasks,
      ScheduleService schedules,
      AuditLog audit,
      Verifications verifications,
      TaskCursors cursors,
      DataxImport dataxImport) {
    this.tasks = tasks;
    this.schedules = schedules;
    this.audit = audit;
    this.verifications = verifications;
    this.cursors = cursors;
    this.dataxImport = dataxImport;
  }

  /** The committed cursor of an incremental task (docs/incremental.md). */
  @GetMapping("/api/tasks/{id}/cursor")
  public TaskCursors.View cursor(@PathVariable long id) {
    return cursors.get(id);
  }

  /** Sets the committed cursor by hand: the next run reads the rows past it. */
  @PutMapping("/api/tasks/{id}/cursor")
  public TaskCursors.View setCursor(
      @PathVariable long id, @RequestBody(required = false) TaskCursors.Change change) {
    TaskCursors.View cursor = cursors.set(id, change);
    audit.record("edit", "task", id, "cursor " + cursor.column() + " set to " + cursor.value());
    return cursor;
  }

  /** Forgets the committed cursor: the next run reads every row. */
  @DeleteMapping("/api/tasks/{id}/cursor")
  public TaskCursors.View resetCursor(@PathVariable long id) {
    TaskCursors.View cursor = cursors.reset(id);
    audit.record("edit", "task", id, "cursor reset");
    return cursor;
  }

  @GetMapping("/api/tasks")
  public Page<TaskService.View> list(
      @RequestParam(required = false) String q,
      @RequestParam(required = false) Long folderId,
      @RequestParam(required = false) Boolean online,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return tasks.list(q, folderId, online, page, size);
  }

  @GetMapping("/api/tasks/{id}")
  public TaskService.View get(@PathVariable long id) {
    return tasks.get(id);
  }

  @PostMapping("/api/tasks")
  @ResponseStatus(HttpStatus.CREATED)
  public TaskService.View create(@RequestBody TaskService.Request request) {
    TaskService.View task = tasks.create(request);
    audit.record("create", "task", task.id(), task.name());
    return task;
  }

  @PutMapping("/api/tasks/{id}")
  public TaskService.View update(@PathVariable long id, @RequestBody TaskService.Request request) {
    TaskService.View task = tasks.update(id, request);
    audit.record("edit", "task", id, task.name() + " (" + task.mode() + ")");
    return task;
  }

  /** Connects to the task's stores and checks tables, columns and mapping; moves no data. */
  @PostMapping("/api/tasks/{id}/validate")
  public TaskService.Validation validate(@PathVariable long id) {
    return tasks.validateLive(id);
  }

  @PostMapping("/api/tasks/{id}/convert-to-script")
  public TaskService.View convert(@PathVariable long id) {
    TaskService.View task = tasks.convertToScript(id);
    audit.record("edit", "task", id, "converted to script");
    return task;
  }

  @DeleteMapping("/api/tasks/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable long id) {
    TaskService.View task = tasks.get(id);
    tasks.delete(id);
    schedules.forget(id);
    verifications.forget(id);
    cursors.forget(id);
    audit.record("delete", "task", id, task.name());
  }

  /**
   * N source tables to one target data source: one wizard task per table, same-name mapping.
   *
   * @param namePattern the task name, {@code {table}} standing for the table (default {@code
   *     {table}})
   * @param targetTablePattern the target table, {@code {table}} likewise (default {@code {table}})
   * @param resourceGroup the resource group of every task (default: the server's own pool)
   */
  public record BatchCreate(
      Long sourceDatasourceId,
      Long targetDatasourceId,
      List<String> tables,
      Long folderId,
      String namePattern,
      String targetTablePattern,
      String writeMode,
      Map<String, Object> settings,
      String resourceGroup) {}

  @PostMapping("/api/tasks/batch")
  @ResponseStatus(HttpStatus.CREATED)
  public List<TaskService.View> batchCreate(@RequestBody BatchCreate batch) {
    if (batch.tables() == null || batch.tables().isEmpty()) {
      throw DomainException.invalid("tables", "at least one table expected");
    }
    String names = batch.namePattern() == null ? "{table}" : batch.namePattern();
    String targets = batch.targetTablePattern() == null ? "{table}" : batch.targetTablePattern();
    List<TaskService.Request> requests = new ArrayList<>();
    for (String table : batch.tables()) {
      String bare = table.contains(".") ? table.substring(table.lastIndexOf('.') + 1) : table;
      requests.add(
          new TaskService.Request(
              names.replace("{table}", bare),
              batch.folderId(),
              "created by batch",
              "wizard",
              new JobScripts.Wizard(
                  new JobScripts.Endpoint(batch.sourceDatasourceId(), table, null, null),
                  new JobScripts.Endpoint(
                      batch.targetDatasourceId(),
                      targets.replace("{table}", bare),
                      batch.writeMode(),
                      null),
                  null,
                  batch.settings(),
                  null),
              null,
              batch.resourceGroup()));
    }
    List<TaskService.View> created = tasks.createAll(requests);
    for (TaskService.View t : created) {
      audit.record("create", "task", t.id(), t.name() + " (batch)");
    }
    return created;
  }

  /**
   * DataX job files to import: one script task per file, into {@code folderId}; the readers'
   * connections become {@code sourceDatasourceId}, the writers' {@code targetDatasourceId}.
   */
  public record DataxImportRequest(
      Long folderId,
      Long sourceDatasourceId,
      Long targetDatasourceId,
      List<DataxImport.DataxFile> files) {}

  /** Translates DataX job files into script tasks: all of them, or none (every problem named). */
  @PostMapping("/api/tasks/import-datax")
  @ResponseStatus(HttpStatus.CREATED)
  public List<TaskService.View> importDatax(@RequestBody DataxImportRequest request) {
    List<TaskService.View> created =
        tasks.createAll(
            dataxImport.requests(
                request.files(),
                request.folderId(),
                request.sourceDatasourceId(),
                request.targetDatasourceId()));
    for (TaskService.View t : created) {
      audit.record("create", "task", t.id(), t.name() + " (DataX import)");
    }
    return created;
  }

  public record Ids(List<Long> ids) {}

  /** The ids of a batch request: 400 when there are none. */
  static List<Long> required(Ids ids) {
    if (ids == null || ids.ids() == null || ids.ids().isEmpty()) {
      throw DomainException.invalid("ids", "at least one id expected");
    }
    return ids.ids();
  }

  @PostMapping("/api/tasks/batch-delete")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void batchDelete(@RequestBody Ids ids) {
    tasks.deleteAll(required(ids));
    for (Long id : ids.ids()) {
      schedules.forget(id);
      verifications.forget(id);
      audit.record("delete", "task", id, "(batch)");
    }
  }

  @GetMapping("/api/folders")
  public List<TaskService.Folder> folders() {
    return tasks.tree();
  }

  /**
   * @param description what the folder's tasks are for; null or blank for none
   */
  public record FolderRequest(String name, Long parentId, String description) {}

  @PostMapping("/api/folders")
  @ResponseStatus(HttpStatus.CREATED)
  public TaskService.Folder createFolder(@RequestBody FolderRequest request) {
    TaskService.Folder folder =
        tasks.createFolder(request.name(), request.parentId(), request.description());
    audit.record("create", "folder", folder.id(), folder.name());
    return folder;
  }

  @PutMapping("/api/folders/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void updateFolder(@PathVariable long id, @RequestBody FolderRequest request) {
    tasks.updateFolder(id, request.name(), request.parentId(), request.description());
    audit.record("edit", "folder", id, request.name());
  }

  @DeleteMapping("/api/folders/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void deleteFolder(@PathVariable long id) {
    tasks.deleteFolder(id);
    audit.record("delete", "folder", id, null);
  }
}
