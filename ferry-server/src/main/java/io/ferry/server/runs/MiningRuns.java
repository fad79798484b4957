package io.ferry.server.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.JobSpec;
import io.ferry.engine.MiningRun;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.tasks.JobScripts;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Connector;
import io.ferry.spi.LocalFiles;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shared-mining runs of the cluster (docs/shared-mining.md): one per source data source and
 * mining log, a row of {@code ferry_mining_run} in the metadata store. The first cdc run with
 * {@code sharedMining: true} that starts on a node creates it and runs it there; a run of another
 * task of the same source, on any node, finds it and reads its log.
 *
 * <p><b>One reader per source in the cluster.</b> A node claims a mining run in one transaction
 * that locks the source data source's row ({@code SELECT ... FOR UPDATE}), so that two nodes that
 * start tasks of the same source at once take turns: the second sees the first's row, held by a
 * live node, and starts no reader. The node running a mining run writes its figures to the row
 * every second ({@link #upkeep}). A mining run whose node died (its heartbeat older than two
 * leases, {@link ClusterNodes}) or left is taken over by the first live node's upkeep, from the
 * position its mining log holds; a node that finds its run taken over (it was frozen and counted
 * dead) stops its own. Stop and start requests go through the row, so that any node may ask.
 */
@Component
public class MiningRuns {
  private static final Logger LOG = LoggerFactory.getLogger(MiningRuns.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String RUNNING = "RUNNING";
  static final String STOPPED = "STOPPED";
  static final String FAILED = "FAILED";

  private final ConnectorRegistry connectors;
  private final LocalFiles files;
  private final Path work;
  private final JdbcClient db;
  private final TransactionTemplate tx;
  private final ClusterNodes nodes;
  private final DataSourceService dataSources;
  private final MiningReaders readers;

  /**
   * The mining runs held here. Changed under this object's lock; read without it by the list, which
   * must not wait for a claim that waits for another node's transaction.
   */
  private final Map<Long, Entry> entries = new java.util.concurrent.ConcurrentHashMap<>();

  private boolean closed;

  public MiningRuns(
      ConnectorRegistry connectors,
      LocalFiles files,
      FerryProperties properties,
      JdbcClient db,
      TransactionTemplate tx,
      ClusterNodes nodes,
      DataSourceService dataSources,
      MiningReaders readers) {
    this.connectors = connectors;
    this.files = files;
    this.work = properties.dataDir().resolve("mining");
    this.db = db;
    this.tx = tx;
    this.nodes = nodes;
    this.dataSources = dataSources;
    this.readers = readers;
  }

  /**
   * A mining run as the API shows it.
   *
   * @param id its number in the cluster
   * @param name the source data source's alias, then {@code -mining}
   * @param source the source data source's alias
   * @param miningLog the mining log: its data source's alias and its table or collection
   * @param state {@code RUNNING}, {@code STOPPED} or {@code FAILED}
   * @param node the server node that runs it, or last ran it; null while none does
   * @param tables the tables it captures, {@code schema.table}
   * @param position the source position appended to; null before the first append
   * @param head the mining log's head as this run last appended
   * @param eventsAppended events appended since it (re)started
   * @param eventsPerSecond events read and appended per second, over the last sample
   * @param lagMillis from the newest appended event's commit to its append; null before
   * @param failure why it failed or is retrying; null when nothing went wrong
   * @param retentionHours how long its mining log keeps events
   * @param tableEvents events appended since it (re)started, by table
   * @param storeBytes the space its mining log takes in its store, as last measured; null when
   *     unknown (a MongoDB store, or before the first measure)
   * @param startAt the start time edited while it stopped: at its next start it reads the source's
   *     log again from the first change committed at or after it; null when not edited
   * @param readPerSecond the changes per second its tasks applied from its log, over at least the
   *     last 10 seconds (from their saved progress)
   * @param neededBy the task whose offset is the oldest in its log; null when every task is at the
   *     head (or none reads it)
   * @param neededDropsAt when its retention drops the first event that task still needs (the task
   *     then fails with mining.offset-expired); null with {@code neededBy}
   */
  public record View(
      long id,
      String name,
      String source,
      String miningLog,
      String state,
      String node,
      List<String> tables,
      String position,
      long head,
      long eventsAppended,
      double eventsPerSecond,
      Long lagMillis,
      String failure,
      long retentionHours,
      Map<String, Long> tableEvents,
      Long storeBytes,
      Instant startAt,
      double readPerSecond,
      String neededBy,
      Instant neededDropsAt,
      int writeThreads,
      boolean fillUpdates) {}

  /**
   * The keys under which a mining run's writing settings ({@link MiningRun.Spec#writeThreads},
   * {@link MiningRun.Spec#fillUpdates}) are kept in its row's {@code log_options}, beside {@code
   * connector}: never options of the store's connector (a connector option has no dot).
   */
  static final String WRITE_THREADS = "mining.writeThreads";

  static final String FILL_UPDATES = "mining.fillUpdates";

  private static int writeThreads(Row r) {
    return r.logOptions() != null && map(r.logOptions()).get(WRITE_THREADS) instanceof Number n
        ? n.intValue()
        : 1;
  }

  private static boolean fillUpdates(Row r) {
    return r.logOptions() != null && Boolean.TRUE.equals(map(r.logOptions()).get(FILL_UPDATES));
  }

  /** How often the readers of a mining run held here are looked at. */
  static final Duration READERS_EVERY = Duration.ofSeconds(10);

  /** The longest retention an edit may set: a year. */
  static final long MAX_RETENTION_HOURS = 24L * 366;

  /** A mining run held on this node. */
  private static final class Entry {
    final long id;
    volatile MiningRun.Spec spec;
    volatile MiningRun run;
    long sampledAt = System.nanoTime();
    long sampledEvents;
    double rate;
    long readersAt;
    Map<Long, Long> applied = Map.of();
    volatile double readRate;
    volatile Instant neededSince;
    volatile String neededBy;

    Entry(long id, MiningRun.Spec spec) {
      this.id = id;
      this.spec = spec;
    }

    String state() {
      return run.status().state().name();
    }
  }

  /** A mining run's row. */
  private record Row(
      long id,
      String name,
      String source,
      String sourceOptions,
      String logAlias,
      String logOptions,
      String logKey,
      String zone,
      String desired,
      String state,
      String node,
      String tables,
      String position,
      long head,
      long eventsAppended,
      double eventsPerSecond,
      Long lagMillis,
      String failure,
      long retentionSeconds,
      String tableEvents,
      Long storeBytes,
      Instant startAt,
      double readPerSecond,
      Instant neededSince,
      String neededBy) {}

  private static final String COLUMNS =
      "id, name, source_alias, source_options, log_alias, log_options, log_key, zone_id, desired,"
          + " state, node, tables_json, position, head, events_appended, events_per_second,"
          + " lag_millis, failure, retention_seconds, table_events, store_bytes, start_at,"
          + " read_per_second, needed_since, needed_by";

  private static Row row(ResultSet rs, int i) throws SQLException {
    long lag = rs.getLong(17);
    Long lagMillis = rs.wasNull() ? null : lag;
    long size = rs.getLong(21);
    Long storeBytes = rs.wasNull() ? null : size;
    return new Row(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        rs.getLong(14),
        rs.getLong(15),
        rs.getDouble(16),
        lagMillis,
        rs.getString(18),
        rs.getLong(19),
        rs.getString(20),
        storeBytes,
        instant(rs.getTimestamp(22)),
        rs.getDouble(23),
        instant(rs.getTimestamp(24)),
        rs.getString(25));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private List<Row> rows() {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_mining_run ORDER BY id")
        .query(MiningRuns::row)
        .list();
  }

  private Row row(long id) {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_mining_run WHERE id = ?")
        .param(id)
        .query(MiningRuns::row)
        .optional()
        .orElseThrow(() -> DomainException.notFound("mining run", id));
  }

  /** What a claim decided. */
  private record Claim(
      long id,
      boolean startHere,
      String name,
      long retentionSeconds,
      int writeThreads,
      boolean fillUpdates) {
    Claim(long id) {
      this(id, false, null, 0, 1, false);
    }
  }

  /** A mining run's retention when nobody edited it. */
  static final Duration DEFAULT_RETENTION = Duration.ofDays(3);

  /**
   * Starts the mining run a cdc run with shared mining reads from, or finds it: a failed one starts
   * again, one an operator stopped stays stopped (the run waits for it), and one that another live
   * node runs is left to it (the run reads its log all the same).
   *
   * @param script the run's script, naming its data sources
   * @param spec the job with its data sources laid in
   * @throws DomainException.Invalid when the source is not a data source
   */
  public synchronized void ensure(String script, JobSpec spec) {
    String source = JobScripts.dataSourceOf(script, "source");
    if (source == null) {
      throw DomainException.invalid(
          "source.datasource",
          "cdc.sharedMining on the server needs the source named by its data source: the mining"
              + " run is the data source's");
    }
    Map<String, Object> sourceOptions = new LinkedHashMap<>(spec.source().options());
    MiningRun.OBJECT_OPTIONS.forEach(sourceOptions::remove);
    JobSpec.ConnectorSpec log = spec.cdc().miningLog();
    Object zone = spec.settings() == null ? null : spec.settings().get("zone");
    MiningRun.Spec wanted =
        new MiningRun.Spec(
            source + "-mining",
            new JobSpec.ConnectorSpec("source", spec.source().connector(), sourceOptions),
            new JobSpec.ConnectorSpec("miningLog", log.connector(), log.options()),
            null,
            null,
            null,
            zone == null ? null : ZoneId.of(zone.toString()));
    String logAlias = JobScripts.dataSourceOf(script, "cdc.miningLog");
    Object where = log.options().getOrDefault("table", log.options().get("collection"));
    String logKey =
        (logAlias == null ? log.connector() : logAlias) + (where == null ? "" : " " + where);
    // What the script sets itself (with its parameters replaced): laid over the data sources'
    // options when another node or a restart starts the run without a task. Never a secret: a
    // script cannot hold one.
    Map<String, Object> sourceOwn = own(spec.source().options(), script, "source");
    MiningRun.OBJECT_OPTIONS.forEach(sourceOwn::remove);
    Map<String, Object> logOwn =
        logAlias == null
            ? new LinkedHashMap<>(log.options())
            : own(log.options(), script, "cdc.miningLog");
    logOwn.put("connector", log.connector());
    long retention = initialRetention(source).toSeconds();
    String me = nodes.me();
    Claim claim =
        tx.execute(
            status -> {
              db.sql("SELECT id FROM ferry_datasource WHERE alias = ? FOR UPDATE")
                  .param(source)
                  .query(Long.class)
                  .optional();
              Row found = null;
              for (Row r :
                  db.sql("SELECT " + COLUMNS + " FROM ferry_mining_run WHERE source_alias = ?")
                      .param(source)
                      .query(MiningRuns::row)
                      .list()) {
                if (r.source().equals(source) && r.logKey().equals(logKey)) {
                  found = r;
                }
              }
              Timestamp now = Timestamp.from(Instant.now());
              if (found == null) {
                GeneratedKeyHolder keys = new GeneratedKeyHolder();
                db.sql(
                        "INSERT INTO ferry_mining_run (name, source_alias, source_options,"
                            + " log_alias, log_options, log_key, zone_id, retention_seconds, desired,"
                            + " state, node, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                        wanted.name(),
                        source,
                        json(sourceOwn),
                        logAlias,
                        json(logOwn),
                        logKey,
                        wanted.zone().getId(),
                        retention,
                        RUNNING,
                        RUNNING,
                        me,
                        now,
                        now)
                    .update(keys, "id");
                return new Claim(
                    keys.getKey().longValue(), true, wanted.name(), retention, 1, false);
              }
              if (found.desired().equals(STOPPED)) {
                // An operator stopped it: the run waits.
                return new Claim(found.id());
              }
              boolean mine = me.equals(found.node());
              if (!mine
                  && !found.state().equals(FAILED)
                  && found.node() != null
                  && alive().contains(found.node())) {
                return new Claim(found.id()); // another live node runs it
              }
              Entry local = entries.get(found.id());
              if (mine && local != null && local.state().equals(RUNNING)) {
                return new Claim(found.id());
              }
              // The writing settings an operator edited stay with the row.
              Map<String, Object> kept = map(found.logOptions());
              for (String key : List.of(WRITE_THREADS, FILL_UPDATES)) {
                if (kept.containsKey(key)) {
                  logOwn.put(key, kept.get(key));
                }
              }
              db.sql(
                      "UPDATE ferry_mining_run SET node = ?, state = ?, source_options = ?,"
                          + " log_options = ?, zone_id = ?, failure = NULL, updated_at = ?"
                          + " WHERE id = ?")
                  .params(
                      me,
                      RUNNING,
                      json(sourceOwn),
                      json(logOwn),
                      wanted.zone().getId(),
                      now,
                      found.id())
                  .update();
              return new Claim(
                  found.id(),
                  true,
                  found.name(),
                  found.retentionSeconds(),
                  writeThreads(found),
                  fillUpdates(found));
            });
    if (claim.startHere()) {
      // The data sources may have been edited since; the name and retention, while it stopped.
      MiningRun.Spec run =
          edited(wanted, claim.name(), Duration.ofSeconds(claim.retentionSeconds()))
              .withWriting(claim.writeThreads(), claim.fillUpdates());
      Entry e = entries.computeIfAbsent(claim.id(), id -> new Entry(id, run));
      e.spec = run;
      start(e);
    }
  }

  /** A new mining run's retention: its source data source's shared-mining setting, else 3 days. */
  private Duration initialRetention(String source) {
    try {
      return dataSources
          .sharedMiningOf(source)
          .map(m -> m.retentionHours() == null ? null : Duration.ofHours(m.retentionHours()))
          .orElse(DEFAULT_RETENTION);
    } catch (DomainException.NotFound gone) {
      return DEFAULT_RETENTION;
    }
  }

  private static MiningRun.Spec edited(MiningRun.Spec s, String name, Duration retention) {
    return new MiningRun.Spec(
            name,
            s.source(),
            s.miningLog(),
            retention,
            s.flushInterval(),
            s.purgeInterval(),
            s.zone())
        .withWriting(s.writeThreads(), s.fillUpdates());
  }

  /**
   * Edits a mining run that does not run (stopped or failed): its name and its log's retention,
   * which count from its next start.
   *
   * @param name the new name, or null to keep it
   * @param retentionHours the new retention in hours, or null to keep it
   * @param startAt a start time (ISO-8601 with an offset, e.g. 2026-12-07T08:00:00Z): at its next
   *     start it reads the source's log again from the first change committed at or after it;
   *     refused in the future or when the source's log no longer holds it; null to keep it, empty
   *     to clear it
   * @param writeThreads how many threads encode what it appends (1 to {@link
   *     MiningRun.Spec#MAX_WRITE_THREADS}), or null to keep it
   * @param fillUpdates whether updates lacking values get them from the source's row, or null to
   *     keep it
   * @throws DomainException.Conflict while it runs
   * @throws DomainException.Invalid naming the field at fault
   */
  public synchronized View edit(
      long id,
      String name,
      Long retentionHours,
      String startAt,
      Integer writeThreads,
      Boolean fillUpdates) {
    Row r = row(id);
    Entry e = held(r);
    if ((e != null && e.state().equals(RUNNING))
        || (e == null
            && r.state().equals(RUNNING)
            && r.node() != null
            && alive().contains(r.node()))) {
      throw DomainException.conflict("mining run " + id + " is running: stop it before editing it");
    }
    String newName = r.name();
    if (name != null) {
      newName = name.strip();
      if (newName.isEmpty() || newName.length() > 200) {
        throw DomainException.invalid("name", "between 1 and 200 characters, got '" + name + "'");
      }
    }
    long retention = r.retentionSeconds();
    if (retentionHours != null) {
      if (retentionHours < 1 || retentionHours > MAX_RETENTION_HOURS) {
        throw DomainException.invalid(
            "retentionHours", "from 1 to " + MAX_RETENTION_HOURS + " hours, got " + retentionHours);
      }
      retention = Duration.ofHours(retentionHours).toSeconds();
    }
    if (writeThreads != null
        && (writeThreads < 1 || writeThreads > MiningRun.Spec.MAX_WRITE_THREADS)) {
      throw DomainException.invalid(
          "writeThreads",
          "from 1 to " + MiningRun.Spec.MAX_WRITE_THREADS + " threads, got " + writeThreads);
    }
    Instant start = r.startAt();
    if (startAt != null) {
      start = startAt.isBlank() ? null : startTime(r, startAt);
    }
    Map<String, Object> logOwn = map(r.logOptions());
    int threads = writeThreads != null ? writeThreads : writeThreads(r);
    boolean fill = fillUpdates != null ? fillUpdates : fillUpdates(r);
    logOwn.put(WRITE_THREADS, threads);
    logOwn.put(FILL_UPDATES, fill);
    db.sql(
            "UPDATE ferry_mining_run SET name = ?, retention_seconds = ?, start_at = ?,"
                + " log_options = ?, updated_at = ? WHERE id = ?")
        .params(
            newName,
            retention,
            start == null ? null : Timestamp.from(start),
            json(logOwn),
            Timestamp.from(Instant.now()),
            id)
        .update();
    if (e != null) {
      e.spec = edited(e.spec, newName, Duration.ofSeconds(retention)).withWriting(threads, fill);
    }
    LOG.info(
        "mining run {} edited: name {}, retention {} h, {} write threads, fill updates {}",
        id,
        newName,
        retention / 3600,
        threads,
        fill);
    return view(row(id));
  }

  /** A start time asked for by an edit, checked against the source's log. */
  private Instant startTime(Row r, String text) {
    Instant at;
    try {
      at = java.time.OffsetDateTime.parse(text.strip()).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw DomainException.invalid(
          "startAt",
          "'" + text + "' is not a date-time with an offset, such as 2026-12-07T08:00:00Z");
    }
    if (at.isAfter(Instant.now())) {
      throw DomainException.invalid(
          "startAt", at + " is in the future: the source's log holds only what happened");
    }
    MiningRun.Spec spec = rebuild(r);
    Set<TableRef> tables = new java.util.LinkedHashSet<>();
    for (String t : r.tables() == null ? List.<String>of() : strings(r.tables())) {
      int dot = t.indexOf('.');
      tables.add(
          dot < 0
              ? new TableRef(null, t)
              : new TableRef(t.substring(0, dot), t.substring(dot + 1)));
    }
    try {
      MiningRun.checkStartTime(
          connectors, spec, files, work.resolve(spec.name() + "-" + r.id() + "-check"), tables, at);
    } catch (io.ferry.spi.FerryException e) {
      throw DomainException.invalid(
          "startAt", "the source's log cannot be read from " + at + ": " + e.getMessage());
    }
    return at;
  }

  /** The options of a resolved section that its script sets itself. */
  private static Map<String, Object> own(
      Map<String, Object> resolved, String script, String section) {
    Map<String, Object> own = new LinkedHashMap<>();
    for (String name : JobScripts.optionsSetIn(script, section)) {
      if (resolved.containsKey(name) && !name.equals("connector")) {
        own.put(name, resolved.get(name));
      }
    }
    return own;
  }

  private void start(Entry e) {
    if (e.run != null && e.state().equals(RUNNING)) {
      e.run.stop(); // never two readers of one log on a node
      try {
        e.run.await(Duration.ofSeconds(30));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw DomainException.conflict("interrupted while stopping mining run " + e.id);
      }
    }
    MiningRun.Spec spec = e.spec;
    Instant startAt =
        db.sql("SELECT start_at FROM ferry_mining_run WHERE id = ?")
            .param(e.id)
            .query((rs, i) -> instant(rs.getTimestamp(1)))
            .optional()
            .orElse(null);
    if (startAt != null) {
      // Applied once, by this run: cleared at once, so that a later start continues where the log
      // is (a node that dies before the run applied it starts from the log's position instead).
      spec =
          new MiningRun.Spec(
              spec.name(),
              spec.source(),
              spec.miningLog(),
              spec.retention(),
              spec.flushInterval(),
              spec.purgeInterval(),
              spec.zone(),
              startAt,
              spec.writeThreads(),
              spec.fillUpdates());
      db.sql("UPDATE ferry_mining_run SET start_at = NULL WHERE id = ?").param(e.id).update();
    }
    e.run = MiningRun.start(connectors, spec, files, work.resolve(e.spec.name() + "-" + e.id));
    e.sampledAt = System.nanoTime();
    e.sampledEvents = 0;
    e.rate = 0;
    save(e);
    LOG.info("mining run {} ({}) started on node {}", e.id, e.spec.name(), nodes.me());
  }

  /** The mining runs of the cluster, oldest first. */
  public List<View> list() {
    List<View> views = new ArrayList<>();
    for (Row r : rows()) {
      views.add(view(r));
    }
    return views;
  }

  public View get(long id) {
    return view(row(id));
  }

  /**
   * The mining runs this node runs now, with their live figures: those whose history this node
   * samples ({@code io.ferry.server.monitoring.MiningHistory}).
   */
  public List<View> heldHere() {
    List<View> views = new ArrayList<>();
    for (Row r : rows()) {
      Entry e = entries.get(r.id());
      if (e != null && e.run != null && nodes.me().equals(r.node())) {
        views.add(view(r));
      }
    }
    return views;
  }

  /**
   * The mining run of a row as it would start now, its data sources' options laid in (secrets in
   * memory only): for the per-table stop and resume ({@link MiningTables}), which go through its
   * mining log.
   */
  MiningRun.Spec spec(long id) {
    return rebuild(row(id));
  }

  /**
   * Asks a mining run to append what it read and stop, on whichever node runs it; its readers wait
   * meanwhile. It stays stopped (also after restarts, and when its tasks start) until started.
   */
  public View stop(long id) throws InterruptedException {
    synchronized (this) {
      Row r = row(id);
      db.sql("UPDATE ferry_mining_run SET desired = ?, updated_at = ? WHERE id = ?")
          .params(STOPPED, Timestamp.from(Instant.now()), id)
          .update();
      Entry e = held(r);
      if (e != null) {
        stopHere(e);
        return view(row(id));
      }
      if (r.node() == null || r.node().equals(nodes.me()) || !alive().contains(r.node())) {
        // Nobody runs it: nothing to stop.
        db.sql("UPDATE ferry_mining_run SET state = ? WHERE id = ? AND state = ?")
            .params(STOPPED, id, RUNNING)
            .update();
        return view(row(id));
      }
    }
    // Another node runs it: its upkeep stops it within a second or so.
    return awaitState(id, s -> !s.equals(RUNNING), "stop");
  }

  /**
   * Starts a stopped or failed mining run again, on this node, from the position its mining log
   * holds; the node that held it lets it go.
   */
  public View start(long id) {
    synchronized (this) {
      Row r = row(id);
      Entry e = held(r);
      boolean runningHere = e != null && e.state().equals(RUNNING);
      boolean runningThere =
          e == null
              && r.state().equals(RUNNING)
              && r.desired().equals(RUNNING)
              && r.node() != null
              && alive().contains(r.node());
      if (runningHere || runningThere) {
        throw DomainException.conflict("mining run " + id + " is running");
      }
      db.sql("UPDATE ferry_mining_run SET desired = ?, updated_at = ? WHERE id = ?")
          .params(RUNNING, Timestamp.from(Instant.now()), id)
          .update();
      if (e != null) {
        start(e);
        return view(row(id));
      }
      // Stopped or failed where it was: it starts here (the node that held it lets it go).
      if (!claim(r)) {
        throw DomainException.conflict(
            "mining run " + id + " was started by another node meanwhile");
      }
      return view(row(id));
    }
  }

  /**
   * The entry of a row that this node holds; one it kept after another node took the run (its
   * upkeep has not seen it yet) is stopped and forgotten.
   */
  private Entry held(Row r) {
    Entry e = entries.get(r.id());
    if (e != null && !nodes.me().equals(r.node())) {
      e.run.stop();
      entries.remove(r.id());
      return null;
    }
    return e;
  }

  private View awaitState(long id, java.util.function.Predicate<String> reached, String doing)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Row r = row(id);
      if (reached.test(r.state())) {
        return view(r);
      }
      Thread.sleep(100);
    }
    throw DomainException.conflict(
        "mining run " + id + " did not " + doing + " within 30 seconds on node " + row(id).node());
  }

  private void stopHere(Entry e) throws InterruptedException {
    e.run.stop();
    if (!e.run.await(Duration.ofSeconds(30))) {
      throw DomainException.conflict("mining run " + e.id + " did not stop within 30 seconds");
    }
    save(e);
    LOG.info("mining run {} ({}) stopped", e.id, e.spec.name());
  }

  /**
   * Takes a mining run whose node is gone (or this node before a restart) and starts it here, from
   * its row and its data sources.
   *
   * @return false when another node took it first
   */
  private boolean claim(Row r) {
    int taken =
        r.node() == null
            ? db.sql("UPDATE ferry_mining_run SET node = ? WHERE id = ? AND node IS NULL")
                .params(nodes.me(), r.id())
                .update()
            : db.sql("UPDATE ferry_mining_run SET node = ? WHERE id = ? AND node = ?")
                .params(nodes.me(), r.id(), r.node())
                .update();
    if (taken == 0) {
      return false;
    }
    MiningRun.Spec spec;
    try {
      spec = rebuild(r);
    } catch (RuntimeException e) {
      String why = "cannot start: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      LOG.warn("mining run {} ({}) {}", r.id(), r.name(), why);
      db.sql("UPDATE ferry_mining_run SET state = ?, failure = ?, updated_at = ? WHERE id = ?")
          .params(FAILED, clip(why), Timestamp.from(Instant.now()), r.id())
          .update();
      return true;
    }
    Entry e = entries.computeIfAbsent(r.id(), id -> new Entry(id, spec));
    e.spec = spec;
    start(e);
    return true;
  }

  /** The mining run of a row, with its data sources' options as they are now. */
  private MiningRun.Spec rebuild(Row r) {
    Map<String, Object> sourceOwn = map(r.sourceOptions());
    Map<String, Object> logOwn = map(r.logOptions());
    DataSourceService.Resolved source = dataSources.resolve(r.source());
    Map<String, Object> sourceOptions = laidOver(source, sourceOwn, "source");
    MiningRun.OBJECT_OPTIONS.forEach(sourceOptions::remove);
    String logConnector = (String) logOwn.remove("connector");
    int threads = logOwn.get(WRITE_THREADS) instanceof Number n ? n.intValue() : 1;
    boolean fill = Boolean.TRUE.equals(logOwn.get(FILL_UPDATES));
    logOwn.remove(WRITE_THREADS);
    logOwn.remove(FILL_UPDATES);
    Map<String, Object> logOptions;
    if (r.logAlias() == null) {
      logOptions = logOwn;
    } else {
      DataSourceService.Resolved log = dataSources.resolve(r.logAlias());
      logConnector = log.connector();
      logOptions = laidOver(log, logOwn, "cdc.miningLog");
    }
    return new MiningRun.Spec(
            r.name(),
            new JobSpec.ConnectorSpec("source", source.connector(), sourceOptions),
            new JobSpec.ConnectorSpec("miningLog", logConnector, logOptions),
            Duration.ofSeconds(r.retentionSeconds()),
            null,
            null,
            ZoneId.of(r.zone()))
        .withWriting(threads, fill);
  }

  private Map<String, Object> laidOver(
      DataSourceService.Resolved ds, Map<String, Object> own, String section) {
    Connector c = connectors.connector(ds.connector());
    Set<String> redirected = DataSourceService.redirected(c, ds.options(), own, false);
    if (!redirected.isEmpty()) {
      throw DomainException.invalid(
          section + "." + redirected.iterator().next(),
          "changes where the data source '" + ds.alias() + "' connects");
    }
    Map<String, Object> options = new LinkedHashMap<>(ds.options());
    options.putAll(own);
    return options;
  }

  /**
   * Every second: writes the figures of the mining runs held here, applies the stop and start
   * requests other nodes wrote, gives up a run another node took over, and takes over the runs of
   * nodes that are gone.
   */
  public synchronized void upkeep() {
    if (closed) {
      return;
    }
    Set<String> alive = alive();
    String me = nodes.me();
    for (Row r : rows()) {
      Entry e = entries.get(r.id());
      try {
        if (e != null) {
          if (!me.equals(r.node())) {
            LOG.warn(
                "mining run {} ({}) was taken over by node {}; stopping it here",
                r.id(),
                r.name(),
                r.node());
            e.run.stop();
            e.run.await(Duration.ofSeconds(30));
            entries.remove(r.id());
            continue;
          }
          String state = e.state();
          if (r.desired().equals(STOPPED) && state.equals(RUNNING)) {
            stopHere(e);
          } else if (r.desired().equals(RUNNING) && state.equals(STOPPED)) {
            start(e);
          } else {
            lookAtReaders(e, r);
            save(e);
          }
        } else if (r.desired().equals(RUNNING)
            && r.state().equals(RUNNING)
            && (r.node() == null || r.node().equals(me) || !alive.contains(r.node()))) {
          if (r.node() != null && !r.node().equals(me)) {
            LOG.warn(
                "Node {} stopped; mining run {} ({}) is node {}'s now",
                r.node(),
                r.id(),
                r.name(),
                me);
          }
          claim(r);
        } else if (r.desired().equals(STOPPED)
            && r.state().equals(RUNNING)
            && (r.node() == null || r.node().equals(me) || !alive.contains(r.node()))) {
          // Asked to stop while its node went away: nothing runs it.
          db.sql("UPDATE ferry_mining_run SET state = ? WHERE id = ? AND state = ?")
              .params(STOPPED, r.id(), RUNNING)
              .update();
        }
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException failed) {
        LOG.warn("Upkeep of mining run {} failed; trying again in a second", r.id(), failed);
      }
    }
  }

  /**
   * Every {@link #READERS_EVERY}: the changes per second the tasks reading a mining run held here
   * applied from its log, and the task whose offset is the oldest, with when the first event after
   * it reached the log (the retention drops it that long after).
   */
  private void lookAtReaders(Entry e, Row r) {
    long now = System.nanoTime();
    if (e.readersAt != 0 && now - e.readersAt < READERS_EVERY.toNanos()) {
      return;
    }
    List<MiningReaders.Reader> list = readers.of(r.source(), r.logKey());
    Map<Long, Long> applied = new java.util.HashMap<>();
    long delta = 0;
    MiningReaders.Reader oldest = null;
    for (MiningReaders.Reader reader : list) {
      applied.put(reader.runId(), reader.changesApplied());
      Long before = e.applied.get(reader.runId());
      if (before != null && reader.changesApplied() > before) {
        delta += reader.changesApplied() - before;
      }
      if (reader.offset() >= 0 && (oldest == null || reader.offset() < oldest.offset())) {
        oldest = reader;
      }
    }
    e.readRate = e.readersAt == 0 ? 0 : delta * 1e9 / (now - e.readersAt);
    e.readersAt = now;
    e.applied = applied;
    Instant since = oldest == null ? null : e.run.appendedAfter(oldest.offset()).orElse(null);
    e.neededSince = since;
    e.neededBy = since == null ? null : oldest.task();
  }

  /** The live nodes. */
  private Set<String> alive() {
    return new HashSet<>(
        db.sql("SELECT node FROM ferry_node WHERE heartbeat_at >= ?")
            .param(nodes.aliveSince())
            .query(String.class)
            .list());
  }

  /** Writes a mining run's figures to its row, while this node holds it. */
  private void save(Entry e) {
    MiningRun.Status s = e.run.status();
    sample(e, s);
    List<String> tables = tables(s);
    db.sql(
            "UPDATE ferry_mining_run SET state = ?, tables_json = ?, position = ?, head = ?,"
                + " events_appended = ?, events_per_second = ?, lag_millis = ?, failure = ?,"
                + " table_events = ?, store_bytes = ?, read_per_second = ?, needed_since = ?,"
                + " needed_by = ?, updated_at = ? WHERE id = ? AND node = ?")
        .params(
            s.state().name(),
            json(tables),
            s.minedTo() == null ? null : clip(s.minedTo().description()),
            s.head(),
            s.eventsAppended(),
            e.rate,
            s.lag() == null ? null : s.lag().toMillis(),
            s.failure() == null ? null : clip(Objects.toString(s.failure().getMessage())),
            json(tableEvents(s)),
            s.storeBytes(),
            e.readRate,
            e.neededSince == null ? null : Timestamp.from(e.neededSince),
            e.neededBy,
            Timestamp.from(Instant.now()),
            e.id,
            nodes.me())
        .update();
  }

  private static void sample(Entry e, MiningRun.Status s) {
    synchronized (e) {
      sampleLocked(e, s);
    }
  }

  private static void sampleLocked(Entry e, MiningRun.Status s) {
    long now = System.nanoTime();
    long elapsed = now - e.sampledAt;
    if (elapsed >= Duration.ofSeconds(1).toNanos()) {
      e.rate = (s.eventsAppended() - e.sampledEvents) * 1e9 / elapsed;
      e.sampledAt = now;
      e.sampledEvents = s.eventsAppended();
    }
  }

  private static List<String> tables(MiningRun.Status s) {
    List<String> tables = new ArrayList<>();
    for (TableRef t : s.tables()) {
      tables.add(t.toString());
    }
    tables.sort(null);
    return tables;
  }

  private static Map<String, Long> tableEvents(MiningRun.Status s) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    s.tableEvents().forEach((t, n) -> counts.put(t.toString(), n));
    return counts;
  }

  /** A row as the API shows it, with this node's live figures when it runs it. */
  private View view(Row r) {
    Entry e = entries.get(r.id());
    MiningRun running = e == null ? null : e.run;
    if (running != null && nodes.me().equals(r.node())) {
      MiningRun.Status s = running.status();
      sample(e, s);
      return new View(
          r.id(),
          r.name(),
          r.source(),
          r.logKey(),
          s.state().name(),
          r.node(),
          tables(s),
          s.minedTo() == null ? null : s.minedTo().description(),
          s.head(),
          s.eventsAppended(),
          e.rate,
          s.lag() == null ? null : s.lag().toMillis(),
          s.failure() == null ? null : Objects.toString(s.failure().getMessage()),
          r.retentionSeconds() / 3600,
          tableEvents(s),
          s.storeBytes() != null ? s.storeBytes() : r.storeBytes(),
          r.startAt(),
          e.readRate,
          e.neededBy,
          dropsAt(e.neededSince, r.retentionSeconds()),
          writeThreads(r),
          fillUpdates(r));
    }
    List<String> tables = r.tables() == null ? List.<String>of() : strings(r.tables());
    return new View(
        r.id(),
        r.name(),
        r.source(),
        r.logKey(),
        r.state(),
        r.node(),
        tables,
        r.position(),
        r.head(),
        r.eventsAppended(),
        r.state().equals(RUNNING) ? r.eventsPerSecond() : 0,
        r.lagMillis(),
        r.failure(),
        r.retentionSeconds() / 3600,
        r.tableEvents() == null ? Map.of() : counts(r.tableEvents()),
        r.storeBytes(),
        r.startAt(),
        r.state().equals(RUNNING) ? r.readPerSecond() : 0,
        r.neededBy(),
        dropsAt(r.neededSince(), r.retentionSeconds()),
        writeThreads(r),
        fillUpdates(r));
  }

  private static Instant dropsAt(Instant since, long retentionSeconds) {
    return since == null ? null : since.plusSeconds(retentionSeconds);
  }

  private static Map<String, Long> counts(String json) {
    try {
      return JSON.readValue(json, new TypeReference<java.util.TreeMap<String, Long>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a mining run's stored counts do not parse", e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> map(String json) {
    try {
      return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a mining run's stored options do not parse", e);
    }
  }

  private static List<String> strings(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a mining run's stored tables do not parse", e);
    }
  }

  private static String clip(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
  }

  /**
   * Stops the mining runs held here and lets them go (the node leaves): another node's upkeep takes
   * them over at once, or this node's after its restart. An operator's stop stays as it was.
   */
  @PreDestroy
  synchronized void close() throws InterruptedException {
    closed = true;
    for (Entry e : entries.values()) {
      e.run.stop();
    }
    for (Entry e : entries.values()) {
      e.run.await(Duration.ofSeconds(30));
      try {
        db.sql("UPDATE ferry_mining_run SET node = NULL, updated_at = ? WHERE id = ? AND node = ?")
            .params(Timestamp.from(Instant.now()), e.id, nodes.me())
            .update();
      } catch (RuntimeException gone) {
        LOG.warn("mining run {}: could not let it go: {}", e.id, gone.getMessage());
      }
    }
    entries.clear();
  }
}
