package io.ferry.server.tasks;

import io.ferry.engine.Engine;
import io.ferry.engine.JobSpec;
import io.ferry.server.groups.ResourceGroups;
import io.ferry.server.schedule.model.Schedule;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.DomainException.FieldProblem;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.Page;
import io.ferry.server.shared.SqlText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tasks and their folders. A task is edited in one of two modes: {@code wizard} (the form's JSON,
 * from which the script is generated) or {@code script} (the job YAML itself). A wizard task can
 * become a script task, not the reverse. Every save validates the job without connecting.
 */
@Service
public class TaskService {
  private final JdbcClient db;
  private final JobScripts scripts;
  private final Engine engine;
  private final TransactionTemplate transactions;
  private final ResourceGroups groups;

  public TaskService(
      JdbcClient db,
      JobScripts scripts,
      Engine engine,
      TransactionTemplate transactions,
      ResourceGroups groups) {
    this.db = db;
    this.groups = groups;
    this.scripts = scripts;
    this.engine = engine;
    this.transactions = transactions;
  }

  /**
   * A task as the API shows it.
   *
   * @param online whether its schedule fires (only a scheduled task goes online)
   * @param scheduled whether it has a schedule
   * @param scheduleDescription the schedule's summary in the request's language; null without one
   * @param resourceGroup the resource group its runs execute in; {@code default} (the server's own
   *     pool) unless it names another
   */
  public record View(
      long id,
      String name,
      Long folderId,
      String description,
      String mode,
      JobScripts.Wizard wizard,
      String script,
      Instant createdAt,
      Instant updatedAt,
      boolean online,
      boolean scheduled,
      String scheduleDescription,
      String resourceGroup) {}

  /**
   * @param mode {@code wizard} (give {@code wizard}) or {@code script} (give {@code script}; when
   *     absent on a wizard task's update, its generated script is taken)
   * @param resourceGroup the resource group its runs execute in: {@code default} for the server's
   *     own pool; null keeps a task's group on update, and is {@code default} on create
   */
  public record Request(
      String name,
      Long folderId,
      String description,
      String mode,
      JobScripts.Wizard wizard,
      String script,
      String resourceGroup) {
    public Request(
        String name,
        Long folderId,
        String description,
        String mode,
        JobScripts.Wizard wizard,
        String script) {
      this(name, folderId, description, mode, wizard, script, null);
    }
  }

  private static final String COLUMNS =
      "t.id, t.name, t.folder_id, t.description, t.edit_mode, t.wizard, t.script, t.created_at,"
          + " t.updated_at, s.online, s.spec, t.resource_group";
  private static final String FROM = "ferry_task t LEFT JOIN ferry_schedule s ON s.task_id = t.id";

  /**
   * Tasks by name, one page.
   *
   * @param q part of the name or description (case-insensitive); null for all
   * @param folderId only this folder's tasks; null for all
   * @param online only tasks online (true) or offline (false); null for both
   */
  public Page<View> list(String q, Long folderId, Boolean online, int page, int size) {
    Page.Where where = new Page.Where().andIf(folderId, "t.folder_id = ?");
    if (online != null) {
      where.and(online ? "s.online = TRUE" : "(s.online IS NULL OR s.online = FALSE)");
    }
    if (q != null && !q.isBlank()) {
      String like = "%" + q.toLowerCase(java.util.Locale.ROOT) + "%";
      where.and("(LOWER(t.name) LIKE ? OR LOWER(t.description) LIKE ?)", like, like);
    }
    return Page.query(db, COLUMNS, FROM, where, "t.name", page, size, (rs, i) -> row(rs));
  }

  private List<View> all() {
    return db.sql("SELECT " + COLUMNS + " FROM " + FROM + " ORDER BY t.name")
        .query((rs, i) -> row(rs))
        .list();
  }

  public View get(long id) {
    return find(id).orElseThrow(() -> DomainException.notFound("task", id));
  }

  public Optional<View> find(long id) {
    return db.sql("SELECT " + COLUMNS + " FROM " + FROM + " WHERE t.id = ?")
        .param(id)
        .query((rs, i) -> row(rs))
        .optional();
  }

  public View create(Request request) {
    Prepared p = prepare(request, null);
    long id = insert(p);
    return get(id);
  }

  /** Creates all tasks or none. */
  public List<View> createAll(List<Request> requests) {
    List<Prepared> prepared = new ArrayList<>();
    List<FieldProblem> problems = new ArrayList<>();
    boolean conflict = false;
    for (int i = 0; i < requests.size(); i++) {
      try {
        prepared.add(prepare(requests.get(i), null));
      } catch (DomainException e) {
        if (e instanceof DomainException.Conflict) {
          conflict = true; // a name already taken: the batch conflicts
        }
        String at = "tasks[" + i + "]";
        if (e.problems().isEmpty()) {
          problems.add(new FieldProblem(at, e.getMessage()));
        }
        e.problems()
            .forEach(p -> problems.add(new FieldProblem(at + "." + p.field(), p.message())));
      } catch (io.ferry.engine.JobSpecException e) {
        String at = "tasks[" + i + "]";
        e.problems().forEach(p -> problems.add(new FieldProblem(at + "." + p.path(), p.message())));
      }
    }
    long distinct = prepared.stream().map(p -> p.name).distinct().count();
    if (distinct < prepared.size()) {
      problems.add(new FieldProblem("tasks", "two tasks would have the same name"));
    }
    if (!problems.isEmpty()) {
      throw conflict
          ? new DomainException.Conflict(DomainException.summary(problems), problems)
          : DomainException.invalid(problems);
    }
    List<Long> ids = transactions.execute(s -> prepared.stream().map(this::insert).toList());
    return ids.stream().map(this::get).toList();
  }

  public View update(long id, Request request) {
    View old = get(id);
    if (old.mode().equals("script") && "wizard".equals(request.mode())) {
      throw DomainException.conflict(
          "task " + id + " is in script mode; a script does not convert back to the wizard");
    }
    Request effective = request;
    if (request.resourceGroup() == null) { // not given: the task keeps its group
      effective =
          new Request(
              request.name(),
              request.folderId(),
              request.description(),
              request.mode(),
              request.wizard(),
              request.script(),
              old.resourceGroup());
    }
    if ("script".equals(request.mode()) && request.script() == null) {
      effective =
          new Request(
              request.name(),
              request.folderId(),
              request.description(),
              "script",
              null,
              old.script(),
              effective.resourceGroup());
    }
    Prepared p = prepare(effective, id);
    db.sql(
            "UPDATE ferry_task SET name = ?, folder_id = ?, description = ?, edit_mode = ?,"
                + " wizard = ?, script = ?, resource_group = ?, updated_at = ? WHERE id = ?")
        .params(
            p.name,
            p.folderId,
            p.description,
            p.mode,
            p.wizardJson,
            p.script,
            p.resourceGroup,
            Timestamp.from(Instant.now()),
            id)
        .update();
    return get(id);
  }

  /** Turns a wizard task into a script task with its generated script. */
  public View convertToScript(long id) {
    View old = get(id);
    if (old.mode().equals("wizard")) {
      db.sql(
              "UPDATE ferry_task SET edit_mode = 'script', wizard = NULL, updated_at = ? WHERE id = ?")
          .params(Timestamp.from(Instant.now()), id)
          .update();
    }
    return get(id);
  }

  public void delete(long id) {
    get(id);
    db.sql("DELETE FROM ferry_task WHERE id = ?").param(id).update();
  }

  /** Deletes all or none: an unknown id refuses the whole batch. */
  public void deleteAll(List<Long> ids) {
    List<Long> missing = ids.stream().filter(id -> find(id).isEmpty()).toList();
    if (!missing.isEmpty()) {
      throw DomainException.notFound("task", missing.toString());
    }
    transactions.executeWithoutResult(
        s -> ids.forEach(id -> db.sql("DELETE FROM ferry_task WHERE id = ?").param(id).update()));
  }

  /** A live check's outcome: each problem names the place in the job. */
  public record Validation(boolean ok, List<FieldProblem> problems) {}

  /** Both validation phases: the stores are contacted, no row moves. */
  public Validation validateLive(long id) {
    View task = get(id);
    try {
      engine.validate(spec(task), true);
      return new Validation(true, List.of());
    } catch (io.ferry.engine.JobSpecException e) {
      return new Validation(
          false, e.problems().stream().map(p -> new FieldProblem(p.path(), p.message())).toList());
    } catch (io.ferry.spi.FerryException e) {
      return new Validation(
          false, List.of(new FieldProblem(e.option() == null ? "" : e.option(), e.getMessage())));
    }
  }

  /** The job a task runs, its data sources laid in. */
  public JobSpec spec(View task) {
    return scripts.resolveAsOfNow(task.script(), task.name());
  }

  // ---- validation ---------------------------------------------------------------------------

  private record Prepared(
      String name,
      Long folderId,
      String description,
      String mode,
      String wizardJson,
      String script,
      String resourceGroup) {}

  private Prepared prepare(Request r, Long self) {
    List<FieldProblem> problems = new ArrayList<>();
    if (r.name() == null || !r.name().matches("[\\p{L}\\p{N}_.\\- ]{1,200}")) {
      problems.add(
          new FieldProblem("name", "1 to 200 letters, digits, spaces, '_', '.' or '-' expected"));
    }
    if (r.description() != null && r.description().length() > 2000) {
      problems.add(new FieldProblem("description", "at most 2000 characters"));
    }
    String mode = r.mode() == null ? (r.wizard() != null ? "wizard" : "script") : r.mode();
    if (!mode.equals("wizard") && !mode.equals("script")) {
      problems.add(new FieldProblem("mode", "wizard or script expected"));
    }
    if (r.folderId() != null && folderMissing(r.folderId())) {
      problems.add(new FieldProblem("folderId", "there is no folder " + r.folderId()));
    }
    String group = null;
    try {
      group = groups.checkChoice("resourceGroup", r.resourceGroup());
    } catch (DomainException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    String script;
    String wizardJson = null;
    if (mode.equals("wizard")) {
      script = scripts.toScript(r.name(), r.wizard());
      wizardJson = JobScripts.json(r.wizard());
    } else {
      script = r.script();
    }
    // Phase one of the engine's validation: connectors, options, mapping; no connection.
    JobSpec spec = scripts.resolveAsOfNow(script, r.name());
    engine.validate(spec, false);
    List<Long> same =
        db.sql("SELECT id FROM ferry_task WHERE name = ?").param(r.name()).query(Long.class).list();
    if (same.stream().anyMatch(id -> !id.equals(self))) {
      throw new DomainException.Conflict(
          "a task named '" + r.name() + "' exists",
          List.of(new FieldProblem("name", "already taken")));
    }
    return new Prepared(r.name(), r.folderId(), r.description(), mode, wizardJson, script, group);
  }

  private long insert(Prepared p) {
    Instant now = Instant.now();
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_task (name, folder_id, description, edit_mode, wizard, script,"
                + " resource_group, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            p.name,
            p.folderId,
            p.description,
            p.mode,
            p.wizardJson,
            p.script,
            p.resourceGroup,
            Timestamp.from(now),
            Timestamp.from(now))
        .update(keys, "id");
    return keys.getKey().longValue();
  }

  private static View row(ResultSet rs) throws SQLException {
    long folder = rs.getLong(3);
    Long folderId = rs.wasNull() ? null : folder;
    String spec = rs.getString(11);
    Schedule schedule = spec == null ? null : Schedule.fromJson(spec);
    return new View(
        rs.getLong(1),
        rs.getString(2),
        folderId,
        rs.getString(4),
        rs.getString(5),
        JobScripts.wizard(rs.getString(6)),
        rs.getString(7),
        rs.getTimestamp(8).toInstant(),
        rs.getTimestamp(9).toInstant(),
        rs.getBoolean(10),
        schedule != null,
        schedule == null ? null : schedule.describe(LocaleContextHolder.getLocale()),
        rs.getString(12) == null ? FerryProperties.DEFAULT_GROUP : rs.getString(12));
  }

  /**
   * What names a data source: tasks, and runs that may still continue (queued, running, paused).
   *
   * @return one description per user, empty when none
   */
  public List<String> usersOf(String alias) {
    List<String> users = new ArrayList<>();
    for (View t : all()) {
      if (JobScripts.dataSourcesOf(t.script()).contains(alias)) {
        users.add("task " + t.id() + " (" + t.name() + ")");
      }
    }
    db.sql(
            "SELECT id, script FROM ferry_task_run"
                + " WHERE state NOT IN ('SUCCEEDED', 'FAILED', 'STOPPED')")
        .query((rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)})
        .list()
        .forEach(
            r -> {
              if (JobScripts.dataSourcesOf((String) r[1]).contains(alias)) {
                users.add("run " + r[0]);
              }
            });
    return users;
  }

  /**
   * A task's use of a data source.
   *
   * @param side {@code source} or {@code sink}
   */
  public record DataSourceUse(String alias, String side, long taskId, String taskName) {}

  /** Every task's use of a data source, by task name. */
  public List<DataSourceUse> dataSourceUses() {
    List<DataSourceUse> uses = new ArrayList<>();
    for (View t : all()) {
      JobScripts.dataSourceSides(t.script())
          .forEach((side, alias) -> uses.add(new DataSourceUse(alias, side, t.id(), t.name())));
    }
    return uses;
  }

  // ---- folders ------------------------------------------------------------------------------

  /**
   * A folder with its sub-folders and the ids of its tasks.
   *
   * @param description what the folder's tasks are for; null when none was given
   */
  public record Folder(
      long id,
      Long parentId,
      String name,
      String description,
      List<Folder> children,
      List<Long> tasks) {}

  private record FolderRow(long id, Long parentId, String name, String description) {}

  public List<Folder> tree() {
    List<FolderRow> rows =
        db.sql("SELECT id, parent_id, name, description FROM ferry_folder ORDER BY name")
            .query(
                (rs, i) -> {
                  long id = rs.getLong(1);
                  long p = rs.getLong(2);
                  Long parent = rs.wasNull() ? null : p;
                  return new FolderRow(id, parent, rs.getString(3), rs.getString(4));
                })
            .list();
    Map<Long, List<Long>> tasks = new LinkedHashMap<>();
    for (long[] t :
        db.sql("SELECT id, folder_id FROM ferry_task WHERE folder_id IS NOT NULL ORDER BY name")
            .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .list()) {
      tasks.computeIfAbsent(t[1], k -> new ArrayList<>()).add(t[0]);
    }
    return children(null, rows, tasks);
  }

  private static List<Folder> children(
      Long parent, List<FolderRow> rows, Map<Long, List<Long>> tasks) {
    return rows.stream()
        .filter(r -> java.util.Objects.equals(r.parentId(), parent))
        .map(
            r ->
                new Folder(
                    r.id(),
                    r.parentId(),
                    r.name(),
                    r.description(),
                    children(r.id(), rows, tasks),
                    tasks.getOrDefault(r.id(), List.of())))
        .toList();
  }

  /**
   * @param description what the folder's tasks are for; null or blank for none
   */
  public Folder createFolder(String name, Long parentId, String description) {
    checkFolder(name, parentId, description);
    String text = blankToNull(description);
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_folder (parent_id, name, description, created_at)"
                + " VALUES (?, ?, ?, ?)")
        .params(parentId, name, SqlText.orNull(text), Timestamp.from(Instant.now()))
        .update(keys, "id");
    long id = keys.getKey().longValue();
    return new Folder(id, parentId, name, text, List.of(), List.of());
  }

  public void updateFolder(long id, String name, Long parentId, String description) {
    if (folderMissing(id)) {
      throw DomainException.notFound("folder", id);
    }
    checkFolder(name, parentId, description);
    // A folder cannot move under itself or one of its descendants.
    for (Long p = parentId; p != null; p = parentOf(p)) {
      if (p == id) {
        throw DomainException.invalid("parentId", "a folder cannot move into itself");
      }
    }
    db.sql("UPDATE ferry_folder SET name = ?, parent_id = ?, description = ? WHERE id = ?")
        .params(name, parentId, SqlText.orNull(blankToNull(description)), id)
        .update();
  }

  public void deleteFolder(long id) {
    if (folderMissing(id)) {
      throw DomainException.notFound("folder", id);
    }
    long inside =
        db.sql("SELECT COUNT(*) FROM ferry_folder WHERE parent_id = ?")
                .param(id)
                .query(Long.class)
                .single()
            + db.sql("SELECT COUNT(*) FROM ferry_task WHERE folder_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    if (inside > 0) {
      throw DomainException.conflict("folder " + id + " is not empty");
    }
    db.sql("DELETE FROM ferry_folder WHERE id = ?").param(id).update();
  }

  private void checkFolder(String name, Long parentId, String description) {
    List<FieldProblem> problems = new ArrayList<>();
    if (name == null || name.isBlank() || name.length() > 200) {
      problems.add(new FieldProblem("name", "1 to 200 characters expected"));
    }
    if (description != null && description.length() > 2000) {
      problems.add(new FieldProblem("description", "at most 2000 characters expected"));
    }
    if (parentId != null && folderMissing(parentId)) {
      problems.add(new FieldProblem("parentId", "there is no folder " + parentId));
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  private Long parentOf(long id) {
    return db.sql("SELECT parent_id FROM ferry_folder WHERE id = ?")
        .param(id)
        .query((rs, i) -> rs.getObject(1) == null ? -1L : rs.getLong(1))
        .optional()
        .filter(p -> p >= 0)
        .orElse(null);
  }

  private boolean folderMissing(long id) {
    return db.sql("SELECT COUNT(*) FROM ferry_folder WHERE id = ?")
            .param(id)
            .query(Long.class)
            .single()
        == 0;
  }
}
