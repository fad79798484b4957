package io.ferry.server.runs;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.JobSpec;
import io.ferry.engine.MiningRun;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.tasks.JobScripts;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.LocalFiles;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The shared-mining runs of this node (docs/shared-mining.md): one per source data source and
 * mining log, started by the first cdc run with {@code sharedMining: true} that starts here, and
 * reused by the next ones. They are held in memory: after a restart, the cdc runs that continue
 * start them again (the mining log keeps their position).
 */
@Component
public class MiningRuns {
  private static final Logger LOG = LoggerFactory.getLogger(MiningRuns.class);

  private final ConnectorRegistry connectors;
  private final LocalFiles files;
  private final Path work;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Entry> entries = new LinkedHashMap<>();

  public MiningRuns(ConnectorRegistry connectors, LocalFiles files, FerryProperties properties) {
    this.connectors = connectors;
    this.files = files;
    this.work = properties.dataDir().resolve("mining");
  }

  /**
   * A mining run as the API shows it.
   *
   * @param id its number on this node
   * @param name the source data source's alias, then {@code -mining}
   * @param source the source data source's alias
   * @param miningLog the mining log: its data source's alias and its table or collection
   * @param state {@code RUNNING}, {@code STOPPED} or {@code FAILED}
   * @param tables the tables it captures, {@code schema.table}
   * @param position the source position appended to; null before the first append
   * @param head the mining log's head as this run last appended
   * @param eventsAppended events appended since it (re)started
   * @param eventsPerSecond events read and appended per second, over the last sample
   * @param lagMillis from the newest appended event's commit to its append; null before
   * @param failure why it failed or is retrying; null when nothing went wrong
   */
  public record View(
      long id,
      String name,
      String source,
      String miningLog,
      String state,
      List<String> tables,
      String position,
      long head,
      long eventsAppended,
      double eventsPerSecond,
      Long lagMillis,
      String failure) {}

  private static final class Entry {
    final long id;
    final String source;
    final String miningLog;
    MiningRun.Spec spec;
    MiningRun run;
    boolean held; // stopped by an operator: stays stopped until started again
    long sampledAt = System.nanoTime();
    long sampledEvents;
    double rate;

    Entry(long id, String source, String miningLog, MiningRun.Spec spec) {
      this.id = id;
      this.source = source;
      this.miningLog = miningLog;
      this.spec = spec;
    }
  }

  /**
   * Starts the mining run a cdc run with shared mining reads from, or finds it: a failed one starts
   * again, one an operator stopped stays stopped (the run waits for it).
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
    // The mining run captures the union its readers ask for: their own object options go.
    for (String objectOption : List.of("tables", "table", "include", "exclude", "startup")) {
      sourceOptions.remove(objectOption);
    }
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
    for (Entry e : entries.values()) {
      if (e.source.equals(source) && e.spec.miningLog().equals(wanted.miningLog())) {
        MiningRun.State state = e.run.status().state();
        if (state == MiningRun.State.FAILED || (state == MiningRun.State.STOPPED && !e.held)) {
          e.spec = wanted; // the data source may have been edited since
          start(e);
        }
        return;
      }
    }
    String logName = JobScripts.dataSourceOf(script, "cdc.miningLog");
    Object where = log.options().getOrDefault("table", log.options().get("collection"));
    Entry e =
        new Entry(
            ids.incrementAndGet(),
            source,
            (logName == null ? log.connector() : logName) + (where == null ? "" : " " + where),
            wanted);
    start(e);
    entries.put(e.id, e);
  }

  private void start(Entry e) {
    e.run = MiningRun.start(connectors, e.spec, files, work.resolve(e.spec.name() + "-" + e.id));
    e.sampledAt = System.nanoTime();
    e.sampledEvents = 0;
    e.rate = 0;
    LOG.info("mining run {} ({}) started", e.id, e.spec.name());
  }

  /** This node's mining runs, oldest first. */
  public synchronized List<View> list() {
    List<View> views = new ArrayList<>();
    for (Entry e : entries.values()) {
      views.add(view(e));
    }
    return views;
  }

  public synchronized View get(long id) {
    return view(entry(id));
  }

  /** Asks a mining run to append what it read and stop; its readers wait meanwhile. */
  public synchronized View stop(long id) throws InterruptedException {
    Entry e = entry(id);
    e.held = true;
    e.run.stop();
    if (!e.run.await(Duration.ofSeconds(30))) {
      throw DomainException.conflict("mining run " + id + " did not stop within 30 seconds");
    }
    LOG.info("mining run {} ({}) stopped", e.id, e.spec.name());
    return view(e);
  }

  /** Starts a stopped or failed mining run again, from the position its mining log holds. */
  public synchronized View start(long id) {
    Entry e = entry(id);
    if (e.run.status().state() == MiningRun.State.RUNNING) {
      throw DomainException.conflict("mining run " + id + " is running");
    }
    e.held = false;
    start(e);
    return view(e);
  }

  private Entry entry(long id) {
    Entry e = entries.get(id);
    if (e == null) {
      throw DomainException.notFound("mining run", id);
    }
    return e;
  }

  private static View view(Entry e) {
    MiningRun.Status s = e.run.status();
    long now = System.nanoTime();
    long elapsed = now - e.sampledAt;
    if (elapsed >= Duration.ofSeconds(1).toNanos()) {
      e.rate = (s.eventsAppended() - e.sampledEvents) * 1e9 / elapsed;
      e.sampledAt = now;
      e.sampledEvents = s.eventsAppended();
    }
    List<String> tables = new ArrayList<>();
    for (TableRef t : s.tables()) {
      tables.add(t.toString());
    }
    tables.sort(null);
    return new View(
        e.id,
        e.spec.name(),
        e.source,
        e.miningLog,
        s.state().name(),
        tables,
        s.minedTo() == null ? null : s.minedTo().description(),
        s.head(),
        s.eventsAppended(),
        e.rate,
        s.lag() == null ? null : s.lag().toMillis(),
        s.failure() == null ? null : Objects.toString(s.failure().getMessage()));
  }

  @PreDestroy
  synchronized void close() throws InterruptedException {
    for (Entry e : entries.values()) {
      e.run.stop();
    }
    for (Entry e : entries.values()) {
      e.run.await(Duration.ofSeconds(30));
    }
  }
}
