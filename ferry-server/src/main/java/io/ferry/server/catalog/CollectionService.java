package io.ferry.server.catalog;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.Page;
import io.ferry.server.shared.SqlText;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Collection tasks and their instances. A task reads one data source with its meta-model on a cron
 * schedule (a Quartz job per task in the clustered job store, so that one node fires each time),
 * once at creation and whenever asked ("sync now"). A task runs once at a time. Each run is an
 * instance: RUNNING, then SUCCEEDED, PARTIAL (some objects could not be read; the rest was
 * collected) or FAILED (nothing was changed). Removals are written last, and only when every
 * covered database was read and they stay under the removal guard.
 */
@Service
public class CollectionService {
  private static final Logger log = LoggerFactory.getLogger(CollectionService.class);
  static final String GROUP = "ferry-catalog";
  static final Set<String> CYCLES = Set.of("DAY", "WEEK", "MONTH");
  static final Set<String> TRIGGERS = Set.of("CREATION", "MANUAL", "SCHEDULE");

  /**
   * How long a dictionary statement may run ({@code ferry.catalog.statement-timeout}); the database
   * is then logged as failed.
   */
  private final Duration statementTimeout;

  /** A run that would remove more than this share of a source's catalog removes nothing. */
  static final double REMOVAL_GUARD_SHARE = 0.5;

  /** ...unless it removes no more than this many tables. */
  static final int REMOVAL_GUARD_MIN = 10;

  private final JdbcClient db;
  private final DataSourceService dataSources;
  private final CatalogStore store;
  private final Scheduler quartz;
  private final AuditLog audit;
  private final FerryProperties properties;
  private final ConnectorRegistry connectors;
  private final TransactionTemplate transactions;
  private final ExecutorService runner =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "ferry-catalog");
            t.setDaemon(true);
            return t;
          });

  public CollectionService(
      JdbcClient db,
      DataSourceService dataSources,
      CatalogStore store,
      Scheduler quartz,
      AuditLog audit,
      FerryProperties properties,
      ConnectorRegistry connectors,
      PlatformTransactionManager transactionManager,
      @Value("${ferry.catalog.statement-timeout:120s}") Duration statementTimeout) {
    this.connectors = connectors;
    this.transactions = new TransactionTemplate(transactionManager);
    this.statementTimeout = statementTimeout;
    this.db = db;
    this.dataSources = dataSources;
    this.store = store;
    this.quartz = quartz;
    this.audit = audit;
    this.properties = properties;
  }

  @PreDestroy
  void stop() {
    runner.shutdownNow();
  }

  /**
   * A create request.
   *
   * @param model null for the data source's own model
   * @param cycle {@code day}, {@code week} or {@code month}
   * @param day for weekly tasks 1 (Monday) to 7, for monthly ones 1 to 28; else null
   * @param time the time of day, {@code HH:mm}
   * @param zone the schedule's time zone; null for the server's
   * @param includes glob patterns, comma-separated: {@code sales}, {@code sales.order_*}
   */
  public record Request(
      String name,
      Long dataSourceId,
      String model,
      String cycle,
      Integer day,
      String time,
      String zone,
      String includes,
      String excludes) {}

  public record View(
      long id,
      String name,
      long dataSourceId,
      String dataSource,
      String connector,
      String model,
      String cycle,
      Integer day,
      String time,
      String cron,
      String zone,
      String includes,
      String excludes,
      Instant createdAt,
      Instant updatedAt,
      Instant nextFireTime,
      InstanceView lastInstance) {}

  public record InstanceView(
      long id,
      long taskId,
      String trigger,
      String state,
      String node,
      Instant startedAt,
      Instant endedAt,
      int databases,
      int tables,
      int columns,
      int tablesAdded,
      int tablesChanged,
      int tablesRemoved,
      int columnsAdded,
      int columnsChanged,
      int columnsRemoved,
      String message) {}

  public record ErrorEntry(long id, String object, String code, String message, Instant at) {}

  public record InstanceDetail(InstanceView instance, List<ErrorEntry> errors) {}

  /** What creating a task or "sync now" returns: the task and the instance that started. */
  public record Started(View task, InstanceView instance) {}

  // ---- tasks -----------------------------------------------------------------------------------

  private static final String TASK_COLUMNS =
      "t.id, t.name, t.datasource_id, d.alias, d.connector, t.model, t.cycle_kind, t.day_of_cycle,"
          + " t.time_of_day, t.cron, t.zone_id, t.includes, t.excludes, t.created_at, t.updated_at";
  private static final String TASK_FROM =
      "ferry_catalog_task t LEFT JOIN ferry_datasource d ON d.id = t.datasource_id";

  /**
   * @param q part of the task's or the data source's name (case-insensitive)
   */
  public Page<View> list(String q, int page, int size) {
    Page.Where where = new Page.Where();
    if (q != null && !q.isBlank()) {
      String like = "%" + q.toLowerCase(Locale.ROOT) + "%";
      where.and("(LOWER(t.name) LIKE ? OR LOWER(d.alias) LIKE ?)", like, like);
    }
    return Page.query(db, TASK_COLUMNS, TASK_FROM, where, "t.name", page, size, this::task);
  }

  public View get(long id) {
    return db.sql("SELECT " + TASK_COLUMNS + " FROM " + TASK_FROM + " WHERE t.id = ?")
        .param(id)
        .query(this::task)
        .optional()
        .orElseThrow(() -> DomainException.notFound("collection task", id));
  }

  private View task(java.sql.ResultSet rs, int i) throws SQLException {
    long id = rs.getLong(1);
    Integer day = rs.getObject(8) == null ? null : rs.getInt(8);
    return new View(
        id,
        rs.getString(2),
        rs.getLong(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        day,
        rs.getString(9),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        rs.getTimestamp(14).toInstant(),
        rs.getTimestamp(15).toInstant(),
        next(rs.getString(10), rs.getString(11)),
        lastInstance(id));
  }

  private static Instant next(String cron, String zone) {
    try {
      CronExpression e = new CronExpression(cron);
      e.setTimeZone(TimeZone.getTimeZone(ZoneId.of(zone)));
      java.util.Date d = e.getNextValidTimeAfter(new java.util.Date());
      return d == null ? null : d.toInstant();
    } catch (java.text.ParseException | DateTimeException e) {
      return null;
    }
  }

  /** The cron expression of a collection rule (seconds first, as Quartz reads it). */
  static String cron(String cycle, Integer day, LocalTime time) {
    String at = "0 " + time.getMinute() + " " + time.getHour() + " ";
    return switch (cycle) {
      case "DAY" -> at + "* * ?";
      case "WEEK" ->
          at + "? * " + List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN").get(day - 1);
      case "MONTH" -> at + day + " * ?";
      default -> throw new IllegalArgumentException(cycle);
    };
  }

  /** Creates a task, arms its schedule and starts its first run. */
  public Started create(Request r) {
    List<DomainException.FieldProblem> problems = new ArrayList<>();
    if (r.name() == null || r.name().isBlank()) {
      problems.add(new DomainException.FieldProblem("name", "required"));
    } else if (r.name().length() > 200) {
      problems.add(new DomainException.FieldProblem("name", "at most 200 characters"));
    }
    if (r.dataSourceId() == null) {
      problems.add(new DomainException.FieldProblem("dataSourceId", "required"));
    }
    String cycle = DomainException.choice("cycle", r.cycle(), CYCLES);
    if (cycle == null) {
      problems.add(new DomainException.FieldProblem("cycle", "required: day, week or month"));
    } else if (cycle.equals("DAY") && r.day() != null) {
      problems.add(new DomainException.FieldProblem("day", "a daily task takes no day"));
    } else if (cycle.equals("WEEK") && (r.day() == null || r.day() < 1 || r.day() > 7)) {
      problems.add(new DomainException.FieldProblem("day", "1 (Monday) to 7 (Sunday) expected"));
    } else if (cycle.equals("MONTH") && (r.day() == null || r.day() < 1 || r.day() > 28)) {
      problems.add(
          new DomainException.FieldProblem("day", "1 to 28 expected (every month has them)"));
    }
    LocalTime time = null;
    try {
      time = r.time() == null ? null : LocalTime.parse(r.time());
    } catch (DateTimeException e) {
      // reported below
    }
    if (time == null || time.getSecond() != 0) {
      problems.add(new DomainException.FieldProblem("time", "a time of day HH:mm expected"));
    }
    ZoneId zone = properties.timeZone();
    try {
      if (r.zone() != null && !r.zone().isBlank()) {
        zone = ZoneId.of(r.zone());
      }
    } catch (DateTimeException e) {
      problems.add(new DomainException.FieldProblem("zone", "not a time zone: " + r.zone()));
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    DataSourceService.View ds;
    try {
      ds = dataSources.get(r.dataSourceId());
    } catch (DomainException.NotFound e) {
      throw DomainException.invalid("dataSourceId", e.getMessage());
    }
    MetaModels.MetaModel model = MetaModels.choose(r.model(), ds.connector());
    if (model.reader() == MetaModels.Reader.CATALOG_SPI
        && connectors.connector(ds.connector()).catalog().isEmpty()) {
      throw DomainException.invalid(
          "dataSourceId",
          "the data source's connector " + ds.connector() + " has no catalog to collect");
    }
    String cron = cron(cycle, r.day(), time);
    Timestamp now = Timestamp.from(Instant.now());
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_catalog_task (name, datasource_id, model, cycle_kind, day_of_cycle,"
                + " time_of_day, cron, zone_id, includes, excludes, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            r.name().trim(),
            ds.id(),
            model.id(),
            cycle,
            r.day() == null
                ? new org.springframework.jdbc.core.SqlParameterValue(java.sql.Types.INTEGER, null)
                : r.day(),
            time.toString(),
            cron,
            zone.getId(),
            SqlText.orNull(blankToNull(r.includes())),
            SqlText.orNull(blankToNull(r.excludes())),
            now,
            now)
        .update(keys, "id");
    long id = keys.getKey().longValue();
    arm(id, cron, zone.getId());
    audit.record("catalog-task-create", "catalog-task", id, r.name() + " (" + cron + ")");
    InstanceView first = start(id, "CREATION", Removals.NONE);
    return new Started(get(id), first);
  }

  /** Changes a task's cron expression (the only thing that may change). */
  public View updateCron(long id, String cron) {
    View task = get(id);
    if (cron == null || !CronExpression.isValidExpression(cron.trim())) {
      throw DomainException.invalid(
          "cron", "a Quartz cron expression expected (seconds first: 0 30 2 * * ?)");
    }
    db.sql("UPDATE ferry_catalog_task SET cron = ?, updated_at = ? WHERE id = ?")
        .params(cron.trim(), Timestamp.from(Instant.now()), id)
        .update();
    arm(id, cron.trim(), task.zone());
    audit.record("catalog-task-cron", "catalog-task", id, cron.trim());
    return get(id);
  }

  /** Deletes a task with its instances and their error logs; the collected catalog stays. */
  public void delete(long id) {
    get(id);
    try {
      quartz.deleteJob(JobKey.jobKey(String.valueOf(id), GROUP));
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot remove the schedule of collection task " + id, e);
    }
    db.sql(
            "DELETE FROM ferry_catalog_error WHERE instance_id IN"
                + " (SELECT id FROM ferry_catalog_instance WHERE task_id = ?)")
        .param(id)
        .update();
    db.sql("DELETE FROM ferry_catalog_instance WHERE task_id = ?").param(id).update();
    db.sql("DELETE FROM ferry_catalog_task WHERE id = ?").param(id).update();
    audit.record("catalog-task-delete", "catalog-task", id, null);
  }

  private void arm(long id, String cron, String zone) {
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .withIdentity(String.valueOf(id), GROUP)
            .withSchedule(
                CronScheduleBuilder.cronSchedule(cron)
                    .inTimeZone(TimeZone.getTimeZone(ZoneId.of(zone)))
                    .withMisfireHandlingInstructionDoNothing())
            .build();
    try {
      quartz.scheduleJob(
          JobBuilder.newJob(CatalogFireJob.class)
              .withIdentity(String.valueOf(id), GROUP)
              .usingJobData(CatalogFireJob.TASK_ID, id)
              .build(),
          Set.of(trigger),
          true);
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot schedule collection task " + id, e);
    }
  }

  // ---- instances -------------------------------------------------------------------------------

  private static final String INSTANCE_COLUMNS =
      "id, task_id, trigger_kind, state, node, started_at, ended_at, databases_found,"
          + " tables_found, columns_found, tables_added, tables_changed, tables_removed,"
          + " columns_added, columns_changed, columns_removed, message";

  private static InstanceView instance(java.sql.ResultSet rs, int i) throws SQLException {
    Timestamp ended = rs.getTimestamp(7);
    return new InstanceView(
        rs.getLong(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getTimestamp(6).toInstant(),
        ended == null ? null : ended.toInstant(),
        rs.getInt(8),
        rs.getInt(9),
        rs.getInt(10),
        rs.getInt(11),
        rs.getInt(12),
        rs.getInt(13),
        rs.getInt(14),
        rs.getInt(15),
        rs.getInt(16),
        rs.getString(17));
  }

  private InstanceView lastInstance(long taskId) {
    return db.sql(
            "SELECT "
                + INSTANCE_COLUMNS
                + " FROM ferry_catalog_instance WHERE task_id = ? ORDER BY id DESC LIMIT 1")
        .param(taskId)
        .query(CollectionService::instance)
        .optional()
        .orElse(null);
  }

  public Page<InstanceView> instances(long taskId, int page, int size) {
    get(taskId);
    failOrphans();
    return Page.query(
        db,
        INSTANCE_COLUMNS,
        "ferry_catalog_instance",
        new Page.Where().and("task_id = ?", taskId),
        "id DESC",
        page,
        size,
        CollectionService::instance);
  }

  public InstanceDetail instance(long id) {
    failOrphans();
    InstanceView view =
        db.sql("SELECT " + INSTANCE_COLUMNS + " FROM ferry_catalog_instance WHERE id = ?")
            .param(id)
            .query(CollectionService::instance)
            .optional()
            .orElseThrow(() -> DomainException.notFound("collection instance", id));
    List<ErrorEntry> errors =
        db.sql(
                "SELECT id, object_name, code, message, logged_at FROM ferry_catalog_error"
                    + " WHERE instance_id = ? ORDER BY id")
            .param(id)
            .query(
                (rs, i) ->
                    new ErrorEntry(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant()))
            .list();
    return new InstanceDetail(view, errors);
  }

  /**
   * What a run may remove beyond what it no longer finds under its patterns.
   *
   * @param confirmRemovals lets the run remove more than the removal guard allows
   * @param removeUncovered also removes the data source's tables the task's patterns do not cover
   *     (collected before under wider patterns, or by another task)
   */
  public record Removals(boolean confirmRemovals, boolean removeUncovered) {
    static final Removals NONE = new Removals(false, false);
  }

  /** "Sync now": starts a run unless one is running. */
  public Started syncNow(long id, Removals removals) {
    get(id);
    InstanceView started = start(id, "MANUAL", removals);
    return new Started(get(id), started);
  }

  /** Called by the task's Quartz trigger: runs in Quartz's thread, once per fire in the cluster. */
  void fire(long id) {
    if (db.sql("SELECT COUNT(*) FROM ferry_catalog_task WHERE id = ?")
            .param(id)
            .query(Integer.class)
            .single()
        == 0) {
      return;
    }
    try {
      long instance = open(id, "SCHEDULE");
      collect(id, instance, Removals.NONE);
    } catch (DomainException.Conflict e) {
      log.info("Collection task {} did not fire: {}", id, e.getMessage());
    }
  }

  private InstanceView start(long taskId, String trigger, Removals removals) {
    long instance = open(taskId, trigger);
    runner.execute(() -> collect(taskId, instance, removals));
    return instance(instance).instance();
  }

  /**
   * A new RUNNING instance; refused while another of the task runs (on a live node). The claim is
   * taken in the metadata database, so that it holds across the nodes of a cluster: the task's row
   * is locked ({@code SELECT ... FOR UPDATE}) while the running instances are counted and the new
   * one is inserted, so a second node's "sync now" (or a schedule firing there) waits for the first
   * claim to commit, then sees its RUNNING instance and is refused.
   */
  private long open(long taskId, String trigger) {
    failOrphans();
    Long id =
        transactions.execute(
            tx -> {
              if (db.sql("SELECT id FROM ferry_catalog_task WHERE id = ? FOR UPDATE")
                  .param(taskId)
                  .query(Long.class)
                  .optional()
                  .isEmpty()) {
                throw DomainException.notFound("collection task", taskId);
              }
              if (db.sql(
                          "SELECT COUNT(*) FROM ferry_catalog_instance WHERE task_id = ? AND state"
                              + " = 'RUNNING'")
                      .param(taskId)
                      .query(Integer.class)
                      .single()
                  > 0) {
                throw DomainException.conflict("collection task " + taskId + " is running already");
              }
              GeneratedKeyHolder keys = new GeneratedKeyHolder();
              db.sql(
                      "INSERT INTO ferry_catalog_instance (task_id, trigger_kind, state, node,"
                          + " started_at) VALUES (?, ?, 'RUNNING', ?, ?)")
                  .params(taskId, trigger, properties.nodeId(), Timestamp.from(Instant.now()))
                  .update(keys, "id");
              return keys.getKey().longValue();
            });
    return id;
  }

  /**
   * Fails the RUNNING instances of nodes that are gone (their heartbeat is older than two leases),
   * so that no instance stays RUNNING after its node died.
   */
  void failOrphans() {
    db.sql(
            "UPDATE ferry_catalog_instance SET state = 'FAILED', ended_at = ?, message = ?"
                + " WHERE state = 'RUNNING' AND node NOT IN"
                + " (SELECT node FROM ferry_node WHERE heartbeat_at >= ?)")
        .params(
            Timestamp.from(Instant.now()),
            "the node running it stopped; nothing was removed",
            Timestamp.from(Instant.now().minus(properties.lease().multipliedBy(2))))
        .update();
  }

  /** This node's own runs cannot be running when it starts. */
  @EventListener(ApplicationReadyEvent.class)
  void failOwnAfterRestart() {
    db.sql(
            "UPDATE ferry_catalog_instance SET state = 'FAILED', ended_at = ?, message = ?"
                + " WHERE state = 'RUNNING' AND node = ?")
        .params(
            Timestamp.from(Instant.now()),
            "the server restarted during the run; nothing was removed",
            properties.nodeId())
        .update();
  }

  // ---- the collection
  // ----------------------------------------------------------------------------

  record Task(long dataSourceId, String model, ObjectFilter filter) {}

  private void collect(long taskId, long instanceId, Removals removals) {
    CatalogStore.Tally tally = new CatalogStore.Tally();
    int[] found = new int[3];
    List<Collected.Problem> problems = new ArrayList<>();
    String state;
    String message = null;
    try {
      Task task =
          db.sql(
                  "SELECT datasource_id, model, includes, excludes FROM ferry_catalog_task WHERE id = ?")
              .param(taskId)
              .query(
                  (rs, i) ->
                      new Task(
                          rs.getLong(1),
                          rs.getString(2),
                          ObjectFilter.of(rs.getString(3), rs.getString(4))))
              .single();
      MetaModels.MetaModel model = MetaModels.find(task.model()).orElse(MetaModels.GENERIC);
      boolean complete =
          switch (model.reader()) {
            case MYSQL, POSTGRESQL, ORACLE, SQLSERVER -> {
              DataSourceService.Resolved ds = dataSources.resolve(task.dataSourceId());
              int timeoutSeconds = (int) Math.max(1, statementTimeout.toSeconds());
              // Oracle's and SQL Server's drivers live in their connector's class loader.
              ClassLoader drivers =
                  connectors.connector(ds.connector()).getClass().getClassLoader();
              try (Connection c =
                  connect(model.reader(), ds.options(), statementTimeout, drivers)) {
                MetadataReader reader =
                    switch (model.reader()) {
                      case MYSQL -> new MySqlReader(c, timeoutSeconds);
                      case POSTGRESQL -> new PostgresReader(c, timeoutSeconds);
                      case ORACLE -> new OracleReader(c, timeoutSeconds);
                      default -> new SqlServerReader(c, timeoutSeconds);
                    };
                yield collect(store, task, instanceId, reader, tally, found, problems, removals);
              }
            }
            case CATALOG_SPI ->
                dataSources.withCatalog(
                    task.dataSourceId(),
                    catalog -> {
                      try {
                        return collect(
                            store,
                            task,
                            instanceId,
                            new SpiReader(catalog),
                            tally,
                            found,
                            problems,
                            removals);
                      } catch (Exception e) {
                        throw new CollectionFailed(e);
                      }
                    });
          };
      state = complete && problems.isEmpty() ? "SUCCEEDED" : "PARTIAL";
    } catch (Exception e) {
      Throwable cause = e instanceof CollectionFailed f ? f.getCause() : e;
      log.warn("Collection instance {} of task {} failed", instanceId, taskId, cause);
      state = "FAILED";
      message = "nothing was removed: " + cause.getMessage();
      problems.add(
          new Collected.Problem(
              null, CatalogErrors.COLLECTION_FAILED, String.valueOf(cause.getMessage())));
    }
    Timestamp now = Timestamp.from(Instant.now());
    for (Collected.Problem p : problems) {
      db.sql(
              "INSERT INTO ferry_catalog_error (instance_id, object_name, code, message, logged_at)"
                  + " VALUES (?, ?, ?, ?, ?)")
          .params(
              instanceId,
              SqlText.orNull(p.object() == null ? null : CatalogStore.clip(p.object())),
              p.code().code(),
              p.message() == null ? "(no message)" : p.message(),
              now)
          .update();
    }
    db.sql(
            "UPDATE ferry_catalog_instance SET state = ?, ended_at = ?, databases_found = ?,"
                + " tables_found = ?, columns_found = ?, tables_added = ?, tables_changed = ?,"
                + " tables_removed = ?, columns_added = ?, columns_changed = ?,"
                + " columns_removed = ?, message = ? WHERE id = ? AND state = 'RUNNING'")
        .params(
            state,
            now,
            found[0],
            found[1],
            found[2],
            tally.tablesAdded,
            tally.tablesChanged,
            tally.tablesRemoved,
            tally.columnsAdded,
            tally.columnsChanged,
            tally.columnsRemoved,
            SqlText.orNull(message),
            instanceId)
        .update();
  }

  private static final class CollectionFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CollectionFailed(Exception cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Reads every covered database and writes each as it is read; then, if every one was read, the
   * removals (under the guard).
   *
   * @return whether the removals were written (false: some database failed, or the guard held)
   */
  static boolean collect(
      CatalogStore store,
      Task task,
      long instanceId,
      MetadataReader reader,
      CatalogStore.Tally tally,
      int[] found,
      List<Collected.Problem> problems,
      Removals asked)
      throws Exception {
    List<String> listed = reader.databases();
    List<Long> removals = new ArrayList<>();
    boolean allRead = true;
    for (String database : listed) {
      if (!task.filter().readsDatabase(database)) {
        continue;
      }
      Collected.Database read;
      try {
        read = reader.read(database, task.filter());
      } catch (Exception e) {
        allRead = false;
        problems.add(
            new Collected.Problem(
                database, CatalogErrors.DATABASE_FAILED, String.valueOf(e.getMessage())));
        continue;
      }
      found[0]++;
      found[1] += read.tables().size();
      found[2] += read.tables().stream().mapToInt(t -> t.columns().size()).sum();
      problems.addAll(read.problems());
      store.apply(task.dataSourceId(), instanceId, read, task.filter(), tally, removals);
    }
    if (!allRead) {
      return false;
    }
    removals.addAll(
        store.inVanishedDatabases(task.dataSourceId(), new HashSet<>(listed), task.filter()));
    if (asked.removeUncovered()) {
      removals.addAll(store.uncovered(task.dataSourceId(), task.filter()));
    }
    int current = store.currentTables(task.dataSourceId());
    if (!asked.confirmRemovals()
        && removals.size() > REMOVAL_GUARD_MIN
        && removals.size() > current * REMOVAL_GUARD_SHARE) {
      problems.add(
          new Collected.Problem(
              null,
              CatalogErrors.REMOVAL_GUARD,
              "the run would remove "
                  + removals.size()
                  + " of "
                  + current
                  + " tables; it removed none. Sync now with confirmRemovals=true to remove"
                  + " them"));
      return false;
    }
    store.remove(removals, instanceId, tally);
    return true;
  }

  /**
   * A read-only connection to a data source of a model with a bulk reader, from its options ({@code
   * url}, or {@code host}, {@code port}, {@code database}; {@code user}, {@code password}, {@code
   * properties}), with connect and socket timeouts.
   *
   * @param drivers where the store's JDBC driver is (its connector's class loader): Oracle's and
   *     SQL Server's are not on the server's class path
   */
  static Connection connect(
      MetaModels.Reader reader,
      Map<String, Object> options,
      Duration statementTimeout,
      ClassLoader drivers)
      throws SQLException {
    String url = (String) options.get("url");
    if (url == null || url.isBlank()) {
      Object host = options.get("host");
      if (host == null) {
        throw new SQLException(
            "the data source names no url or host (a cluster's hosts are not collected yet)");
      }
      url = url(reader, host, options.get("port"), options.get("database"));
    } else if (url.regionMatches(true, 0, "jdbc:mysql:", 0, "jdbc:mysql:".length())) {
      url = "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
    }
    Connection c = open(url, properties(reader, options, statementTimeout), drivers);
    c.setReadOnly(true);
    return c;
  }

  /**
   * The connection properties of a collection: the data source's own ({@code properties}, {@code
   * user}, {@code password}), then the timeouts every remote call has unless the data source sets
   * them — 10 s to connect and log in, and the socket {@code statementTimeout} + 30 s.
   */
  static Properties properties(
      MetaModels.Reader reader, Map<String, Object> options, Duration statementTimeout) {
    Properties p = new Properties();
    if (options.get("properties") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> p.setProperty(String.valueOf(k), String.valueOf(v)));
    }
    if (options.get("user") != null) {
      p.setProperty("user", String.valueOf(options.get("user")));
    }
    if (options.get("password") != null) {
      p.setProperty("password", String.valueOf(options.get("password")));
    }
    long socket = statementTimeout.toSeconds() + 30;
    switch (reader) {
      case MYSQL -> {
        p.putIfAbsent("connectTimeout", "10000");
        p.putIfAbsent("socketTimeout", String.valueOf(socket * 1000));
      }
      case POSTGRESQL -> {
        p.putIfAbsent("connectTimeout", "10");
        p.putIfAbsent("loginTimeout", "10");
        p.putIfAbsent("socketTimeout", String.valueOf(socket));
        p.putIfAbsent("ApplicationName", "ferry-catalog");
      }
      case ORACLE -> {
        p.putIfAbsent("oracle.net.CONNECT_TIMEOUT", "10000");
        p.putIfAbsent("oracle.jdbc.ReadTimeout", String.valueOf(socket * 1000));
        p.putIfAbsent("v$session.program", "ferry-catalog");
      }
      case SQLSERVER -> {
        p.putIfAbsent("loginTimeout", "10");
        p.putIfAbsent("socketTimeout", String.valueOf(socket * 1000));
        p.putIfAbsent("applicationName", "ferry-catalog");
      }
      default -> throw new IllegalArgumentException(reader.name());
    }
    return p;
  }

  /** The URL of a data source given by host, port and database. */
  static String url(MetaModels.Reader reader, Object host, Object port, Object database) {
    return switch (reader) {
      case MYSQL ->
          "jdbc:mariadb://" + host + ":" + (port == null ? 3306 : port) + "/" + orEmpty(database);
      case POSTGRESQL ->
          "jdbc:postgresql://"
              + host
              + ":"
              + (port == null ? 5432 : port)
              + "/"
              + (database == null ? "postgres" : database);
      case ORACLE ->
          "jdbc:oracle:thin:@//"
              + host
              + ":"
              + (port == null ? 1521 : port)
              + "/"
              + orEmpty(database);
      case SQLSERVER ->
          "jdbc:sqlserver://"
              + host
              + ":"
              + (port == null ? 1433 : port)
              + (database == null ? "" : ";databaseName=" + database);
      default -> throw new IllegalArgumentException(reader.name());
    };
  }

  private static String orEmpty(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  /** Opens the URL with the first driver of the class loader that takes it. */
  private static Connection open(String url, Properties p, ClassLoader drivers)
      throws SQLException {
    if (drivers != null) {
      for (Driver d : ServiceLoader.load(Driver.class, drivers)) {
        if (d.acceptsURL(url)) {
          Connection c = d.connect(url, p);
          if (c != null) {
            return c;
          }
        }
      }
    }
    return DriverManager.getConnection(url, p);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
